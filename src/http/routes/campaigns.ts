import { Router } from 'express';
import type { z } from 'zod';
import {
  contactsQuery,
  type campaignDetailResponse,
  type campaignSchema,
  type campaignsListResponse,
  type contactsListResponse,
  type joinResponse,
} from '../../api/campaigns';
import { numericId } from '../../api/common';
import { isManager } from '../../api/auth';
import type { User } from '../../agents/users-repo';
import {
  campaignBody,
  campaignUpdateBody,
  type Campaign,
  type CampaignStatus,
} from '../../outbound/campaigns/campaign-schema';
import type { CampaignsRepo } from '../../outbound/campaigns/campaigns-repo';
import type { DncRepo } from '../../outbound/dnc/dnc-repo';
import type { Queues } from '../../routing/queues';
import { HotlineError, notFound } from '../../shared/errors';
import { currentUser, parse, route } from '../middleware';

/** Issue 5: campaigns and the do-not-call list (docs/api-outbound.md). */
export interface OutboundDeps {
  campaigns: CampaignsRepo;
  dnc: DncRepo;
  /** Campaign queues must exist; telemarketers are their members. */
  queues: Pick<Queues, 'get' | 'all'>;
  defaultRegion: string;
  /** A campaign changed (status, settings, who joined or left): the dialer reads them again. */
  onChange?: () => void;
}

const idOf = (v: unknown) => parse(numericId, v);

/** Start, pause, stop: which statuses may go where (start and stop from anywhere). */
const ACTIONS: Record<string, { to: CampaignStatus; from: readonly CampaignStatus[] }> = {
  start: { to: 'running', from: ['draft', 'running', 'paused', 'stopped'] },
  pause: { to: 'paused', from: ['running', 'paused'] },
  stop: { to: 'stopped', from: ['draft', 'running', 'paused', 'stopped'] },
};

export function campaignRoutes(deps: OutboundDeps) {
  const r = Router();

  /** Is the user a member of the queue (a queue without members is everyone's)? */
  const serves = (queueName: string, user: User): boolean => {
    const q = deps.queues.get(queueName);
    return q !== undefined && (q.members.size === 0 || q.members.has(user.id));
  };
  const mayManage = (user: User) => isManager(user.role);
  const checkQueue = (name: string | undefined) => {
    if (name !== undefined && !deps.queues.get(name))
      throw new HotlineError('HOTLINE_VALIDATION', `queue: no queue "${name}"`, [
        { path: 'queue', message: `no queue "${name}"` },
      ]);
  };
  const found = async (id: number): Promise<Campaign> => {
    const c = await deps.campaigns.get(id);
    if (!c) throw notFound('HOTLINE_CAMPAIGN_NOT_FOUND', `campaign ${id}`);
    return c;
  };
  /** Managers see every campaign; an agent those of queues they are a member of. */
  const visible = async (id: number, user: User): Promise<Campaign> => {
    const c = await found(id);
    if (!mayManage(user) && !serves(c.queue, user))
      throw new HotlineError('HOTLINE_FORBIDDEN', `you are not a member of queue ${c.queue}`);
    return c;
  };

  r.post(
    '/campaigns',
    route(async (req, res) => {
      const body = parse(campaignBody, req.body);
      checkQueue(body.queue);
      const created: z.output<typeof campaignSchema> = await deps.campaigns.create(
        body,
        currentUser(req).id,
      );
      res.status(201).json(created);
    }),
  );
  r.put(
    '/campaigns/:id',
    route(async (req, res) => {
      const id = idOf(req.params.id);
      const body = parse(campaignUpdateBody, req.body);
      checkQueue(body.queue);
      const c = await deps.campaigns.update(id, body);
      if (!c) throw notFound('HOTLINE_CAMPAIGN_NOT_FOUND', `campaign ${id}`);
      deps.onChange?.();
      res.json(c satisfies z.output<typeof campaignSchema>);
    }),
  );
  r.get(
    '/campaigns',
    route(async (req, res) => {
      const user = currentUser(req);
      const queues = mayManage(user)
        ? undefined
        : deps.queues
            .all()
            .filter((q) => serves(q.name, user))
            .map((q) => q.name);
      res.json({
        campaigns: await deps.campaigns.list({ queues }),
        joined: await deps.campaigns.joinedBy(user.id),
      } satisfies z.output<typeof campaignsListResponse>);
    }),
  );
  r.get(
    '/campaigns/:id',
    route(async (req, res) => {
      const c = await visible(idOf(req.params.id), currentUser(req));
      res.json({
        ...c,
        stats: await deps.campaigns.stats(c.id),
      } satisfies z.output<typeof campaignDetailResponse>);
    }),
  );
  r.get(
    '/campaigns/:id/contacts',
    route(async (req, res) => {
      const c = await found(idOf(req.params.id));
      const q = parse(contactsQuery, req.query);
      const page: z.output<typeof contactsListResponse> = await deps.campaigns.listContacts(
        c.id,
        q,
      );
      res.json(page);
    }),
  );

  for (const [action, rule] of Object.entries(ACTIONS))
    r.post(
      `/campaigns/:id/${action}`,
      route(async (req, res) => {
        const c = await found(idOf(req.params.id));
        if (!rule.from.includes(c.status))
          throw new HotlineError(
            'HOTLINE_CAMPAIGN_NOT_RUNNING',
            `a ${c.status} campaign cannot ${action}`,
          );
        const updated = await deps.campaigns.setStatus(c.id, rule.to);
        deps.onChange?.();
        res.json(updated satisfies z.output<typeof campaignSchema> | null);
      }),
    );

  r.post(
    '/campaigns/:id/join',
    route(async (req, res) => {
      const user = currentUser(req);
      const c = await visible(idOf(req.params.id), user);
      await deps.campaigns.join(c.id, user.id);
      deps.onChange?.();
      res.json({ campaignId: c.id, joined: true } satisfies z.output<typeof joinResponse>);
    }),
  );
  r.post(
    '/campaigns/:id/leave',
    route(async (req, res) => {
      const user = currentUser(req);
      const c = await found(idOf(req.params.id));
      await deps.campaigns.leave(c.id, user.id);
      deps.onChange?.();
      res.json({ campaignId: c.id, joined: false } satisfies z.output<typeof joinResponse>);
    }),
  );
  return r;
}
