import type { AgentView } from '../agents/agent-directory';

export interface Candidate {
  userId: number;
  state: AgentView['state'];
  activity: AgentView['activity'];
  extension: string | null;
  idleSince: number;
}

/** Can this agent be offered a call now? Available, free, and with a phone to ring. */
export const isFree = (a: Candidate) =>
  a.state === 'available' && a.activity === 'idle' && a.extension !== null;

/**
 * The agent to ring for a call: the customer's account owner if free, else the longest-idle free
 * agent (ties: lower id, so the choice is deterministic). `exclude`: agents already tried for
 * this call. Pure: the allocator (allocator.ts) reserves the agent in the same tick.
 */
export function chooseAgent<T extends Candidate>(
  candidates: readonly T[],
  opts: { ownerUserId?: number | null; exclude?: ReadonlySet<number> } = {},
): T | null {
  const free = candidates.filter((a) => isFree(a) && !opts.exclude?.has(a.userId));
  if (!free.length) return null;
  if (opts.ownerUserId != null) {
    const owner = free.find((a) => a.userId === opts.ownerUserId);
    if (owner) return owner;
  }
  return free.reduce((best, a) =>
    a.idleSince < best.idleSince || (a.idleSince === best.idleSince && a.userId < best.userId)
      ? a
      : best,
  );
}

/** Is anyone logged in (not offline) who could take calls of this queue at all? */
export const anyoneLoggedIn = (candidates: readonly Candidate[]) =>
  candidates.some((a) => a.state !== 'offline' && a.extension !== null);
