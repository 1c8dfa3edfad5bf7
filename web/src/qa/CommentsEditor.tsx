import { useState } from 'react';
import type { EvaluationComment } from '../api/types';
import { duration } from '../common/format';
import { useI18n } from '../i18n/I18nProvider';
import { CommentList } from './CommentList';

/** Comments pinned to the player's position: type, then "add comment at 0:42". */
export function CommentsEditor(props: {
  comments: EvaluationComment[];
  currentMs: number;
  onChange: (comments: EvaluationComment[]) => void;
  onSeek: (ms: number) => void;
}) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const at = Math.floor(props.currentMs / 1000) * 1000;
  function add() {
    const value = text.trim();
    if (!value) return;
    const next = [...props.comments, { atMs: at, text: value }].sort((a, b) => a.atMs - b.atMs);
    props.onChange(next);
    setText('');
  }
  return (
    <div className="comments-editor">
      <CommentList
        comments={props.comments}
        onSeek={props.onSeek}
        onRemove={(i) => props.onChange(props.comments.filter((_, j) => j !== i))}
      />
      <div className="comment-add">
        <input
          value={text}
          placeholder={t('qa.commentHint')}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              add();
            }
          }}
          data-testid="comment-text"
        />
        <button
          type="button"
          className="btn small"
          disabled={!text.trim()}
          onClick={add}
          data-testid="comment-add"
        >
          {t('qa.addCommentAt', { time: duration(at) })}
        </button>
      </div>
    </div>
  );
}
