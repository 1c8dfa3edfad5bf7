import type { AgentDirectory, AgentView } from '../agents/agent-directory';
import type { CallSession } from '../calls/call-session';
import type { CallRegistry } from '../calls/call-registry';
import type { Logger } from '../shared/logger';
import { anyoneLoggedIn, chooseAgent } from './choose-agent';
import type { Queues } from './queues';

/**
 * Matches waiting calls (longest waiting first) with free agents. Choosing and reserving happen
 * in one synchronous pass, so two calls can never be offered the same agent. Re-entrant calls
 * during a pass are coalesced into one more pass.
 */
export function createDispatcher(deps: {
  registry: CallRegistry;
  agents: AgentDirectory;
  queues: Queues;
  log: Logger;
  now: () => number;
  offer: (s: CallSession, agent: AgentView) => Promise<void>;
  noAgents: (s: CallSession) => Promise<void>;
}) {
  let running = false;
  let again = false;

  function pass() {
    const all = deps.agents.all();
    for (const s of deps.registry.queued()) {
      let candidates = all.filter(
        (a) =>
          deps.queues.serves(s.queue, a) && (!s.allowedAgents || s.allowedAgents.has(a.userId)),
      );
      if (!anyoneLoggedIn(candidates)) {
        void deps
          .noAgents(s)
          .catch((err: unknown) => s.log.error({ err }, 'no-agents handling failed'));
        continue;
      }
      // Owner first: while the window lasts and the owner is available (if busy), wait for them.
      const r = s.reservedFor;
      if (r && r.until > deps.now()) {
        const owner = candidates.find((a) => a.userId === r.userId);
        if (owner?.state === 'available') candidates = [owner];
      }
      if (s.targetAgentId !== null)
        candidates = candidates.filter((a) => a.userId === s.targetAgentId);
      const agent = chooseAgent(candidates, { ownerUserId: s.ownerUserId });
      if (!agent || !deps.agents.reserve(agent.userId, s.id)) continue;
      // `all` holds the live agent objects: the reservation is seen by the next call of this pass.
      void deps
        .offer(s, agent)
        .catch((err: unknown) => s.log.error({ err }, 'offering the call failed'));
    }
  }

  return function dispatch(): void {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        pass();
      } while (again);
    } finally {
      running = false;
    }
  };
}
