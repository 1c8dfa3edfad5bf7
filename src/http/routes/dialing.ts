import { Router } from 'express';
import type { z } from 'zod';
import { numericId } from '../../api/common';
import type { dialResponse } from '../../api/dialing';
import type { Dialer } from '../../outbound/dialing/dialer';
import { currentUser, parse, route } from '../middleware';

const contactId = (v: unknown) => parse(numericId, v);

/** Preview dialing: the agent who got the contact's pop dials it or skips it. */
export function dialingRoutes(deps: { dialer: () => Dialer }) {
  const r = Router();
  r.post(
    '/contacts/:id/dial',
    route(async (req, res) => {
      const callId = await deps.dialer().dialPreview(contactId(req.params.id), currentUser(req));
      res.status(202).json({ callId } satisfies z.output<typeof dialResponse>);
    }),
  );
  r.post(
    '/contacts/:id/skip',
    route(async (req, res) => {
      await deps.dialer().skipPreview(contactId(req.params.id), currentUser(req));
      res.status(204).end();
    }),
  );
  return r;
}
