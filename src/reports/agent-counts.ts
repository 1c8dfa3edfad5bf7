import type { Db } from '../db';
import { isPostgres, num } from '../db';
import {
  localDay,
  type AgentTime,
  type Bucket,
  type QaCounts,
  type SurveyCounts,
} from '../metrics/definitions';
import { handledCountColumns, type Row } from '../metrics/period-counts';
import { bucketIndexSql, rangeOf } from './buckets-sql';
import type { Keyed, ReportFilter } from './inbound-counts';

/** An agent's calls of a period: answered by them (any direction unless filtered). */
export interface AgentCallCounts {
  calls: number;
  handled: number;
  talkMs: number;
  holdMs: number;
  wrapUpMs: number;
  missedOffers: number;
  transfersOut: number;
  survey: SurveyCounts;
  qa: QaCounts;
}

export const emptyAgentCalls = (): AgentCallCounts => ({
  calls: 0,
  handled: 0,
  talkMs: 0,
  holdMs: 0,
  wrapUpMs: 0,
  missedOffers: 0,
  transfersOut: 0,
  survey: { sum: 0, responses: 0, asked: 0 },
  qa: { evaluations: 0, scoreSum: 0, criticalFails: 0 },
});

export const emptyAgentTime = (): AgentTime => ({
  loggedInMs: 0,
  handleMs: 0,
  idleMs: 0,
  byState: {},
});

function collector<T>(empty: () => T) {
  const out = new Map<string, Keyed<T>>();
  return {
    out,
    at(bucket: number, key: string): T {
      const id = `${bucket}|${key}`;
      let v = out.get(id);
      if (!v) out.set(id, (v = { bucket, key, counts: empty() }));
      return v.counts;
    },
  };
}

/** At most this many periods' calls summed one by one (SQLite allows 500 in a UNION). */
const MAX_PERIOD_SUMS = 100;

/** The calls of `range` joined to their agent, the users read first (see below). */
function answeredByAgent(db: Db, range: { start: number; end: number }) {
  const q = db('users as u');
  return (
    isPostgres(db)
      ? q.join('calls as c', 'c.agent_id', 'u.id')
      : q.crossJoin('calls as c', 'c.agent_id', 'u.id')
  )
    .where('c.started_at', '>=', range.start)
    .where('c.started_at', '<', range.end);
}

/**
 * Per period and agent: the calls they answered that started in it, with talk and after-call
 * work (the inbound report's definitions), the offers they missed (`agent-missed`), transfers
 * they made, the post-call survey of their calls and the QA evaluations submitted in it.
 */
