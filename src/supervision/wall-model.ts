import type { AgentView } from '../agents/agent-directory';
import {
  sortWall,
  type WallAgent,
  type WallAgentState,
  type WallAlertKind,
  type WallCall,
  type WallDelta,
  type WallQueue,
  type WallSnapshot,
} from '../api/wall';
import type { CallSession } from '../calls/call-session';
import type { CallState } from '../calls/call-state';
import {
  averageSpeedOfAnswerMs,
  emptyCounts,
  round,
  satisfaction,
  serviceLevelPct,
  type QueueCounts,
  type SurveyCounts,
} from '../metrics/definitions';
import type { AgentCounts } from '../metrics/period-counts';
import type { QueueInfo } from '../routing/queues';
import { boundedMemo } from '../shared/bounded-memo';
import { isoOf } from '../shared/clock';

/** The day's figures the tiles and agent rows show (period-counts.ts, refreshed by today.ts). */
export interface TodayFigures {
  day: { start: number; end: number; timezone: string };
  queues: ReadonlyMap<string, QueueCounts>;
  agents: ReadonlyMap<number, AgentCounts>;
  surveys: ReadonlyMap<string, SurveyCounts>;
}

/** Where the wall reads the live state from: the engine's registry, the directory, the queues. */
export interface WallSources {
  calls(): Iterable<CallSession>;
  agents(): Iterable<AgentView>;
  queues(): Iterable<QueueInfo>;
  /** Does this agent serve the queue (members, skills)? routing/queues.ts `serves`. */
  serves(queue: QueueInfo, agent: AgentView): boolean;
  today(): TodayFigures;
  /** Is a supervisor listening to, whispering in or barging into the call? */
  monitored(s: CallSession): boolean;
  /** telephony.shortAbandonSec, shown with the tiles' thresholds. */
  shortAbandonSec: number;
}

/** A queue's tile went red for a reason (raised once, when it turns red). */
export interface TileAlert {
  kind: WallAlertKind;
  queue: WallQueue;
}

/** Caller still waiting for an agent (not yet answered): their wait counts on the wall. */
export const WAITING_STATES: ReadonlySet<CallState> = new Set<CallState>([
  'new',
  'queued',
  'ringing',
]);

const ACTIVITY_STATE = {
  offered: 'offered',
  'on-call': 'on-call',
  'wrap-up': 'wrap-up',
} as const satisfies Partial<Record<AgentView['activity'], WallAgentState>>;

/** What the wall says an agent is doing: the telephony's activity wins over the chosen state. */
export function wallStateOf(a: Pick<AgentView, 'state' | 'activity'>): WallAgentState {
  return a.activity === 'idle' ? a.state : ACTIVITY_STATE[a.activity];
}

/** The agents the wall shows: everyone with a phone (who can take calls). */
export const onWall = (a: AgentView) => a.extension !== null;

/**
 * Whether two views (plain JSON values: objects, arrays, strings, numbers, booleans, null) are
 * equal, as their JSON would be. A third of `JSON.stringify`'s cost, which each flush paid for
 * every queue, call and agent. Key order does not count; a NaN, or a field undefined on one side
 * and absent on the other, counts as a change (an extra entry in a delta, never a change missed).
 */
function sameView(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => sameView(x, b[i]));
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x);
  if (keys.length !== Object.keys(y).length) return false;
  for (const k of keys) if (!(k in y) || !sameView(x[k], y[k])) return false;
  return true;
}

/**
 * The supervisor wall as a model: built from the live sources at each `flush`, compared entry by
 * entry with what was last sent, and the difference returned as a delta with the next `seq`
 * (null if nothing changed). `snapshot` is the state as of the last flush: a client that applies
 * every delta after a snapshot holds exactly the next snapshot (test/unit/supervision).
 *
 * It remembers what the sources do not say: since when a caller waits (the start, or the moment a
 * transfer put them back in the queue), since when a call is on hold, since when an agent is in
 * the wall's state (the directory's `since` is the chosen state's; a call's activity has none).
 */
