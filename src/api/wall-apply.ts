/**
 * Applying a wall delta to a copy of the wall: the web app's store and the service's tests use
 * the same function. No runtime import (zod stays out of the browser's bundle): types only.
 */
import type { WallDelta, WallSnapshot } from './wall';

/**
 * A client's copy of the wall with a delta applied (the web app's reducer and the tests use it).
 * Pure; returns a new snapshot. Order: queues by name, calls by start, agents by name then id.
 */
export function applyWallDelta(s: WallSnapshot, d: WallDelta): WallSnapshot {
  const merge = <T, K>(
    list: T[],
    changed: T[] | undefined,
    gone: K[] | undefined,
    key: (t: T) => K,
  ) => {
    if (!changed?.length && !gone?.length) return list;
    const map = new Map(list.map((t) => [key(t), t] as const));
    for (const k of gone ?? []) map.delete(k);
    for (const t of changed ?? []) map.set(key(t), t);
    return [...map.values()];
  };
  return sortWall({
    seq: d.seq,
    at: d.at,
    day: d.day ?? s.day,
    queues: merge(s.queues, d.queues, d.removed?.queues, (q) => q.name),
    calls: merge(s.calls, d.calls, d.removed?.calls, (c) => c.callId),
    agents: merge(s.agents, d.agents, d.removed?.agents, (a) => a.userId),
  });
}

/** The wall's order: queues by name, calls oldest first, agents by name (then id). */
export function sortWall(s: WallSnapshot): WallSnapshot {
  return {
    ...s,
    queues: [...s.queues].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    calls: [...s.calls].sort(
      (a, b) =>
        a.startedAt.localeCompare(b.startedAt) ||
        (a.callId < b.callId ? -1 : a.callId > b.callId ? 1 : 0),
    ),
    agents: [...s.agents].sort(
      (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || a.userId - b.userId,
    ),
  };
}
