import { z } from 'zod';
import { components, isoString, isoTime } from './common';

/* ---- Scorecards ---- */

export const questionSchema = z
  .object({
    id: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only'),
    text: z.string().trim().min(1).max(500),
    type: z.enum(['yes-no', 'scale']),
    weight: z.number().positive().max(1000),
    critical: z.boolean().optional(),
    allowNa: z.boolean().optional(),
    scaleMax: z.number().int().min(2).max(10).optional(),
  })
  .refine((q) => q.type === 'scale' || q.scaleMax === undefined, {
    message: 'scaleMax is for scale questions only',
    path: ['scaleMax'],
  });
export type Question = z.infer<typeof questionSchema>;
export type ScorecardQuestion = Question;
export type QuestionType = Question['type'];

const sectionSchema = z.object({
  title: z.string().trim().min(1).max(200),
  questions: z.array(questionSchema).min(1).max(100),
});

/** POST /api/qa/scorecards (qa, admin). */
export const scorecardBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    sections: z.array(sectionSchema).min(1).max(30),
  })
  .superRefine((card, ctx) => {
    const seen = new Set<string>();
    card.sections.forEach((s, si) =>
      s.questions.forEach((q, qi) => {
        if (seen.has(q.id))
          ctx.addIssue({
            code: 'custom',
            message: `question id ${q.id} is used twice`,
            path: ['sections', si, 'questions', qi, 'id'],
          });
        seen.add(q.id);
      }),
    );
  });
export type ScorecardInput = z.infer<typeof scorecardBody>;
export type Section = ScorecardInput['sections'][number];

export const scorecardSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    isDefault: z.boolean(),
    sections: z.array(sectionSchema),
    createdAt: isoString,
  })
  .register(components, { id: 'Scorecard' });
export type Scorecard = z.infer<typeof scorecardSchema>;
export const scorecardsListResponse = z.object({ scorecards: z.array(scorecardSchema) });

/* ---- Sampling ---- */

const sampleTime = z.iso.datetime({ offset: true });

/** POST /api/qa/samples: a reproducible stratified sample; one of perAgent or percent. */
const sampleFields = z.object({
  from: sampleTime,
  to: sampleTime,
  perAgent: z.number().int().min(1).max(1000).optional(),
  percent: z.number().gt(0).max(100).optional(),
  seed: z.string().trim().min(1).max(128).optional(),
  filters: z
    .object({
      queue: z.string().min(1).max(64).optional(),
      direction: z.enum(['inbound', 'outbound']).optional(),
      minDurationSec: z.number().min(0).max(86_400).optional(),
      outcome: z.string().min(1).max(16).optional(),
      agentIds: z.array(z.number().int().positive()).max(1000).optional(),
    })
    .strict()
    .optional(),
  /**
   * complaints: calls with a complaint weigh ×3 in the draw; lowSatisfaction: calls the caller
   * scored 1-2 in the satisfaction survey are drawn first.
   */
  oversample: z
    .object({ complaints: z.boolean().optional(), lowSatisfaction: z.boolean().optional() })
    .strict()
    .optional(),
  reviewerIds: z.array(z.number().int().positive()).min(1).max(100),
  scorecardId: z.number().int().positive().optional(),
});
export const sampleBody = sampleFields
  .refine((b) => (b.perAgent === undefined) !== (b.percent === undefined), {
    message: 'send one of perAgent or percent',
    path: ['perAgent'],
  })
  .refine((b) => Date.parse(b.from) < Date.parse(b.to), {
    message: 'from must be before to',
    path: ['to'],
  });
export type SampleParams = z.infer<typeof sampleBody>;
export type SampleFilters = NonNullable<SampleParams['filters']>;

export const sampleItemSchema = z.object({
  callId: z.string(),
  agentId: z.number().int(),
  agentName: z.string(),
  reviewerId: z.number().int(),
  status: z.enum(['pending', 'done']),
});
export type SampleItem = z.infer<typeof sampleItemSchema>;

/** Params as the job stored them: the request's fields and the seed drawn. */
const storedParams = sampleFields.extend({ seed: z.string() });

