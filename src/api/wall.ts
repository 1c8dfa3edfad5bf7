import { z } from 'zod';
import { components, isoString } from './common';
import { phoneString } from './number-fields';

/**
 * The supervisor wall (issue 10): per-queue tiles, live calls and agents, as the socket pushes
 * them (`wall:snapshot`, `wall:delta`: src/screenpop/agent-events.ts) and GET /api/wall answers.
 * Definitions of the figures: docs/metrics.md. Times are ISO 8601 UTC; the browser counts them up.
 */

/** What an agent is doing, as the wall counts them: the telephony's activity wins over the choice. */
export const WALL_AGENT_STATES = [
  'available',
  'offered',
  'on-call',
  'wrap-up',
  'break',
  'offline',
] as const;
export const wallAgentStateSchema = z.enum(WALL_AGENT_STATES);
export type WallAgentState = z.infer<typeof wallAgentStateSchema>;

/** Why a tile is red: today's service level is below target, or a caller waits too long. */
export const WALL_ALERTS = ['service-level', 'longest-wait'] as const;
export const wallAlertSchema = z.enum(WALL_ALERTS);
export type WallAlertKind = z.infer<typeof wallAlertSchema>;

const count = z.number().int().min(0);

export const wallQueueSchema = z
  .object({
    name: z.string(),
    /** Callers not yet answered by an agent: being looked up, waiting, or ringing an agent. */
    waiting: count,
    /** When the longest-waiting of them began waiting; null when nobody waits. */
    longestWaitSince: isoString.nullable(),
    /** The queue's agents (members with the skills, with a phone) by what they are doing. */
    agents: z.object({
      available: count,
      offered: count,
      onCall: count,
      wrapUp: count,
      break: count,
      offline: count,
      /** Agents on a break by reason ("" = no reason given). */
      breakReasons: z.record(z.string(), count),
    }),
    /** The call center's day so far (telephony.timezone), inbound calls that started today. */
    today: z.object({
      answered: count,
      answeredWithinThreshold: count,
      abandoned: count,
      /** Abandoned within the short-abandon threshold: not held against the service level. */
      abandonedShort: count,
      /** %, one decimal; null before any call counts. */
      serviceLevelPct: z.number().nullable(),
      /** Average speed of answer, ms; null before any answer. */
      asaMs: z.number().int().nullable(),
      satisfaction: z.object({
        average: z.number().nullable(),
        responses: count,
        responseRate: z.number().nullable(),
      }),
    }),
    thresholds: z.object({
      serviceLevelSec: z.number().int(),
      /** Callers who hung up within this many seconds count neither for nor against the SL. */
      shortAbandonSec: z.number().int(),
      serviceLevelTargetPct: z.number().int(),
      maxWaitAlertSec: z.number().int(),
    }),
    /** Why the tile is red now; empty = not red. */
    alerts: z.array(wallAlertSchema),
  })
  .register(components, { id: 'WallQueue' });
export type WallQueue = z.infer<typeof wallQueueSchema>;

export const wallCallSchema = z
  .object({
    callId: z.string(),
    direction: z.enum(['inbound', 'outbound']),
    /** The caller's number; masked (+86 138****5678) for roles that do not need it (qa). */
    callerNumber: phoneString('call.numbers'),
    customer: z.object({ id: z.number().int(), name: z.string() }).nullable(),
    queue: z.string().nullable(),
    agent: z.object({ id: z.number().int(), name: z.string() }).nullable(),
    /** The engine's state (src/calls/call-state.ts): queued, ringing, talking, held, … */
    state: z.string(),
    startedAt: isoString,
    answeredAt: isoString.nullable(),
    /** While the caller waits for an agent: since when (the start, or the transfer back). */
    waitingSince: isoString.nullable(),
    /** While on hold: since when. */
    heldSince: isoString.nullable(),
    recording: z.enum(['on', 'paused']).nullable(),
    /** A supervisor is listening, whispering or barging in. */
    monitored: z.boolean(),
  })
  .register(components, { id: 'WallCall' });
export type WallCall = z.infer<typeof wallCallSchema>;

export const wallAgentSchema = z
  .object({
    userId: z.number().int(),
    name: z.string(),
    extension: z.string().nullable(),
    state: wallAgentStateSchema,
    /** The break's reason; null otherwise. */
    reason: z.string().nullable(),
    /** In this state since. */
    since: isoString,
    callId: z.string().nullable(),
    /** A browser of theirs is connected. */
    connected: z.boolean(),
    /** Today: calls they answered, and the talk time of those that have ended (ms). */
    callsToday: count,
    talkMsToday: count,
  })
  .register(components, { id: 'WallAgent' });
export type WallAgent = z.infer<typeof wallAgentSchema>;

/** The call center's day the `today` figures are of. */
export const wallDaySchema = z.object({
  start: isoString,
  end: isoString,
  timezone: z.string(),
});

/** The whole wall (`wall:snapshot`, GET /api/wall). */
export const wallSnapshotSchema = z
  .object({
    /** The delta this state is at: the next `wall:delta` has seq + 1. */
    seq: z.number().int(),
    at: isoString,
    day: wallDaySchema,
    queues: z.array(wallQueueSchema),
    calls: z.array(wallCallSchema),
    agents: z.array(wallAgentSchema),
  })
  .register(components, { id: 'WallSnapshot' });
export type WallSnapshot = z.infer<typeof wallSnapshotSchema>;

/**
 * What changed since seq − 1: whole entries for the queues, calls and agents that changed or
 * appeared, ids of those that went. A client at seq − 1 applies it and is at seq; any other seq
 * means it missed one and asks for a snapshot (`wall:resync`).
 */
export const wallDeltaSchema = z.object({
  seq: z.number().int(),
  at: isoString,
  day: wallDaySchema.optional(),
  queues: z.array(wallQueueSchema).optional(),
  calls: z.array(wallCallSchema).optional(),
  agents: z.array(wallAgentSchema).optional(),
  removed: z
    .object({
      queues: z.array(z.string()).optional(),
      calls: z.array(z.string()).optional(),
      agents: z.array(z.number().int()).optional(),
    })
    .optional(),
});
export type WallDelta = z.infer<typeof wallDeltaSchema>;

export { applyWallDelta, sortWall } from './wall-apply';
