import { z } from 'zod';
import { components, isoString } from './common';
import { phoneText } from './number-fields';

/** A JSON document carried in a query parameter, e.g. `?mapping={"phone":"Mobile"}`. */
const jsonParam = z.string().transform((s, ctx) => {
  try {
    return JSON.parse(s) as unknown;
  } catch {
    ctx.addIssue({ code: 'custom', message: 'not valid JSON' });
    return z.NEVER;
  }
});

/** Field names as a script's `{{name}}` can use them. */
const fieldName = z
  .string()
  .regex(/^[A-Za-z_][\w.-]{0,63}$/, 'a field name: letters, digits, _ . -');
const column = z.string().trim().min(1).max(200);

/** Field name → CSV column, e.g. `{phone:'Mobile', firstName:'Name'}`; `phone` is required. */
export type FieldMapping = { phone: string } & Record<string, string>;

export const mappingSchema = z
  .record(fieldName, column)
  .refine((m) => typeof m.phone === 'string', { message: 'phone (its column) is required' })
  .refine((m) => Object.keys(m).length <= 100, { message: 'at most 100 fields' })
  .transform((m) => m as FieldMapping);

export const assignToSchema = z.object({ column }).strict();

/**
 * POST /api/campaigns/:id/imports: the CSV is the request body (text/csv or text/plain), the
 * mapping (and the assignment column) JSON in the query string.
 */
export const importQuery = z.object({
  mapping: jsonParam.pipe(mappingSchema),
  assignTo: jsonParam.pipe(assignToSchema).optional(),
});
export const importBody = z.string().meta({ description: 'the CSV file (text/csv)' });
export const importStartedResponse = z.object({ importId: z.number().int() });

/** GET /api/imports/:id: a page of the error list. */
export const importPageQuery = z.object({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const ROW_REASONS = [
  'bad-phone',
  'missing-phone',
  'duplicate-in-file',
  'duplicate-in-campaign',
  'do-not-call',
  'unknown-agent',
] as const;
export type ImportReason = (typeof ROW_REASONS)[number];

export const importRowErrorSchema = z.object({
  row: z.number().int(),
  reason: z.enum(ROW_REASONS),
  /** The row as it was in the file (its numbers follow the policy). */
  raw: phoneText('import.row'),
});
export type ImportRowError = z.infer<typeof importRowErrorSchema>;

export const importReportSchema = z
  .object({
    id: z.number().int(),
    campaignId: z.number().int(),
    status: z.enum(['running', 'done', 'failed']),
    rows: z.number().int(),
    accepted: z.number().int(),
    rejected: z.number().int(),
    duplicates: z.number().int(),
    dnc: z.number().int(),
    /** Why a failed import stopped (the parser's message), else null. */
    failure: z.string().nullable(),
    createdAt: isoString.nullable(),
    finishedAt: isoString.nullable(),
    /** Total entries of the error list (rejected + dnc), for paging. */
    errorCount: z.number().int(),
    errors: z.array(importRowErrorSchema),
  })
  .register(components, { id: 'ImportReport' });
export type ImportReport = z.infer<typeof importReportSchema>;
