import type { Review } from '../api/reports';
import { reportBuckets, round } from '../metrics/definitions';
import type { Reports } from './reports';

/** The 002 weighting of a review, as the manual gives it, and which part Hotline measures. */
export const REVIEW_WEIGHTING = [
  { part: 'weekly checks (QA per week)', weightPct: 20, measured: true },
  {
    part: 'monthly review (QA, calls, satisfaction, follow-ups of the month)',
    weightPct: 30,
    measured: true,
  },
  { part: 'annual review', weightPct: 50, measured: false },
];

/**
 * An agent's review inputs for a month: the measured parts of the 002 weighting — QA per ISO
 * week and over the month, calls, satisfaction, complaint follow-ups — from the same reports
 * (and so the same definitions) as everywhere else. Inputs to a person's review, not a verdict:
 * no score is combined here.
 */
export async function reviewOf(
  reports: Reports,
  agent: { id: number; name: string },
  month: string,
  timezone: string,
): Promise<Review> {
  const { from, to } = reports.monthDays(month);
  const f = { agentId: agent.id };
  const [weeks, total, complaints] = await Promise.all([
    reports.agents({ from, to, granularity: 'week' }, f),
    reports.agents({ from, to, granularity: 'total' }, f),
    reports.complaints({ from, to, granularity: 'total' }, { ownerUserId: agent.id }),
  ]);
  const m = total.rows[0];
  return {
    agentId: agent.id,
    name: agent.name,
    month,
    timezone,
    inputsOnly: true,
    note: 'Measured inputs to a review by a person, not a verdict. Definitions: docs/metrics.md.',
    // Every ISO week the month touches, with or without evaluations.
    weeklyQa: reportBuckets(from, to, 'week', timezone).map((b) => {
      const w = weeks.rows.find((x) => x.period === b.label);
      return {
        week: b.label,
        evaluations: w?.qaEvaluations ?? 0,
        averageScore: w?.qaAverageScore ?? null,
        criticalFails: w?.qaCriticalFails ?? 0,
      };
    }),
    monthlyQa: {
      evaluations: m?.qaEvaluations ?? 0,
      averageScore: m?.qaAverageScore ?? null,
      criticalFails: m?.qaCriticalFails ?? 0,
    },
    calls: {
      handled: m?.handled ?? 0,
      ahtMs: m?.ahtMs ?? null,
      callsPerHour: m?.callsPerHour ?? null,
      occupancyPct: m?.occupancyPct ?? null,
      missedOffers: m?.missedOffers ?? 0,
    },
    satisfaction: {
      average: m?.satisfactionAverage ?? null,
      responses: m?.surveyResponses ?? 0,
      responseRatePct: m?.surveyResponseRatePct ?? null,
    },
    followUps: { ...complaints.total, followUpRatePct: round(complaints.total.followUpRatePct) },
    weighting: REVIEW_WEIGHTING,
  };
}
