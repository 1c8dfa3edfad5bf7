import { Router } from 'express';
import type { z } from 'zod';
import { numericId } from '../../api/common';
import {
  customerSearchQuery,
  editCustomerBody,
  newCustomerBody,
  type customerSchema,
  type customersListResponse,
} from '../../api/customers';
import type { CustomersRepo } from '../../customers/customers-repo';
import type { UsersRepo } from '../../agents/users-repo';
import { normaliseNumber } from '../../customers/normalise-number';
import { HotlineError } from '../../shared/errors';
import { parse, route } from '../middleware';

export function customerRoutes(deps: {
  customers: CustomersRepo;
  users: UsersRepo;
  defaultRegion: string;
}) {
  const r = Router();

  r.post(
    '/customers',
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
      res.status(201).json(customer satisfies z.output<typeof customerSchema>);
    }),
  );

  r.get(
    '/customers',
    route(async (req, res) => {
      const q = parse(customerSearchQuery, req.query);
      if (q.phone !== undefined) {
        const n = normaliseNumber(q.phone, deps.defaultRegion);
        if (!n)
          throw new HotlineError(
            'HOTLINE_BAD_PHONE_NUMBER',
            `phone: "${q.phone}" is not a phone number`,
          );
        res.json({
          customers: await deps.customers.findByE164(n.e164),
          e164: n.e164,
        } satisfies z.output<typeof customersListResponse>);
        return;
      }
      res.json({
        customers: await deps.customers.search({ name: q.q, limit: q.limit, offset: q.offset }),
      } satisfies z.output<typeof customersListResponse>);
    }),
  );

  r.put(
    '/customers/:id',
    route(async (req, res) => {
      const id = parse(numericId, req.params.id);
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
      res.json(c satisfies z.output<typeof customerSchema>);
    }),
  );

  r.get(
    '/customers/:id',
    route(async (req, res) => {
      const id = parse(numericId, req.params.id);
      const c = await deps.customers.get(id);
      if (!c) throw new HotlineError('HOTLINE_CUSTOMER_NOT_FOUND', `customer ${id} not found`);
      res.json(c satisfies z.output<typeof customerSchema>);
    }),
  );
  return r;
}
