import { useRef } from 'react';
import type { AnswerValue, CallDetail, Evaluation, Scorecard } from '../api/types';
import { dateTime } from '../common/format';
import { useApiData } from '../common/useApiData';
import { useI18n } from '../i18n/I18nProvider';
import { CommentList } from './CommentList';
import { RecordingPlayer } from './RecordingPlayer';
import { formatScore } from './score';
import { reviewRecording } from './useCallRecording';

/** "identity-check" → "Identity check": a question's id when its text cannot be read. */
function fromId(id: string): string {
  const words = id.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A submitted evaluation: score, every answer, the reviewer's comments (seekable) and summary. */
export function EvaluationView(props: { evaluation: Evaluation; scorecard: Scorecard | null }) {
  const { t, locale } = useI18n();
  const e = props.evaluation;
  const call = useApiData<CallDetail>(`/calls/${encodeURIComponent(e.callId)}`);
  const rec = reviewRecording(call.data);
  const audioRef = useRef<HTMLAudioElement | null>(null);
  const questions = new Map(
    (props.scorecard?.sections ?? []).flatMap((s) => s.questions.map((q) => [q.id, q] as const)),
  );
  const answerText = (v: AnswerValue) =>
    v === 'yes'
      ? t('common.yes')
      : v === 'no'
        ? t('common.no')
        : v === 'na'
          ? t('qa.na')
          : String(v);

  function seek(ms: number) {
    if (audioRef.current) audioRef.current.currentTime = ms / 1000;
  }

  return (
    <div className="evaluation-view" data-testid="evaluation-view" data-evaluation-id={e.id}>
      <div className="evaluation-head">
        <div
          className={`score-preview score-${e.criticalFailed ? 'fail' : e.score >= 80 ? 'good' : e.score >= 60 ? 'fair' : 'poor'}`}
          data-testid="evaluation-score"
        >
          <span className="score-value">{formatScore(e.score)}</span>
          <span className="score-meta">
            {e.criticalFailed ? <strong>{t('qa.criticalFailed')}</strong> : t('qa.score')}
          </span>
        </div>
        <dl className="qa-facts">
          <div>
            <dt>{t('qa.reviewer')}</dt>
            <dd>{e.reviewerName}</dd>
          </div>
          <div>
            <dt>{t('qa.submitted')}</dt>
            <dd>{dateTime(e.submittedAt, locale)}</dd>
          </div>
          {call.data ? (
            <>
              <div>
                <dt>{t('qa.started')}</dt>
                <dd>{dateTime(call.data.startedAt, locale)}</dd>
              </div>
            </>
          ) : null}
        </dl>
      </div>
      {rec.id ? <RecordingPlayer recordingId={rec.id} audioRef={audioRef} /> : null}
      <table className="table compact answers-table">
        <thead>
          <tr>
            <th>{t('qa.question')}</th>
            <th>{t('qa.answer')}</th>
          </tr>
        </thead>
        <tbody>
          {e.answers.map((a) => {
            const q = questions.get(a.questionId);
            const failed = q?.critical && (a.value === 'no' || a.value === 1);
            return (
              <tr key={a.questionId} className={failed ? 'critical-fail' : ''}>
                <td>
                  {q?.text ?? fromId(a.questionId)}{' '}
                  {q?.critical ? <span className="badge danger">{t('qa.critical')}</span> : null}
                </td>
                <td className="nowrap">
                  {answerText(a.value)}
                  {q?.type === 'scale' && typeof a.value === 'number'
                    ? ` / ${q.scaleMax ?? 5}`
                    : ''}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <h3>{t('qa.comments')}</h3>
      <CommentList comments={e.comments} onSeek={rec.id ? seek : undefined} />
      {e.summary ? (
        <>
          <h3>{t('qa.summary')}</h3>
          <p className="summary-text">{e.summary}</p>
        </>
      ) : null}
    </div>
  );
}
