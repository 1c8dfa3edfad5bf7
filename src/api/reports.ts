import { z } from 'zod';
import { isoString, numericId } from './common';

/**
 * Reports (issue 11): the call center's figures per queue, agent and campaign, by hour, day,
 * ISO week or month of the call center's calendar (telephony.timezone). Every figure is
 * defined once in docs/metrics.md (src/metrics/definitions.ts); docs/api-reports.md is the
 * route list. Counts are whole numbers; durations ms; percentages one decimal (null = no figure).
 */

/** Years a report can name: 1970–2099 (older dates break the time-zone arithmetic, and no call is that old). */
const YEAR = '(?:19[7-9]\\d|20\\d\\d)';

const day = z
  .string()
  .regex(new RegExp(`^${YEAR}-\\d{2}-\\d{2}$`), 'a day YYYY-MM-DD (1970–2099)')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'not a calendar day');

/** The longest range a report covers (days). */
export const MAX_REPORT_DAYS = 400;

export const granularitySchema = z.enum(['hour', 'day', 'week', 'month', 'total']);

const spanDays = (q: { from: string; to: string }) =>
  (Date.parse(`${q.to}T00:00:00Z`) - Date.parse(`${q.from}T00:00:00Z`)) / 86_400_000;

/**
 * What every report takes: the local days from / to (both included), the periods, and the
 * report's own filters; at most MAX_REPORT_DAYS days (31 by hour).
 */
function reportQuery<S extends z.ZodRawShape>(shape: S) {
  return z
    .object({ from: day, to: day, granularity: granularitySchema.default('day'), ...shape })
    .superRefine((raw, ctx) => {
      const q = raw as { from: string; to: string; granularity: string };
      const days = spanDays(q);
      if (days < 0) ctx.addIssue({ code: 'custom', path: ['to'], message: 'from is after to' });
      else if (days >= MAX_REPORT_DAYS)
        ctx.addIssue({ code: 'custom', path: ['to'], message: `at most ${MAX_REPORT_DAYS} days` });
      else if (q.granularity === 'hour' && days >= 31)
        ctx.addIssue({
          code: 'custom',
          path: ['granularity'],
          message: 'by hour: at most 31 days',
        });
    });
}

const filters = {
  queue: z.string().min(1).max(64).optional(),
  agentId: numericId.optional(),
  campaignId: numericId.optional(),
  direction: z.enum(['inbound', 'outbound']).optional(),
};

export const inboundReportQuery = reportQuery({
  by: z.enum(['queue', 'agent', 'total']).default('queue'),
  ...filters,
});
export const agentReportQuery = reportQuery(filters);
export const complaintReportQuery = reportQuery({ ownerUserId: numericId.optional() });
export const outboundReportQuery = reportQuery({
  campaignId: numericId.optional(),
  agentId: numericId.optional(),
});
export const callExportQuery = z
  .object({ from: day, to: day, ...filters })
  .superRefine((q, ctx) => {
    const days = spanDays(q);
    if (days < 0) ctx.addIssue({ code: 'custom', path: ['to'], message: 'from is after to' });
    else if (days >= MAX_REPORT_DAYS)
      ctx.addIssue({ code: 'custom', path: ['to'], message: `at most ${MAX_REPORT_DAYS} days` });
  });

const count = z.number().int().min(0);
const ms = z.number().min(0);
const pct = z.number().nullable();

/** One period of a report: its name in the local calendar and its bounds. */
const period = {
  period: z.string(),
  periodStart: isoString,
  periodEnd: isoString,
};

const reportHead = {
  from: z.string(),
  to: z.string(),
  timezone: z.string(),
  granularity: granularitySchema,
};

export const inboundFiguresSchema = z.object({
  offered: count,
  answered: count,
  answeredWithinThreshold: count,
  abandoned: count,
  /** Abandoned within the short-abandon threshold: counted apart, left out of SL and abandon rate. */
  abandonedShort: count,
  serviceLevelPct: pct,
  abandonRatePct: pct,
  asaMs: ms.nullable(),
  longestWaitMs: ms,
  handled: count,
  /** Average handle time = (talk + hold + after-call work) ÷ handled. */
  ahtMs: ms.nullable(),
  /** Talk includes the holds; the average hold is shown apart. */
  avgTalkMs: ms.nullable(),
  avgHoldMs: ms.nullable(),
  avgWrapUpMs: ms.nullable(),
  transfersOut: count,
  callbacksOffered: count,
  callbacksRequested: count,
  callbacksDialed: count,
  callbacksReached: count,
  noAgent: count,
  closed: count,
  failed: count,
  /** The post-call survey of these calls: mean score (1–5) and how many gave each score 1…5. */
  satisfactionAverage: z.number().nullable(),
  satisfactionScores: z.array(count).length(5),
});
export type InboundFigures = z.infer<typeof inboundFiguresSchema>;

export const inboundReportSchema = z.object({
  ...reportHead,
  by: z.enum(['queue', 'agent', 'total']),
  shortAbandonSec: count,
  rows: z.array(
    z.object({
      ...period,
      /** The queue's name, the agent's id, or `all`. */
      key: z.string(),
      name: z.string(),
      ...inboundFiguresSchema.shape,
    }),
  ),
  total: inboundFiguresSchema,
});
export type InboundReport = z.infer<typeof inboundReportSchema>;

