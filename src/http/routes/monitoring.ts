import { Router } from 'express';
import type { z } from 'zod';
import { stringId } from '../../api/common';
import {
  monitorBody,
  monitorSessionsQuery,
  type monitorResponse,
  type monitorSessionsResponse,
} from '../../api/monitoring';
import type { MonitorControls } from '../../calls/monitor';
import type { MonitorSessionsRepo } from '../../monitoring/monitor-sessions-repo';
import { currentUser, parse, route } from '../middleware';

const callId = (v: unknown) => parse(stringId, v);

/** Listen / whisper / barge on a live call, and the audit of every session (docs/api-floor.md). */
export function monitoringRoutes(deps: {
  /** Looked up per request: the call engine is built after the HTTP app. */
  controls: () => MonitorControls;
  sessions: MonitorSessionsRepo;
}) {
  const r = Router();
  r.post(
    '/calls/:id/monitor',
    route(async (req, res) => {
      const { mode } = parse(monitorBody, req.body);
      const u = currentUser(req);
      const monitor = await deps.controls().start(callId(req.params.id), u, mode);
      res.status(202).json({ monitor } satisfies z.output<typeof monitorResponse>);
    }),
  );
  r.put(
    '/calls/:id/monitor',
    route(async (req, res) => {
      const { mode } = parse(monitorBody, req.body);
      const monitor = await deps.controls().change(callId(req.params.id), currentUser(req), mode);
      res.json({ monitor } satisfies z.output<typeof monitorResponse>);
    }),
  );
  r.delete(
    '/calls/:id/monitor',
    route(async (req, res) => {
      await deps.controls().stop(callId(req.params.id), currentUser(req));
      res.status(204).end();
    }),
  );
  r.get(
    '/monitor-sessions',
    route(async (req, res) => {
      const q = parse(monitorSessionsQuery, req.query);
      const u = currentUser(req);
      // QA sees its own sessions; supervisors and admins everyone's.
      const userId = u.role === 'qa' ? u.id : q.userId;
      res.json({
        sessions: await deps.sessions.list({ ...q, userId }),
      } satisfies z.output<typeof monitorSessionsResponse>);
    }),
  );
  return r;
}
