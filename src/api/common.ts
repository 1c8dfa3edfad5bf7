/**
 * Shapes shared by every capability's API schemas. Files under src/api import only `zod`: the web
 * app bundles them (web/tsconfig.json includes this folder).
 */
import { z } from 'zod';

/** The named shapes of the OpenAPI document's `components.schemas` (src/http/openapi.ts). */
export const components = z.registry<{ id: string; description?: string }>();

/** A request time: ISO 8601 with an offset, read as epoch milliseconds. */
export const isoTime = z.iso.datetime({ offset: true }).transform((s) => Date.parse(s));
/** A time in a response: ISO 8601 UTC, as `Date.prototype.toISOString` writes it. */
export const isoString = z.iso.datetime();

/** The contract's error shape: `{error:{code, message, details?}}`, with a 4xx/5xx status. */
export const errorSchema = z
  .object({
    error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
  })
  .register(components, { id: 'Error' });

/** `:id` of the routes whose ids are numbers (users, customers, tasks, campaigns, …). */
export const numericId = z.coerce.number().int().positive();
export const numericIdParams = z.object({ id: numericId });
/** `:id` of calls and recordings (strings). */
export const stringId = z.string().min(1).max(64);
export const stringIdParams = z.object({ id: stringId });

/** `?offset=&limit=` with the given default and maximum page size. */
export const page = (defaultLimit: number, max: number) =>
  z.object({
    offset: z.coerce.number().int().min(0).default(0),
    limit: z.coerce.number().int().min(1).max(max).default(defaultLimit),
  });

export const codeLabel = z.object({
  code: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[\w-]+$/),
  label: z.string().min(1).max(200),
});
export type CodeLabel = z.infer<typeof codeLabel>;

/** `{ok: true}`: the answer of actions with nothing else to say. */
export const okResponse = z.object({ ok: z.literal(true) });
