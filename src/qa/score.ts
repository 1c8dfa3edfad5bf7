import { HotlineError } from '../shared/errors';
import type { Question, Section } from './scorecards';

import { answerValue, type AnswerValue } from '../api/qa';

export { answerValue, type AnswerValue };
export interface Answer {
  questionId: string;
  value: AnswerValue;
}

export interface ScoreResult {
  /** 0–100, two decimals. */
  score: number;
  criticalFailed: boolean;
}

const scaleMaxOf = (q: Question) => q.scaleMax ?? 5;

/**
 * Checks the answers against the form: every question answered once, no unknown question, N/A
 * only where allowNa, yes/no for yes-no questions, an integer 1..scaleMax for scale ones.
 * Returns the problems as {path, message} (empty when valid).
 */
export function checkAnswers(
  form: { sections: Section[] },
  answers: readonly Answer[],
): Array<{ path: string; message: string }> {
  const problems: Array<{ path: string; message: string }> = [];
  const questions = new Map(form.sections.flatMap((s) => s.questions).map((q) => [q.id, q]));
  const seen = new Set<string>();
  answers.forEach((a, i) => {
    const path = `answers.${i}`;
    const q = questions.get(a.questionId);
    if (!q) return problems.push({ path, message: `no question ${a.questionId} in this form` });
    if (seen.has(a.questionId))
      return problems.push({ path, message: `question ${a.questionId} answered twice` });
    seen.add(a.questionId);
    if (a.value === 'na') {
      if (!q.allowNa) problems.push({ path, message: `question ${q.id} cannot be N/A` });
    } else if (q.type === 'yes-no') {
      if (a.value !== 'yes' && a.value !== 'no')
        problems.push({ path, message: `question ${q.id} takes yes or no` });
    } else if (
      typeof a.value !== 'number' ||
      !Number.isInteger(a.value) ||
      a.value < 1 ||
      a.value > scaleMaxOf(q)
    ) {
      problems.push({ path, message: `question ${q.id} takes 1..${scaleMaxOf(q)}` });
    }
  });
  for (const q of questions.values())
    if (!seen.has(q.id))
      problems.push({ path: 'answers', message: `question ${q.id} is not answered` });
  if (!problems.length && answers.every((a) => a.value === 'na'))
    problems.push({ path: 'answers', message: 'at least one question must be scored (not N/A)' });
  return problems;
}

/**
 * docs/api-qa.md: Σ weight × value / Σ weight × 100 over the answered, non-N/A questions, where
 * yes = 1, no = 0, scale v → (v-1)/(scaleMax-1); any critical question answered "no" (or scale 1)
 * → score 0 and criticalFailed. Throws HOTLINE_VALIDATION when the answers do not fit the form.
 */
export function score(form: { sections: Section[] }, answers: readonly Answer[]): ScoreResult {
  const problems = checkAnswers(form, answers);
  if (problems.length)
    throw new HotlineError(
      'HOTLINE_VALIDATION',
      `${problems[0]!.path}: ${problems[0]!.message}`,
      problems,
    );
  const byId = new Map(answers.map((a) => [a.questionId, a.value]));
  let sum = 0;
  let weights = 0;
  let criticalFailed = false;
  for (const q of form.sections.flatMap((s) => s.questions)) {
    const v = byId.get(q.id);
    if (v === undefined || v === 'na') continue;
    const x =
      q.type === 'yes-no' ? (v === 'yes' ? 1 : 0) : ((v as number) - 1) / (scaleMaxOf(q) - 1);
    if (q.critical && x === 0) criticalFailed = true;
    sum += q.weight * x;
    weights += q.weight;
  }
  if (criticalFailed || weights === 0) return { score: 0, criticalFailed };
  return { score: Math.round((sum / weights) * 10_000) / 100, criticalFailed };
}
