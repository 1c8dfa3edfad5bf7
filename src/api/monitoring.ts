import { z } from 'zod';
import { components, isoString, isoTime, page } from './common';

/**
 * listen: the monitor hears the caller and the agent, nobody hears them; whisper: the agent hears
 * the monitor too, the caller does not; barge: the monitor joins the call, everyone hears.
 */
export const MONITOR_MODES = ['listen', 'whisper', 'barge'] as const;
export const monitorModeSchema = z.enum(MONITOR_MODES);
export type MonitorMode = z.infer<typeof monitorModeSchema>;

/** POST (start) and PUT (change the mode) /api/calls/{id}/monitor. */
export const monitorBody = z.object({ mode: monitorModeSchema });

/** A monitoring session: `ringing` until the monitor's own phone answers. */
export const monitorSchema = z
  .object({
    id: z.string(),
    callId: z.string(),
    userId: z.number().int(),
    mode: monitorModeSchema,
    state: z.enum(['ringing', 'active']),
  })
  .register(components, { id: 'Monitor' });
export type MonitorView = z.infer<typeof monitorSchema>;
export const monitorResponse = z.object({ monitor: monitorSchema });

/** GET /api/monitor-sessions: the audit, newest first. */
export const monitorSessionsQuery = page(100, 1000).extend({
  callId: z.string().min(1).max(64).optional(),
  userId: z.coerce.number().int().positive().optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
});

export const monitorSessionSchema = z
  .object({
    id: z.string(),
    callId: z.string(),
    userId: z.number().int(),
    userName: z.string().nullable(),
    mode: monitorModeSchema,
    /** Every mode of the session with when it began, in order. */
    modes: z.array(z.object({ mode: monitorModeSchema, at: isoString })),
    requestedAt: isoString,
    answeredAt: isoString.nullable(),
    endedAt: isoString.nullable(),
    endReason: z.string().nullable(),
  })
  .register(components, { id: 'MonitorSession' });
export type MonitorSession = z.infer<typeof monitorSessionSchema>;
export const monitorSessionsResponse = z.object({ sessions: z.array(monitorSessionSchema) });
