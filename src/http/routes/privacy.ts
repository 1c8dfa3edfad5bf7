import { Router } from 'express';
import type { z } from 'zod';
import { numericId, stringId } from '../../api/common';
import {
  accessAuditQuery,
  revealBody,
  type accessAuditResponse,
  type callRevealResponse,
  type customerRevealResponse,
} from '../../api/privacy';
import type { CallsRepo } from '../../calls/calls-repo';
import type { CustomersRepo } from '../../customers/customers-repo';
import type { CustomerAccessAudit } from '../../privacy/customer-access-audit';
import { HotlineError } from '../../shared/errors';
import { parse, route } from '../middleware';

/**
 * Reveals (qa, supervisor, admin: the route table) and the customer access audit (admin). A
 * reveal answers the numbers whole; the audit entry is written by src/http/number-masking.ts
 * before the answer leaves, as for every route the table marks `audit`.
 */
export function privacyRoutes(deps: {
  calls: Pick<CallsRepo, 'get'>;
  customers: Pick<CustomersRepo, 'get'>;
  audit: Pick<CustomerAccessAudit, 'list'>;
}) {
  const r = Router();
  r.post(
    '/calls/:id/reveal',
    route(async (req, res) => {
      const id = parse(stringId, req.params.id);
      parse(revealBody, req.body ?? {});
      const row = await deps.calls.get(id);
      if (!row) throw new HotlineError('HOTLINE_CALL_NOT_FOUND', `call ${id} not found`);
      res.json({
        callId: row.id,
        customerId: row.customer_id,
        callerNumber: row.caller_number,
        dialedNumber: row.dialed_number,
      } satisfies z.output<typeof callRevealResponse>);
    }),
  );
  r.post(
    '/customers/:id/reveal',
    route(async (req, res) => {
      const id = parse(numericId, req.params.id);
      parse(revealBody, req.body ?? {});
      const c = await deps.customers.get(id);
      if (!c) throw new HotlineError('HOTLINE_CUSTOMER_NOT_FOUND', `customer ${id} not found`);
      res.json({
        customerId: c.id,
        phones: c.phones.map((p) => ({ e164: p.e164, raw: p.raw })),
      } satisfies z.output<typeof customerRevealResponse>);
    }),
  );
  r.get(
    '/audit/customer-access',
    route(async (req, res) => {
      const q = parse(accessAuditQuery, req.query);
      res.json({
        entries: await deps.audit.list(q),
        limit: q.limit,
        offset: q.offset,
      } satisfies z.output<typeof accessAuditResponse>);
    }),
  );
  return r;
}
