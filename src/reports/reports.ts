import type {
  AgentFigures,
  AgentReport,
  ComplaintReport,
  InboundFigures,
  InboundReport,
  OutboundReport,
} from '../api/reports';
import type { Config } from '../config';
import type { Db } from '../db';
import { num } from '../db';
import {
  abandonRatePct,
  addInbound,
  averageHandleTimeMs,
  averageSpeedOfAnswerMs,
  averageWrapUpMs,
  averageHoldMs,
  conversionPct,
  emptyInbound,
  emptyInboundEvents,
  followUpRatePct,
  nextDay,
  occupancyPct,
  perLoggedInHour,
  qaAverage,
  reportBuckets,
  round,
  satisfaction,
  serviceLevelPct,
  type AgentTime,
  type Bucket,
  type FollowUpCounts,
  type Granularity,
  type InboundCounts,
  type InboundEventCounts,
} from '../metrics/definitions';
import { isoOf, type Clock } from '../shared/clock';
import {
  agentCallCountsBy,
  agentTimeBy,
  agentTimeFromRollup,
  emptyAgentCalls,
  emptyAgentTime,
  type AgentCallCounts,
} from './agent-counts';
import {
  abandon30dBy,
  complaintCountsBy,
  outboundCountsBy,
  overdueFollowUps,
} from './complaint-outbound-counts';
import {
  inboundCountsBy,
  inboundEventCountsBy,
  type Dimension,
  type ReportFilter,
} from './inbound-counts';

export interface ReportRange {
  from: string;
  to: string;
  granularity: Granularity | 'total';
}

export interface ReportSettings {
  timezone: string;
  shortAbandonSec: number;
  /** After-call work time (telephony.wrapUpSec), s. */
  wrapUpSec: number;
  /** Complaint follow-up days (desktop.complaintFollowUpDays; 002: 3). */
  followUpDays: number;
}

const int = (v: number | null) => (v === null ? null : Math.round(v));

/** The periods of a range; `total` is the whole range as one. */
export function bucketsOf(r: ReportRange, timezone: string): Bucket[] {
  if (r.granularity !== 'total') return reportBuckets(r.from, r.to, r.granularity, timezone);
  const days = reportBuckets(r.from, r.to, 'day', timezone);
  return [{ label: `${r.from}/${r.to}`, start: days[0]!.start, end: days[days.length - 1]!.end }];
}

/** The inbound figures (docs/metrics.md) of summed counts. */
export function inboundFigures(c: InboundCounts, e: InboundEventCounts): InboundFigures {
  return {
    offered: c.offered,
    answered: c.answered,
    answeredWithinThreshold: c.answeredWithinThreshold,
    abandoned: c.abandoned,
    abandonedShort: c.abandonedShort,
    serviceLevelPct: round(serviceLevelPct(c)),
    abandonRatePct: round(abandonRatePct(c)),
    asaMs: int(averageSpeedOfAnswerMs(c)),
    longestWaitMs: c.longestWaitMs,
    handled: c.handled,
    ahtMs: int(averageHandleTimeMs(c)),
    avgTalkMs: c.handled > 0 ? Math.round(c.handledTalkMs / c.handled) : null,
    avgHoldMs: int(averageHoldMs(c)),
    avgWrapUpMs: int(averageWrapUpMs(c)),
    transfersOut: e.transfersOut,
    callbacksOffered: e.callbacksOffered,
    callbacksRequested: c.callbackRequested,
    callbacksDialed: e.callbacksDialed,
    callbacksReached: e.callbacksReached,
    noAgent: c.noAgent,
    closed: c.closed,
    failed: c.failed,
    satisfactionAverage: round(
      satisfaction({
        sum: c.surveyScores.reduce((t, n, i) => t + n * (i + 1), 0),
        responses: c.surveyScores.reduce((t, n) => t + n, 0),
        asked: 0,
      }).average,
      2,
    ),
    satisfactionScores: [...c.surveyScores],
  };
}

