import type { WallQueue } from '../../../src/api/wall';
import { duration } from '../common/format';
import { useI18n } from '../i18n/I18nProvider';

const pct = (v: number | null) => (v === null ? '—' : `${v.toFixed(1)} %`);

/** One queue: callers waiting and the longest wait (counting up), agents by state, today. */
export function QueueTile({ queue: q, now }: { queue: WallQueue; now: number }) {
  const { t, label } = useI18n();
  const red = q.alerts.length > 0;
  const longest = q.longestWaitSince ? now - Date.parse(q.longestWaitSince) : null;
  const waitRed = q.alerts.includes('longest-wait');
  const slRed = q.alerts.includes('service-level');
  const a = q.agents;
  const reasons = Object.entries(a.breakReasons);
  const named = reasons.filter(([r]) => r);
  return (
    <section
      className={`wall-tile${red ? ' wall-tile-red' : ''}`}
      data-testid={`wall-tile-${q.name}`}
      data-red={red ? 'yes' : 'no'}
    >
      <header className="wall-tile-head">
        <h3>{q.name}</h3>
        {q.alerts.map((k) => (
          <span key={k} className="wall-alert-chip" role="status">
            {t(`alert.${k}` as 'alert.service-level')}
          </span>
        ))}
      </header>
      <div className="wall-tile-main">
        <div className={`wall-big${q.waiting > 0 ? ' wall-big-busy' : ''}`}>
          <span className="wall-big-value" data-testid="wall-waiting">
            {q.waiting}
          </span>
          <span className="wall-big-label">{t('wall.waiting')}</span>
        </div>
        <div className={`wall-big${waitRed ? ' wall-big-bad' : ''}`}>
          <span className="wall-big-value" data-testid="wall-longest-wait">
            {longest === null ? '—' : duration(longest)}
          </span>
          <span className="wall-big-label">
            {t('wall.longestWait')}
            <span className="muted">
              {t('wall.maxWait', { sec: q.thresholds.maxWaitAlertSec })}
            </span>
          </span>
        </div>
        <div className={`wall-big${slRed ? ' wall-big-bad' : ''}`}>
          <span className="wall-big-value" data-testid="wall-service-level">
            {pct(q.today.serviceLevelPct)}
          </span>
          <span className="wall-big-label">
            {t('wall.serviceLevel')}
            <span className="muted">
              {t('wall.slTarget', {
                pct: q.thresholds.serviceLevelTargetPct,
                sec: q.thresholds.serviceLevelSec,
              })}
            </span>
          </span>
        </div>
      </div>
      <dl className="wall-figures">
        <div>
          <dt>{t('wall.answered')}</dt>
          <dd data-testid="wall-answered">{q.today.answered}</dd>
        </div>
        <div>
          <dt>{t('wall.abandoned')}</dt>
          <dd data-testid="wall-abandoned">
            {q.today.abandoned}
            {q.today.abandonedShort > 0 ? (
              <span
                className="muted small"
                title={t('wall.abandonedShort', {
                  n: q.today.abandonedShort,
                  sec: q.thresholds.shortAbandonSec,
                })}
              >
                {' '}
                ({q.today.abandonedShort})
              </span>
            ) : null}
          </dd>
        </div>
        <div>
          <dt>{t('wall.asa')}</dt>
          <dd>{q.today.asaMs === null ? '—' : duration(q.today.asaMs)}</dd>
        </div>
        <div>
          <dt>{t('wall.satisfaction')}</dt>
          <dd
            data-testid="wall-satisfaction"
            title={t('wall.responses', { n: q.today.satisfaction.responses })}
          >
            {q.today.satisfaction.average === null
              ? '—'
              : `${q.today.satisfaction.average.toFixed(1)} / 5`}
            {q.today.satisfaction.responseRate !== null && (
              <small className="muted">
                {' '}
                {t('wall.responseRate', {
                  pct: Math.round(q.today.satisfaction.responseRate * 100),
                })}
              </small>
            )}
          </dd>
        </div>
      </dl>
      <div className="wall-agent-counts" data-testid="wall-agent-counts">
        <span className="wall-count wall-state-available">
          {label('wallState', 'available')} <b>{a.available}</b>
        </span>
        <span className="wall-count wall-state-offered">
          {label('wallState', 'offered')} <b>{a.offered}</b>
        </span>
        <span className="wall-count wall-state-on-call">
          {label('wallState', 'on-call')} <b>{a.onCall}</b>
        </span>
        <span className="wall-count wall-state-wrap-up">
          {label('wallState', 'wrap-up')} <b>{a.wrapUp}</b>
        </span>
        <span
          className="wall-count wall-state-break"
          title={reasons
            .map(([r, n]) => `${r ? label('breakReason', r) : label('wallState', 'break')}: ${n}`)
            .join(', ')}
        >
          {label('wallState', 'break')} <b>{a.break}</b>
          {named.length ? (
            <span className="muted small">
              {' '}
              ({named.map(([r, n]) => `${label('breakReason', r)} ${n}`).join(', ')})
            </span>
          ) : null}
        </span>
        <span className="wall-count wall-state-offline">
          {label('wallState', 'offline')} <b>{a.offline}</b>
        </span>
      </div>
    </section>
  );
}
