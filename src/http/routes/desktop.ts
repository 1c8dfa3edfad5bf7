import { Router } from 'express';
import type { z } from 'zod';
import { stringId, type okResponse } from '../../api/common';
import {
  recordingActionSchema,
  transferBody,
  wrapUpBody,
  type breakReasonsResponse,
  type complaintCategoriesResponse,
  type dispositionsResponse,
} from '../../api/desktop';
import type { CallControls } from '../../calls/call-controls';
import type { WrapUp } from '../../calls/wrap-up';
import type { Config } from '../../config';
import { currentUser, parse, route } from '../middleware';

const callId = (v: unknown) => parse(stringId, v);

/** The agent's call controls, wrap-up, and the lists the desktop offers (from config). */
export function desktopRoutes(deps: {
  /** Looked up per request: the call engine is built after the HTTP app. */
  controls: () => CallControls;
  wrapUp: WrapUp;
  desktop: Config['desktop'];
}) {
  const r = Router();
  r.get('/dispositions', (_req, res) => {
    res.json({
      dispositions: deps.desktop.dispositions,
    } satisfies z.output<typeof dispositionsResponse>);
  });
  r.get('/break-reasons', (_req, res) => {
    res.json({ reasons: deps.desktop.breakReasons } satisfies z.output<
      typeof breakReasonsResponse
    >);
  });
  r.get('/complaint-categories', (_req, res) => {
    res.json({
      categories: deps.desktop.complaintCategories,
    } satisfies z.output<typeof complaintCategoriesResponse>);
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
      res.status(202).json({ ok: true } satisfies z.output<typeof okResponse>);
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
      const action = parse(recordingActionSchema, req.params.action);
      await deps.controls().recording(callId(req.params.id), currentUser(req), action);
      res.status(204).end();
    }),
  );
  r.put(
    '/calls/:id/wrapup',
    route(async (req, res) => {
      const body = parse(wrapUpBody, req.body);
      await deps.wrapUp(callId(req.params.id), currentUser(req), body);
      res.json({ ok: true } satisfies z.output<typeof okResponse>);
    }),
  );
  return r;
}