/** The agent figures (docs/metrics.md) of one agent's counts and time. */
export function agentFigures(c: AgentCallCounts, t: AgentTime): AgentFigures {
  const s = satisfaction(c.survey);
  return {
    calls: c.calls,
    handled: c.handled,
    talkMs: c.talkMs,
    holdMs: c.holdMs,
    wrapUpMs: c.wrapUpMs,
    ahtMs: c.handled > 0 ? Math.round((c.talkMs + c.wrapUpMs) / c.handled) : null,
    loggedInMs: t.loggedInMs,
    handleTimeMs: t.handleMs,
    idleMs: t.idleMs,
    stateMs: t.byState,
    occupancyPct: round(occupancyPct(t)),
    callsPerHour: round(perLoggedInHour(c.calls, t.loggedInMs), 2),
    talkMinPerHour: round(perLoggedInHour(c.talkMs / 60_000, t.loggedInMs), 2),
    satisfactionAverage: round(s.average, 2),
    surveyResponses: s.responses,
    surveyAsked: c.survey.asked,
    surveyResponseRatePct: s.responseRate === null ? null : round(s.responseRate * 100),
    qaEvaluations: c.qa.evaluations,
    qaAverageScore: round(qaAverage(c.qa)),
    qaCriticalFails: c.qa.criticalFails,
    missedOffers: c.missedOffers,
    transfersOut: c.transfersOut,
  };
}

const followUpOf = (f: FollowUpCounts) => ({ ...f, followUpRatePct: round(followUpRatePct(f)) });

/**
 * The reports over the call records, the agent state log, complaints, QA and campaigns: the
 * definitions of src/metrics/definitions.ts applied to aggregate queries (inbound-counts.ts,
 * agent-counts.ts, complaint-outbound-counts.ts). Read-only.
 */
/** The settings every report reads, from the service's configuration (read at each report). */
export function reportSettingsOf(config: Config): () => ReportSettings {
  return () => ({
    timezone: config.telephony.timezone,
    shortAbandonSec: config.telephony.shortAbandonSec,
    wrapUpSec: config.telephony.wrapUpSec,
    followUpDays: config.desktop.complaintFollowUpDays,
  });
}

