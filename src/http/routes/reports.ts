import { Router, type Request, type Response } from 'express';
import type { z } from 'zod';
import type { Role } from '../../api/auth';
import {
  agentReportQuery,
  callExportQuery,
  complaintReportQuery,
  dailyReportParams,
  inboundReportQuery,
  outboundReportQuery,
  reviewParams,
  reviewQuery,
  type agentReportSchema,
  type AgentFigures,
  type InboundFigures,
} from '../../api/reports';
import type { UsersRepo } from '../../agents/users-repo';
import type { Db } from '../../db';
import { nextDay, startOfDay } from '../../metrics/definitions';
import { queryTerms } from '../../privacy/access-entry';
import type { CustomerAccessAudit } from '../../privacy/customer-access-audit';
import { scrubNumbers } from '../../privacy/mask-phone';
import type { NumberPolicy } from '../../privacy/number-policy';
import type { Clock } from '../../shared/clock';
import { HotlineError } from '../../shared/errors';
import type { Logger } from '../../shared/logger';
import { CALL_EXPORT_HEADER, callExportRows } from '../../reports/call-export';
import { sendCsv, type Cell } from '../../reports/csv';
import type { DailyReports } from '../../reports/daily-report';
import type { Reports } from '../../reports/reports';
import { reviewOf } from '../../reports/review';
import { currentUser, parse, route } from '../middleware';

export interface ReportRouteDeps {
  reports: Reports;
  daily: DailyReports;
  /** The connection reports read through (the read connection with SQLite). */
  db: Db;
  users: Pick<UsersRepo, 'get'>;
  policy: NumberPolicy;
  audit?: Pick<CustomerAccessAudit, 'write'>;
  clock: Clock;
  log: Logger;
  timezone: () => string;
}

const INBOUND_COLUMNS: Array<Exclude<keyof InboundFigures, 'satisfactionScores'>> = [
  'offered',
  'answered',
  'answeredWithinThreshold',
  'abandoned',
  'abandonedShort',
  'serviceLevelPct',
  'abandonRatePct',
  'asaMs',
  'longestWaitMs',
  'handled',
  'ahtMs',
  'avgTalkMs',
  'avgWrapUpMs',
  'transfersOut',
  'callbacksOffered',
  'callbacksRequested',
  'callbacksDialed',
  'callbacksReached',
  'noAgent',
  'closed',
  'failed',
  'satisfactionAverage',
];
const AGENT_COLUMNS = [
  'calls',
  'handled',
  'talkMs',
  'wrapUpMs',
  'ahtMs',
  'loggedInMs',
  'handleTimeMs',
  'idleMs',
  'occupancyPct',
  'callsPerHour',
  'talkMinPerHour',
  'satisfactionAverage',
  'surveyResponses',
  'surveyAsked',
  'surveyResponseRatePct',
  'qaEvaluations',
  'qaAverageScore',
  'qaCriticalFails',
  'missedOffers',
  'transfersOut',
] as const satisfies ReadonlyArray<keyof AgentFigures>;

/** An agent sees their own figures only: the filter is theirs whatever they asked. */
const own = (user: { id: number; role: Role }, agentId: number | undefined) =>
  user.role === 'agent' ? user.id : agentId;

/** The agents report's rows as CSV: the time per state as one column per state seen. */
function agentCsv(report: z.output<typeof agentReportSchema>) {
  const states = [...new Set(report.rows.flatMap((r) => Object.keys(r.stateMs)))].sort();
  return {
    header: ['period', 'agentId', 'name', ...AGENT_COLUMNS, ...states.map((s) => `stateMs:${s}`)],
    rows: report.rows.map((r): Cell[] => [
      r.period,
      r.agentId,
      r.name,
      ...AGENT_COLUMNS.map((c) => r[c]),
      ...states.map((s) => r.stateMs[s] ?? 0),
    ]),
  };
}

