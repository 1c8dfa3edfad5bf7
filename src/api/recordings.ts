import { z } from 'zod';
import { components, isoString, isoTime, stringId } from './common';

export const recordingStatusSchema = z.enum(['recording', 'fetching', 'stored', 'error']);

export const recordingSchema = z
  .object({
    id: z.string(),
    callId: z.string(),
    status: recordingStatusSchema,
    durationMs: z.number().nullable(),
    bytes: z.number().nullable(),
    sha256: z.string().nullable(),
    startedAt: isoString,
    endedAt: isoString.nullable(),
    error: z.string().nullable(),
  })
  .register(components, { id: 'Recording' });
export type Recording = z.infer<typeof recordingSchema>;

/** GET /api/recordings/audit (supervisor, admin). */
export const auditQuery = z.object({
  recordingId: z.string().max(64).optional(),
  userId: z.coerce.number().int().positive().optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export const auditEntrySchema = z.object({
  id: z.number().int(),
  recordingId: z.string(),
  callId: z.string(),
  userId: z.number().int().nullable(),
  userName: z.string().nullable(),
  action: z.string(),
  /** The session's first request. */
  at: isoString,
  /** The session's last request; entries before byte-range auditing have nulls from here on. */
  lastAt: isoString.nullable(),
  /** Responses that carried audio bytes in this session. */
  requests: z.number().int().nullable(),
  /** Bytes served, repeats included. */
  bytes: z.number().int().nullable(),
  /** Byte spans served (first and last byte, inclusive), merged, in file order. */
  ranges: z.array(z.object({ start: z.number().int(), end: z.number().int() })).nullable(),
  /** Bytes of the file served at least once. */
  coveredBytes: z.number().int().nullable(),
  /** The file's size when it was served. */
  fileBytes: z.number().int().nullable(),
});
export const auditResponse = z.object({ entries: z.array(auditEntrySchema) });

/** GET /api/recordings/:id/audio: `?download=1` answers it as an attachment. */
export const audioParams = z.object({ id: stringId });
export const audioQuery = z.object({ download: z.enum(['1']).optional() });

/** PUT /api/calls/:id/legal-hold (supervisor, admin). */
export const legalHoldBody = z.object({ hold: z.boolean() });
export const legalHoldResponse = z.object({ callId: z.string(), legalHold: z.boolean() });
