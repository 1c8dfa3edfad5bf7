import { Router } from 'express';
import { z } from 'zod';
import { configSchema, queueConfigSchema } from '../../config/schema';
import type { Disposition, SettingsRepo } from '../../config/settings-repo';
import type { QueueSettings, Queues } from '../../routing/queues';
import { currentUser, parse, requireRole, route } from '../middleware';

const members = z.array(z.number().int().positive()).max(1000);
/** Seconds of waiting before the call-back offer; null = never. */
const callbackOfferAfterSec = queueConfigSchema.shape.callbackOfferAfterSec.unwrap().nullable();

/** POST /api/queues: the config's queue rules, plus members. */
export const newQueueBody = queueConfigSchema.extend({
  members: members.default([]),
  callbackOfferAfterSec: callbackOfferAfterSec.optional(),
});

/** PUT /api/queues/:name: the same rules, every field optional (only those sent change). */
export const queueUpdateBody = queueConfigSchema
  .omit({ name: true })
  .partial()
  .extend({ members: members.optional(), callbackOfferAfterSec: callbackOfferAfterSec.optional() });

export const dispositionsBody = z.object({
  dispositions: z
    .array(configSchema.shape.desktop.shape.dispositions.element)
    .min(1)
    .max(100)
    .superRefine((list, ctx) => {
      const seen = new Set<string>();
      list.forEach((d, i) => {
        if (seen.has(d.code))
          ctx.addIssue({
            code: 'custom',
            path: [i, 'code'],
            message: `duplicate code "${d.code}"`,
          });
        seen.add(d.code);
      });
    }),
});

const queueName = (v: unknown) => parse(queueConfigSchema.shape.name, v);

export interface AdminDeps {
  queues: Queues;
  settings: SettingsRepo;
  /** The very array the desktop routes and the wrap-up read: changed in place. */
  dispositions: Disposition[];
  /** Queues or agents' skills changed: offer waiting calls again (the call engine's dispatch). */
  onChange?: () => void;
}

/** Queues (read by everyone, changed by admins) and the dispositions list (admin). */
export function adminRoutes(deps: AdminDeps) {
  const r = Router();
  r.get('/queues', (_req, res) => {
    res.json({ queues: deps.queues.views() });
  });
  r.post(
    '/queues',
    requireRole('admin'),
    route(async (req, res) => {
      const { name, ...settings } = parse(newQueueBody, req.body);
      const queue = await deps.queues.create(name, settings);
      deps.onChange?.();
      res.status(201).json(queue);
    }),
  );
  r.put(
    '/queues/:name',
    requireRole('admin'),
    route(async (req, res) => {
      const name = queueName(req.params.name);
      const body = parse(queueUpdateBody, req.body);
      // The schema fills defaults ([]) for absent lists: keep only what was sent.
      const sent = req.body as Record<string, unknown>;
      const settings = Object.fromEntries(
        Object.entries(body).filter(([k]) => sent[k] !== undefined),
      ) as QueueSettings;
      const queue = await deps.queues.update(name, settings);
      deps.onChange?.();
      res.json(queue);
    }),
  );
  r.put(
    '/dispositions',
    requireRole('admin'),
    route(async (req, res) => {
      const { dispositions } = parse(dispositionsBody, req.body);
      const list = dispositions.map((d) => ({ code: d.code, label: d.label }));
      await deps.settings.set('dispositions', list, currentUser(req).id);
      deps.dispositions.splice(0, deps.dispositions.length, ...list);
      res.json({ dispositions: deps.dispositions });
    }),
  );
  return r;
}
