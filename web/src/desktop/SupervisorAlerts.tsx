import { time } from '../common/format';
import { useI18n } from '../i18n/I18nProvider';
import { useLive, type AlertEntry } from '../live/LiveProvider';

/** Supervisor alerts as banners until dismissed: escalated complaints, queues that turned red. */
export function SupervisorAlerts() {
  const { t, label, locale } = useI18n();
  const { alerts, dismissAlert } = useLive();
  if (alerts.length === 0) return null;
  const close = (a: AlertEntry) => (
    <button
      type="button"
      className="icon-btn"
      aria-label={t('common.close')}
      onClick={() => dismissAlert(a.key)}
    >
      ×
    </button>
  );
  return (
    <div className="alerts" data-testid="supervisor-alerts">
      {alerts.map((a) =>
        a.kind === 'complaint' ? (
          <div key={a.key} className={`alert-banner alert-${a.complaint.severity}`} role="alert">
            <strong>{t('alert.complaint')}</strong>
            <span className={`sev sev-${a.complaint.severity}`}>
              {label('severity', a.complaint.severity)}
            </span>
            <span>{label('category', a.complaint.category)}</span>
            <span className="alert-text">{a.complaint.description}</span>
            <span className="muted small">
              {t('alert.customer', { id: a.complaint.customerId })} ·{' '}
              {time(a.complaint.createdAt, locale)}
            </span>
            {close(a)}
          </div>
        ) : (
          <div
            key={a.key}
            className="alert-banner alert-high"
            role="alert"
            data-testid={`queue-alert-${a.kind}`}
          >
            <strong>{t(`alert.${a.kind}`)}</strong>
            <span className="alert-text">
              {a.kind === 'service-level'
                ? t('alert.serviceLevelText', {
                    queue: a.queue,
                    pct: a.serviceLevelPct === null ? '—' : a.serviceLevelPct.toFixed(1),
                    target: a.serviceLevelTargetPct,
                  })
                : t('alert.longestWaitText', { queue: a.queue, sec: a.maxWaitAlertSec })}
            </span>
            <span className="muted small">{time(a.at, locale)}</span>
            {close(a)}
          </div>
        ),
      )}
    </div>
  );
}
