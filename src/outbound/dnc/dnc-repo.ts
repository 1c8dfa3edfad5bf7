import type { DncEntry as ApiDncEntry } from '../../api/dnc';
import type { Db } from '../../db/index';
import { num } from '../../db/index';
import { queryAll } from '../../db/statements';
import { isoOf, systemClock, type Clock } from '../../shared/clock';

export type DncEntry = ApiDncEntry;

interface DncRow {
  id: number;
  phone: string;
  campaign_id: number | null;
  reason: string | null;
  added_by: number | null;
  created_at: number | string;
}

const toEntry = (r: DncRow): DncEntry => ({
  id: r.id,
  phone: r.phone,
  campaignId: r.campaign_id,
  reason: r.reason,
  addedBy: r.added_by,
  createdAt: isoOf(num(r.created_at))!,
});

/**
 * The do-not-call list (`dnc_numbers`). Checked at import (the row is kept, flagged) and again at
 * dial time; a `dnc` disposition adds the number for the campaign. Callers normalise to E.164.
 */
const IS_BLOCKED = `select "id" from "dnc_numbers"
  where "phone" = ? and ("campaign_id" is null or "campaign_id" = ?) limit 1`;

export function createDncRepo(db: Db, clock: Clock = systemClock) {
  /** The entry of exactly this scope (global when campaignId is null). */
  const scoped = (trx: Db, phone: string, campaignId: number | null) => {
    const q = trx('dnc_numbers').where({ phone });
    return campaignId === null ? q.whereNull('campaign_id') : q.where({ campaign_id: campaignId });
  };

  return {
    /** Adds the number (idempotent: an existing entry of the same scope is returned as it is). */
    async add(
      e: {
        phone: string;
        campaignId: number | null;
        reason?: string | null;
        userId: number | null;
      },
      trx: Db = db,
    ): Promise<DncEntry> {
      const existing = await scoped(trx, e.phone, e.campaignId).first<DncRow | undefined>();
      if (existing) return toEntry(existing);
      const [row] = await trx('dnc_numbers')
        .insert({
          phone: e.phone,
          campaign_id: e.campaignId,
          reason: e.reason ?? null,
          added_by: e.userId,
          created_at: clock.now(),
        })
        .returning<DncRow[]>('*');
      return toEntry(row!);
    },
    /** Removes the entry of that scope (global when campaignId is null); how many went. */
    async remove(phone: string, campaignId: number | null): Promise<number> {
      return scoped(db, phone, campaignId).delete();
    },
    /** Newest first; `campaignId: null` = global entries only, absent = all. */
    async list(
      f: { phone?: string; campaignId?: number | null; offset?: number; limit?: number } = {},
    ): Promise<DncEntry[]> {
      const q = db('dnc_numbers')
        .select<DncRow[]>('*')
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .offset(f.offset ?? 0)
        .limit(f.limit ?? 100);
      if (f.phone !== undefined) q.where('phone', f.phone);
      if (f.campaignId === null) q.whereNull('campaign_id');
      else if (f.campaignId !== undefined) q.where('campaign_id', f.campaignId);
      return (await q).map(toEntry);
    },
    /** Is the number on the global list or on this campaign's? */
    async isBlocked(phone: string, campaignId: number): Promise<boolean> {
      // Asked before every number the dialer dials: a prepared statement (db/statements.ts).
      const rows = await queryAll(db, IS_BLOCKED, [phone, campaignId]);
      return rows.length > 0;
    },
  };
}

export type DncRepo = ReturnType<typeof createDncRepo>;
