import type { Db } from '../db';
import { transact, type Statements } from '../db/statements';
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import type { AgentActivity, AgentDirectory, AgentState, AgentView } from './agent-directory';
import { addToDailyRollup, endedStretch, type EndedStretch } from './agent-time-rollup';

/** One stretch of an agent's time with the same chosen state, break reason and activity. */
export interface StateStretch {
  state: AgentState;
  reason: string | null;
  activity: AgentActivity;
}

const key = (s: StateStretch) => `${s.state}|${s.reason ?? ''}|${s.activity}`;
/** Offline with nothing to do is not logged in: no row. */
const logged = (s: StateStretch) => !(s.state === 'offline' && s.activity === 'idle');

/** The stretch an agent has open in the table: unknown (ask the table), none, or this one. */
type Open = (StateStretch & { startedAt: number }) | null | undefined;

// The log's statements, prepared once (db/statements.ts): a burst of calls writes several per call.
const OPEN_OF_ALL = `select "user_id", "state", "reason", "activity", "started_at"
  from "agent_state_log" where "ended_at" is null`;
const OPEN_OF_AGENT = `${OPEN_OF_ALL} and "user_id" = ?`;
const END_ALL_OPEN = `update "agent_state_log" set "ended_at" = ? where "ended_at" is null`;
const END_AGENTS_OPEN = `${END_ALL_OPEN} and "user_id" = ?`;
const OPEN_STRETCH = `insert into "agent_state_log"
  ("user_id", "state", "reason", "activity", "started_at", "ended_at") values (?, ?, ?, ?, ?, null)`;
const WHOLE_STRETCH = `insert into "agent_state_log"
  ("user_id", "state", "reason", "activity", "started_at", "ended_at") values (?, ?, ?, ?, ?, ?)`;
/**
 * How long changes gather before they are written: a burst of calls changes each agent's activity
 * four times per call, and one transaction per change cost more CPU than the calls themselves.
 * The log and the reports read from it lag the floor by this much at most.
 */
const BATCH_MS = 200;

/**
 * The agents' state history (table `agent_state_log`, migration 014): the directory's state
 * and activity changes, written as stretches, off the call path: a failed write is logged,
 * never thrown at the caller. Changes are written in the order they happened, in batches
 * gathered for `BATCH_MS`, one transaction each. Each agent's open stretch is known here, so no
 * change needs a read: a stretch begun and ended within a batch is one row, and only an agent's
 * first change in a batch ends the row the table holds open.
 * At start (the leader's duty: a standby neither writes nor closes), stretches the last run
 * left open end at the start (the service was not there to see them end), and every agent who
 * is not offline opens a new one. Every stretch that ends is added to the daily rollup
 * (`agent_time_daily`) in the same transaction.
 */