export async function agentCallCountsBy(
  db: Db,
  buckets: readonly Bucket[],
  f: ReportFilter,
  opts: { wrapUpLimitMs: number },
): Promise<Array<Keyed<AgentCallCounts>>> {
  if (buckets.length === 0) return [];
  const range = rangeOf(buckets);
  const calls = (alias: string) => {
    const q = db(`calls as ${alias}`)
      .where(`${alias}.started_at`, '>=', range.start)
      .where(`${alias}.started_at`, '<', range.end);
    if (f.queue !== undefined) q.where(`${alias}.queue`, f.queue);
    if (f.direction !== undefined) q.where(`${alias}.direction`, f.direction);
    if (f.campaignId !== undefined) q.where(`${alias}.campaign_id`, f.campaignId);
    return q;
  };
  const b = (col: string) => db.raw('? as b', [bucketIndexSql(db, col, buckets)]);
  // Without call filters the calls an agent answered come from migration 020's index alone,
  // agent by agent: users first (in SQLite a CROSS JOIN, which keeps that order whatever its
  // statistics say), so a period is summed in agent order without a sort (a month of 293 000
  // calls on SQLite: 0.08 s, against 0.25 s through the starts and a sort). Several periods
  // (up to MAX_PERIOD_SUMS) are one such sum each, UNION ALL, rather than one sum grouped by
  // period and agent, which sorts every call first (a month by day: 0.1 s against 0.2 s;
  // PostgreSQL the same either way). A filter's column is not in that index: then the range
  // of starts and one grouped sum.
  const covered = f.queue === undefined && f.direction === undefined && f.campaignId === undefined;
  const sums = [
    db.raw('count(*) as calls'),
    ...handledCountColumns(db, opts.wrapUpLimitMs, 'c.'),
    db.raw('count(c.survey_score) as responses'),
    db.raw('sum(c.survey_score) as score_sum'),
  ];
  let answered: PromiseLike<Row[]>;
  if (covered && buckets.length <= MAX_PERIOD_SUMS) {
    const parts = buckets.map((period, i) => {
      const q = answeredByAgent(db, period)
        .whereNotNull('c.answered_at')
        .select<Row[]>(db.raw(`${i} as b`), 'u.id as k', ...sums)
        .groupBy('u.id');
      if (f.agentId !== undefined) q.where('u.id', f.agentId);
      return q;
    });
    answered = parts.length === 1 ? parts[0]! : db.queryBuilder<Row, Row[]>().unionAll(parts);
  } else {
    const q = calls('c')
      .whereNotNull('c.agent_id')
      .whereNotNull('c.answered_at')
      .select<Row[]>(b('c.started_at'), 'c.agent_id as k', ...sums)
      .groupBy('k', 'b');
    if (f.agentId !== undefined) q.where('c.agent_id', f.agentId);
    answered = q;
  }
  const events = calls('c')
    .join('call_events as e', 'e.call_id', 'c.id')
    .whereIn('e.type', ['agent-missed', 'transferred', 'survey-started'])
    .where('e.at', '>=', range.start)
    .select<Row[]>(
      b('c.started_at'),
      db.raw(`case when e.type = 'survey-started' then c.agent_id else e.agent_id end as k`),
      db.raw(`sum(case when e.type = 'agent-missed' then 1 else 0 end) as missed`),
      db.raw(`sum(case when e.type = 'transferred' then 1 else 0 end) as transfers`),
      db.raw(`count(distinct case when e.type = 'survey-started' then c.id end) as asked`),
    )
    .groupBy('b', 'k');
  if (f.agentId !== undefined)
    events.where((w) =>
      w
        .where((x) => x.whereNot('e.type', 'survey-started').where('e.agent_id', f.agentId!))
        .orWhere((x) => x.where('e.type', 'survey-started').where('c.agent_id', f.agentId!)),
    );
  const qa = db('qa_evaluations')
    .whereNotNull('agent_id')
    .where('submitted_at', '>=', range.start)
    .where('submitted_at', '<', range.end)
    .select<Row[]>(
      b('submitted_at'),
      'agent_id as k',
      db.raw('count(*) as n'),
      db.raw('sum(score) as score_sum'),
      db.raw('sum(case when critical_failed = ? then 1 else 0 end) as critical', [true]),
    )
    .groupBy('b', 'k');
  if (f.agentId !== undefined) qa.where('agent_id', f.agentId);
  const [aRows, eRows, qRows] = await Promise.all([answered, events, qa]);
  const c = collector(emptyAgentCalls);
  for (const r of aRows) {
    const x = c.at(num(r.b), String(r.k));
    x.calls += num(r.calls ?? 0);
    x.handled += num(r.handled ?? 0);
    x.talkMs += num(r.talk ?? 0);
    x.holdMs += num(r.hold ?? 0);
    x.wrapUpMs += num(r.wrap ?? 0);
    x.survey.responses += num(r.responses ?? 0);
    x.survey.sum += num(r.score_sum ?? 0);
  }
  for (const r of eRows) {
    if (r.k === null) continue;
    const x = c.at(num(r.b), String(r.k));
    x.missedOffers += num(r.missed ?? 0);
    x.transfersOut += num(r.transfers ?? 0);
    x.survey.asked += num(r.asked ?? 0);
  }
  for (const r of qRows) {
    const x = c.at(num(r.b), String(r.k));
    x.qa.evaluations += num(r.n ?? 0);
    x.qa.scoreSum += num(r.score_sum ?? 0);
    x.qa.criticalFails += num(r.critical ?? 0);
  }
  return [...c.out.values()];
}

/** On a call or in after-call work: handle time (occupancy's numerator). */
const HANDLING = ['on-call', 'wrap-up'];

/**
 * `ms` of an agent's time in a state (and break reason) into their time of a period, `handleMs`
 * of it on a call or in after-call work; the rest of an available agent's time is idle.
 */
function addTime(
  t: AgentTime,
  state: string,
  reason: string | number | null | undefined,
  ms: number,
  handleMs: number,
) {
  if (ms <= 0) return;
  t.loggedInMs += ms;
  t.handleMs += handleMs;
  if (state === 'available') t.idleMs += ms - handleMs;
  t.byState[state] = (t.byState[state] ?? 0) + ms;
  if (state === 'break' && reason) {
    const key = `break:${String(reason)}`;
    t.byState[key] = (t.byState[key] ?? 0) + ms;
  }
}

/** `ms` of a state-log stretch (state, reason, activity) into an agent's time of a period. */
function addStretch(t: AgentTime, r: Row, ms: number): void {
  addTime(t, String(r.state), r.reason, ms, HANDLING.includes(String(r.activity)) ? ms : 0);
}

/**
 * Per period and agent: their time from the state log, each stretch clipped to the periods it
 * overlaps. Grouped in SQL by (period it starts in, period it ends in, agent, state, reason,
 * activity) with the count and the sums of starts and ends, which is all the clipping needs:
 * a group's part in its first period is count × that period's end − Σ start, in its last
 * Σ end − count × that period's start, and the whole length of every period between.
 * A stretch still open runs to `now`.
 */