export const sampleJobSchema = z
  .object({
    id: z.number().int(),
    seed: z.string(),
    params: storedParams,
    createdBy: z.number().int().nullable(),
    createdAt: isoString,
    /** POST and GET /api/qa/samples/:id only. */
    items: z.array(sampleItemSchema).optional(),
  })
  .register(components, { id: 'SampleJob' });
export type SampleJob = z.infer<typeof sampleJobSchema>;
export const samplesListResponse = z.object({ samples: z.array(sampleJobSchema) });

export const queueItemSchema = z.object({
  sampleId: z.number().int(),
  callId: z.string(),
  agentId: z.number().int(),
  agentName: z.string(),
  startedAt: isoString,
  talkMs: z.number().nullable(),
  queue: z.string().nullable(),
  recording: z.object({ id: z.string(), durationMs: z.number().nullable() }).nullable(),
  scorecardId: z.number().int().nullable(),
  /** The caller's satisfaction score (1-5), null when none was given. */
  surveyScore: z.number().int().nullable(),
});
export type QueueItem = z.infer<typeof queueItemSchema>;
export const reviewQueueResponse = z.object({ items: z.array(queueItemSchema) });

/* ---- Evaluations ---- */

export const answerValue = z.union([z.enum(['yes', 'no', 'na']), z.number()]);
export type AnswerValue = z.infer<typeof answerValue>;
export const answerSchema = z.object({ questionId: z.string().min(1).max(64), value: answerValue });
export const evaluationCommentSchema = z.object({
  atMs: z.number().int().min(0),
  text: z.string().trim().min(1).max(2000),
});
export type EvaluationComment = z.infer<typeof evaluationCommentSchema>;

/** POST /api/qa/evaluations: scored by the server; one per call and reviewer. */
export const evaluationBody = z.object({
  callId: z.string().min(1).max(64),
  scorecardId: z.number().int().positive(),
  answers: z.array(answerSchema).min(1).max(200),
  comments: z.array(evaluationCommentSchema).max(200).optional(),
  summary: z.string().trim().max(5000).optional(),
});
export type EvaluationInput = z.infer<typeof evaluationBody>;

/** POST /api/qa/evaluations/:id/respond: the evaluated agent, once. */
export const respondBody = z.object({
  response: z.enum(['acknowledged', 'disputed']),
  comment: z.string().trim().max(2000).optional(),
});

export const evaluationsQuery = z.object({
  agentId: z.coerce.number().int().positive().optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export const evaluationSchema = z
  .object({
    id: z.number().int(),
    callId: z.string(),
    agentId: z.number().int().nullable(),
    reviewerId: z.number().int().nullable(),
    reviewerName: z.string(),
    scorecardId: z.number().int().nullable(),
    answers: z.array(z.object({ questionId: z.string(), value: answerValue })),
    comments: z.array(z.object({ atMs: z.number(), text: z.string() })),
    summary: z.string().nullable(),
    score: z.number(),
    criticalFailed: z.boolean(),
    agentResponse: z.enum(['acknowledged', 'disputed']).nullable(),
    agentComment: z.string().nullable(),
    submittedAt: isoString,
  })
  .register(components, { id: 'Evaluation' });
export type Evaluation = z.infer<typeof evaluationSchema>;
export const evaluationsListResponse = z.object({ evaluations: z.array(evaluationSchema) });

/* ---- Results ---- */

export const resultsQuery = z.object({ from: isoTime.optional(), to: isoTime.optional() });

export const agentResultSchema = z.object({
  agentId: z.number().int(),
  agentName: z.string(),
  evaluations: z.number().int(),
  averageScore: z.number().nullable(),
  criticalFails: z.number().int(),
  weeks: z.array(
    z.object({
      week: z.string(),
      evaluations: z.number().int(),
      averageScore: z.number().nullable(),
    }),
  ),
});
export type AgentResult = z.infer<typeof agentResultSchema>;
export const resultsResponse = z.object({ agents: z.array(agentResultSchema) });
