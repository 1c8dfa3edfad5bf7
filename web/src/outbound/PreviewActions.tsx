import { useState } from 'react';
import { ErrorMessage } from '../common/ErrorMessage';
import { useI18n } from '../i18n/I18nProvider';
import { dialContact, skipContact } from './campaign-api';

/**
 * Preview dialing: nothing is dialed until the agent clicks Dial (their phone rings, then the
 * contact's) or Skip. A refusal (409: do-not-call, outside calling hours) is shown here; the
 * service then takes the preview back.
 */
export function PreviewActions(props: { contactId: number; open: boolean }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState<'dial' | 'skip' | null>(null);
  const [dialed, setDialed] = useState(false);
  const [error, setError] = useState<unknown>(null);

  function run(action: 'dial' | 'skip') {
    setBusy(action);
    setError(null);
    (action === 'dial' ? dialContact(props.contactId) : skipContact(props.contactId))
      .then(() => {
        if (action === 'dial') setDialed(true);
      })
      .catch((e: unknown) => setError(e))
      .finally(() => setBusy(null));
  }

  return (
    <div className="preview-actions" data-testid="preview-actions">
      {props.open && !dialed ? (
        <>
          <span className="muted">{t('outbound.previewHint')}</span>
          <div className="btn-row">
            <button
              type="button"
              className="btn primary"
              disabled={busy !== null}
              data-testid="preview-dial"
              onClick={() => run('dial')}
            >
              ☎ {t('outbound.dial')}
            </button>
            <button
              type="button"
              className="btn"
              disabled={busy !== null}
              data-testid="preview-skip"
              onClick={() => run('skip')}
            >
              {t('outbound.skip')}
            </button>
          </div>
        </>
      ) : null}
      {props.open && dialed ? (
        <span className="notice" role="status" data-testid="preview-dialing">
          {t('outbound.dialing')}
        </span>
      ) : null}
      <ErrorMessage error={error} testId="preview-error" />
    </div>
  );
}
