import type { EvaluationComment } from '../api/types';
import { duration } from '../common/format';
import { useI18n } from '../i18n/I18nProvider';

/** Time-pinned comments; the time seeks the player when there is one. */
export function CommentList(props: {
  comments: EvaluationComment[];
  onSeek?: (ms: number) => void;
  onRemove?: (index: number) => void;
}) {
  const { t } = useI18n();
  if (!props.comments.length) return <p className="empty">{t('qa.noComments')}</p>;
  return (
    <ul className="comment-list" data-testid="comment-list">
      {props.comments.map((c, i) => (
        <li key={`${c.atMs}-${i}`} data-testid="comment-item">
          {props.onSeek ? (
            <button
              type="button"
              className="link-btn comment-at"
              title={t('qa.seekTo', { time: duration(c.atMs) })}
              onClick={() => props.onSeek?.(c.atMs)}
            >
              {duration(c.atMs)}
            </button>
          ) : (
            <span className="comment-at">{duration(c.atMs)}</span>
          )}
          <span className="comment-text">{c.text}</span>
          {props.onRemove ? (
            <button
              type="button"
              className="icon-btn"
              aria-label={t('common.remove')}
              onClick={() => props.onRemove?.(i)}
            >
              ×
            </button>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
