import type { Db } from '../db';
import { num } from '../db';
import {
  DEFAULT_SHORT_ABANDON_SEC,
  emptyCounts,
  type QueueCounts,
  type SurveyCounts,
} from './definitions';
import { surveyRowsIn } from '../calls/survey-stats';

/** A period as [start, end) in epoch ms (`dayWindow` gives today's). */
export interface Period {
  start: number;
  end: number;
}

/** An agent's calls of a period: calls they answered, and the talk time of those that ended. */
export interface AgentCounts {
  calls: number;
  talkMs: number;
}

export type Row = Record<string, number | string | null>;

/**
 * The counts of definitions.ts (`callCounts`, summed per queue) for the inbound calls that started
 * in the period, in one aggregate query. The same as `tallyCalls` over the period's call records
 * (test/unit/metrics/period-counts.test.ts checks the two against each other): a call still live
 * counts as answered from its answer (its wait is answer − start until the record is closed).
 */
export const ANSWERED_SQL = 'answered_at is not null';
export const ABANDONED_SQL = "answered_at is null and outcome = 'abandoned'";

/**
 * The five counts of `QueueCounts` as aggregate columns (answered, within, wait, abandoned,
 * short) over `calls`: the one SQL form of `callCounts`, used by the wall and the reports.
 */
export function queueCountColumns(db: Db, shortAbandonSec = DEFAULT_SHORT_ABANDON_SEC) {
  const answered = ANSWERED_SQL;
  const abandoned = ABANDONED_SQL;
  return [
    db.raw(`sum(case when ${answered} then 1 else 0 end) as answered`),
    db.raw(`sum(case when ${answered} and service_level_met = ? then 1 else 0 end) as within`, [
      true,
    ]),
    db.raw(
      `sum(case when ${answered} then coalesce(wait_ms, answered_at - started_at) else 0 end) as wait`,
    ),
    db.raw(`sum(case when ${abandoned} then 1 else 0 end) as abandoned`),
    db.raw(`sum(case when ${abandoned} and wait_ms <= ? then 1 else 0 end) as short`, [
      shortAbandonSec * 1000,
    ]),
  ];
}

/**
 * The handled calls' sums as aggregate columns over `calls` (or its alias `c.`): handled (answered
 * and ended), their talk and hold, and their after-call work (`wrapUpOf`: end → wrap-up saved, at
 * most `wrapUpLimitMs`, the limit when never saved). The one SQL form of those definitions,
 * used by the inbound report and the per-agent report.
 */
export function handledCountColumns(db: Db, wrapUpLimitMs: number, alias = '') {
  const c = alias;
  const handled = `${c}answered_at is not null and ${c}ended_at is not null`;
  const lim = wrapUpLimitMs;
  return [
    db.raw(`sum(case when ${handled} then 1 else 0 end) as handled`),
    db.raw(`sum(case when ${handled} then coalesce(${c}talk_ms, 0) else 0 end) as talk`),
    db.raw(`sum(case when ${handled} then coalesce(${c}hold_ms, 0) else 0 end) as hold`),
    db.raw(
      `sum(case when not (${handled}) then 0 when ${c}wrapped_up_at is null then ? ` +
        `when ${c}wrapped_up_at <= ${c}ended_at then 0 when ${c}wrapped_up_at - ${c}ended_at > ? ` +
        `then ? else ${c}wrapped_up_at - ${c}ended_at end) as wrap`,
      [lim, lim, lim],
    ),
  ];
}

/** A row of `queueCountColumns` as `QueueCounts`. */
export function queueCountsOf(r: Row): QueueCounts {
  return {
    ...emptyCounts(),
    answered: num(r.answered ?? 0),
    answeredWithinThreshold: num(r.within ?? 0),
    answeredWaitMs: num(r.wait ?? 0),
    abandoned: num(r.abandoned ?? 0),
    abandonedShort: num(r.short ?? 0),
  };
}

export async function queueCountsIn(
  db: Db,
  period: Period,
  shortAbandonSec = DEFAULT_SHORT_ABANDON_SEC,
): Promise<Map<string, QueueCounts>> {
  const rows = await db('calls')
    .where('direction', 'inbound')
    .whereNotNull('queue')
    .where('started_at', '>=', period.start)
    .where('started_at', '<', period.end)
    .groupBy('queue')
    .select<Row[]>('queue', ...queueCountColumns(db, shortAbandonSec));
  const out = new Map<string, QueueCounts>();
  for (const r of rows) out.set(String(r.queue), queueCountsOf(r));
  return out;
}

/** Per agent: the calls of the period they answered (any direction) and those calls' talk time. */
export async function agentCountsIn(db: Db, period: Period): Promise<Map<number, AgentCounts>> {
  const rows = await db('calls')
    .whereNotNull('agent_id')
    .whereNotNull('answered_at')
    .where('started_at', '>=', period.start)
    .where('started_at', '<', period.end)
    .groupBy('agent_id')
    .select<Row[]>(
      'agent_id',
      db.raw('count(*) as calls'),
      db.raw('sum(coalesce(talk_ms, 0)) as talk'),
    );
  return new Map(
    rows.map((r) => [num(r.agent_id), { calls: num(r.calls ?? 0), talkMs: num(r.talk ?? 0) }]),
  );
}

/**
 * Per queue: the post-call survey of the period's calls (calls/handlers/survey.ts): callers
 * asked (the agent hung up first on a survey queue), scores given and their sum.
 */
export async function surveyCountsIn(db: Db, period: Period): Promise<Map<string, SurveyCounts>> {
  const rows = await surveyRowsIn(db, period.start, period.end);
  return new Map(
    rows
      .filter((r): r is typeof r & { queue: string } => r.queue !== null)
      .map((r) => [r.queue, { sum: r.total, responses: r.answered, asked: r.asked }]),
  );
}