export function createWallModel(sources: WallSources) {
  let seq = 0;
  let at = 0;
  let day: WallSnapshot['day'] | null = null;
  const sent = {
    queues: new Map<string, WallQueue>(),
    calls: new Map<string, WallCall>(),
    agents: new Map<number, WallAgent>(),
  };
  const callMemo = new Map<string, { waitingSince: number | null; heldSince: number | null }>();
  const agentMemo = new Map<
    number,
    { state: WallAgentState; reason: string | null; since: number }
  >();

  // The instants the views show, as ISO text: the same few hundred at every flush (a call's start,
  // an agent's since), so remembered rather than formatted again each time.
  const isoText = boundedMemo((ms: number) => isoOf(ms)!, 50_000);
  const iso = (ms: number | null | undefined): string | null =>
    ms === null || ms === undefined ? null : isoText(ms);

  function callView(s: CallSession, names: ReadonlyMap<number, string>, now: number): WallCall {
    const memo = callMemo.get(s.id) ?? { waitingSince: null, heldSince: null };
    const waiting = WAITING_STATES.has(s.state);
    // First seen waiting: since the start; back in the queue after a transfer: since now.
    if (!waiting) memo.waitingSince = null;
    else memo.waitingSince ??= callMemo.has(s.id) ? now : s.startedAt;
    if (s.state !== 'held') memo.heldSince = null;
    else memo.heldSince ??= now;
    callMemo.set(s.id, memo);
    const only = s.customers.length === 1 ? s.customers[0]! : null;
    return {
      callId: s.id,
      direction: s.direction,
      callerNumber: s.callerE164 ?? s.callerRaw,
      customer: only ? { id: only.id, name: only.name } : null,
      queue: s.queue.name,
      agent:
        s.agentId !== null
          ? { id: s.agentId, name: names.get(s.agentId) ?? `#${s.agentId}` }
          : null,
      state: s.state,
      startedAt: iso(s.startedAt)!,
      answeredAt: iso(s.answeredAt),
      waitingSince: iso(memo.waitingSince),
      heldSince: iso(memo.heldSince),
      recording: s.recording ? (s.recording.paused ? 'paused' : 'on') : null,
      monitored: sources.monitored(s),
    };
  }

  function agentView(a: AgentView, today: TodayFigures, now: number): WallAgent {
    const state = wallStateOf(a);
    const reason = state === 'break' ? a.reason : null;
    const prev = agentMemo.get(a.userId);
    const chosen = state === 'available' || state === 'break' || state === 'offline';
    let since: number;
    if (prev && prev.state === state && prev.reason === reason) since = prev.since;
    // The directory knows when a state was chosen; the start or end of a call is now.
    else if (chosen && (!prev || a.since > prev.since)) since = a.since;
    else since = now;
    agentMemo.set(a.userId, { state, reason, since });
    const counts = today.agents.get(a.userId);
    return {
      userId: a.userId,
      name: a.name,
      extension: a.extension,
      state,
      reason,
      since: iso(since)!,
      callId: a.callId,
      connected: a.sockets > 0,
      callsToday: counts?.calls ?? 0,
      talkMsToday: counts?.talkMs ?? 0,
    };
  }

  function queueView(
    q: QueueInfo,
    agents: readonly AgentView[],
    states: ReadonlyMap<number, WallAgent>,
    waiting: ReadonlyMap<string, number[]>,
    today: TodayFigures,
    now: number,
  ): WallQueue {
    const byState = { available: 0, offered: 0, onCall: 0, wrapUp: 0, break: 0, offline: 0 };
    const breakReasons: Record<string, number> = {};
    for (const a of agents) {
      if (!sources.serves(q, a)) continue;
      const v = states.get(a.userId)!;
      if (v.state === 'on-call') byState.onCall += 1;
      else if (v.state === 'wrap-up') byState.wrapUp += 1;
      else byState[v.state] += 1;
      if (v.state === 'break')
        breakReasons[v.reason ?? ''] = (breakReasons[v.reason ?? ''] ?? 0) + 1;
    }
    const since = waiting.get(q.name) ?? [];
    const longest = since.length ? Math.min(...since) : null;
    const counts = today.queues.get(q.name) ?? emptyCounts();
    const sl = serviceLevelPct(counts);
    const asa = averageSpeedOfAnswerMs(counts);
    const alerts: WallAlertKind[] = [];
    if (sl !== null && sl < q.serviceLevelTargetPct) alerts.push('service-level');
    if (longest !== null && now - longest > q.maxWaitAlertSec * 1000) alerts.push('longest-wait');
    return {
      name: q.name,
      waiting: since.length,
      longestWaitSince: iso(longest),
      agents: { ...byState, breakReasons },
      today: {
        answered: counts.answered,
        answeredWithinThreshold: counts.answeredWithinThreshold,
        abandoned: counts.abandoned,
        abandonedShort: counts.abandonedShort,
        serviceLevelPct: round(sl, 1),
        asaMs: asa === null ? null : Math.round(asa),
        satisfaction: satisfaction(today.surveys.get(q.name) ?? { sum: 0, responses: 0, asked: 0 }),
      },
      thresholds: {
        serviceLevelSec: q.serviceLevelSec,
        shortAbandonSec: sources.shortAbandonSec,
        serviceLevelTargetPct: q.serviceLevelTargetPct,
        maxWaitAlertSec: q.maxWaitAlertSec,
      },
      alerts,
    };
  }

  /** The wall now, from the sources (and the memos it updates). */
  function build(now: number) {
    const today = sources.today();
    const allAgents = [...sources.agents()].filter(onWall);
    const names = new Map<number, string>();
    for (const a of sources.agents()) names.set(a.userId, a.name);
    const agents = new Map(allAgents.map((a) => [a.userId, agentView(a, today, now)] as const));
    const calls: WallCall[] = [];
    const waiting = new Map<string, number[]>();
    const live = new Set<string>();
    for (const s of sources.calls()) {
      if (s.state === 'ended') continue;
      live.add(s.id);
      const c = callView(s, names, now);
      calls.push(c);
      const waitingSince = callMemo.get(s.id)!.waitingSince;
      if (waitingSince !== null) {
        const list = waiting.get(s.queue.name) ?? [];
        list.push(waitingSince);
        waiting.set(s.queue.name, list);
      }
    }
    for (const id of callMemo.keys()) if (!live.has(id)) callMemo.delete(id);
    for (const id of agentMemo.keys()) if (!agents.has(id)) agentMemo.delete(id);
    const queues = [...sources.queues()].map((q) =>
      queueView(q, allAgents, agents, waiting, today, now),
    );
    const d = today.day;
    const dayView = { start: isoOf(d.start)!, end: isoOf(d.end)!, timezone: d.timezone };
    return { queues, calls, agents: [...agents.values()], day: dayView };
  }

  /** Entries that differ from what was sent (and the sent copy updated), and the keys gone. */
  function diff<K, T>(kept: Map<K, T>, now: ReadonlyArray<T>, key: (t: T) => K) {
    const changed: T[] = [];
    const seen = new Set<K>();
    for (const view of now) {
      const k = key(view);
      seen.add(k);
      const before = kept.get(k);
      if (before !== undefined && sameView(before, view)) continue;
      kept.set(k, view);
      changed.push(view);
    }
    const removed: K[] = [];
    for (const k of kept.keys())
      if (!seen.has(k)) {
        kept.delete(k);
        removed.push(k);
      }
    return { changed, removed };
  }

  return {
    get seq() {
      return seq;
    },
    /**
     * Builds the wall and returns what changed since the last flush as the next delta (null:
     * nothing did), with the tiles that turned red for a reason they were not red for before.
     */
    flush(now: number): { delta: WallDelta; alerts: TileAlert[] } | null {
      const before = new Map([...sent.queues].map(([k, v]) => [k, new Set(v.alerts)]));
      const next = build(now);
      const queues = diff(sent.queues, next.queues, (q) => q.name);
      const calls = diff(sent.calls, next.calls, (c) => c.callId);
      const agents = diff(sent.agents, next.agents, (a) => a.userId);
      const dayChanged = JSON.stringify(next.day) !== JSON.stringify(day);
      day = next.day;
      const nothing =
        !dayChanged &&
        ![queues, calls, agents].some((x) => x.changed.length > 0 || x.removed.length > 0);
      if (nothing) return null;
      seq += 1;
      at = now;
      const delta: WallDelta = { seq, at: isoOf(now)! };
      if (dayChanged) delta.day = next.day;
      if (queues.changed.length) delta.queues = queues.changed;
      if (calls.changed.length) delta.calls = calls.changed;
      if (agents.changed.length) delta.agents = agents.changed;
      if (queues.removed.length || calls.removed.length || agents.removed.length) {
        delta.removed = {};
        if (queues.removed.length) delta.removed.queues = queues.removed;
        if (calls.removed.length) delta.removed.calls = calls.removed;
        if (agents.removed.length) delta.removed.agents = agents.removed;
      }
      const alerts: TileAlert[] = [];
      for (const q of queues.changed) {
        const was = before.get(q.name);
        for (const kind of q.alerts) if (!was?.has(kind)) alerts.push({ kind, queue: q });
      }
      return { delta, alerts };
    },
    /** The wall as of the last flush (seq included). */
    snapshot(): WallSnapshot {
      return sortWall({
        seq,
        at: isoOf(at)!,
        day: day ?? { start: isoOf(0)!, end: isoOf(0)!, timezone: 'UTC' },
        queues: [...sent.queues.values()],
        calls: [...sent.calls.values()],
        agents: [...sent.agents.values()],
      });
    },
  };
}

export type WallModel = ReturnType<typeof createWallModel>;
