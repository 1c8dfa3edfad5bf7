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
import { isManager } from '../../api/auth';
import { checkCustomerFields } from '../../customers/customer-fields';
import { keptNumber } from '../../privacy/masked-input';
import { currentUser, parse, route } from '../middleware';

/**
 * A name search by anyone but a supervisor or admin needs this many characters (after trimming;
 * Chinese names are two or three): no listing of the customer base by an empty or one-letter
 * search. Managers may list every customer (no `q`).
 */
export const MIN_NAME_QUERY = 2;

export function customerRoutes(deps: {
  customers: CustomersRepo;
  users: UsersRepo;
  defaultRegion: string;
}) {
  const r = Router();
  /** A number as sent, read in the default region; refused with its place in the body. */
  const phoneOf = (raw: string, i: number) => {
    const n = normaliseNumber(raw, deps.defaultRegion);
    if (!n)
      throw new HotlineError(
        'HOTLINE_BAD_PHONE_NUMBER',
        `phones.${i}: "${raw}" is not a phone number`,
        { path: `phones.${i}` },
      );
    return { e164: n.e164, raw: raw.trim() };
  };
  const checkOwner = async (ownerUserId: number | null | undefined) => {
    if (ownerUserId != null && !(await deps.users.get(ownerUserId)))
      throw new HotlineError('HOTLINE_VALIDATION', `ownerUserId: no user ${ownerUserId}`);
  };

  r.post(
    '/customers',
    route(async (req, res) => {
      const body = parse(newCustomerBody, req.body);
      checkCustomerFields(currentUser(req).role, body, null);
      const phones = body.phones.map((raw, i) => phoneOf(raw, i));
      await checkOwner(body.ownerUserId);
      const customer = await deps.customers.create({ ...body, phones });
      res.status(201).json(customer satisfies z.output<typeof customerSchema>);
    }),
  );

  r.get(
    '/customers',
    route(async (req, res) => {
      const q = parse(customerSearchQuery, req.query);
      const name = q.q?.trim() || undefined;
      if (
        q.phone === undefined &&
        !isManager(currentUser(req).role) &&
        [...(name ?? '')].length < MIN_NAME_QUERY
      )
        throw new HotlineError(
          'HOTLINE_VALIDATION',
          `q: at least ${MIN_NAME_QUERY} characters of a name, or search by phone`,
          [{ path: 'q', message: `at least ${MIN_NAME_QUERY} characters` }],
        );
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
        customers: await deps.customers.search({ name, limit: q.limit, offset: q.offset }),
      } satisfies z.output<typeof customersListResponse>);
    }),
  );

  r.put(
    '/customers/:id',
    route(async (req, res) => {
      const id = parse(numericId, req.params.id);
      const body = parse(editCustomerBody, req.body);
      const current = await deps.customers.get(id);
      if (!current)
        throw new HotlineError('HOTLINE_CUSTOMER_NOT_FOUND', `customer ${id} not found`);
      checkCustomerFields(currentUser(req).role, body, current);
      const phones = body.phones?.map((raw, i) => {
        // A number the requester was shown masked, sent back unchanged: the stored one stays.
        const kept = keptNumber(raw, current.phones);
        return kept ?? phoneOf(raw, i);
      });
      await checkOwner(body.ownerUserId);
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
