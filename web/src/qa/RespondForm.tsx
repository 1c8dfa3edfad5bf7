import { useState } from 'react';
import { post } from '../api/client';
import type { Evaluation } from '../api/types';
import { ErrorMessage } from '../common/ErrorMessage';
import { useI18n } from '../i18n/I18nProvider';
import { useAction } from '../common/useAction';

/** The evaluated agent's answer: acknowledge, or dispute with a comment. */
export function RespondForm(props: { evaluation: Evaluation; onDone: () => void }) {
  const { t } = useI18n();
  const e = props.evaluation;
  const [comment, setComment] = useState('');
  const { busy, error, run } = useAction();

  if (e.agentResponse)
    return (
      <div className={`notice response-${e.agentResponse}`} data-testid="evaluation-response">
        {t(e.agentResponse === 'acknowledged' ? 'qa.youAcknowledged' : 'qa.youDisputed')}
        {e.agentComment ? <p className="summary-text">“{e.agentComment}”</p> : null}
      </div>
    );

  function respond(response: 'acknowledged' | 'disputed') {
    run(() =>
      post(`/qa/evaluations/${e.id}/respond`, {
        response,
        ...(comment.trim() ? { comment: comment.trim() } : {}),
      }).then(props.onDone),
    );
  }

  return (
    <div className="respond-form" data-testid="respond-form">
      <label className="field">
        <span>{t('qa.yourComment')}</span>
        <textarea
          rows={2}
          value={comment}
          placeholder={t('qa.yourCommentHint')}
          onChange={(ev) => setComment(ev.target.value)}
          data-testid="respond-comment"
        />
      </label>
      <ErrorMessage error={error} />
      <div className="form-actions">
        <button
          type="button"
          className="btn warn"
          disabled={busy || !comment.trim()}
          title={comment.trim() ? undefined : t('qa.disputeNeedsComment')}
          onClick={() => respond('disputed')}
          data-testid="respond-dispute"
        >
          {t('qa.dispute')}
        </button>
        <button
          type="button"
          className="btn primary"
          disabled={busy}
          onClick={() => respond('acknowledged')}
          data-testid="respond-acknowledge"
        >
          {t('qa.acknowledge')}
        </button>
      </div>
    </div>
  );
}
