import type { DailyReport } from '../api/reports';
import type { Db } from '../db';
import { num } from '../db';
import { localDay, nextDay, startOfDay } from '../metrics/definitions';
import { isoOf, type Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import type { Reports } from './reports';

const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes after local midnight of `HH:MM`. */
export function minutesOf(hhmm: string): number {
  const m = TIME_RE.exec(hhmm);
  if (!m) throw new Error(`not a time HH:MM: ${hhmm}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/**
 * The daily report (000's 工作日志): the previous local day per queue and per agent, produced by
 * the service once the day's `reports.dailyAt` (local time, default 00:30) has passed, and kept
 * in `daily_reports` (one row per day, the report as JSON) for download. Checked every minute
 * and at start, so a day the service was down for is produced when it comes back (the day
 * before only: older days can be asked for by date in the reports).
 */
export function createDailyReports(deps: {
  db: Db;
  reports: Reports;
  clock: Clock;
  log: Logger;
  timezone: () => string;
  dailyAt: string;
}) {
  const at = minutesOf(deps.dailyAt);
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;

  const api = {
    /** Builds and keeps the report of local day `day` (replacing one kept before). */
    async produce(day: string): Promise<DailyReport> {
      const timezone = deps.timezone();
      const range = { from: day, to: day, granularity: 'total' as const };
      const [queues, agents] = await Promise.all([
        deps.reports.inbound({ ...range, by: 'queue' }, {}),
        deps.reports.agents(range, {}),
      ]);
      const createdAt = deps.clock.now();
      const row = {
        day,
        timezone,
        period_start: startOfDay(day, timezone),
        period_end: startOfDay(nextDay(day), timezone),
        content: JSON.stringify({ queues, agents }),
        created_at: createdAt,
      };
      await deps.db('daily_reports').insert(row).onConflict('day').merge();
      return { day, timezone, createdAt: isoOf(createdAt)!, queues, agents };
    },
    async list(limit = 90): Promise<Array<{ day: string; timezone: string; createdAt: string }>> {
      const rows = await deps
        .db('daily_reports')
        .orderBy('day', 'desc')
        .limit(limit)
        .select<Array<{ day: string; timezone: string; created_at: number | string }>>(
          'day',
          'timezone',
          'created_at',
        );
      return rows.map((r) => ({
        day: r.day,
        timezone: r.timezone,
        createdAt: isoOf(num(r.created_at))!,
      }));
    },
    async get(day: string): Promise<DailyReport | null> {
      const r = await deps
        .db('daily_reports')
        .where({ day })
        .first<
          | { day: string; timezone: string; content: string; created_at: number | string }
          | undefined
        >('day', 'timezone', 'content', 'created_at');
      if (!r) return null;
      const content = JSON.parse(r.content) as Pick<DailyReport, 'queues' | 'agents'>;
      return { day: r.day, timezone: r.timezone, createdAt: isoOf(num(r.created_at))!, ...content };
    },
    /** If today's time has come and yesterday's report is not kept yet, produces it. */
    async tick(): Promise<string | null> {
      const tz = deps.timezone();
      const now = deps.clock.now();
      const today = localDay(now, tz);
      if ((now - startOfDay(today, tz)) / 60_000 < at) return null;
      const yesterday = nextDay(today, -1);
      const kept = await deps
        .db('daily_reports')
        .where({ day: yesterday })
        .first<{ day: string } | undefined>('day');
      if (kept) return null;
      await api.produce(yesterday);
      deps.log.info({ day: yesterday }, 'daily report produced');
      return yesterday;
    },
    start(everyMs = 60_000): void {
      const run = () => {
        if (running) return;
        running = api
          .tick()
          .then(() => undefined)
          .catch((err: unknown) => deps.log.error({ err }, 'daily report failed'))
          .finally(() => {
            running = null;
          });
      };
      run();
      timer = setInterval(run, everyMs);
      timer.unref();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
  };
  return api;
}

export type DailyReports = ReturnType<typeof createDailyReports>;
