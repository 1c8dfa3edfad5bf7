import { Router } from 'express';
import type { z } from 'zod';
import {
  breakReasonsBody,
  dispositionsBody,
  newQueueBody,
  queueNameParams,
  queueUpdateBody,
  type queueSchema,
  type queuesListResponse,
} from '../../api/admin';
import type { breakReasonsResponse, dispositionsResponse } from '../../api/desktop';
import { queueConfigSchema } from '../../config/schema';
import type { CodeLabel, Disposition, SettingsRepo } from '../../config/settings-repo';
import type { QueueSettings, Queues } from '../../routing/queues';
import { currentUser, parse, route } from '../middleware';

/** The documented bodies with the server's checks of hours and time zone (config/schema.ts). */
const rules = {
  hours: queueConfigSchema.shape.hours,
  timezone: queueConfigSchema.shape.timezone,
};
const newQueue = newQueueBody.extend(rules);
const queueUpdate = queueUpdateBody.extend({
  hours: rules.hours.optional(),
  timezone: rules.timezone.optional(),
});

const queueName = (v: unknown) => parse(queueNameParams.shape.name, v);

export interface AdminDeps {
  queues: Queues;
  settings: SettingsRepo;
  /** The very array the desktop routes and the wrap-up read: changed in place. */
  dispositions: Disposition[];
  /** The very array GET /api/break-reasons and the agent directory read: changed in place. */
  breakReasons: CodeLabel[];
  /** Queues or agents' skills changed: offer waiting calls again (the call engine's dispatch). */
  onChange?: () => void;
}

/** Queues (read by everyone, changed by admins), the dispositions and break reasons (admin). */
export function adminRoutes(deps: AdminDeps) {
  const r = Router();
  r.get('/queues', (_req, res) => {
    res.json({ queues: deps.queues.views() } satisfies z.output<typeof queuesListResponse>);
  });
  r.post(
    '/queues',
    route(async (req, res) => {
      const { name, ...settings } = parse(newQueue, req.body);
      const queue = await deps.queues.create(name, settings);
      deps.onChange?.();
      res.status(201).json(queue satisfies z.output<typeof queueSchema>);
    }),
  );
  r.put(
    '/queues/:name',
    route(async (req, res) => {
      const name = queueName(req.params.name);
      const body = parse(queueUpdate, req.body);
      // The schema fills defaults ([]) for absent lists: keep only what was sent.
      const sent = req.body as Record<string, unknown>;
      const settings = Object.fromEntries(
        Object.entries(body).filter(([k]) => sent[k] !== undefined),
      ) as QueueSettings;
      const queue = await deps.queues.update(name, settings);
      deps.onChange?.();
      res.json(queue satisfies z.output<typeof queueSchema>);
    }),
  );
  r.put(
    '/dispositions',
    route(async (req, res) => {
      const { dispositions } = parse(dispositionsBody, req.body);
      const list = dispositions.map((d) => ({ code: d.code, label: d.label }));
      await deps.settings.set('dispositions', list, currentUser(req).id);
      deps.dispositions.splice(0, deps.dispositions.length, ...list);
      res.json({ dispositions: deps.dispositions } satisfies z.output<typeof dispositionsResponse>);
    }),
  );
  r.put(
    '/break-reasons',
    route(async (req, res) => {
      const { reasons } = parse(breakReasonsBody, req.body);
      const list = reasons.map((d) => ({ code: d.code, label: d.label }));
      await deps.settings.set('breakReasons', list, currentUser(req).id);
      deps.breakReasons.splice(0, deps.breakReasons.length, ...list);
      res.json({ reasons: deps.breakReasons } satisfies z.output<typeof breakReasonsResponse>);
    }),
  );
  return r;
}
