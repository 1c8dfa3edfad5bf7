import { useI18n } from '../i18n/I18nProvider';

export interface TrendSeries {
  id: number;
  name: string;
  points: Array<{ week: string; value: number | null }>;
}

const COLORS = [
  '#2563eb',
  '#15803d',
  '#c62828',
  '#b45309',
  '#6d28d9',
  '#0e7490',
  '#be185d',
  '#4d7c0f',
];
const W = 640;
const H = 240;
const PAD = { left: 36, right: 12, top: 12, bottom: 28 };

/**
 * Average score per ISO week, one line per series, on a fixed 0–100 axis (a few dozen points:
 * hand-drawn SVG, no chart library needed).
 */
export function TrendChart(props: { series: TrendSeries[] }) {
  const { t } = useI18n();
  const weeks = [...new Set(props.series.flatMap((s) => s.points.map((p) => p.week)))].sort();
  if (!weeks.length) return <p className="empty">{t('qa.noTrend')}</p>;
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const x = (week: string) =>
    PAD.left +
    (weeks.length === 1 ? plotW / 2 : (weeks.indexOf(week) / (weeks.length - 1)) * plotW);
  const y = (v: number) => PAD.top + plotH - (Math.max(0, Math.min(100, v)) / 100) * plotH;
  const labelEvery = Math.max(1, Math.ceil(weeks.length / 8));
  return (
    <figure className="trend-chart" data-testid="trend-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t('qa.trendTitle')}>
        {[0, 25, 50, 75, 100].map((v) => (
          <g key={v}>
            <line className="grid" x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} />
            <text className="axis" x={PAD.left - 6} y={y(v) + 4} textAnchor="end">
              {v}
            </text>
          </g>
        ))}
        {weeks.map((w, i) =>
          i % labelEvery === 0 ? (
            <text key={w} className="axis" x={x(w)} y={H - 8} textAnchor="middle">
              {w.replace(/^\d{4}-/, '')}
            </text>
          ) : null,
        )}
        {props.series.map((s, i) => {
          const color = COLORS[i % COLORS.length];
          const pts = s.points
            .filter((p): p is { week: string; value: number } => p.value !== null)
            .sort((a, b) => a.week.localeCompare(b.week));
          return (
            <g key={s.id} data-testid="trend-line" data-agent-id={s.id}>
              {pts.length > 1 ? (
                <polyline
                  fill="none"
                  stroke={color}
                  strokeWidth={2}
                  points={pts.map((p) => `${x(p.week)},${y(p.value)}`).join(' ')}
                />
              ) : null}
              {pts.map((p) => (
                <circle key={p.week} cx={x(p.week)} cy={y(p.value)} r={3.5} fill={color}>
                  <title>{`${s.name} · ${p.week} · ${Math.round(p.value * 10) / 10}`}</title>
                </circle>
              ))}
            </g>
          );
        })}
      </svg>
      <figcaption className="legend">
        {props.series.map((s, i) => (
          <span key={s.id} className="legend-item">
            <span className="legend-swatch" style={{ background: COLORS[i % COLORS.length] }} />
            {s.name}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
