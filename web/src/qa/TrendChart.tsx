import { Line } from 'react-chartjs-2';
import { useI18n } from '../i18n/I18nProvider';
import { COLORS } from '../reports/chart-setup';

export interface TrendSeries {
  id: number;
  name: string;
  points: Array<{ week: string; value: number | null }>;
}

/** Average score per ISO week, one line per series, on a fixed 0–100 axis (Chart.js). */
export function TrendChart(props: { series: TrendSeries[] }) {
  const { t } = useI18n();
  const weeks = [...new Set(props.series.flatMap((s) => s.points.map((p) => p.week)))].sort();
  if (!weeks.length) return <p className="empty">{t('qa.noTrend')}</p>;
  return (
    <figure className="trend-chart chart-box" data-testid="trend-chart">
      <Line
        aria-label={t('qa.trendTitle')}
        role="img"
        data={{
          labels: weeks.map((w) => w.replace(/^\d{4}-/, '')),
          datasets: props.series.map((s, i) => {
            const byWeek = new Map(s.points.map((p) => [p.week, p.value]));
            const color = COLORS[i % COLORS.length]!;
            return {
              label: s.name,
              data: weeks.map((w) => byWeek.get(w) ?? null),
              borderColor: color,
              backgroundColor: color,
              spanGaps: true,
              pointRadius: 3.5,
            };
          }),
        }}
        options={{
          scales: { y: { min: 0, max: 100, ticks: { stepSize: 25 } } },
          plugins: { legend: { position: 'bottom' } },
        }}
      />
      {/* The series drawn, for tests and screen readers (the canvas has no DOM of its own). */}
      <ul className="visually-hidden">
        {props.series.map((s) => (
          <li
            key={s.id}
            data-testid="trend-line"
            data-agent-id={s.id}
            data-points={s.points.filter((p) => p.value !== null).length}
          >
            {s.name}
          </li>
        ))}
      </ul>
    </figure>
  );
}
