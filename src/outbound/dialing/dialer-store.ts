import type { Knex } from 'knex';
import type { Db } from '../../db/index';
import { isPostgres, num } from '../../db/index';
import { transact } from '../../db/statements';
import { systemClock, type Clock } from '../../shared/clock';
import {
  parseFields,
  toDialCampaign,
  type CampaignRow,
  type ContactRow,
} from '../campaigns/campaign-rows';
import type { DialContact, DialOutcome, DialerStore, Orphan } from './dialer-types';
import { createDncRepo } from '../dnc/dnc-repo';
import { joinedAgents } from '../campaigns/campaigns-repo';

/** Who a contact belongs to now: a pending call-back's agent, else the import's assignee. */
const OWNER = '(CASE WHEN callback_at IS NOT NULL THEN callback_user_id ELSE assigned_user_id END)';
const CLAIMABLE = ['new', 'scheduled'];

function toDialContact(r: ContactRow): DialContact {
  const pendingCallback = r.callback_at !== null && r.callback_at !== undefined;
  return {
    id: r.id,
    campaignId: r.campaign_id,
    phone: r.phone,
    timezone: r.timezone,
    fields: parseFields(r.fields),
    attempts: num(r.attempts),
    assignedUserId: r.assigned_user_id,
    ownerUserId: pendingCallback ? r.callback_user_id : r.assigned_user_id,
  };
}

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/**
 * The dialer's store over the database (DialerStore in dialer-types.ts). Claiming is atomic: in
 * one transaction the due candidates are selected (PostgreSQL: `FOR UPDATE SKIP LOCKED`, so two
 * instances never claim the same row) and flipped to in-progress only while still new/scheduled.
 */
/** An attempt's row: its campaign and the call's talk read by the insert itself. */
const RECORD_ATTEMPT = `insert into "outbound_attempts"
  ("campaign_id", "contact_id", "call_id", "outcome", "talk_ms", "at")
  values ((select "campaign_id" from "campaign_contacts" where "id" = ?), ?,
    (select "id" from "calls" where "id" = ?), ?,
    coalesce((select "talk_ms" from "calls" where "id" = ?), 0), ?)`;

/** The contact after an attempt; a contact settled meanwhile keeps the fate that settled it. */
const unlessSettled = (column: string) =>
  `"${column}" = case when "status" = 'in-progress' then ? else "${column}" end`;
const NEXT_STEP = `update "campaign_contacts" set "attempts" = "attempts" + 1, "last_outcome" = ?,
  ${['callback_at', 'callback_user_id', 'status', 'next_attempt_at', 'claimed_at'].map(unlessSettled).join(', ')},
  "updated_at" = ? where "id" = ?`;

