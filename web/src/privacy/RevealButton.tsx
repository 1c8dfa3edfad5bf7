import { useState, type FormEvent, type MouseEvent } from 'react';
import { post } from '../api/client';
import { ErrorMessage } from '../common/ErrorMessage';
import { useI18n } from '../i18n/I18nProvider';
import { useAction } from '../common/useAction';

/**
 * "Show number" beside a masked number (QA, and supervisors where numbers are on demand): asks
 * for an optional reason, then POSTs the reveal (`/calls/:id/reveal`, `/customers/:id/reveal`),
 * which the service writes to the customer access audit, and hands back its answer.
 */
export function RevealButton<T>(props: {
  path: string;
  onRevealed: (answer: T) => void;
  testId?: string;
}) {
  const { t } = useI18n();
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const { busy, error, run } = useAction();
  // Inside a clickable table row: the row does not get these clicks.
  const stop = (e: MouseEvent) => e.stopPropagation();

  function reveal(e: FormEvent) {
    e.preventDefault();
    run(() =>
      post<T>(props.path, reason.trim() ? { reason: reason.trim() } : {}).then((answer) => {
        setAsking(false);
        props.onRevealed(answer);
      }),
    );
  }

  if (!asking)
    return (
      <button
        type="button"
        className="link-btn small"
        title={t('privacy.showTitle')}
        data-testid={props.testId ?? 'reveal'}
        onClick={(e) => {
          stop(e);
          setAsking(true);
        }}
      >
        {t('privacy.show')}
      </button>
    );
  return (
    <form className="inline-fields reveal-form" onSubmit={reveal} onClick={stop}>
      <input
        value={reason}
        maxLength={500}
        placeholder={t('privacy.reason')}
        aria-label={t('privacy.reason')}
        data-testid="reveal-reason"
        autoFocus
        onChange={(e) => setReason(e.target.value)}
      />
      <button
        type="submit"
        className="btn small primary"
        disabled={busy}
        data-testid="reveal-confirm"
      >
        {t('privacy.confirm')}
      </button>
      <button type="button" className="btn small" onClick={() => setAsking(false)}>
        {t('common.cancel')}
      </button>
      <ErrorMessage error={error} />
    </form>
  );
}
