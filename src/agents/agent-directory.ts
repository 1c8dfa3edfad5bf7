import { EventEmitter } from 'node:events';
import type { Db } from '../db';
import { num } from '../db';
import type { Clock } from '../shared/clock';
import { HotlineError } from '../shared/errors';

/** What the agent chose (contract: PUT /api/agents/me/state). */
export type AgentState = 'available' | 'break' | 'offline';
/** What the telephony is doing with the agent, independent of the chosen state. */
export type AgentActivity = 'idle' | 'offered' | 'on-call' | 'wrap-up';

export interface AgentView {
  userId: number;
  name: string;
  extension: string | null;
  state: AgentState;
  reason: string | null;
  since: number;
  /** When the agent last became free: end of the last call, or becoming available. */
  idleSince: number;
  activity: AgentActivity;
  callId: string | null;
  /** Connected browser sockets (presence). */
  sockets: number;
  skills: Set<string>;
  /** End of the after-call work of the last call, while in `wrap-up`. */
  wrapUpUntil: number | null;
}

export interface AgentStateChange {
  agent: AgentView;
  previous: AgentState;
}

/**
 * Live view of every agent: chosen state (persisted in agent_states), activity and presence
 * (in memory). The router reads it synchronously, so choosing and reserving an agent cannot race.
 */
