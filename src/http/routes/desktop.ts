import { Router } from 'express';
import { z } from 'zod';
import type { CallControls } from '../../calls/call-controls';
import type { WrapUp } from '../../calls/wrap-up';
import type { Config } from '../../config';
import { currentUser, parse, route } from '../middleware';

const isoTime = z.iso.datetime({ offset: true }).transform((s) => Date.parse(s));

export const wrapUpBody = z.object({
  disposition: z.string().min(1).max(64),
  notes: z.string().max(5000).nullish(),
  /** The customer the agent picked or created for this caller: the record is linked to them. */
  customerId: z.number().int().positive().nullish(),
  /** Campaign calls: when to call back (a call-back disposition). */
  callbackAt: isoTime.nullish(),
  followUp: z.object({ dueAt: isoTime, note: z.string().max(1000).nullish() }).nullish(),
});

export const transferBody = z.object({
  mode: z.enum(['blind', 'attended']),
  target: z.discriminatedUnion('type', [
    z.object({ type: z.literal('agent'), userId: z.number().int().positive() }),
    z.object({ type: z.literal('queue'), name: z.string().min(1).max(64) }),
    z.object({ type: z.literal('external'), number: z.string().min(3).max(32) }),
  ]),
});

const callId = (v: unknown) => parse(z.string().min(1).max(64), v);

/** The agent's call controls, wrap-up, and the lists the desktop offers (from config). */
export function desktopRoutes(deps: {
  /** Looked up per request: the call engine is built after the HTTP app. */
  controls: () => CallControls;
  wrapUp: WrapUp;
  desktop: Config['desktop'];
}) {
  const r = Router();
  r.get('/dispositions', (_req, res) => {
    res.json({ dispositions: deps.desktop.dispositions });
  });
  r.get('/break-reasons', (_req, res) => {
    res.json({ reasons: deps.desktop.breakReasons });
  });
  r.get('/complaint-categories', (_req, res) => {
    res.json({ categories: deps.desktop.complaintCategories });
  });
  r.post(
    '/calls/:id/hold',
    route(async (req, res) => {
      await deps.controls().hold(callId(req.params.id), currentUser(req));
      res.status(204).end();
    }),
  );
  r.post(
    '/calls/:id/resume',
    route(async (req, res) => {
      await deps.controls().resume(callId(req.params.id), currentUser(req));
      res.status(204).end();
    }),
  );
  r.post(
    '/calls/:id/hangup',
    route(async (req, res) => {
      await deps.controls().hangup(callId(req.params.id), currentUser(req));
      res.status(204).end();
    }),
  );
  r.post(
    '/calls/:id/transfer',
    route(async (req, res) => {
      const body = parse(transferBody, req.body);
      await deps
        .controls()
        .transfer(callId(req.params.id), currentUser(req), body.mode, body.target);
      res.status(202).json({ ok: true });
    }),
  );
  r.post(
    '/calls/:id/transfer/complete',
    route(async (req, res) => {
      await deps.controls().completeTransfer(callId(req.params.id), currentUser(req));
      res.status(204).end();
    }),
  );
  r.post(
    '/calls/:id/transfer/cancel',
    route(async (req, res) => {
      await deps.controls().cancelTransfer(callId(req.params.id), currentUser(req));
      res.status(204).end();
    }),
  );
  r.post(
    '/calls/:id/recording/:action',
    route(async (req, res) => {
      const action = parse(z.enum(['start', 'pause', 'resume']), req.params.action);
      await deps.controls().recording(callId(req.params.id), currentUser(req), action);
      res.status(204).end();
    }),
  );
  r.put(
    '/calls/:id/wrapup',
    route(async (req, res) => {
      const body = parse(wrapUpBody, req.body);
      await deps.wrapUp(callId(req.params.id), currentUser(req), body);
      res.json({ ok: true });
    }),
  );
  return r;
}
