import { z } from 'zod';
import { components, isoString, isoTime } from './common';
import { numberRecord, numbersMasked, phoneBlob, phoneString } from './number-fields';
import { recordingSchema } from './recordings';

/**
 * `callback`: the caller asked to be called back (press 1); `closed`: outside opening hours;
 * `machine`: a campaign call answered by an answering machine (detection on).
 */
export const OUTCOMES = [
  'answered',
  'abandoned',
  'no-agent',
  'callback',
  'closed',
  'no-answer',
  'busy',
  'failed',
  'machine',
] as const;
export const outcomeSchema = z.enum(OUTCOMES);
export const directionSchema = z.enum(['inbound', 'outbound']);
export const endedBySchema = z.enum(['caller', 'agent', 'system']);

/** GET /api/calls. An agent sees their own calls only; `mine=1` for others. */
export const callsQuery = z.object({
  from: isoTime.optional(),
  to: isoTime.optional(),
  agentId: z.coerce.number().int().positive().optional(),
  customerId: z.coerce.number().int().positive().optional(),
  queue: z.string().max(64).optional(),
  outcome: outcomeSchema.optional(),
  direction: directionSchema.optional(),
  phone: z.string().max(64).optional(),
  mine: z.enum(['1', 'true']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

/** The contract's call record (GET /api/calls/:id), plus a few fields of our own. */
export const callRecordSchema = numberRecord(
  'call',
  z.object({
    id: z.string(),
    direction: directionSchema,
    callerNumber: phoneString('call.numbers'),
    dialedNumber: phoneString('call.numbers'),
    customerId: z.number().int().nullable(),
    agentId: z.number().int().nullable(),
    queue: z.string().nullable(),
    startedAt: isoString,
    answeredAt: isoString.nullable(),
    endedAt: isoString.nullable(),
    waitMs: z.number(),
    talkMs: z.number(),
    /** The agent's holds, inside talkMs (answer → end). */
    holdMs: z.number(),
    outcome: outcomeSchema.nullable(),
    hangupCause: z.string().nullable(),
    /** The longest stored recording. */
    recording: z.object({ id: z.string(), durationMs: z.number() }).nullable(),
    state: z.string(),
    hangupCauseCode: z.number().int().nullable(),
    endedBy: endedBySchema.nullable(),
    disposition: z.string().nullable(),
    notes: z.string().nullable(),
    wrappedUpAt: isoString.nullable(),
    serviceLevelMet: z.boolean().nullable(),
    vip: z.boolean(),
    legalHold: z.boolean(),
    /** Campaign calls (outbound dialing): the campaign and the list contact. */
    campaignId: z.number().int().nullable(),
    contactId: z.number().int().nullable(),
    /**
     * The caller's answer to the post-call satisfaction survey (1-5) and when they gave it; null
     * when not asked (the queue has no survey, the caller hung up first) or not answered.
     */
    surveyScore: z.number().int().min(1).max(5).nullable(),
    surveyAt: isoString.nullable(),
    /** The number policy masked callerNumber / dialedNumber (POST /api/calls/:id/reveal). */
    numbersMasked,
  }),
).register(components, { id: 'CallRecord' });
export type CallRecord = z.infer<typeof callRecordSchema>;

export const callsListResponse = z.object({
  calls: z.array(callRecordSchema),
  limit: z.number().int(),
  offset: z.number().int(),
});

export const timelineEventSchema = z.object({
  id: z.number().int(),
  at: isoString,
  type: z.string(),
  agentId: z.number().int().nullable(),
  /** Event details; numbers in it (an external transfer's target) follow the call's policy. */
  data: phoneBlob('call.numbers', z.record(z.string(), z.unknown())).nullable(),
});
export type TimelineEvent = z.infer<typeof timelineEventSchema>;

/** GET /api/calls/:id: the record, every recording of the call, and its timeline. */
export const callDetailSchema = numberRecord(
  'call',
  callRecordSchema.extend({
    recordings: z.array(recordingSchema),
    timeline: z.array(timelineEventSchema),
  }),
).register(components, { id: 'CallDetail' });
export type CallDetail = z.infer<typeof callDetailSchema>;
