import { useState, type FormEvent } from 'react';
import type { Queue, SampleParams, Scorecard } from '../api/types';
import { useSession } from '../auth/SessionProvider';
import { ErrorMessage } from '../common/ErrorMessage';
import { useApiData } from '../common/useApiData';
import { useI18n } from '../i18n/I18nProvider';
import { dayEndIso, dayStartIso, todayInput } from './dates';
import { useReviewerOptions } from './useReviewerOptions';
import { useAction } from '../common/useAction';

const OUTCOMES = ['answered', 'abandoned', 'no-agent', 'callback', 'closed', 'failed'];

/** The parameters of a new sample; the service draws it (seeded, reproducible). */
export function SampleForm(props: { onSubmit: (params: SampleParams) => Promise<void> }) {
  const { t, label } = useI18n();
  const { user } = useSession();
  const queues = useApiData<{ queues: Queue[] }>('/queues');
  const cards = useApiData<{ scorecards: Scorecard[] }>('/qa/scorecards');
  const { options: reviewers, onlyMe } = useReviewerOptions();
  const [from, setFrom] = useState(todayInput);
  const [to, setTo] = useState(todayInput);
  const [mode, setMode] = useState<'perAgent' | 'percent'>('perAgent');
  const [count, setCount] = useState('5');
  const [queue, setQueue] = useState('');
  const [direction, setDirection] = useState('');
  const [minDuration, setMinDuration] = useState('');
  const [outcome, setOutcome] = useState('');
  const [complaints, setComplaints] = useState(false);
  const [lowSatisfaction, setLowSatisfaction] = useState(false);
  const [picked, setPicked] = useState<number[]>(user ? [user.id] : []);
  const [seed, setSeed] = useState('');
  const [scorecardId, setScorecardId] = useState('');
  const { busy, error, run } = useAction();

  const reviewerIds = onlyMe && user ? [user.id] : picked;

  function toggle(id: number) {
    setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id]));
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    const n = Number(count);
    const filters: SampleParams['filters'] = {
      ...(queue ? { queue } : {}),
      ...(direction ? { direction: direction as 'inbound' | 'outbound' } : {}),
      ...(minDuration ? { minDurationSec: Number(minDuration) } : {}),
      ...(outcome ? { outcome } : {}),
    };
    const params: SampleParams = {
      from: dayStartIso(from),
      to: dayEndIso(to),
      ...(mode === 'perAgent' ? { perAgent: n } : { percent: n }),
      ...(Object.keys(filters).length ? { filters } : {}),
      ...(complaints || lowSatisfaction
        ? {
            oversample: {
              ...(complaints ? { complaints: true } : {}),
              ...(lowSatisfaction ? { lowSatisfaction: true } : {}),
            },
          }
        : {}),
      reviewerIds,
      ...(seed.trim() ? { seed: seed.trim() } : {}),
      ...(scorecardId ? { scorecardId: Number(scorecardId) } : {}),
    };
    run(() => props.onSubmit(params));
  }

  return (
    <form className="form-grid" onSubmit={submit} data-testid="sample-form">
      <label className="field">
        <span>{t('qa.from')} *</span>
        <input
          type="date"
          required
          value={from}
          onChange={(e) => setFrom(e.target.value)}
          data-testid="sample-from"
        />
      </label>
      <label className="field">
        <span>{t('qa.to')} *</span>
        <input
          type="date"
          required
          min={from}
          value={to}
          onChange={(e) => setTo(e.target.value)}
          data-testid="sample-to"
        />
      </label>
      <div className="field">
        <span>{t('qa.howMany')}</span>
        <div className="segmented">
          <button
            type="button"
            className={mode === 'perAgent' ? 'active' : ''}
            onClick={() => setMode('perAgent')}
            data-testid="sample-mode-per-agent"
          >
            {t('qa.perAgent')}
          </button>
          <button
            type="button"
            className={mode === 'percent' ? 'active' : ''}
            onClick={() => setMode('percent')}
            data-testid="sample-mode-percent"
          >
            {t('qa.percent')}
          </button>
        </div>
      </div>
      <label className="field">
        <span>{mode === 'perAgent' ? t('qa.callsPerAgent') : t('qa.percentOfCalls')} *</span>
        <input
          type="number"
          required
          min={1}
          max={mode === 'percent' ? 100 : 1000}
          step={1}
          value={count}
          onChange={(e) => setCount(e.target.value)}
          data-testid="sample-count"
        />
      </label>
      <label className="field">
        <span>{t('pop.queue')}</span>
        <select value={queue} onChange={(e) => setQueue(e.target.value)} data-testid="sample-queue">
          <option value="">{t('qa.any')}</option>
          {(queues.data?.queues ?? []).map((q) => (
            <option key={q.name} value={q.name}>
              {q.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('pop.direction')}</span>
        <select
          value={direction}
          onChange={(e) => setDirection(e.target.value)}
          data-testid="sample-direction"
        >
          <option value="">{t('qa.any')}</option>
          <option value="inbound">{t('direction.inbound')}</option>
          <option value="outbound">{t('direction.outbound')}</option>
        </select>
      </label>
      <label className="field">
        <span>{t('qa.minDuration')}</span>
        <input
          type="number"
          min={0}
          step={1}
          value={minDuration}
          onChange={(e) => setMinDuration(e.target.value)}
          data-testid="sample-min-duration"
        />
      </label>
      <label className="field">
        <span>{t('calls.outcome')}</span>
        <select
          value={outcome}
          onChange={(e) => setOutcome(e.target.value)}
          data-testid="sample-outcome"
        >
          <option value="">{t('qa.any')}</option>
          {OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {label('outcome', o)}
            </option>
          ))}
        </select>
      </label>
      <label className="field checkbox-field span-2">
        <input
          type="checkbox"
          checked={complaints}
          onChange={(e) => setComplaints(e.target.checked)}
          data-testid="sample-oversample-complaints"
        />
        <span>{t('qa.oversampleComplaints')}</span>
      </label>
      <label className="field checkbox-field span-2">
        <input
          type="checkbox"
          checked={lowSatisfaction}
          onChange={(e) => setLowSatisfaction(e.target.checked)}
          data-testid="sample-oversample-low-satisfaction"
        />
        <span>{t('qa.oversampleLowSatisfaction')}</span>
      </label>
      <fieldset className="field span-2 reviewer-picker" data-testid="sample-reviewers">
        <span>{t('qa.reviewers')} *</span>
        {onlyMe ? <p className="muted small">{t('qa.reviewerOnlyMe')}</p> : null}
        <div className="check-list">
          {(onlyMe ? reviewers.slice(0, 1) : reviewers).map((r) => (
            <label key={r.id} className="check-item">
              <input
                type="checkbox"
                checked={reviewerIds.includes(r.id)}
                disabled={onlyMe}
                onChange={() => toggle(r.id)}
                data-testid={`sample-reviewer-${r.id}`}
              />
              <span>
                {r.name} <span className="muted small">{label('role', r.role)}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <label className="field">
        <span>{t('qa.seed')}</span>
        <input
          value={seed}
          placeholder={t('qa.seedHint')}
          onChange={(e) => setSeed(e.target.value)}
          data-testid="sample-seed"
        />
      </label>
      <label className="field">
        <span>{t('qa.scorecard')}</span>
        <select
          value={scorecardId}
          onChange={(e) => setScorecardId(e.target.value)}
          data-testid="sample-scorecard"
        >
          <option value="">{t('qa.defaultScorecard')}</option>
          {(cards.data?.scorecards ?? []).map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      <ErrorMessage error={error} testId="sample-error" />
      <div className="form-actions span-2">
        <button
          type="submit"
          className="btn primary"
          disabled={busy || reviewerIds.length === 0}
          data-testid="sample-submit"
        >
          {t('qa.drawSample')}
        </button>
      </div>
    </form>
  );
}