export function createDialerStore(db: Db, clock: Clock = systemClock): DialerStore {
  const pg = isPostgres(db);
  const dnc = createDncRepo(db, clock);

  /** Back to due: scheduled when it was dialed before, else new. Never revives done/dnc. */
  const backToDue = (q: Knex.QueryBuilder, at: number | null) =>
    q.update({
      status: db.raw("CASE WHEN attempts > 0 THEN 'scheduled' ELSE 'new' END"),
      next_attempt_at: at,
      claimed_at: null,
      updated_at: clock.now(),
    });

  return {
    async runningCampaigns() {
      const rows = await db('campaigns')
        .where({ status: 'running' })
        .orderBy('id')
        .select<CampaignRow[]>('*');
      return rows.map(toDialCampaign);
    },

    joinedAgents: (campaignId) => joinedAgents(db, campaignId),

    async claimDue(campaignId, now, limit, filter = {}) {
      if (limit <= 0) return [];
      const users = [
        ...new Set([
          ...(filter.forUser !== undefined ? [filter.forUser] : []),
          ...(filter.owners ?? []),
        ]),
      ];
      return db.transaction(async (trx) => {
        const campaign = await trx('campaigns')
          .where({ id: campaignId })
          .first<{ max_attempts: number } | undefined>('max_attempts');
        if (!campaign) return [];
        const q = trx('campaign_contacts')
          .select<ContactRow[]>('*')
          .where({ campaign_id: campaignId })
          .whereIn('status', CLAIMABLE)
          .where((w) => {
            void w.whereNull('next_attempt_at').orWhere('next_attempt_at', '<=', now);
          })
          // Never past maxAttempts, but a promised call-back is kept whatever the attempts.
          .where((w) => {
            void w.where('attempts', '<', num(campaign.max_attempts)).orWhereNotNull('callback_at');
          })
          .where((w) => {
            void w.whereRaw(`${OWNER} IS NULL`);
            if (users.length)
              void w.orWhereRaw(`${OWNER} IN (${placeholders(users.length)})`, users);
          });
        // forUser: that user's call-backs, then their assigned contacts, then unowned ones.
        if (filter.forUser !== undefined)
          q.orderByRaw(
            `CASE WHEN ${OWNER} = ? AND callback_at IS NOT NULL THEN 0 WHEN ${OWNER} = ? THEN 1 ELSE 2 END`,
            [filter.forUser, filter.forUser],
          );
        q.orderByRaw('COALESCE(next_attempt_at, created_at)').orderBy('id').limit(limit);
        if (pg) q.forUpdate().skipLocked();
        const candidates = await q;
        if (!candidates.length) return [];
        const claimed = await trx('campaign_contacts')
          .whereIn(
            'id',
            candidates.map((c) => c.id),
          )
          .whereIn('status', CLAIMABLE)
          .update({ status: 'in-progress', claimed_at: now, updated_at: now })
          .returning<Array<{ id: number }>>('id');
        const ids = new Set(claimed.map((r) => r.id));
        return candidates.filter((c) => ids.has(c.id)).map(toDialContact);
      });
    },

    async release(contactId, at) {
      await backToDue(
        db('campaign_contacts')
          .where({ id: contactId })
          .whereIn('status', ['in-progress', ...CLAIMABLE]),
        at ?? null,
      );
    },

    async recordOutcome(contactId, o, first) {
      await transact(db, async (s) => {
        await first?.(s);
        // Two statements, no reads first: the call's talk and the contact's campaign are read by
        // the insert itself (call_id null when the attempt never got a record).
        await s.run(RECORD_ATTEMPT, [contactId, contactId, o.callId, o.outcome, o.callId, o.at]);
        // Settled meanwhile (a wrap-up saved before the hang-up, a do-not-call): the attempt
        // counts, the contact's fate stays as that decided it. SET reads the row as it was.
        await s.run(NEXT_STEP, [
          o.outcome,
          null,
          null,
          o.nextAttemptAt !== null ? 'scheduled' : 'done',
          o.nextAttemptAt,
          null,
          clock.now(),
          contactId,
        ]);
      });
    },

    async markDnc(contactId) {
      await db('campaign_contacts').where({ id: contactId }).update({
        status: 'dnc',
        next_attempt_at: null,
        claimed_at: null,
        updated_at: clock.now(),
      });
    },

    isBlocked: (phone, campaignId) => dnc.isBlocked(phone, campaignId),
    blockedAmong: (phones, campaignId) => dnc.blockedAmong(phones, campaignId),

    async recentAttempts(campaignId, since) {
      const rows = await db('outbound_attempts')
        .where({ campaign_id: campaignId })
        .where('at', '>=', since)
        .orderBy('at')
        .select<Array<{ at: number | string; outcome: string; talk_ms: number | string }>>(
          'at',
          'outcome',
          'talk_ms',
        );
      return rows.map((r) => ({
        at: num(r.at),
        outcome: r.outcome as DialOutcome,
        talkMs: num(r.talk_ms),
      }));
    },

    async releaseStale() {
      return backToDue(db('campaign_contacts').where({ status: 'in-progress' }), null);
    },

    async orphans(before) {
      const rows = await db('campaign_contacts')
        .where({ status: 'in-progress' })
        .where('claimed_at', '<', before)
        .orderBy('id')
        .limit(500)
        .select<ContactRow[]>('*');
      const out: Orphan[] = [];
      for (const r of rows) {
        const campaign = await db('campaigns').where({ id: r.campaign_id }).first<CampaignRow>();
        if (!campaign) continue;
        const call = await db('calls')
          .where({ contact_id: r.id })
          .where('started_at', '>=', num(r.claimed_at))
          .orderBy('started_at', 'desc')
          .first<{ id: string; ended_at: number | string | null; outcome: string | null }>(
            'id',
            'ended_at',
            'outcome',
          );
        const recorded = call
          ? Boolean(await db('outbound_attempts').where({ call_id: call.id }).first('id'))
          : false;
        out.push({
          contact: toDialContact(r),
          campaign: toDialCampaign(campaign),
          call: call
            ? { id: call.id, ended: call.ended_at !== null, outcome: call.outcome, recorded }
            : null,
        });
      }
      return out;
    },
  };
}