export function createAgentDirectory(deps: {
  db: Db;
  clock: Clock;
  /**
   * The break reasons an agent may choose (config `desktop.breakReasons`, or the list an admin
   * saved): read at each choice, so a list replaced in place applies at once. None: a break
   * without a reason only.
   */
  breakReasons?: ReadonlyArray<{ code: string }>;
}) {
  const agents = new Map<number, AgentView>();
  const events = new EventEmitter();
  const wrapUpTimers = new Map<number, NodeJS.Timeout>();

  async function persist(
    a: AgentView,
    lastCallEndedAt?: number,
    wrapUp?: { until: number; callId: string },
  ) {
    const row: Record<string, unknown> = {
      user_id: a.userId,
      state: a.state,
      reason: a.reason,
      since: a.since,
    };
    if (lastCallEndedAt !== undefined) row.last_call_ended_at = lastCallEndedAt;
    if (wrapUp) Object.assign(row, { wrap_up_until: wrapUp.until, wrap_up_call_id: wrapUp.callId });
    await deps.db('agent_states').insert(row).onConflict('user_id').merge();
  }

  /** The wrap-up is over: a leader starting later must not put the agent back in it. */
  function forgetWrapUp(userId: number): void {
    void deps
      .db('agent_states')
      .where({ user_id: userId })
      .whereNotNull('wrap_up_until')
      .update({ wrap_up_until: null, wrap_up_call_id: null })
      .catch(() => undefined); // at worst the agent is in wrap-up again until it runs out
  }

  function startWrapUp(a: AgentView, callId: string, until: number): void {
    clearTimeout(wrapUpTimers.get(a.userId));
    a.activity = 'wrap-up';
    a.callId = callId;
    a.wrapUpUntil = until;
    const t = setTimeout(
      () => api.endWrapUp(a.userId, callId),
      Math.max(0, until - deps.clock.now()),
    );
    t.unref();
    wrapUpTimers.set(a.userId, t);
  }

  const api = {
    /** Loads every active user with their last persisted state. */
    async load(): Promise<void> {
      const rows = await deps
        .db('users')
        .leftJoin('agent_states', 'agent_states.user_id', 'users.id')
        .where('users.disabled', false)
        .select<
          Array<{
            id: number;
            name: string;
            extension: string | null;
            state: string | null;
            reason: string | null;
            since: number | string | null;
            last_call_ended_at: number | string | null;
            wrap_up_until: number | string | null;
            wrap_up_call_id: string | null;
          }>
        >(
          'users.id',
          'users.name',
          'users.extension',
          'agent_states.state',
          'agent_states.reason',
          'agent_states.since',
          'agent_states.last_call_ended_at',
          'agent_states.wrap_up_until',
          'agent_states.wrap_up_call_id',
        );
      const skillRows = await deps
        .db('agent_skills')
        .select<Array<{ user_id: number; skill: string }>>();
      const now = deps.clock.now();
      for (const r of rows) {
        const since = num(r.since, true) ?? now;
        const ended = num(r.last_call_ended_at, true) ?? 0;
        clearTimeout(wrapUpTimers.get(r.id));
        wrapUpTimers.delete(r.id);
        const a: AgentView = {
          userId: r.id,
          name: r.name,
          extension: r.extension,
          state: (r.state as AgentState | null) ?? 'offline',
          reason: r.reason,
          since,
          idleSince: Math.max(since, ended),
          activity: 'idle',
          callId: null,
          sockets: agents.get(r.id)?.sockets ?? 0,
          skills: new Set(skillRows.filter((k) => k.user_id === r.id).map((k) => k.skill)),
          wrapUpUntil: null,
        };
        agents.set(r.id, a);
        // After-call work the last leader started and that has not run out (a takeover).
        const until = num(r.wrap_up_until, true);
        if (until !== null && until > now && r.wrap_up_call_id)
          startWrapUp(a, r.wrap_up_call_id, until);
      }
    },
    upsertUser(u: { id: number; name: string; extension: string | null }): void {
      const a = agents.get(u.id);
      if (a) Object.assign(a, { name: u.name, extension: u.extension });
      else {
        const now = deps.clock.now();
        agents.set(u.id, {
          userId: u.id,
          name: u.name,
          extension: u.extension,
          state: 'offline',
          reason: null,
          since: now,
          idleSince: now,
          activity: 'idle',
          callId: null,
          sockets: 0,
          skills: new Set(),
          wrapUpUntil: null,
        });
      }
    },
    /**
     * A deactivated user: no longer offered calls nor listed. A call they are on goes on; its
     * end no longer touches the directory.
     */
    remove(userId: number): void {
      clearTimeout(wrapUpTimers.get(userId));
      wrapUpTimers.delete(userId);
      agents.delete(userId);
    },
    get(userId: number): AgentView | undefined {
      return agents.get(userId);
    },
    all(): AgentView[] {
      return [...agents.values()];
    },
    /**
     * What the agent chose, over REST or the socket: a break's reason is one of the break reasons
     * or none, the other states have none (HOTLINE_VALIDATION on `reason`). The service's own
     * reasons (missed-call, deactivated) go through setState.
     */
    async choose(
      userId: number,
      state: AgentState,
      reason: string | null | undefined,
    ): Promise<AgentView> {
      const r = reason?.trim() || null;
      const refuse = (message: string) =>
        new HotlineError('HOTLINE_VALIDATION', `reason: ${message}`, [{ path: 'reason', message }]);
      if (r !== null && state !== 'break') throw refuse(`only a break has a reason`);
      if (r !== null && !(deps.breakReasons ?? []).some((b) => b.code === r))
        throw refuse(`"${r}" is not one of the break reasons (GET /api/break-reasons)`);
      return api.setState(userId, state, r);
    },
    async setState(
      userId: number,
      state: AgentState,
      reason: string | null = null,
    ): Promise<AgentView> {
      const a = agents.get(userId);
      if (!a) throw new Error(`unknown agent ${userId}`);
      const previous = a.state;
      const now = deps.clock.now();
      if (previous !== state || a.reason !== reason) {
        a.state = state;
        a.reason = reason;
        a.since = now;
        if (state === 'available' && previous !== 'available')
          a.idleSince = Math.max(a.idleSince, now);
        await persist(a);
        events.emit('state', { agent: { ...a }, previous } satisfies AgentStateChange);
      }
      return { ...a };
    },
    /** The router offers a call: the agent is taken until released. False if not free. */
    reserve(userId: number, callId: string): boolean {
      const a = agents.get(userId);
      if (!a || a.activity !== 'idle' || a.state !== 'available') return false;
      a.activity = 'offered';
      a.callId = callId;
      events.emit('activity', { ...a });
      return true;
    },
    onCall(userId: number, callId: string): void {
      const a = agents.get(userId);
      if (!a) return;
      Object.assign(a, { activity: 'on-call', callId });
      events.emit('activity', { ...a });
    },
    /**
     * The offer or call is over. After a talked call the agent is in after-call work for
     * `wrapUpMs` (wrap-up), then free; the idle clock (longest-idle) restarts when free.
     */
    async release(userId: number, callId: string, talked: boolean, wrapUpMs = 0): Promise<void> {
      const a = agents.get(userId);
      if (!a || a.callId !== callId) return;
      const now = deps.clock.now();
      const wrapUp = talked && wrapUpMs > 0 ? { until: now + wrapUpMs, callId } : undefined;
      if (talked) await persist(a, now, wrapUp);
      if (wrapUp) {
        startWrapUp(a, callId, wrapUp.until);
        events.emit('activity', { ...a });
        return;
      }
      api.endWrapUp(userId, callId, talked);
    },
    /** After-call work done (wrap-up saved, or its time is up): the agent is free again. */
    endWrapUp(userId: number, callId: string, restartIdle = true): void {
      const a = agents.get(userId);
      if (!a || a.callId !== callId) return;
      clearTimeout(wrapUpTimers.get(userId));
      wrapUpTimers.delete(userId);
      if (a.wrapUpUntil !== null) forgetWrapUp(userId);
      a.activity = 'idle';
      a.callId = null;
      a.wrapUpUntil = null;
      if (restartIdle) a.idleSince = deps.clock.now();
      events.emit('activity', { ...a });
      events.emit('free', { ...a });
    },
    setSkills(userId: number, skills: readonly string[]): void {
      const a = agents.get(userId);
      if (a) a.skills = new Set(skills);
    },
    onActivity(listener: (a: AgentView) => void) {
      events.on('activity', listener);
    },
    /** Stops the wrap-up timers (shutdown). */
    stop(): void {
      for (const t of wrapUpTimers.values()) clearTimeout(t);
      wrapUpTimers.clear();
    },
    /** Every agent's socket count set anew (a new leader counts the sockets it has). */
    recount(sockets: ReadonlyMap<number, number>): void {
      for (const a of agents.values()) a.sockets = sockets.get(a.userId) ?? 0;
    },
    presence(userId: number, delta: 1 | -1): AgentView | undefined {
      const a = agents.get(userId);
      if (a) a.sockets = Math.max(0, a.sockets + delta);
      return a;
    },
    onStateChange(listener: (c: AgentStateChange) => void) {
      events.on('state', listener);
    },
    /** An agent became free for a call (became available, or an offer/call ended). */
    onFree(listener: (a: AgentView) => void) {
      events.on('free', listener);
      events.on('state', (c: AgentStateChange) => {
        if (c.agent.state === 'available' && c.agent.activity === 'idle') listener(c.agent);
      });
    },
  };
  return api;
}

export type AgentDirectory = ReturnType<typeof createAgentDirectory>;