export const agentFiguresSchema = z.object({
  calls: count,
  handled: count,
  talkMs: ms,
  /** The holds inside talkMs. */
  holdMs: ms,
  wrapUpMs: ms,
  ahtMs: ms.nullable(),
  loggedInMs: ms,
  handleTimeMs: ms,
  idleMs: ms,
  /** Per chosen state and break reason: `available`, `break`, `break:lunch`, ms. */
  stateMs: z.record(z.string(), ms),
  occupancyPct: pct,
  callsPerHour: z.number().nullable(),
  /** Talk minutes per logged-in hour. */
  talkMinPerHour: z.number().nullable(),
  satisfactionAverage: z.number().nullable(),
  surveyResponses: count,
  surveyAsked: count,
  surveyResponseRatePct: pct,
  qaEvaluations: count,
  qaAverageScore: z.number().nullable(),
  qaCriticalFails: count,
  missedOffers: count,
  transfersOut: count,
});
export type AgentFigures = z.infer<typeof agentFiguresSchema>;

export const agentReportSchema = z.object({
  ...reportHead,
  rows: z.array(
    z.object({
      ...period,
      agentId: z.number().int(),
      name: z.string(),
      ...agentFiguresSchema.shape,
    }),
  ),
});
export type AgentReport = z.infer<typeof agentReportSchema>;

const followUp = {
  opened: count,
  followedUpInTime: count,
  due: count,
  /** Followed up in time ÷ due, % (002's target: 100 %). */
  followUpRatePct: pct,
};

export const complaintReportSchema = z.object({
  ...reportHead,
  followUpDays: z.number(),
  rows: z.array(
    z.object({
      ...period,
      byCategory: z.array(z.object({ category: z.string(), severity: z.string(), count })),
      ...followUp,
    }),
  ),
  total: z.object(followUp),
  /** Follow-ups past their due time and still open (now), with who owns them. */
  overdue: z.array(
    z.object({
      taskId: z.number().int(),
      complaintId: z.number().int(),
      category: z.string(),
      severity: z.string(),
      dueAt: isoString,
      ownerUserId: z.number().int().nullable(),
      ownerName: z.string().nullable(),
      customerId: z.number().int().nullable(),
      customerName: z.string().nullable(),
    }),
  ),
});
export type ComplaintReport = z.infer<typeof complaintReportSchema>;

export const outboundReportSchema = z.object({
  ...reportHead,
  rows: z.array(
    z.object({
      ...period,
      campaignId: z.number().int(),
      name: z.string(),
      dialed: count,
      answeredByPerson: count,
      abandoned: count,
      contactsReached: count,
      dispositions: z.array(
        z.object({ code: z.string(), calls: count, contacts: count, success: z.boolean() }),
      ),
      converted: count,
      conversionPct: pct,
    }),
  ),
  /** Per campaign, the abandon rate of the 30 days up to the report's end (or now) and the cap. */
  abandon30d: z.array(
    z.object({
      campaignId: z.number().int(),
      name: z.string(),
      asOf: isoString,
      answered: count,
      abandoned: count,
      ratePct: z.number(),
      capPct: z.number(),
      overCap: z.boolean(),
    }),
  ),
});
export type OutboundReport = z.infer<typeof outboundReportSchema>;

/** An agent's review inputs for a month: measured figures, not a verdict. */
export const reviewQuery = z.object({
  month: z.string().regex(new RegExp(`^${YEAR}-(0[1-9]|1[0-2])$`), 'a month YYYY-MM (1970–2099)'),
});
export const reviewParams = z.object({ agentId: numericId });

const qaPart = z.object({
  evaluations: count,
  averageScore: z.number().nullable(),
  criticalFails: count,
});

export const reviewSchema = z.object({
  agentId: z.number().int(),
  name: z.string(),
  month: z.string(),
  timezone: z.string(),
  /** Always true: these are measured inputs to a person's review, not a verdict. */
  inputsOnly: z.literal(true),
  note: z.string(),
  /** 002: weekly checks (20 %) — QA per ISO week of the month. */
  weeklyQa: z.array(qaPart.extend({ week: z.string() })),
  /** 002: monthly review (30 %) — QA over the month. */
  monthlyQa: qaPart,
  calls: z.object({
    handled: count,
    ahtMs: ms.nullable(),
    callsPerHour: z.number().nullable(),
    occupancyPct: pct,
    missedOffers: count,
  }),
  satisfaction: z.object({
    average: z.number().nullable(),
    responses: count,
    responseRatePct: pct,
  }),
  /** Complaint follow-ups assigned to the agent, due in the month. */
  followUps: z.object(followUp),
  /** The 002 weighting the figures feed, as the manual states it (for the reviewer). */
  weighting: z.array(z.object({ part: z.string(), weightPct: z.number(), measured: z.boolean() })),
});
export type Review = z.infer<typeof reviewSchema>;

export const dailyReportItemSchema = z.object({
  day: z.string(),
  timezone: z.string(),
  createdAt: isoString,
});
export const dailyReportListSchema = z.object({ reports: z.array(dailyReportItemSchema) });
export const dailyReportParams = z.object({ day });
export const dailyReportSchema = dailyReportItemSchema.extend({
  queues: inboundReportSchema,
  agents: agentReportSchema,
});
export type DailyReport = z.infer<typeof dailyReportSchema>;
