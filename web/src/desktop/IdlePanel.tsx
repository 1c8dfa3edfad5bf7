import { useI18n } from '../i18n/I18nProvider';
import { useLive } from '../live/LiveProvider';

/** No call on screen: say what the agent should expect. */
export function IdlePanel() {
  const { t } = useI18n();
  const { agent, connected, telephony } = useLive();
  const hint = !connected
    ? t('idle.disconnected')
    : telephony !== null && telephony !== 'open'
      ? t(telephony === 'replaced' ? 'conn.replaced' : 'conn.telephonyDown')
      : agent?.state === 'available'
        ? t('idle.available')
        : t('idle.notAvailable');
  return (
    <div className="idle-panel" data-testid="idle-panel">
      <div className={`idle-icon${agent?.state === 'available' && connected ? ' ready' : ''}`}>
        ☎
      </div>
      <h2>{t('idle.title')}</h2>
      <p className="muted">{hint}</p>
    </div>
  );
}
