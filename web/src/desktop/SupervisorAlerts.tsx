import { time } from '../common/format';
import { useI18n } from '../i18n/I18nProvider';
import { useLive } from '../live/LiveProvider';

/** Complaints escalated to supervisors, as banners until dismissed. */
export function SupervisorAlerts() {
  const { t, label, locale } = useI18n();
  const { alerts, dismissAlert } = useLive();
  if (alerts.length === 0) return null;
  return (
    <div className="alerts" data-testid="supervisor-alerts">
      {alerts.map((a) => (
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
          <button
            type="button"
            className="icon-btn"
            aria-label={t('common.close')}
            onClick={() => dismissAlert(a.key)}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
