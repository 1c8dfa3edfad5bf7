import type { AgentDirectory, AgentView } from '../agents/agent-directory';
import type { CallRegistry } from '../calls/call-registry';
import { anyoneLoggedIn, chooseAgent, isFree } from './choose-agent';
import type { QueueInfo, Queues } from './queues';

/** The agents a call may go to at all. */
export interface AgentPool {
  /** Agents who serve this queue (members, skills); absent: every agent. */
  queue?: QueueInfo | null;
  /** Only these agents (a campaign's telemarketers, a contact's owner); absent: the whole pool. */
  allowed?: ReadonlySet<number> | null;
}

/** A call that wants an agent: who may take it, and whom to prefer. */
export interface ClaimRequest extends AgentPool {
  /** The call the agent is reserved for. */
  callId: string;
  /** The customer's account owner: taken first when free. */
  ownerUserId?: number | null;
  /**
   * The owner-first window: until `until`, if the owner is available (on a call or not), only the
   * owner may take the call; an owner on break or offline does not hold it up.
   */
  ownerWindow?: { userId: number; until: number } | null;
  /** Only this agent (a call sent to one agent by a blind transfer). */
  targetAgentId?: number | null;
  /** Never these agents (already tried, or the transferring agent). */
  exclude?: ReadonlySet<number>;
  /** A call-back: none while a live caller waits in the same queue (callers first). */
  behindCallers?: boolean;
}

/** Who a freed agent is offered to, in this order. */
export type Turn = 'callers' | 'callbacks' | 'campaigns';
const TURNS: readonly Turn[] = ['callers', 'callbacks', 'campaigns'];

/**
 * The one agent allocator: every call that needs an agent (a queued caller, a due call-back, a
 * transfer, a campaign's preview or answered customer) gets it here. Choosing and reserving happen
 * in the same synchronous tick, so two calls can never be given the same agent; nobody else calls
 * `agents.reserve` or `chooseAgent`.
 *
 * Who gets a free agent (run whenever an agent becomes free, `freed`):
 * 1. a waiting caller: VIP first, then the longest waiting (`registry.queued()` order; the
 *    dispatcher claims for each in one synchronous pass, so nothing after it can take the agent).
 *    For each caller: during the owner-first window only the available owner; else the account
 *    owner if free; else the longest-idle free agent of the queue (ties: lower id).
 * 2. a due call-back of a queue the agent serves, only while no caller waits in that queue
 *    (`behindCallers`, checked in the same tick as the claim).
 * 3. the campaigns the agent joined (preview offers, and the pacing of customer-first dialing).
 */
export function createAllocator(deps: {
  agents: AgentDirectory;
  queues: Queues;
  registry: CallRegistry;
  now: () => number;
}) {
  const turns = new Map<Turn, () => void>();

  /** The live agent objects of a pool (what a reservation changes). */
  const poolOf = (p: AgentPool) =>
    deps.agents
      .all()
      .filter(
        (a) =>
          (!p.queue || deps.queues.serves(p.queue, a)) && (!p.allowed || p.allowed.has(a.userId)),
      );

  const callerWaiting = (queue: QueueInfo) =>
    deps.registry.queued().some((s) => s.queue.name === queue.name);

  return {
    /**
     * Chooses an agent for the call and reserves them (activity `offered`) in the same tick: the
     * reserved agent (the directory's live object), or null if nobody may take it now.
     */
    claim(req: ClaimRequest): AgentView | null {
      if (req.behindCallers && req.queue && callerWaiting(req.queue)) return null;
      let candidates = poolOf(req);
      const w = req.ownerWindow;
      if (w && w.until > deps.now()) {
        const owner = candidates.find((a) => a.userId === w.userId);
        if (owner?.state === 'available') candidates = [owner];
      }
      if (req.targetAgentId != null)
        candidates = candidates.filter((a) => a.userId === req.targetAgentId);
      const agent = chooseAgent(candidates, { ownerUserId: req.ownerUserId, exclude: req.exclude });
      if (!agent || !deps.agents.reserve(agent.userId, req.callId)) return null;
      return agent;
    },
    /**
     * Reserves this agent for the call (a transfer to them, a preview offered to them, a call
     * adopted after a restart): the agent, or null if they are not available and idle any more.
     */
    claimAgent(userId: number, callId: string): AgentView | null {
      if (!deps.agents.reserve(userId, callId)) return null;
      return deps.agents.get(userId) ?? null;
    },
    /** The agents of the pool free for a call right now (not reserved: `claimAgent` each). */
    free(p: AgentPool): AgentView[] {
      return poolOf(p).filter(isFree);
    },
    /** Is anyone of the pool logged in with a phone (free or not)? If not, nobody will answer. */
    anyoneLoggedIn(p: AgentPool): boolean {
      return anyoneLoggedIn(poolOf(p));
    },
    /** Who takes the turn of `who` when an agent frees up (the engine wires the three). */
    turn(who: Turn, run: () => void): void {
      turns.set(who, run);
    },
    /** An agent became free: callers, then call-backs, then campaigns (the rule above). */
    freed(): void {
      for (const who of TURNS) turns.get(who)?.();
    },
  };
}

export type Allocator = ReturnType<typeof createAllocator>;
