import type { MonitorMode, MonitorView } from '../../../src/api/monitoring';
import type { WallCall } from '../../../src/api/wall';
import { api } from '../api/client';
import { ErrorMessage } from '../common/ErrorMessage';
import { useI18n } from '../i18n/I18nProvider';
import { useAction } from '../common/useAction';

const MODES: MonitorMode[] = ['listen', 'whisper', 'barge'];

/**
 * Listen, whisper, barge on a live call (docs/api-floor.md): Hotline rings the user's own phone.
 * While the session is theirs, the other modes switch it and Stop ends it. QA is offered listen
 * only (the server checks `monitoring.qaModes` either way).
 */
export function MonitorButtons(props: {
  call: WallCall;
  role: string;
  mine: MonitorView | null;
  onChange: (m: MonitorView | null) => void;
}) {
  const { t } = useI18n();
  const { busy, error, run: act } = useAction();
  const { call, mine } = props;
  const modes = props.role === 'qa' ? (['listen'] as MonitorMode[]) : MODES;
  const connected = call.state === 'talking' || call.state === 'held';
  if (!connected && !mine) return null;

  function run(p: Promise<{ monitor: MonitorView } | undefined>, stop = false) {
    act(() => p.then((r) => props.onChange(stop ? null : (r?.monitor ?? null))));
  }
  const path = `/calls/${encodeURIComponent(call.callId)}/monitor`;
  return (
    <span className="monitor-buttons" data-testid="wall-monitor">
      {modes.map((mode) => (
        <button
          key={mode}
          type="button"
          className={`btn small${mine?.mode === mode ? ' primary' : ''}`}
          disabled={busy || (!!mine && mine.mode === mode) || (!mine && call.monitored)}
          data-testid={`wall-monitor-${mode}`}
          title={t(`monitor.${mode}Hint`)}
          onClick={() => run(api<{ monitor: MonitorView }>(mine ? 'PUT' : 'POST', path, { mode }))}
        >
          {t(`monitor.${mode}`)}
        </button>
      ))}
      {mine ? (
        <button
          type="button"
          className="btn small"
          disabled={busy}
          data-testid="wall-monitor-stop"
          onClick={() => run(api<undefined>('DELETE', path), true)}
        >
          {call.monitored ? t('monitor.stop') : t('monitor.ringing')}
        </button>
      ) : null}
      <ErrorMessage error={error} testId="wall-monitor-error" />
    </span>
  );
}
