import type { Knex } from 'knex';
import type { Db } from '../db';
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import type { AgentActivity, AgentDirectory, AgentState, AgentView } from './agent-directory';
import { addToDailyRollup } from './agent-time-rollup';

/** One stretch of an agent's time with the same chosen state, break reason and activity. */
export interface StateStretch {
  state: AgentState;
  reason: string | null;
  activity: AgentActivity;
}

const key = (s: StateStretch) => `${s.state}|${s.reason ?? ''}|${s.activity}`;
/** Offline with nothing to do is not logged in: no row. */
const logged = (s: StateStretch) => !(s.state === 'offline' && s.activity === 'idle');

/**
 * The agents' state history (table `agent_state_log`, migration 014): the directory's state
 * and activity changes, written as stretches. Each agent's writes run in order (one promise
 * chain per agent), off the call path: a failed write is logged, never thrown at the caller.
 * At start, stretches the last run left open end at the start (the service was not there to
 * see them end), and every agent who is not offline opens a new one. Every stretch that ends
 * is added to the daily rollup (`agent_time_daily`) in the same transaction.
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
  const chains = new Map<number, Promise<void>>();

  function queue(userId: number, work: () => Promise<void>): Promise<void> {
    const next = (chains.get(userId) ?? Promise.resolve())
      .then(work)
      .catch((err: unknown) => deps.log.error({ err, agentId: userId }, 'state log write failed'));
    chains.set(userId, next);
    return next;
  }

  function changed(a: AgentView): Promise<void> {
    const s: StateStretch = { state: a.state, reason: a.reason, activity: a.activity };
    const k = key(s);
    if (current.get(a.userId) === k) return chains.get(a.userId) ?? Promise.resolve();
    current.set(a.userId, k);
    const at = deps.clock.now();
    return queue(a.userId, () =>
      deps.db.transaction(async (trx) => {
        await closeOpen(trx, at, a.userId);
        if (logged(s))
          await trx('agent_state_log').insert({
            user_id: a.userId,
            state: s.state,
            reason: s.reason,
            activity: s.activity,
            started_at: at,
            ended_at: null,
          });
      }),
    );
  }

  /** Ends the open stretches (of one agent, or all) at `at` and adds them to the rollup. */
  async function closeOpen(trx: Knex.Transaction, at: number, userId?: number) {
    const q = trx('agent_state_log').whereNull('ended_at');
    if (userId !== undefined) q.where({ user_id: userId });
    const open = await q.clone().select<
      Array<{
        user_id: number;
        state: string;
        reason: string | null;
        activity: string;
        started_at: number | string;
      }>
    >('user_id', 'state', 'reason', 'activity', 'started_at');
    if (open.length === 0) return;
    await q.update({ ended_at: at });
    await addToDailyRollup(
      trx,
      open.map((r) => ({
        userId: r.user_id,
        state: r.state,
        reason: r.reason,
        activity: r.activity,
        start: Number(r.started_at),
        end: at,
      })),
      deps.timezone(),
    );
  }

  return {
    /** Closes what the last run left open and opens a stretch for every agent logged in. */
    async start(): Promise<void> {
      const now = deps.clock.now();
      await deps.db.transaction((trx) => closeOpen(trx, now));
      await Promise.all(deps.agents.all().map((a) => changed(a)));
      deps.agents.onStateChange((c) => void changed(c.agent));
      deps.agents.onActivity((a) => void changed(a));
    },
    /** Shutdown: the open stretches end now (nobody is offered calls without the service). */
    async stop(): Promise<void> {
      await Promise.all([...chains.values()]);
      const now = deps.clock.now();
      await deps.db.transaction((trx) => closeOpen(trx, now));
    },
    /** Every write queued so far has been made (tests, shutdown). */
    async flush(): Promise<void> {
      await Promise.all([...chains.values()]);
    },
  };
}

export type AgentStateLog = ReturnType<typeof createAgentStateLog>;