export function createAgentStateLog(deps: {
  db: Db;
  agents: AgentDirectory;
  clock: Clock;
  log: Logger;
  /** The call center's time zone: the daily rollup's days (telephony.timezone). */
  timezone: () => string;
}) {
  const current = new Map<number, string>();
  const open = new Map<number, Open>();
  let pending: Array<{ userId: number; s: StateStretch; at: number }> = [];
  let chain: Promise<void> = Promise.resolve();
  let queued = false;
  let running = false;
  let listening = false;

  let wake: (() => void) | null = null;
  let hurry = false;

  /**
   * Writes what is pending `BATCH_MS` after the first change (or at once when flushed), after
   * the batch in flight; resolves when it is written.
   */
  function schedule(): Promise<void> {
    if (!queued) {
      queued = true;
      chain = chain
        .then(
          () =>
            new Promise<void>((resolve) => {
              if (hurry) return resolve();
              const timer = setTimeout(() => wake?.(), BATCH_MS);
              wake = () => {
                clearTimeout(timer);
                wake = null;
                resolve();
              };
            }),
        )
        .then(async () => {
          queued = false;
          const batch = pending;
          pending = [];
          if (!batch.length) return;
          try {
            await transact(deps.db, (s) => writeBatch(s, batch));
          } catch (err) {
            // Rolled back: these agents' open stretches are the table's to say again.
            for (const c of batch) open.set(c.userId, undefined);
            deps.log.error({ err, changes: batch.length }, 'state log write failed');
          }
        });
    }
    return chain;
  }

  /** Writes what is pending now (no wait for the batch's time). */
  async function flushNow(): Promise<void> {
    hurry = true;
    wake?.();
    try {
      await chain;
    } finally {
      hurry = false;
    }
  }

  /**
   * One batch in one transaction. A stretch that began in this batch and ended in it too is one
   * row written whole; only an agent's first change ends a row already in the table.
   */
  async function writeBatch(s: Statements, batch: typeof pending): Promise<void> {
    const ended: EndedStretch[] = [];
    const fresh = new Map<number, StateStretch & { startedAt: number }>();
    for (const c of batch) {
      const was = open.get(c.userId);
      const begun = fresh.get(c.userId);
      if (begun) {
        fresh.delete(c.userId);
        await s.run(WHOLE_STRETCH, [
          c.userId,
          begun.state,
          begun.reason,
          begun.activity,
          begun.startedAt,
          c.at,
        ]);
        ended.push({ userId: c.userId, ...begun, start: begun.startedAt, end: c.at });
      } else if (was === undefined) await closeOpen(s, c.at, c.userId);
      else if (was !== null) {
        await s.run(END_AGENTS_OPEN, [c.at, c.userId]);
        ended.push({ userId: c.userId, ...was, start: was.startedAt, end: c.at });
      }
      open.set(c.userId, null);
      if (!logged(c.s)) continue;
      const next = { ...c.s, startedAt: c.at };
      fresh.set(c.userId, next);
      open.set(c.userId, next);
    }
    for (const [userId, f] of fresh)
      await s.run(OPEN_STRETCH, [userId, f.state, f.reason, f.activity, f.startedAt]);
    if (ended.length) await addToDailyRollup(s, ended, deps.timezone());
  }

  function changed(a: AgentView): Promise<void> {
    if (!running) return Promise.resolve();
    const s: StateStretch = { state: a.state, reason: a.reason, activity: a.activity };
    const k = key(s);
    if (current.get(a.userId) === k) return chain;
    current.set(a.userId, k);
    pending.push({ userId: a.userId, s, at: deps.clock.now() });
    return schedule();
  }

  /** Ends the open stretches (of one agent, or all) at `at` and adds them to the rollup. */
  async function closeOpen(s: Statements, at: number, userId?: number) {
    const one = userId !== undefined;
    const rows = await s.all<{
      user_id: number;
      state: string;
      reason: string | null;
      activity: string;
      started_at: number | string;
    }>(one ? OPEN_OF_AGENT : OPEN_OF_ALL, one ? [userId] : []);
    if (rows.length === 0) return;
    await (one ? s.run(END_AGENTS_OPEN, [at, userId]) : s.run(END_ALL_OPEN, [at]));
    await addToDailyRollup(
      s,
      rows.map((r) => endedStretch(r, at)),
      deps.timezone(),
    );
  }

  return {
    /**
     * Leading: closes what the last leader left open and opens a stretch for every agent logged
     * in, then logs every change.
     */
    async start(): Promise<void> {
      await flushNow();
      const now = deps.clock.now();
      await transact(deps.db, (s) => closeOpen(s, now));
      current.clear();
      for (const a of deps.agents.all()) open.set(a.userId, null);
      running = true;
      if (!listening) {
        listening = true;
        deps.agents.onStateChange((c) => void changed(c.agent));
        deps.agents.onActivity((a) => void changed(a));
      }
      for (const a of deps.agents.all()) void changed(a);
      await flushNow();
    },
    /** Standing by: no more writes (the new leader closes the stretches at its start). */
    async pause(): Promise<void> {
      running = false;
      await flushNow();
      open.clear();
    },
    /** Shutdown: the open stretches end now (nobody is offered calls without the service). */
    async stop(): Promise<void> {
      const was = running;
      running = false;
      await flushNow();
      open.clear();
      if (!was) return;
      const now = deps.clock.now();
      await transact(deps.db, (s) => closeOpen(s, now));
    },
    /** Every write queued so far has been made (tests, shutdown). */
    async flush(): Promise<void> {
      await flushNow();
    },
  };
}
