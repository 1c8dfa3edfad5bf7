import type { Db } from '../db';
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import type { AgentActivity, AgentDirectory, AgentState, AgentView } from './agent-directory';

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
 * see them end), and every agent who is not offline opens a new one.
 */
export function createAgentStateLog(deps: {
  db: Db;
  agents: AgentDirectory;
  clock: Clock;
  log: Logger;
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
    return queue(a.userId, async () => {
      await deps
        .db('agent_state_log')
        .where({ user_id: a.userId })
        .whereNull('ended_at')
        .update({ ended_at: at });
      if (logged(s))
        await deps.db('agent_state_log').insert({
          user_id: a.userId,
          state: s.state,
          reason: s.reason,
          activity: s.activity,
          started_at: at,
          ended_at: null,
        });
    });
  }

  return {
    /** Closes what the last run left open and opens a stretch for every agent logged in. */
    async start(): Promise<void> {
      const now = deps.clock.now();
      await deps.db('agent_state_log').whereNull('ended_at').update({ ended_at: now });
      await Promise.all(deps.agents.all().map((a) => changed(a)));
      deps.agents.onStateChange((c) => void changed(c.agent));
      deps.agents.onActivity((a) => void changed(a));
    },
    /** Shutdown: the open stretches end now (nobody is offered calls without the service). */
    async stop(): Promise<void> {
      await Promise.all([...chains.values()]);
      await deps.db('agent_state_log').whereNull('ended_at').update({ ended_at: deps.clock.now() });
    },
    /** Every write queued so far has been made (tests, shutdown). */
    async flush(): Promise<void> {
      await Promise.all([...chains.values()]);
    },
  };
}

export type AgentStateLog = ReturnType<typeof createAgentStateLog>;
