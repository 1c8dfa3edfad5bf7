import { z } from 'zod';
import { components, isoString, isoTime } from './common';
import { phoneString } from './number-fields';
import { roleSchema } from './auth';

/** POST /api/calls/:id/reveal and /api/customers/:id/reveal: why (kept in the audit). */
export const revealBody = z.object({ reason: z.string().trim().max(500).optional() });

/** The numbers of a call in full (qa, supervisor, admin); the reveal is audited. */
export const callRevealResponse = z.object({
  callId: z.string(),
  customerId: z.number().int().nullable(),
  callerNumber: phoneString('reveal'),
  dialedNumber: phoneString('reveal'),
});
export type CallReveal = z.infer<typeof callRevealResponse>;

/** A customer's numbers in full (qa, supervisor, admin); the reveal is audited. */
export const customerRevealResponse = z.object({
  customerId: z.number().int(),
  phones: z.array(z.object({ e164: phoneString('reveal'), raw: phoneString('reveal') })),
});
export type CustomerReveal = z.infer<typeof customerRevealResponse>;

export const ACCESS_ACTIONS = ['view', 'search', 'export', 'reveal'] as const;
export const accessActionSchema = z.enum(ACCESS_ACTIONS);
export type AccessAction = z.infer<typeof accessActionSchema>;

/** GET /api/audit/customer-access (admin), newest first. */
export const accessAuditQuery = z.object({
  userId: z.coerce.number().int().positive().optional(),
  customerId: z.coerce.number().int().positive().optional(),
  callId: z.string().min(1).max(64).optional(),
  action: accessActionSchema.optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  offset: z.coerce.number().int().min(0).default(0),
});

export const accessAuditEntrySchema = z
  .object({
    id: z.number().int(),
    at: isoString,
    userId: z.number().int().nullable(),
    userName: z.string().nullable(),
    role: roleSchema,
    action: accessActionSchema,
    customerId: z.number().int().nullable(),
    callId: z.string().nullable(),
    /** The request's method and path: `GET /api/customers/12`. */
    path: z.string(),
    /** The query's terms, numbers masked (`phone=+86 138****8000`); a reveal's reason. */
    detail: z.string().nullable(),
    /** Records in the answer. */
    count: z.number().int().nullable(),
  })
  .register(components, { id: 'CustomerAccessEntry' });
export type AccessAuditEntry = z.infer<typeof accessAuditEntrySchema>;
export const accessAuditResponse = z.object({
  entries: z.array(accessAuditEntrySchema),
  limit: z.number().int(),
  offset: z.number().int(),
});