export function createReports(deps: { db: Db; clock: Clock; settings: () => ReportSettings }) {
  const { db } = deps;
  const userNames = async (ids: number[]) => {
    if (ids.length === 0) return new Map<number, string>();
    const rows = await db('users')
      .whereIn('id', ids)
      .select<Array<{ id: number; name: string }>>('id', 'name');
    return new Map(rows.map((r) => [num(r.id), r.name]));
  };
  const head = (r: ReportRange) => ({
    from: r.from,
    to: r.to,
    timezone: deps.settings().timezone,
    granularity: r.granularity,
  });
  const periodOf = (b: Bucket) => ({
    period: b.label,
    periodStart: isoOf(b.start)!,
    periodEnd: isoOf(b.end)!,
  });
  /**
   * A report row: its period, then its key's fields, then its figures. Object.assign rather than
   * `{ ...period, ...key, ...figures }`: V8 builds such a spread of several objects into one of
   * about 30 fields some 10× slower (a month's 15 500 rows by day took 0.5 s to build). A period's
   * times are written once, not once a row.
   */
  const periods = new WeakMap<Bucket, ReturnType<typeof periodOf>>();
  const rowOf = <K extends object, F extends object>(b: Bucket, key: K, figures: F) => {
    let period = periods.get(b);
    if (!period) periods.set(b, (period = periodOf(b)));
    return Object.assign({}, period, key, figures);
  };

  const api = {
    async inbound(r: ReportRange & { by: Dimension }, f: ReportFilter): Promise<InboundReport> {
      const s = deps.settings();
      const buckets = bucketsOf(r, s.timezone);
      const [counts, events] = await Promise.all([
        inboundCountsBy(db, buckets, r.by, f, {
          shortAbandonSec: s.shortAbandonSec,
          wrapUpLimitMs: s.wrapUpSec * 1000,
        }),
        inboundEventCountsBy(db, buckets, r.by, f),
      ]);
      const eventsOf = new Map(events.map((e) => [`${e.bucket}|${e.key}`, e.counts]));
      const names =
        r.by === 'agent'
          ? await userNames(counts.map((c) => Number(c.key)))
          : new Map<number, string>();
      const total = emptyInbound();
      const totalEvents = emptyInboundEvents();
      const rows = counts
        .filter((c) => c.bucket >= 0 && c.bucket < buckets.length)
        .sort((a, b) => a.bucket - b.bucket || a.key.localeCompare(b.key))
        .map((c) => {
          const e = eventsOf.get(`${c.bucket}|${c.key}`) ?? emptyInboundEvents();
          addInbound(total, c.counts);
          for (const k of Object.keys(totalEvents) as Array<keyof InboundEventCounts>)
            totalEvents[k] += e[k];
          return rowOf(
            buckets[c.bucket]!,
            {
              key: c.key,
              name: r.by === 'agent' ? (names.get(Number(c.key)) ?? `#${c.key}`) : c.key,
            },
            inboundFigures(c.counts, e),
          );
        });
      return {
        ...head(r),
        by: r.by,
        shortAbandonSec: s.shortAbandonSec,
        rows,
        total: inboundFigures(total, totalEvents),
      };
    },

    async agents(r: ReportRange, f: ReportFilter): Promise<AgentReport> {
      const s = deps.settings();
      const buckets = bucketsOf(r, s.timezone);
      const [calls, time] = await Promise.all([
        agentCallCountsBy(db, buckets, f, { wrapUpLimitMs: s.wrapUpSec * 1000 }),
        // Time is the agent's whatever the call filters say: a queue or direction has no time.
        // Whole days come from the daily rollup; hours from the state log itself.
        r.granularity === 'hour'
          ? agentTimeBy(db, buckets, f, deps.clock.now())
          : agentTimeFromRollup(db, buckets, f, deps.clock.now(), s.timezone),
      ]);
      const keys = new Map<string, { bucket: number; agentId: number }>();
      for (const x of [...calls, ...time])
        keys.set(`${x.bucket}|${x.key}`, { bucket: x.bucket, agentId: Number(x.key) });
      const callsOf = new Map(calls.map((c) => [`${c.bucket}|${c.key}`, c.counts]));
      const timeOf = new Map(time.map((c) => [`${c.bucket}|${c.key}`, c.counts]));
      const names = await userNames([...new Set([...keys.values()].map((k) => k.agentId))]);
      const rows = [...keys.entries()]
        .filter(([, k]) => k.bucket >= 0 && k.bucket < buckets.length)
        .map(([id, k]) => ({
          id,
          bucket: k.bucket,
          agentId: k.agentId,
          name: names.get(k.agentId) ?? `#${k.agentId}`,
        }))
        .sort((a, b) => a.bucket - b.bucket || a.name.localeCompare(b.name))
        .map((k) =>
          rowOf(
            buckets[k.bucket]!,
            { agentId: k.agentId, name: k.name },
            agentFigures(
              callsOf.get(k.id) ?? emptyAgentCalls(),
              timeOf.get(k.id) ?? emptyAgentTime(),
            ),
          ),
        );
      return { ...head(r), rows };
    },

    async complaints(r: ReportRange, f: { ownerUserId?: number }): Promise<ComplaintReport> {
      const s = deps.settings();
      const buckets = bucketsOf(r, s.timezone);
      const now = deps.clock.now();
      const [counts, overdue] = await Promise.all([
        complaintCountsBy(db, buckets, f, { followUpDays: s.followUpDays, now }),
        overdueFollowUps(db, now, { ...f, limit: 500 }),
      ]);
      const total: FollowUpCounts = { opened: 0, followedUpInTime: 0, due: 0 };
      const rows = buckets.map((b, i) => {
        const c = counts.get(i) ?? {
          opened: [],
          followUp: { opened: 0, followedUpInTime: 0, due: 0 },
        };
        total.opened += c.followUp.opened;
        total.followedUpInTime += c.followUp.followedUpInTime;
        total.due += c.followUp.due;
        return {
          ...periodOf(b),
          byCategory: c.opened.sort(
            (x, y) => x.category.localeCompare(y.category) || x.severity.localeCompare(y.severity),
          ),
          ...followUpOf(c.followUp),
        };
      });
      return {
        ...head(r),
        followUpDays: s.followUpDays,
        rows,
        total: followUpOf(total),
        overdue,
      };
    },

    async outbound(
      r: ReportRange,
      f: { campaignId?: number; agentId?: number },
    ): Promise<OutboundReport> {
      const s = deps.settings();
      const buckets = bucketsOf(r, s.timezone);
      const range = { start: buckets[0]!.start, end: buckets[buckets.length - 1]!.end };
      const asOf = Math.min(range.end - 1, deps.clock.now());
      const [counts, abandon] = await Promise.all([
        outboundCountsBy(db, buckets, f),
        f.agentId === undefined ? abandon30dBy(db, asOf, f.campaignId) : Promise.resolve(null),
      ]);
      const ids = new Set<number>([...counts.values()].map((c) => c.campaignId));
      for (const id of abandon?.keys() ?? []) ids.add(id);
      type CampaignRow = {
        id: number;
        name: string;
        dispositions: string;
        abandon_cap_pct: number | string;
      };
      const campaigns: CampaignRow[] = ids.size
        ? await db('campaigns')
            .whereIn('id', [...ids])
            .select<
              Array<{
                id: number;
                name: string;
                dispositions: string;
                abandon_cap_pct: number | string;
              }>
            >('id', 'name', 'dispositions', 'abandon_cap_pct')
        : [];
      const info = new Map(
        campaigns.map((c) => {
          let success = new Set<string>();
          try {
            const list = JSON.parse(c.dispositions) as Array<{
              code?: unknown;
              final?: unknown;
              success?: unknown;
            }>;
            success = new Set(
              list.filter((d) => d.final === true && d.success === true).map((d) => String(d.code)),
            );
          } catch {
            // a campaign whose dispositions cannot be read converts nothing
          }
          return [num(c.id), { name: c.name, success, capPct: num(c.abandon_cap_pct) }];
        }),
      );
      const rows = [...counts.values()]
        .filter((c) => c.bucket >= 0 && c.bucket < buckets.length)
        .sort((a, b) => a.bucket - b.bucket || a.campaignId - b.campaignId)
        .map((c) => {
          const ci = info.get(c.campaignId);
          const dispositions = c.counts.dispositions
            .map((d) => ({ ...d, success: ci?.success.has(d.code) ?? false }))
            .sort((x, y) => y.calls - x.calls || x.code.localeCompare(y.code));
          const converted = dispositions
            .filter((d) => d.success)
            .reduce((n, d) => n + d.contacts, 0);
          return {
            ...periodOf(buckets[c.bucket]!),
            campaignId: c.campaignId,
            name: ci?.name ?? `#${c.campaignId}`,
            dialed: c.counts.dialed,
            answeredByPerson: c.counts.answeredByPerson,
            abandoned: c.counts.abandoned,
            contactsReached: c.counts.contactsReached,
            dispositions,
            converted,
            conversionPct: round(conversionPct({ reached: c.counts.contactsReached, converted })),
          };
        });
      const abandon30d = [...(abandon?.entries() ?? [])].map(([id, a]) => {
        const ci = info.get(id);
        const ratePct = a.answered ? Math.round((a.abandoned / a.answered) * 10_000) / 100 : 0;
        const capPct = ci?.capPct ?? 3;
        return {
          campaignId: id,
          name: ci?.name ?? `#${id}`,
          asOf: isoOf(asOf)!,
          answered: a.answered,
          abandoned: a.abandoned,
          ratePct,
          capPct,
          overCap: ratePct > capPct,
        };
      });
      return { ...head(r), rows, abandon30d };
    },

    /** The local days of a month `YYYY-MM`. */
    monthDays(month: string): { from: string; to: string } {
      const from = `${month}-01`;
      let to = from;
      while (nextDay(to).slice(0, 7) === month) to = nextDay(to);
      return { from, to };
    },
  };
  return api;
}

export type Reports = ReturnType<typeof createReports>;
