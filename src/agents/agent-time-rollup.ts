import type { Knex } from 'knex';
import { localDay, nextDay, startOfDay } from '../metrics/definitions';

/** A stretch of the state log that has ended. */
export interface EndedStretch {
  userId: number;
  state: string;
  reason: string | null;
  activity: string;
  start: number;
  end: number;
}

/** A state-log row as a stretch that ended at `end`. */
export function endedStretch(
  r: {
    user_id: number;
    state: string;
    reason: string | null;
    activity: string;
    started_at: number | string;
  },
  end: number,
): EndedStretch {
  return {
    userId: r.user_id,
    state: r.state,
    reason: r.reason,
    activity: r.activity,
    start: Number(r.started_at),
    end,
  };
}

/** The parts of a stretch in each local day it covers: [day, ms]. */
export function splitByDay(start: number, end: number, timeZone: string): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  let day = localDay(start, timeZone);
  let from = start;
  while (from < end) {
    const dayEnd = startOfDay(nextDay(day), timeZone);
    const to = Math.min(end, dayEnd);
    if (to > from) out.push([day, to - from]);
    from = to;
    day = nextDay(day);
  }
  return out;
}

/**
 * Adds ended stretches to the daily rollup (`agent_time_daily`): each stretch's time per local
 * day, summed into the row of (day, agent, state, reason, activity). The same on SQLite and
 * PostgreSQL (`insert … on conflict … do update`).
 */
export async function addToDailyRollup(
  db: Knex | Knex.Transaction,
  stretches: readonly EndedStretch[],
  timeZone: string,
): Promise<void> {
  const sums = new Map<string, Record<string, string | number>>();
  for (const s of stretches)
    for (const [day, ms] of splitByDay(s.start, s.end, timeZone)) {
      const key = `${day}|${s.userId}|${s.state}|${s.reason ?? ''}|${s.activity}`;
      const row = sums.get(key);
      if (row) row.ms = Number(row.ms) + ms;
      else
        sums.set(key, {
          day,
          user_id: s.userId,
          state: s.state,
          reason: s.reason ?? '',
          activity: s.activity,
          ms,
        });
    }
  const rows = [...sums.values()];
  for (let i = 0; i < rows.length; i += 400)
    await db('agent_time_daily')
      .insert(rows.slice(i, i + 400))
      .onConflict(['day', 'user_id', 'state', 'reason', 'activity'])
      .merge({ ms: db.raw('?? + excluded.ms', ['agent_time_daily.ms']) });
}

/** Rebuilds the whole rollup from the state log's ended stretches (bench, repair), in pages. */
export async function rebuildDailyRollup(db: Knex, timeZone: string, page = 20_000): Promise<void> {
  await db('agent_time_daily').delete();
  let after = 0;
  for (;;) {
    const rows = await db('agent_state_log')
      .whereNotNull('ended_at')
      .where('id', '>', after)
      .orderBy('id')
      .limit(page)
      .select<
        Array<{
          id: number;
          user_id: number;
          state: string;
          reason: string | null;
          activity: string;
          started_at: number | string;
          ended_at: number | string;
        }>
      >('id', 'user_id', 'state', 'reason', 'activity', 'started_at', 'ended_at');
    if (rows.length === 0) return;
    await addToDailyRollup(
      db,
      rows.map((r) => endedStretch(r, Number(r.ended_at))),
      timeZone,
    );
    after = rows[rows.length - 1]!.id;
  }
}
