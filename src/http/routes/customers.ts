import { Router } from 'express';
import { z } from 'zod';
import type { CustomersRepo } from '../../customers/customers-repo';
import type { UsersRepo } from '../../agents/users-repo';
import { normaliseNumber } from '../../customers/normalise-number';
import { HotlineError } from '../../shared/errors';
import { parse, requireRole, route } from '../middleware';

export const newCustomerBody = z.object({
  name: z.string().trim().min(1).max(200),
  company: z.string().trim().max(200).nullish(),
  tier: z.enum(['vip', 'standard']).default('standard'),
  phones: z.array(z.string().max(64)).min(1, 'at least one phone number').max(20),
  ownerUserId: z.number().int().positive().nullish(),
  notes: z.string().max(5000).nullish(),
});

export const editCustomerBody = newCustomerBody
  .partial()
  .extend({ tier: z.enum(['vip', 'standard']).optional() });

const searchQuery = z.object({
  phone: z.string().max(64).optional(),
  q: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export function customerRoutes(deps: {
  customers: CustomersRepo;
  users: UsersRepo;
  defaultRegion: string;
}) {
  const r = Router();
  const canEdit = requireRole('agent', 'supervisor', 'admin');

  r.post(
    '/customers',
    canEdit,
    route(async (req, res) => {
      const body = parse(newCustomerBody, req.body);
      const phones = body.phones.map((raw, i) => {
        const n = normaliseNumber(raw, deps.defaultRegion);
        if (!n) {
          throw new HotlineError(
            'HOTLINE_BAD_PHONE_NUMBER',
            `phones.${i}: "${raw}" is not a phone number`,
            {
              path: `phones.${i}`,
            },
          );
        }
        return { e164: n.e164, raw: raw.trim() };
      });
      if (body.ownerUserId != null && !(await deps.users.get(body.ownerUserId))) {
        throw new HotlineError('HOTLINE_VALIDATION', `ownerUserId: no user ${body.ownerUserId}`);
      }
      const customer = await deps.customers.create({ ...body, phones });
      res.status(201).json(customer);
    }),
  );

  r.get(
    '/customers',
    route(async (req, res) => {
      const q = parse(searchQuery, req.query);
      if (q.phone !== undefined) {
        const n = normaliseNumber(q.phone, deps.defaultRegion);
        if (!n)
          throw new HotlineError(
            'HOTLINE_BAD_PHONE_NUMBER',
            `phone: "${q.phone}" is not a phone number`,
          );
        res.json({ customers: await deps.customers.findByE164(n.e164), e164: n.e164 });
        return;
      }
      res.json({
        customers: await deps.customers.search({ name: q.q, limit: q.limit, offset: q.offset }),
      });
    }),
  );

  r.put(
    '/customers/:id',
    canEdit,
    route(async (req, res) => {
      const id = parse(z.coerce.number().int().positive(), req.params.id);
      const body = parse(editCustomerBody, req.body);
      const phones = body.phones?.map((raw, i) => {
        const n = normaliseNumber(raw, deps.defaultRegion);
        if (!n) {
          throw new HotlineError(
            'HOTLINE_BAD_PHONE_NUMBER',
            `phones.${i}: "${raw}" is not a phone number`,
            {
              path: `phones.${i}`,
            },
          );
        }
        return { e164: n.e164, raw: raw.trim() };
      });
      if (body.ownerUserId != null && !(await deps.users.get(body.ownerUserId))) {
        throw new HotlineError('HOTLINE_VALIDATION', `ownerUserId: no user ${body.ownerUserId}`);
      }
      const c = await deps.customers.update(id, { ...body, phones });
      if (!c) throw new HotlineError('HOTLINE_CUSTOMER_NOT_FOUND', `customer ${id} not found`);
      res.json(c);
    }),
  );

  r.get(
    '/customers/:id',
    route(async (req, res) => {
      const id = parse(z.coerce.number().int().positive(), req.params.id);
      const c = await deps.customers.get(id);
      if (!c) throw new HotlineError('HOTLINE_CUSTOMER_NOT_FOUND', `customer ${id} not found`);
      res.json(c);
    }),
  );
  return r;
}
