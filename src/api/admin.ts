import { z } from 'zod';
import { codeLabel, components } from './common';

export const recordingPolicySchema = z.enum(['always', 'never', 'on-demand']);
/**
 * The post-call satisfaction survey: `after-agent-hangup` = when the agent hangs up first, the
 * caller stays on, hears the question and presses 1-5; `off` = never asked.
 */
export const surveyPolicySchema = z.enum(['off', 'after-agent-hangup']);

/**
 * A queue's rules as the configuration and POST /api/queues write them. The server adds the checks
 * that need its own code (opening-hours rules, time zones) at the same fields: config/schema.ts.
 */
export const queueFields = z.object({
  name: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[\w.-]+$/, 'letters, digits, . _ - only'),
  /** Dialed numbers (DIDs) that land in this queue, as the carrier sends them. */
  dids: z.array(z.string().min(1)).default([]),
  ringTimeoutSec: z.number().int().min(5).max(120).optional(),
  /** Seconds a caller waits for a busy account owner before anyone else is offered the call. */
  ownerFirstSec: z.number().int().min(0).max(600).optional(),
  /** Answered within this many seconds counts towards the service level (default 20). */
  serviceLevelSec: z.number().int().min(1).max(600).optional(),
  /** Skills an agent needs to take this queue's calls. */
  skills: z.array(z.string().min(1).max(64)).default([]),
  /** Opening hours, e.g. ["mon-fri 08:00-18:00"]; none = always open. */
  hours: z.array(z.string()).default([]),
  /** An IANA time zone, e.g. Asia/Shanghai. */
  timezone: z.string().optional(),
  /** After this many seconds of waiting the caller is offered a call-back (press 1); unset = never. */
  callbackOfferAfterSec: z.number().int().min(5).max(3600).optional(),
  /** always: recorded from the answer; never; on-demand: the agent starts it. Unset = the default. */
  recording: recordingPolicySchema.optional(),
  /** The satisfaction survey after the call (off unless set). */
  survey: surveyPolicySchema.optional(),
  /**
   * The supervisor wall: today's service level below this % turns the queue's tile red and alerts
   * supervisors. Unset = the call center's default (telephony.serviceLevelTargetPct, 80).
   */
  serviceLevelTargetPct: z.number().int().min(1).max(100).optional(),
  /**
   * The supervisor wall: a caller waiting longer than this many seconds turns the tile red and
   * alerts supervisors. Unset = the default (telephony.maxWaitAlertSec, 60).
   */
  maxWaitAlertSec: z.number().int().min(5).max(3600).optional(),
});

const members = z.array(z.number().int().positive()).max(1000);
/** Seconds of waiting before the call-back offer; null = never. */
const callbackOfferAfterSec = queueFields.shape.callbackOfferAfterSec.unwrap().nullable();

/** POST /api/queues: the config's queue rules, plus members. */
export const newQueueBody = queueFields.extend({
  members: members.default([]),
  callbackOfferAfterSec: callbackOfferAfterSec.optional(),
});

/** PUT /api/queues/:name: the same rules, every field optional (only those sent change). */
export const queueUpdateBody = queueFields
  .omit({ name: true })
  .partial()
  .extend({ members: members.optional(), callbackOfferAfterSec: callbackOfferAfterSec.optional() });

export const queueNameParams = z.object({ name: queueFields.shape.name });

/** A list of 1-100 codes and labels, the codes unique. */
const codeLabelList = z
  .array(codeLabel)
  .min(1)
  .max(100)
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((d, i) => {
      if (seen.has(d.code))
        ctx.addIssue({
          code: 'custom',
          path: [i, 'code'],
          message: `duplicate code "${d.code}"`,
        });
      seen.add(d.code);
    });
  });

/** PUT /api/dispositions (admin): replaces the wrap-up dispositions. */
export const dispositionsBody = z.object({ dispositions: codeLabelList });

/** PUT /api/break-reasons (admin): replaces the break reasons agents choose from. */
export const breakReasonsBody = z.object({ reasons: codeLabelList });

/** A queue as the admin API shows it (GET /api/queues): effective values, hours as written. */
export const queueSchema = z
  .object({
    name: z.string(),
    dids: z.array(z.string()),
    ringTimeoutSec: z.number().int(),
    ownerFirstSec: z.number().int(),
    serviceLevelSec: z.number().int(),
    skills: z.array(z.string()),
    members: z.array(z.number().int()),
    hours: z.array(z.string()),
    timezone: z.string(),
    callbackOfferAfterSec: z.number().int().nullable(),
    recording: recordingPolicySchema,
    survey: surveyPolicySchema,
    /** The wall's thresholds (effective values): service level target %, longest wait s. */
    serviceLevelTargetPct: z.number().int(),
    maxWaitAlertSec: z.number().int(),
    /** Within its opening hours right now. */
    openNow: z.boolean(),
  })
  .register(components, { id: 'Queue' });
export type QueueView = z.infer<typeof queueSchema>;

export const queuesListResponse = z.object({ queues: z.array(queueSchema) });
