import { post } from '../api/client';
import { ErrorMessage } from '../common/ErrorMessage';
import { useI18n } from '../i18n/I18nProvider';
import type { CallEntry } from '../live/calls-reducer';
import { useLive } from '../live/LiveProvider';
import { useAction } from '../common/useAction';

/**
 * The call's recording: pause it while the customer gives card details, then resume; on an
 * on-demand queue, start it. The state comes from the service (`call:recording`).
 */
export function RecordingButton({ entry }: { entry: CallEntry }) {
  const { t } = useI18n();
  const { setRecording } = useLive();
  const { busy, error, run: act } = useAction();
  const status = entry.recording;
  const action = status === 'on' ? 'pause' : status === 'paused' ? 'resume' : 'start';
  const label =
    action === 'pause'
      ? t('controls.recPause')
      : action === 'resume'
        ? t('controls.recResume')
        : t('controls.recStart');

  function run() {
    act(() =>
      post(`/calls/${encodeURIComponent(entry.callId)}/recording/${action}`).then(() => {
        // The service confirms on the socket too; update at once for a snappy button.
        if (action !== 'start')
          setRecording({ callId: entry.callId, status: action === 'pause' ? 'paused' : 'on' });
      }),
    );
  }

  return (
    <span className="recording-control">
      {status ? (
        <span className={`rec-badge rec-${status}`} data-testid="recording-status">
          {status === 'on'
            ? `● ${t('controls.recOn')}`
            : status === 'paused'
              ? `❚❚ ${t('controls.recPaused')}`
              : t('controls.recFailed')}
        </span>
      ) : null}
      <button
        type="button"
        className="btn"
        disabled={busy}
        data-testid={`recording-${action}`}
        onClick={run}
      >
        {label}
      </button>
      <ErrorMessage error={error} testId="recording-error" />
    </span>
  );
}
