import type { Db } from '../db';
import { dayWindow } from '../metrics/definitions';
import { agentCountsIn, queueCountsIn, surveyCountsIn } from '../metrics/period-counts';
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import type { TodayFigures } from './wall-model';

/**
 * Today's figures for the wall, from the calls table: recomputed with three aggregate queries
 * (period-counts.ts) when told that something they count was written, at most once per
 * `minIntervalMs` (1 s), and at the start of a new day.
 *
 * Why recompute rather than keep counters up to date from the engine's facts: the figures then
 * are, by construction, what the reports will say for the same day (the same queries), whatever
 * happened in between (a restart, calls closed by the reconciliation, a transfer answered again,
 * a threshold changed); counting facts would repeat project-record.ts's rules and drift from
 * them. The cost is bounded: a burst of 100 calls is one indexed range aggregate per second on
 * the read connection, beside the call path's writes (`createReadDb`), and nothing when idle.
 */
export function createTodayFigures(deps: {
  db: Db;
  clock: Clock;
  timezone: string;
  shortAbandonSec: number;
  log: Logger;
  /** The figures changed (a recompute finished). */
  onChange: () => void;
  minIntervalMs?: number;
}) {
  const minIntervalMs = deps.minIntervalMs ?? 1000;
  const dayOf = (at: number) => ({ ...dayWindow(at, deps.timezone), timezone: deps.timezone });
  let figures: TodayFigures = {
    day: dayOf(deps.clock.now()),
    queues: new Map(),
    agents: new Map(),
    surveys: new Map(),
  };
  let running: Promise<void> | null = null;
  let again = false;
  let lastStart = -Infinity;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  async function recompute(): Promise<void> {
    const day = dayOf(deps.clock.now());
    try {
      const [queues, agents, surveys] = await Promise.all([
        queueCountsIn(deps.db, day, deps.shortAbandonSec),
        agentCountsIn(deps.db, day),
        surveyCountsIn(deps.db, day),
      ]);
      figures = { day, queues, agents, surveys };
    } catch (err) {
      if (!stopped) deps.log.error({ err }, "today's wall figures could not be computed");
      return;
    }
    if (!stopped) deps.onChange();
  }

  function start(): Promise<void> {
    lastStart = deps.clock.now();
    const p = recompute().finally(() => {
      running = null;
      if (again) {
        again = false;
        api.invalidate();
      }
    });
    running = p;
    return p;
  }

  const api = {
    current: (): TodayFigures => figures,
    /** Something the figures count was written: recompute soon (at most once per interval). */
    invalidate(): void {
      if (stopped || timer) return;
      if (running) {
        again = true;
        return;
      }
      const wait = Math.max(0, lastStart + minIntervalMs - deps.clock.now());
      timer = setTimeout(() => {
        timer = null;
        void start();
      }, wait);
      timer.unref?.();
    },
    /** Recomputes now (at start), whatever the interval. */
    async load(): Promise<void> {
      if (running) await running;
      await start();
    },
    /** A new day has begun: its figures start from its calls. */
    checkDay(now: number): void {
      if (now >= figures.day.end || now < figures.day.start) api.invalidate();
    },
    stop(): void {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
  return api;
}

export type TodayFiguresSource = ReturnType<typeof createTodayFigures>;
