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
 * The numbers among `n` placeholders that are on the global list or this campaign's. `n` is a
 * power of two (the list padded with its last number), so there are few texts to prepare.
 */
const blockedAmongSql = (n: number) =>
  `select distinct "phone" from "dnc_numbers" where "phone" in (${Array(n).fill('?').join(', ')})` +
  ` and ("campaign_id" is null or "campaign_id" = ?)`;
/** Numbers per query: far under every engine's limit of bound parameters. */
const BLOCKED_CHUNK = 512;

/**
 * The do-not-call list (`dnc_numbers`). Checked at import (the row is kept, flagged) and again at
 * dial time; a `dnc` disposition adds the number for the campaign. Callers normalise to E.164.
 */
export function createDncRepo(db: Db, clock: Clock = systemClock) {
  /**
   * Which of these numbers are on the global list or this campaign's: the dialer asks once
   * for the contacts it has just claimed, before it dials them (one query, not one per number;
   * prepared statements, db/statements.ts).
   */
  async function blockedAmong(phones: readonly string[], campaignId: number): Promise<Set<string>> {
    const unique = [...new Set(phones)];
    const blocked = new Set<string>();
    for (let i = 0; i < unique.length; i += BLOCKED_CHUNK) {
      const chunk = unique.slice(i, i + BLOCKED_CHUNK);
      let n = 1;
      while (n < chunk.length) n *= 2;
      const padded = [...chunk, ...Array<string>(n - chunk.length).fill(chunk.at(-1)!)];
      const rows = await queryAll<{ phone: string }>(db, blockedAmongSql(n), [
        ...padded,
        campaignId,
      ]);
      for (const r of rows) blocked.add(r.phone);
    }
    return blocked;
  }

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
      return (await blockedAmong([phone], campaignId)).has(phone);
    },
    blockedAmong,
  };
}

export type DncRepo = ReturnType<typeof createDncRepo>;
