import { z } from 'zod';
import { components, isoString } from './common';
import { numberRecord, numbersMasked, phoneString } from './number-fields';

export const tierSchema = z.enum(['vip', 'standard']);

/** POST /api/customers. */
export const newCustomerBody = z.object({
  name: z.string().trim().min(1).max(200),
  company: z.string().trim().max(200).nullish(),
  tier: tierSchema.default('standard'),
  phones: z.array(z.string().max(64)).min(1, 'at least one phone number').max(20),
  ownerUserId: z.number().int().positive().nullish(),
  notes: z.string().max(5000).nullish(),
});
export type CustomerInput = z.input<typeof newCustomerBody>;

/** PUT /api/customers/:id: only the fields sent change. */
export const editCustomerBody = newCustomerBody.partial().extend({ tier: tierSchema.optional() });

/** GET /api/customers: ?phone= (any form of a number) or ?q= (name). */
export const customerSearchQuery = z.object({
  phone: z.string().max(64).optional(),
  q: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const customerPhoneSchema = z.object({
  e164: phoneString('customer.phones'),
  raw: phoneString('customer.phones'),
});
export const customerSchema = numberRecord(
  'customer',
  z.object({
    id: z.number().int(),
    name: z.string(),
    company: z.string().nullable(),
    tier: tierSchema,
    ownerUserId: z.number().int().nullable(),
    notes: z.string().nullable(),
    phones: z.array(customerPhoneSchema),
    createdAt: isoString,
    updatedAt: isoString,
    /** The number policy masked `phones` (POST /api/customers/:id/reveal). */
    numbersMasked,
  }),
).register(components, { id: 'Customer' });
export type Customer = z.infer<typeof customerSchema>;

/** `e164` is there when the search was by phone: the number as normalised. */
export const customersListResponse = z.object({
  customers: z.array(customerSchema),
  e164: phoneString('search.echo').optional(),
});
