import type { Db } from '../db';
import { num } from '../db';
import {
  emptyInboundEvents,
  type Bucket,
  type InboundCounts,
  type InboundEventCounts,
} from '../metrics/definitions';
import {
  ABANDONED_SQL,
  ANSWERED_SQL,
  handledCountColumns,
  queueCountColumns,
  queueCountsOf,
  type Row,
} from '../metrics/period-counts';
import { bucketIndexSql, rangeOf } from './buckets-sql';

/** What a report is cut by besides its periods. */
export type Dimension = 'queue' | 'agent' | 'total';

export interface ReportFilter {
  queue?: string;
  agentId?: number;
  direction?: 'inbound' | 'outbound';
  campaignId?: number;
}

/** Counts of one period and one key (a queue name, an agent id as text, or `all`). */
export interface Keyed<T> {
  bucket: number;
  key: string;
  counts: T;
}

const keyColumn = (dim: Dimension, alias = '') =>
  dim === 'queue' ? `${alias}queue` : dim === 'agent' ? `${alias}agent_id` : `'all'`;

/**
 * The inbound report's counts (definitions.ts `inboundCallCounts`, summed) per period and key,
 * in one aggregate query over the calls that started in the periods: inbound calls with a
 * queue. By agent, the calls an agent answered (the record's agent); calls no agent answered
 * have no agent and are left out.
 */
export async function inboundCountsBy(
  db: Db,
  buckets: readonly Bucket[],
  dim: Dimension,
  f: ReportFilter,
  opts: { shortAbandonSec: number; wrapUpLimitMs: number },
): Promise<Array<Keyed<InboundCounts>>> {
  if (buckets.length === 0) return [];
  const range = rangeOf(buckets);
  const unanswered = (outcome: string) =>
    db.raw(`sum(case when answered_at is null and outcome = ? then 1 else 0 end) as ??`, [
      outcome,
      outcome.replace('-', '_'),
    ]);
  const q = db('calls')
    .where('direction', 'inbound')
    .whereNotNull('queue')
    .where('started_at', '>=', range.start)
    .where('started_at', '<', range.end)
    .select<Row[]>(
      db.raw('? as b', [bucketIndexSql(db, 'started_at', buckets)]),
      db.raw(`${keyColumn(dim)} as k`),
      db.raw('count(*) as offered'),
      ...queueCountColumns(db, opts.shortAbandonSec),
      db.raw(
        `max(case when ${ANSWERED_SQL} or (${ABANDONED_SQL}) then coalesce(wait_ms, answered_at - started_at, 0) else 0 end) as longest`,
      ),
      ...handledCountColumns(db, opts.wrapUpLimitMs),
      unanswered('no-agent'),
      unanswered('closed'),
      unanswered('callback'),
      unanswered('failed'),
      ...[1, 2, 3, 4, 5].map((score) =>
        db.raw('sum(case when survey_score = ? then 1 else 0 end) as ??', [score, `score${score}`]),
      ),
    )
    .groupBy('b', 'k');
  if (dim === 'agent') q.whereNotNull('agent_id');
  applyFilter(q, f);
  const rows = await q;
  return rows.map((r) => ({
    bucket: num(r.b),
    key: String(r.k),
    counts: {
      ...queueCountsOf(r),
      offered: num(r.offered ?? 0),
      longestWaitMs: num(r.longest ?? 0),
      handled: num(r.handled ?? 0),
      handledTalkMs: num(r.talk ?? 0),
      handledHoldMs: num(r.hold ?? 0),
      wrapUpMs: num(r.wrap ?? 0),
      noAgent: num(r.no_agent ?? 0),
      closed: num(r.closed ?? 0),
      callbackRequested: num(r.callback ?? 0),
      failed: num(r.failed ?? 0),
      surveyScores: [1, 2, 3, 4, 5].map((k) =>
        num(r[`score${k}`] ?? 0),
      ) as InboundCounts['surveyScores'],
    },
  }));
}

/** The filters as where clauses (any query over `calls`, aliased or not). */
function applyFilter(
  q: { where(column: string, value: string | number): unknown },
  f: ReportFilter,
  alias = '',
) {
  if (f.queue !== undefined) q.where(`${alias}queue`, f.queue);
  if (f.agentId !== undefined) q.where(`${alias}agent_id`, f.agentId);
  if (f.campaignId !== undefined) q.where(`${alias}campaign_id`, f.campaignId);
  if (f.direction !== undefined) q.where(`${alias}direction`, f.direction);
}

/**
 * The timeline's counts of the same calls: transfers the agent made, call-back offers heard,
 * call-backs asked for that were dialed and reached (their tasks). By agent, a transfer is
 * the transferring agent's; the call-backs are the record's agent's (none, mostly).
 */
export async function inboundEventCountsBy(
  db: Db,
  buckets: readonly Bucket[],
  dim: Dimension,
  f: ReportFilter,
): Promise<Array<Keyed<InboundEventCounts>>> {
  if (buckets.length === 0) return [];
  const range = rangeOf(buckets);
  const base = () => {
    const q = db('calls as c')
      .where('c.direction', 'inbound')
      .whereNotNull('c.queue')
      .where('c.started_at', '>=', range.start)
      .where('c.started_at', '<', range.end);
    applyFilter(q, { ...f, direction: undefined }, 'c.');
    return q;
  };
  const bucket = db.raw('? as b', [bucketIndexSql(db, 'c.started_at', buckets)]);
  const eventKey = dim === 'agent' ? 'e.agent_id' : keyColumn(dim, 'c.');
  const events = base()
    .join('call_events as e', 'e.call_id', 'c.id')
    .whereIn('e.type', ['transferred', 'callback-offered'])
    // An event of a call is never before its start: lets the (type, at) index narrow it.
    .where('e.at', '>=', range.start)
    .select<Row[]>(
      bucket,
      db.raw(`${eventKey} as k`),
      db.raw(`sum(case when e.type = 'transferred' then 1 else 0 end) as transfers`),
      db.raw(`count(distinct case when e.type = 'callback-offered' then c.id end) as offered`),
    )
    .groupBy('b', 'k');
  if (dim === 'agent') events.whereNotNull('e.agent_id');
  const tasks = base()
    .join('tasks as t', 't.call_id', 'c.id')
    .where('t.kind', 'callback')
    .select<Row[]>(
      bucket,
      db.raw(`${keyColumn(dim, 'c.')} as k`),
      db.raw('sum(case when t.attempts > 0 then 1 else 0 end) as dialed'),
      db.raw(`sum(case when t.result = 'reached' then 1 else 0 end) as reached`),
    )
    .groupBy('b', 'k');
  if (dim === 'agent') tasks.whereNotNull('c.agent_id');
  const [eRows, tRows] = await Promise.all([events, tasks]);
  const out = new Map<string, Keyed<InboundEventCounts>>();
  const at = (r: Row) => {
    const id = `${num(r.b)}|${String(r.k)}`;
    let v = out.get(id);
    if (!v) out.set(id, (v = { bucket: num(r.b), key: String(r.k), counts: emptyInboundEvents() }));
    return v.counts;
  };
  for (const r of eRows) {
    const c = at(r);
    c.transfersOut += num(r.transfers ?? 0);
    c.callbacksOffered += num(r.offered ?? 0);
  }
  for (const r of tRows) {
    const c = at(r);
    c.callbacksDialed += num(r.dialed ?? 0);
    c.callbacksReached += num(r.reached ?? 0);
  }
  return [...out.values()];
}
