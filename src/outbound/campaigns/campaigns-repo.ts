import type { Db } from '../../db/index';
import { isUniqueViolation, num } from '../../db/index';
import { systemClock, type Clock } from '../../shared/clock';
import { HotlineError } from '../../shared/errors';
import { createApplyDisposition } from '../dialing/apply-disposition';
import { toCampaign, toContact, type CampaignRow, type ContactRow } from './campaign-rows';
import type { Contact, ContactStatus } from './campaign-rows';
import {
  DEFAULT_DISPOSITIONS,
  DEFAULT_RETRY_MINUTES,
  type Campaign,
  type CampaignDisposition,
  type CampaignInput,
  type CampaignPatch,
  type CampaignStatus,
} from './campaign-schema';
import { campaignStats, type CampaignStats } from './campaign-stats';
import { createDncRepo, type DncRepo } from '../dnc/dnc-repo';

/** The telemarketers who joined a campaign, first joined first (the API and the dialer). */
export async function joinedAgents(db: Db, campaignId: number): Promise<number[]> {
  const rows = await db('campaign_agents')
    .where({ campaign_id: campaignId })
    .orderBy('joined_at')
    .orderBy('user_id')
    .select<Array<{ user_id: number }>>('user_id');
  return rows.map((r) => r.user_id);
}

const nameTaken = (name: string) =>
  new HotlineError('HOTLINE_CAMPAIGN_NAME_TAKEN', `a campaign named "${name}" exists`);

/** The columns of the fields sent (a PUT changes only those). */
function columnsOf(p: CampaignPatch, retryBase: Campaign['retryMinutes']): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  if (p.name !== undefined) row.name = p.name;
  if (p.queue !== undefined) row.queue = p.queue;
  if (p.mode !== undefined) row.mode = p.mode;
  if (p.hours !== undefined) row.hours = JSON.stringify(p.hours);
  if (p.timezone !== undefined) row.timezone = p.timezone;
  if (p.maxAttempts !== undefined) row.max_attempts = p.maxAttempts;
  if (p.retryMinutes !== undefined)
    row.retry_minutes = JSON.stringify({ ...retryBase, ...p.retryMinutes });
  if (p.callerId !== undefined) row.caller_id = p.callerId;
  if (p.script !== undefined) row.script = p.script;
  if (p.dispositions !== undefined) row.dispositions = JSON.stringify(p.dispositions);
  if (p.recording !== undefined) row.recording = p.recording;
  if (p.abandonCapPct !== undefined) row.abandon_cap_pct = p.abandonCapPct;
  if (p.amd !== undefined) row.amd = p.amd;
  return row;
}

/**
 * Outbound campaigns (docs/api-outbound.md): settings, status, joined telemarketers, stats, the
 * contact list, and what a wrap-up's disposition does to a contact. The pacing ratio is the
 * dialer's latest decision, kept in memory (it is recomputed every pass).
 */
export function createCampaignsRepo(
  db: Db,
  clock: Clock = systemClock,
  dnc: Pick<DncRepo, 'add'> = createDncRepo(db, clock),
) {
  const ratios = new Map<number, number>();
  const applyDisposition = createApplyDisposition(db, dnc, clock);

  async function get(id: number): Promise<Campaign | null> {
    const row = await db('campaigns').where({ id }).first<CampaignRow | undefined>();
    return row ? toCampaign(row) : null;
  }
  async function guardName<T>(name: string | undefined, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (err) {
      if (name !== undefined && isUniqueViolation(err)) throw nameTaken(name);
      throw err;
    }
  }
  const pacingRatio = (campaignId: number): number => ratios.get(campaignId) ?? 1;

  return {
    get,
    async create(input: CampaignInput, userId: number | null): Promise<Campaign> {
      const now = clock.now();
      const [row] = await guardName(input.name, () =>
        db('campaigns')
          .insert({
            ...columnsOf(
              { ...input, dispositions: input.dispositions ?? [...DEFAULT_DISPOSITIONS] },
              DEFAULT_RETRY_MINUTES,
            ),
            status: 'draft',
            created_by: userId,
            created_at: now,
            updated_at: now,
          })
          .returning<Array<{ id: number }>>('id'),
      );
      return (await get(row!.id))!;
    },
    /** Changes the fields sent; null when there is no such campaign. */
    async update(id: number, patch: CampaignPatch): Promise<Campaign | null> {
      const current = await get(id);
      if (!current) return null;
      const row = columnsOf(patch, current.retryMinutes);
      await guardName(patch.name, () =>
        db('campaigns')
          .where({ id })
          .update({ ...row, updated_at: clock.now() }),
      );
      return get(id);
    },
    /** Newest first; `queues` keeps the campaigns of those queues only. */
    async list(f: { queues?: readonly string[] } = {}): Promise<Campaign[]> {
      const q = db('campaigns').select<CampaignRow[]>('*').orderBy('id', 'desc');
      if (f.queues) q.whereIn('queue', [...f.queues]);
      return (await q).map(toCampaign);
    },
    async setStatus(id: number, status: CampaignStatus): Promise<Campaign | null> {
      await db('campaigns').where({ id }).update({ status, updated_at: clock.now() });
      return get(id);
    },

    /** A telemarketer joins (idempotent): the dialer gives them this campaign's work. */
    async join(campaignId: number, userId: number): Promise<void> {
      await db('campaign_agents')
        .insert({ campaign_id: campaignId, user_id: userId, joined_at: clock.now() })
        .onConflict(['campaign_id', 'user_id'])
        .ignore();
    },
    async leave(campaignId: number, userId: number): Promise<void> {
      await db('campaign_agents').where({ campaign_id: campaignId, user_id: userId }).delete();
    },
    /** Joined users, first joined first. */
    joinedAgents: (campaignId: number) => joinedAgents(db, campaignId),
    /** The campaigns this user has joined. */
    async joinedBy(userId: number): Promise<number[]> {
      const rows = await db('campaign_agents')
        .where({ user_id: userId })
        .select<Array<{ campaign_id: number }>>('campaign_id');
      return rows.map((r) => r.campaign_id);
    },

    stats(campaignId: number, now: number = clock.now()): Promise<CampaignStats> {
      return campaignStats(db, campaignId, now, pacingRatio(campaignId));
    },
    /** The dialer's latest over-dial ratio for this campaign (stats show it; 1 until set). */
    setPacingRatio(campaignId: number, ratio: number): void {
      ratios.set(campaignId, ratio);
    },
    pacingRatio,

    /** The campaign's contacts by id, with the total of that filter. */
    async listContacts(
      campaignId: number,
      f: { status?: ContactStatus; offset?: number; limit?: number } = {},
    ): Promise<{ contacts: Contact[]; total: number }> {
      const base = () => {
        const q = db('campaign_contacts').where({ campaign_id: campaignId });
        if (f.status !== undefined) q.where('status', f.status);
        return q;
      };
      const rows = await base()
        .select<ContactRow[]>('*')
        .orderBy('id')
        .offset(f.offset ?? 0)
        .limit(f.limit ?? 100);
      const [total] = await base().count<Array<{ n: number | string }>>({ n: '*' });
      return { contacts: rows.map(toContact), total: num(total?.n) };
    },

    /** The wrap-up's campaign hook: the campaign's dispositions, null when it is gone. */
    async dispositions(campaignId: number): Promise<CampaignDisposition[] | null> {
      return (await get(campaignId))?.dispositions ?? null;
    },
    applyDisposition,
  };
}

export type CampaignsRepo = ReturnType<typeof createCampaignsRepo>;
