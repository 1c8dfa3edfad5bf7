import type { AgentView } from '../agents/agent-directory';
import type { CallSession } from '../calls/call-session';
import type { CallRegistry } from '../calls/call-registry';
import type { Allocator } from './allocator';

/**
 * Matches waiting calls (VIP first, then longest waiting) with free agents through the allocator,
 * in one synchronous pass, so two calls can never be offered the same agent. Re-entrant calls
 * during a pass are coalesced into one more pass.
 */
export function createDispatcher(deps: {
  registry: CallRegistry;
  allocator: Allocator;
  offer: (s: CallSession, agent: AgentView) => Promise<void>;
  noAgents: (s: CallSession) => Promise<void>;
}) {
  let running = false;
  let again = false;

  function pass() {
    for (const s of deps.registry.queued()) {
      const pool = { queue: s.queue, allowed: s.allowedAgents };
      if (!deps.allocator.anyoneLoggedIn(pool)) {
        void deps
          .noAgents(s)
          .catch((err: unknown) => s.log.error({ err }, 'no-agents handling failed'));
        continue;
      }
      const agent = deps.allocator.claim({
        ...pool,
        callId: s.id,
        ownerUserId: s.ownerUserId,
        ownerWindow: s.reservedFor,
        targetAgentId: s.targetAgentId,
      });
      if (!agent) continue;
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
