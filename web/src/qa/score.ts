import type { AnswerValue, Scorecard, ScorecardQuestion } from '../api/types';

export type Answers = Record<string, AnswerValue | undefined>;

export interface ScoreResult {
  /** 0–100, or null while nothing scorable is answered. */
  score: number | null;
  criticalFailed: boolean;
  answered: number;
  total: number;
}

export function questionsOf(card: Scorecard): ScorecardQuestion[] {
  return card.sections.flatMap((s) => s.questions);
}

export function scaleMaxOf(q: ScorecardQuestion): number {
  return q.scaleMax ?? 5;
}

/** yes = 1, no = 0, scale v → (v-1)/(scaleMax-1); N/A and unanswered → null. */
function valueOf(q: ScorecardQuestion, v: AnswerValue | undefined): number | null {
  if (v === undefined || v === 'na') return null;
  if (q.type === 'yes-no') return v === 'yes' ? 1 : v === 'no' ? 0 : null;
  if (typeof v !== 'number') return null;
  const max = scaleMaxOf(q);
  return max > 1 ? (v - 1) / (max - 1) : 1;
}

function failsCritical(q: ScorecardQuestion, v: AnswerValue | undefined): boolean {
  if (!q.critical) return false;
  return q.type === 'yes-no' ? v === 'no' : v === 1;
}

/**
 * The preview of docs/api-qa.md's formula (the server's score is the one stored): weighted mean of
 * the answered, non-N/A questions × 100; a critical question answered "no" (or scale 1) → 0.
 */
export function computeScore(card: Scorecard, answers: Answers): ScoreResult {
  const qs = questionsOf(card);
  let sum = 0;
  let weights = 0;
  let criticalFailed = false;
  let answered = 0;
  for (const q of qs) {
    const v = answers[q.id];
    if (v !== undefined) answered += 1;
    if (failsCritical(q, v)) criticalFailed = true;
    const x = valueOf(q, v);
    if (x === null) continue;
    sum += q.weight * x;
    weights += q.weight;
  }
  const score = criticalFailed ? 0 : weights > 0 ? (sum / weights) * 100 : null;
  return { score, criticalFailed, answered, total: qs.length };
}

/** 87.5 → "87.5", 100 → "100". */
export function formatScore(score: number | null | undefined): string {
  if (score === null || score === undefined) return '—';
  return String(Math.round(score * 10) / 10);
}