/**
 * GET /api/reports/…: the reports as JSON and CSV, the call records' export, the daily reports
 * and an agent's review inputs (docs/api-reports.md). The route table says who may call each;
 * an agent's answers are narrowed here to their own figures.
 */
export function reportRoutes(deps: ReportRouteDeps) {
  const r = Router();
  const csv = async (res: Response, name: string, header: string[], rows: Cell[][]) =>
    sendCsv(res, name, header, rows);

  const inbound = async (req: Request) => {
    const q = parse(inboundReportQuery, req.query);
    const user = currentUser(req);
    const agentId = own(user, q.agentId);
    return deps.reports.inbound(
      { ...q, by: user.role === 'agent' ? 'agent' : q.by },
      { queue: q.queue, agentId, campaignId: q.campaignId },
    );
  };
  const agents = async (req: Request) => {
    const q = parse(agentReportQuery, req.query);
    const user = currentUser(req);
    return deps.reports.agents(q, { ...q, agentId: own(user, q.agentId) });
  };
  const complaints = async (req: Request) => {
    const q = parse(complaintReportQuery, req.query);
    const user = currentUser(req);
    return deps.reports.complaints(q, { ownerUserId: own(user, q.ownerUserId) });
  };
  const outbound = async (req: Request) => {
    const q = parse(outboundReportQuery, req.query);
    return deps.reports.outbound(q, q);
  };

  r.get(
    '/reports/inbound',
    route(async (req, res) => void res.json(await inbound(req))),
  );
  r.get(
    '/reports/inbound/csv',
    route(async (req, res) => {
      const rep = await inbound(req);
      await csv(
        res,
        `inbound-${rep.from}-${rep.to}.csv`,
        ['period', 'key', 'name', ...INBOUND_COLUMNS],
        rep.rows.map((x) => [x.period, x.key, x.name, ...INBOUND_COLUMNS.map((c) => x[c])]),
      );
    }),
  );
  r.get(
    '/reports/agents',
    route(async (req, res) => void res.json(await agents(req))),
  );
  r.get(
    '/reports/agents/csv',
    route(async (req, res) => {
      const rep = await agents(req);
      const t = agentCsv(rep);
      await csv(res, `agents-${rep.from}-${rep.to}.csv`, t.header, t.rows);
    }),
  );
  r.get(
    '/reports/complaints',
    route(async (req, res) => void res.json(await complaints(req))),
  );
  r.get(
    '/reports/complaints/csv',
    route(async (req, res) => {
      const rep = await complaints(req);
      const rows: Cell[][] = rep.rows.flatMap((x) => [
        ...x.byCategory.map((c): Cell[] => [x.period, 'opened', c.category, c.severity, c.count]),
        [x.period, 'followed-up-in-time', null, null, x.followedUpInTime],
        [x.period, 'due', null, null, x.due],
        [x.period, 'follow-up-rate-pct', null, null, x.followUpRatePct],
      ]);
      for (const o of rep.overdue)
        rows.push([
          'overdue',
          `task ${o.taskId}`,
          o.category,
          o.severity,
          null,
          o.dueAt,
          o.ownerName,
        ]);
      await csv(
        res,
        `complaints-${rep.from}-${rep.to}.csv`,
        ['period', 'measure', 'category', 'severity', 'value', 'dueAt', 'owner'],
        rows,
      );
    }),
  );
  r.get(
    '/reports/outbound',
    route(async (req, res) => void res.json(await outbound(req))),
  );
  r.get(
    '/reports/outbound/csv',
    route(async (req, res) => {
      const rep = await outbound(req);
      await csv(
        res,
        `outbound-${rep.from}-${rep.to}.csv`,
        ['period', 'campaignId', 'name', 'measure', 'value'],
        rep.rows.flatMap((x) => [
          [x.period, x.campaignId, x.name, 'dialed', x.dialed],
          [x.period, x.campaignId, x.name, 'answeredByPerson', x.answeredByPerson],
          [x.period, x.campaignId, x.name, 'abandoned', x.abandoned],
          [x.period, x.campaignId, x.name, 'contactsReached', x.contactsReached],
          [x.period, x.campaignId, x.name, 'converted', x.converted],
          [x.period, x.campaignId, x.name, 'conversionPct', x.conversionPct],
          ...x.dispositions.map((d): Cell[] => [
            x.period,
            x.campaignId,
            x.name,
            `disposition:${d.code}`,
            d.calls,
          ]),
        ]),
      );
    }),
  );

  // The call records: streamed, numbers by the number policy, audited like other exports.
  r.get(
    '/reports/calls/csv',
    route(async (req, res) => {
      const q = parse(callExportQuery, req.query);
      const user = currentUser(req);
      const tz = deps.timezone();
      const range = { start: startOfDay(q.from, tz), end: startOfDay(nextDay(q.to), tz) };
      const f = { ...q, agentId: own(user, q.agentId) };
      // An agent exports their own calls only: nothing of anyone else's to audit.
      if (deps.audit && user.role !== 'agent')
        await deps.audit.write({
          at: deps.clock.now(),
          userId: user.id,
          role: user.role,
          action: 'export',
          customerId: null,
          callId: null,
          path: `GET ${scrubNumbers(req.originalUrl.split('?')[0] ?? req.path)}`,
          detail: queryTerms(req.query),
          count: null,
        });
      try {
        await sendCsv(
          res,
          `calls-${q.from}-${q.to}.csv`,
          CALL_EXPORT_HEADER,
          callExportRows(deps.db, range, f, {
            userId: user.id,
            role: user.role,
            policy: deps.policy,
            timezone: tz,
          }),
        );
      } catch (err) {
        // Headers are out: the client went away or the database failed mid-way; cut it short.
        if (!res.headersSent) throw err;
        deps.log.warn({ err }, 'call export cut short');
        res.destroy();
      }
    }),
  );

  r.get(
    '/reports/daily',
    route(async (_req, res) => void res.json({ reports: await deps.daily.list() })),
  );
  const daily = async (req: Request) => {
    const { day } = parse(dailyReportParams, req.params);
    const rep = await deps.daily.get(day);
    if (!rep) throw new HotlineError('HOTLINE_DAILY_REPORT_NOT_FOUND', `no daily report of ${day}`);
    return rep;
  };
  r.get(
    '/reports/daily/:day',
    route(async (req, res) => void res.json(await daily(req))),
  );
  r.get(
    '/reports/daily/:day/csv',
    route(async (req, res) => {
      const rep = await daily(req);
      const a = agentCsv(rep.agents);
      const rows: Cell[][] = [
        ...rep.queues.rows.map((x): Cell[] => [
          'queue',
          x.key,
          ...INBOUND_COLUMNS.map((c) => x[c]),
          ...a.header.slice(3).map(() => null),
        ]),
        ...a.rows.map((x): Cell[] => [
          'agent',
          x[2] ?? null,
          ...INBOUND_COLUMNS.map(() => null),
          ...x.slice(3),
        ]),
      ];
      await csv(
        res,
        `daily-${rep.day}.csv`,
        ['kind', 'name', ...INBOUND_COLUMNS, ...a.header.slice(3)],
        rows,
      );
    }),
  );

  r.get(
    '/reports/review/:agentId',
    route(async (req, res) => {
      const { agentId } = parse(reviewParams, req.params);
      const { month } = parse(reviewQuery, req.query);
      const user = currentUser(req);
      if (user.role === 'agent' && user.id !== agentId)
        throw new HotlineError('HOTLINE_FORBIDDEN', 'an agent sees their own review inputs only');
      const agent = await deps.users.get(agentId);
      if (!agent) throw new HotlineError('HOTLINE_USER_NOT_FOUND', `user ${agentId} not found`);
      res.json(await reviewOf(deps.reports, agent, month, deps.timezone()));
    }),
  );
  return r;
}
