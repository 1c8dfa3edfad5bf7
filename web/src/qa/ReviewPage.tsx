import { useMemo, useRef, useState } from 'react';
import { post } from '../api/client';
import type { CallDetail, CallReveal, EvaluationComment, QueueItem, Scorecard } from '../api/types';
import { ErrorMessage } from '../common/ErrorMessage';
import { dateTime, duration, satisfaction } from '../common/format';
import { Panel } from '../common/Panel';
import { useApiData } from '../common/useApiData';
import { useI18n } from '../i18n/I18nProvider';
import { RevealButton } from '../privacy/RevealButton';
import { CallTimeline } from './CallTimeline';
import { CommentsEditor } from './CommentsEditor';
import { RecordingPlayer } from './RecordingPlayer';
import { ScorecardForm } from './ScorecardForm';
import { ScorePreview } from './ScorePreview';
import { computeScore, questionsOf, type Answers } from './score';
import { reviewRecording } from './useCallRecording';

/**
 * One call under review: its recording beside its timeline, the scorecard with a live score,
 * comments pinned to the playback position and a summary; Submit sends the evaluation.
 */
export function ReviewPage(props: { callId: string; onDone: () => void }) {
  const { t, label, locale } = useI18n();
  const call = useApiData<CallDetail>(`/calls/${encodeURIComponent(props.callId)}`);
  const queue = useApiData<{ items: QueueItem[] }>('/qa/queue');
  const cards = useApiData<{ scorecards: Scorecard[] }>('/qa/scorecards');
  const item = queue.data?.items.find((i) => i.callId === props.callId) ?? null;
  const scorecard = useMemo(() => {
    const list = cards.data?.scorecards ?? [];
    return (
      (item?.scorecardId ? list.find((s) => s.id === item.scorecardId) : undefined) ??
      list.find((s) => s.isDefault) ??
      list[0] ??
      null
    );
  }, [cards.data, item]);

  const audioRef = useRef<HTMLAudioElement | null>(null);
  const [currentMs, setCurrentMs] = useState(0);
  const [answers, setAnswers] = useState<Answers>({});
  const [comments, setComments] = useState<EvaluationComment[]>([]);
  const [summary, setSummary] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  /** The whole numbers, once shown (the reveal is audited). */
  const [revealed, setRevealed] = useState<CallReveal | null>(null);

  const rec = reviewRecording(call.data);
  const result = scorecard ? computeScore(scorecard, answers) : null;
  const missing = scorecard
    ? questionsOf(scorecard).filter((q) => answers[q.id] === undefined)
    : [];

  function seek(ms: number) {
    const el = audioRef.current;
    if (!el) return;
    el.currentTime = ms / 1000;
    setCurrentMs(ms);
  }

  async function submit() {
    if (!scorecard) return;
    setBusy(true);
    setError(null);
    try {
      await post('/qa/evaluations', {
        callId: props.callId,
        scorecardId: scorecard.id,
        answers: questionsOf(scorecard)
          .filter((q) => answers[q.id] !== undefined)
          .map((q) => ({ questionId: q.id, value: answers[q.id] })),
        comments,
        ...(summary.trim() ? { summary: summary.trim() } : {}),
      });
      props.onDone();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  }

  const c = call.data;
  return (
    <div className="review" data-testid="review-page" data-call-id={props.callId}>
      <div className="review-media">
        <Panel
          title={t('qa.reviewTitle', {
            agent: item?.agentName ?? (c?.agentId ? `#${c.agentId}` : '—'),
          })}
          actions={
            <button type="button" className="btn small" onClick={props.onDone}>
              ← {t('qa.backToQueue')}
            </button>
          }
        >
          <ErrorMessage error={call.error} />
          {c ? (
            <dl className="qa-facts">
              <div>
                <dt>{t('qa.started')}</dt>
                <dd>{dateTime(c.startedAt, locale)}</dd>
              </div>
              <div>
                <dt>{t('pop.caller')}</dt>
                <dd data-testid="review-caller">
                  {revealed?.callerNumber ?? c.callerNumber}{' '}
                  {c.numbersMasked && !revealed ? (
                    <RevealButton<CallReveal>
                      path={`/calls/${encodeURIComponent(c.id)}/reveal`}
                      onRevealed={setRevealed}
                    />
                  ) : null}
                </dd>
              </div>
              <div>
                <dt>{t('pop.queue')}</dt>
                <dd>{c.queue ?? '—'}</dd>
              </div>
              <div>
                <dt>{t('pop.direction')}</dt>
                <dd>{label('direction', c.direction)}</dd>
              </div>
              <div>
                <dt>{t('calls.talk')}</dt>
                <dd>{duration(c.talkMs)}</dd>
              </div>
              <div>
                <dt>{t('calls.outcome')}</dt>
                <dd>{label('outcome', c.outcome ?? 'live')}</dd>
              </div>
              <div>
                <dt>{t('qa.satisfaction')}</dt>
                <dd data-testid="review-satisfaction" data-score={c.surveyScore ?? ''}>
                  {c.surveyScore != null ? satisfaction(c.surveyScore) : t('qa.noSurveyScore')}
                </dd>
              </div>
            </dl>
          ) : null}
          {c && !rec.id ? (
            <p className="empty">
              {rec.status ? t('qa.recordingStatus', { status: rec.status }) : t('qa.noRecording')}
            </p>
          ) : null}
          {rec.id ? (
            <RecordingPlayer recordingId={rec.id} audioRef={audioRef} onTime={setCurrentMs} />
          ) : null}
        </Panel>
        <Panel title={t('qa.timeline')}>
          {c ? (
            <CallTimeline
              events={c.timeline}
              originMs={rec.startedMs ?? Date.parse(c.answeredAt ?? c.startedAt)}
              callStartMs={Date.parse(c.startedAt)}
              lengthMs={rec.durationMs}
              onSeek={seek}
            />
          ) : null}
        </Panel>
        <Panel title={t('qa.comments')}>
          <CommentsEditor
            comments={comments}
            currentMs={currentMs}
            onChange={setComments}
            onSeek={seek}
          />
        </Panel>
      </div>
      <div className="review-form">
        <Panel
          title={scorecard ? t('qa.scorecardTitle', { name: scorecard.name }) : t('qa.scorecard')}
          actions={result ? <ScorePreview result={result} /> : null}
        >
          <ErrorMessage error={cards.error} />
          {!item && queue.data ? <p className="muted small">{t('qa.notInQueue')}</p> : null}
          {scorecard ? (
            <ScorecardForm
              scorecard={scorecard}
              answers={answers}
              onAnswer={(id, v) => setAnswers((a) => ({ ...a, [id]: v }))}
              disabled={busy}
            />
          ) : cards.data ? (
            <p className="empty">{t('qa.noScorecard')}</p>
          ) : null}
          <label className="field">
            <span>{t('qa.summary')}</span>
            <textarea
              rows={3}
              value={summary}
              placeholder={t('qa.summaryHint')}
              onChange={(e) => setSummary(e.target.value)}
              data-testid="evaluation-summary"
            />
          </label>
          <ErrorMessage error={error} testId="evaluation-error" />
          <div className="form-actions">
            {missing.length ? (
              <span className="muted small">
                {t('qa.missingAnswers', { count: missing.length })}
              </span>
            ) : null}
            <button
              type="button"
              className="btn primary"
              disabled={busy || !scorecard || missing.length > 0}
              onClick={() => void submit()}
              data-testid="evaluation-submit"
            >
              {t('qa.submitEvaluation')}
            </button>
          </div>
        </Panel>
      </div>
    </div>
  );
}
