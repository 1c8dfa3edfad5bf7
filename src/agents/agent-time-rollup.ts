import type { Knex } from 'knex';
import { transact, type Statements } from '../db/statements';
import { localDayWindow } from '../metrics/definitions';

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
  let from = start;
  while (from < end) {
    // The day `from` falls in: a day a zone skipped (Samoa's 2011-12-30) never comes up.
    const day = localDayWindow(from, timeZone);
    // day.end > from always (localDayWindow's own check); the guard keeps the loop finite anyway.
    const to = day.end > from ? Math.min(end, day.end) : end;
    out.push([day.day, to - from]);
    from = to;
  }
  return out;
}

const ADD_TO_DAY = `insert into "agent_time_daily" ("day", "user_id", "state", "reason", "activity", "ms")
  values (?, ?, ?, ?, ?, ?)
  on conflict ("day", "user_id", "state", "reason", "activity")
  do update set "ms" = "agent_time_daily"."ms" + excluded."ms"`;

/**
 * Adds ended stretches to the daily rollup (`agent_time_daily`): each stretch's time per local
 * day, summed into the row of (day, agent, state, reason, activity). One prepared statement per
 * row (db/statements.ts), the same on SQLite and PostgreSQL (`insert … on conflict … do update`).
 */
export async function addToDailyRollup(
  s: Statements,
  stretches: readonly EndedStretch[],
  timeZone: string,
): Promise<void> {
  const sums = new Map<string, [string, number, string, string, string, number]>();
  for (const st of stretches)
    for (const [day, ms] of splitByDay(st.start, st.end, timeZone)) {
      const key = `${day}|${st.userId}|${st.state}|${st.reason ?? ''}|${st.activity}`;
      const row = sums.get(key);
      if (row) row[5] += ms;
      else sums.set(key, [day, st.userId, st.state, st.reason ?? '', st.activity, ms]);
    }
  for (const row of sums.values()) await s.run(ADD_TO_DAY, row);
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
    await transact(db, (s) =>
      addToDailyRollup(
        s,
        rows.map((r) => endedStretch(r, Number(r.ended_at))),
        timeZone,
      ),
    );
    after = rows[rows.length - 1]!.id;
  }
}
