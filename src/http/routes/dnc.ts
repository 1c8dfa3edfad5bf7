import { Router } from 'express';
import type { z } from 'zod';
import {
  dncBody,
  dncDeleteBody,
  dncDeleteQuery,
  dncQuery,
  type dncEntrySchema,
  type dncListResponse,
} from '../../api/dnc';
import { normaliseNumber } from '../../customers/normalise-number';
import type { CampaignsRepo } from '../../outbound/campaigns/campaigns-repo';
import type { DncRepo } from '../../outbound/dnc/dnc-repo';
import { HotlineError } from '../../shared/errors';
import { currentUser, parse, route } from '../middleware';

/** The do-not-call list (supervisor, admin): phones normalised to E.164 like everywhere. */
export function dncRoutes(deps: {
  dnc: DncRepo;
  campaigns: Pick<CampaignsRepo, 'get'>;
  defaultRegion: string;
}) {
  const r = Router();
  const e164 = (raw: string, path = 'phone'): string => {
    const n = normaliseNumber(raw, deps.defaultRegion);
    if (!n)
      throw new HotlineError(
        'HOTLINE_BAD_PHONE_NUMBER',
        `${path}: "${raw}" is not a phone number`,
        {
          path,
        },
      );
    return n.e164;
  };
  const campaignOf = async (id: number | null | undefined): Promise<number | null> => {
    if (id === null || id === undefined) return null;
    if (!(await deps.campaigns.get(id)))
      throw new HotlineError('HOTLINE_VALIDATION', `campaignId: no campaign ${id}`, [
        { path: 'campaignId', message: `no campaign ${id}` },
      ]);
    return id;
  };

  r.get(
    '/dnc',
    route(async (req, res) => {
      const q = parse(dncQuery, req.query);
      const numbers = await deps.dnc.list({
        phone: q.phone === undefined ? undefined : e164(q.phone),
        campaignId: q.campaignId === 'global' ? null : q.campaignId,
        offset: q.offset,
        limit: q.limit,
      });
      res.json({ numbers } satisfies z.output<typeof dncListResponse>);
    }),
  );
  r.post(
    '/dnc',
    route(async (req, res) => {
      const body = parse(dncBody, req.body);
      const entry = await deps.dnc.add({
        phone: e164(body.phone),
        campaignId: await campaignOf(body.campaignId),
        reason: body.reason ?? null,
        userId: currentUser(req).id,
      });
      res.status(201).json(entry satisfies z.output<typeof dncEntrySchema>);
    }),
  );
  r.delete(
    '/dnc',
    route(async (req, res) => {
      const sent: unknown = req.body;
      const hasBody = typeof sent === 'object' && sent !== null && Object.keys(sent).length > 0;
      const body = hasBody ? parse(dncDeleteBody, sent) : parse(dncDeleteQuery, req.query);
      const removed = await deps.dnc.remove(e164(body.phone), body.campaignId ?? null);
      if (!removed)
        throw new HotlineError('HOTLINE_DNC_ENTRY_NOT_FOUND', 'that number is not on the list');
      res.status(204).end();
    }),
  );
  return r;
}
