import { put } from '../api/client';
import type { AgentView } from '../api/types';
import { useErrorText } from '../common/ErrorMessage';
import { duration } from '../common/format';
import { useLookup } from '../common/useLookup';
import { useNow } from '../common/useNow';
import { useI18n } from '../i18n/I18nProvider';
import { useLive } from '../live/LiveProvider';
import { useAction } from '../common/useAction';

/** State picker (available / break with a reason / offline), time in state, activity, socket. */
export function AgentStatusBar() {
  const { t, label } = useI18n();
  const { agent, connected, telephony, setAgent, calls } = useLive();
  // Connected to Hotline, but Hotline has no link to Asterisk: no calls can come.
  const phonesDown = connected && telephony !== null && telephony !== 'open';
  const { items: reasons } = useLookup('break-reasons');
  const now = useNow();
  const errorText = useErrorText();
  const { busy, error, run } = useAction();

  // The call on screen tells whether we ring or talk, even before the service says so.
  const live = calls.find((c) => c.state !== 'ended');
  const activity = live ? (live.state === 'ringing' ? 'offered' : 'on-call') : agent?.activity;
  const value = !agent ? '' : agent.state === 'break' ? `break:${agent.reason ?? ''}` : agent.state;
  const reasonCodes = reasons.map((r) => r.code);
  const extraReason =
    agent?.state === 'break' && !reasonCodes.includes(agent.reason ?? '')
      ? (agent.reason ?? '')
      : null;

  function change(v: string) {
    const [state, reason] = v.split(':') as ['available' | 'break' | 'offline', string | undefined];
    run(() =>
      put<AgentView>('/agents/me/state', { state, ...(reason ? { reason } : {}) }).then((view) =>
        setAgent(view),
      ),
    );
  }

  return (
    <div className="status-bar">
      <div className={`state-picker state-${agent?.state ?? 'offline'}`}>
        <span className="state-dot" />
        <select
          aria-label={t('state.label')}
          data-testid="state-select"
          value={value}
          disabled={!agent || busy}
          onChange={(e) => change(e.target.value)}
          title={error ? errorText(error) : undefined}
        >
          {!agent ? <option value="">{t('common.loading')}</option> : null}
          <option value="available">{t('state.available')}</option>
          {reasons.map((r) => (
            <option key={r.code} value={`break:${r.code}`}>
              {t('state.break')} · {label('breakReason', r.code, r.label)}
            </option>
          ))}
          {extraReason !== null ? (
            <option value={`break:${extraReason}`}>
              {t('state.break')}
              {extraReason ? ` · ${label('breakReason', extraReason)}` : ''}
            </option>
          ) : null}
          <option value="offline">{t('state.offline')}</option>
        </select>
      </div>
      <span className="state-timer" data-testid="state-timer" title={t('state.timeInState')}>
        {agent ? duration(now - Date.parse(agent.since)) : '—'}
      </span>
      {activity ? (
        <span className={`activity-pill activity-${activity}`} data-testid="activity">
          {label('activity', activity)}
        </span>
      ) : null}
      <span
        className={`conn ${connected && !phonesDown ? 'up' : 'down'}`}
        data-testid="connection"
        data-connected={connected ? 'yes' : 'no'}
        data-telephony={telephony ?? 'unknown'}
        title={
          phonesDown
            ? t(telephony === 'replaced' ? 'conn.replaced' : 'conn.telephonyDown')
            : connected
              ? t('conn.up')
              : t('conn.down')
        }
      >
        <span className="conn-dot" />
        {phonesDown
          ? t('conn.telephonyDownShort')
          : connected
            ? t('conn.upShort')
            : t('conn.downShort')}
      </span>
      {error ? (
        <span className="status-error" role="alert">
          {errorText(error)}
        </span>
      ) : null}
    </div>
  );
}
