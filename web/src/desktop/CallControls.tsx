import { useState } from 'react';
import { post } from '../api/client';
import { ErrorMessage } from '../common/ErrorMessage';
import { useI18n } from '../i18n/I18nProvider';
import type { CallEntry } from '../live/calls-reducer';
import { useLive } from '../live/LiveProvider';
import { RecordingButton } from './RecordingButton';
import { TransferDialog } from './TransferDialog';

/** Hold / resume, transfer (and the attended transfer's complete / cancel), hang up. */
export function CallControls({ entry }: { entry: CallEntry }) {
  const { t } = useI18n();
  const { setConsult } = useLive();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [transferOpen, setTransferOpen] = useState(false);
  const id = encodeURIComponent(entry.callId);

  function run(action: string, then?: () => void) {
    setBusy(action);
    setError(null);
    post(`/calls/${id}/${action}`)
      .then(() => then?.())
      .catch((e: unknown) => setError(e))
      .finally(() => setBusy(null));
  }

  const live = entry.state === 'answered' || entry.state === 'held';
  if (!live) return null;
  return (
    <div className="call-controls" data-testid="call-controls">
      {entry.consult ? (
        <div className="consult-bar" data-testid="consult-bar">
          <span>{t('transfer.consulting', { target: entry.consult.label })}</span>
          <button
            type="button"
            className="btn primary"
            disabled={busy !== null}
            data-testid="transfer-complete"
            onClick={() => run('transfer/complete', () => setConsult(entry.callId, null))}
          >
            {t('transfer.complete')}
          </button>
          <button
            type="button"
            className="btn"
            disabled={busy !== null}
            data-testid="transfer-cancel"
            onClick={() => run('transfer/cancel', () => setConsult(entry.callId, null))}
          >
            {t('transfer.cancel')}
          </button>
        </div>
      ) : (
        <div className="btn-row">
          {entry.state === 'held' ? (
            <button
              type="button"
              className="btn"
              disabled={busy !== null}
              data-testid="resume"
              onClick={() => run('resume')}
            >
              ▶ {t('controls.resume')}
            </button>
          ) : (
            <button
              type="button"
              className="btn"
              disabled={busy !== null}
              data-testid="hold"
              onClick={() => run('hold')}
            >
              ❚❚ {t('controls.hold')}
            </button>
          )}
          <button
            type="button"
            className="btn"
            disabled={busy !== null}
            data-testid="transfer-button"
            onClick={() => setTransferOpen(true)}
          >
            ⇄ {t('controls.transfer')}
          </button>
          <RecordingButton entry={entry} />
          <button
            type="button"
            className="btn danger"
            disabled={busy !== null}
            data-testid="hangup"
            onClick={() => run('hangup')}
          >
            ✕ {t('controls.hangup')}
          </button>
        </div>
      )}
      <ErrorMessage error={error} testId="controls-error" />
      {transferOpen ? (
        <TransferDialog
          callId={entry.callId}
          onClose={() => setTransferOpen(false)}
          onStarted={(mode, consult) => {
            setTransferOpen(false);
            if (mode === 'attended') setConsult(entry.callId, consult);
          }}
        />
      ) : null}
    </div>
  );
}
