import { z } from 'zod';
import { components, isoString } from './common';
import { phoneString } from './number-fields';

const phone = z.string().trim().min(1).max(40);
const campaignId = z.number().int().positive().nullable();

/** POST /api/dnc; global when there is no campaignId. */
export const dncBody = z.object({
  phone,
  campaignId: campaignId.optional(),
  reason: z.string().trim().max(200).nullish(),
});

/** DELETE /api/dnc, from the body or the query string; global when there is no campaignId. */
export const dncDeleteBody = z.object({ phone, campaignId: campaignId.optional() });
export const dncDeleteQuery = z.object({
  phone,
  campaignId: z.coerce.number().int().positive().optional(),
});

/** GET /api/dnc (supervisor, admin). */
export const dncQuery = z.object({
  phone: phone.optional(),
  /** A campaign's entries; `global` for the global list only; absent = all. */
  campaignId: z.union([z.literal('global'), z.coerce.number().int().positive()]).optional(),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const dncEntrySchema = z
  .object({
    id: z.number().int(),
    phone: phoneString('dnc.phone'),
    campaignId: z.number().int().nullable(),
    reason: z.string().nullable(),
    addedBy: z.number().int().nullable(),
    createdAt: isoString,
  })
  .register(components, { id: 'DncEntry' });
export type DncEntry = z.infer<typeof dncEntrySchema>;
export const dncListResponse = z.object({ numbers: z.array(dncEntrySchema) });