export async function agentTimeBy(
  db: Db,
  buckets: readonly Bucket[],
  f: Pick<ReportFilter, 'agentId'>,
  now: number,
): Promise<Array<Keyed<AgentTime>>> {
  if (buckets.length === 0) return [];
  const range = rangeOf(buckets);
  const end = db.raw('coalesce(ended_at, ?)', [now]);
  const grouped = () => {
    const q = db('agent_state_log')
      .select<Row[]>(
        db.raw('? as bs', [bucketIndexSql(db, 'started_at', buckets)]),
        db.raw('? as be', [bucketIndexSql(db, 'coalesce(ended_at, ?)', buckets, [now])]),
        'user_id',
        'state',
        'reason',
        'activity',
        db.raw('count(*) as n'),
        db.raw('sum(started_at) as s'),
        db.raw('sum(?) as e', [end]),
      )
      .groupBy('bs', 'be', 'user_id', 'state', 'reason', 'activity');
    if (f.agentId !== undefined) q.where('user_id', f.agentId);
    return q;
  };
  // Stretches that start in the range, and those that started before it and reach into it.
  const inside = grouped()
    .where('started_at', '>=', range.start)
    .where('started_at', '<', range.end);
  const before = grouped()
    .where('started_at', '<', range.start)
    .where((w) => w.where('ended_at', '>', range.start).orWhereNull('ended_at'));
  const rows: Row[] = [...((await inside) as Row[]), ...((await before) as Row[])];
  const c = collector(emptyAgentTime);
  const last = buckets.length - 1;
  for (const r of rows) {
    const n = num(r.n);
    const bs = num(r.bs);
    const be = Math.min(num(r.be), last + 1);
    const add = (i: number, ms: number) => {
      if (i >= 0 && i <= last) addStretch(c.at(i, String(r.user_id)), r, ms);
    };
    const s = num(r.s);
    const e = num(r.e);
    if (bs === be) {
      add(bs, e - s);
      continue;
    }
    if (bs >= 0) add(bs, n * buckets[bs]!.end - s);
    for (let i = Math.max(bs + 1, 0); i < be && i <= last; i++)
      add(i, n * (buckets[i]!.end - buckets[i]!.start));
    if (be <= last) add(be, e - n * buckets[be]!.start);
  }
  return [...c.out.values()];
}

/**
 * The same as `agentTimeBy` for periods made of whole local days (by day, week, month or the
 * range): the daily rollup (`agent_time_daily`) of the stretches that have ended, summed per
 * period in SQL (a month as one period is 2 000 rows, not 62 000: reading rows is most of the
 * cost), plus the stretches still open from the state log, clipped here. The rollup's days are
 * those of `timezone` (the zone it was written in). test/unit/reports/report-queries.test.ts
 * checks it gives what the state log gives.
 */
export async function agentTimeFromRollup(
  db: Db,
  buckets: readonly Bucket[],
  f: Pick<ReportFilter, 'agentId'>,
  now: number,
  timezone: string,
): Promise<Array<Keyed<AgentTime>>> {
  if (buckets.length === 0) return [];
  const range = rangeOf(buckets);
  // Each period's first local day; a day's period is the last whose first day is not after it.
  const firstDays = buckets.map((b) => localDay(b.start, timezone));
  const lastDay = localDay(range.end - 1, timezone);
  const bounds = firstDays.slice(1);
  const bucketOfDay = db.raw(
    bounds.length === 0
      ? '0'
      : `case ${bounds.map((_, i) => `when day < ? then ${i}`).join(' ')} else ${bounds.length} end`,
    bounds,
  );
  // Per state and reason, the activities summed apart only as handle time: half the rows.
  const q = db('agent_time_daily')
    .where('day', '>=', firstDays[0]!)
    .where('day', '<=', lastDay)
    .groupBy('b', 'user_id', 'state', 'reason')
    .select<Row[]>(
      db.raw('? as b', [bucketOfDay]),
      'user_id',
      'state',
      'reason',
      db.raw('sum(ms) as ms'),
      db.raw('sum(case when activity in (?, ?) then ms else 0 end) as handle', HANDLING),
    );
  const open = db('agent_state_log')
    .whereNull('ended_at')
    .where('started_at', '<', range.end)
    .select<Row[]>('user_id', 'state', 'reason', 'activity', 'started_at');
  if (f.agentId !== undefined) {
    q.where('user_id', f.agentId);
    open.where('user_id', f.agentId);
  }
  const [rolled, live] = await Promise.all([q, open]);
  const c = collector(emptyAgentTime);
  const add = (i: number, r: Row, ms: number) => addStretch(c.at(i, String(r.user_id)), r, ms);
  for (const r of rolled)
    addTime(c.at(num(r.b), String(r.user_id)), String(r.state), r.reason, num(r.ms), num(r.handle));
  for (const r of live) {
    const s = num(r.started_at);
    buckets.forEach((b, i) => add(i, r, Math.min(now, b.end) - Math.max(s, b.start)));
  }
  return [...c.out.values()];
}
