import type { AgentDirectory } from '../agents/agent-directory';
import type { Role } from '../api/auth';
import type { CallsRepo } from '../calls/calls-repo';
import { normaliseNumber } from '../customers/normalise-number';
import type { ScreenPop } from '../screenpop/agent-events';
import type { Viewer } from './number-policy';

const MAX_STRINGS = 100;

/**
 * The numbers a request carries (query, path parameters, body), as E.164: the requester knows
 * them, so an answer may show them back whole (a search by number, a customer just created).
 */
export function suppliedNumbers(parts: unknown[], defaultRegion: string): Set<string> {
  const out = new Set<string>();
  let budget = MAX_STRINGS;
  const visit = (v: unknown, depth: number) => {
    if (budget <= 0 || depth > 4) return;
    if (typeof v === 'string') {
      budget -= 1;
      if (v.length > 40 || (v.match(/\d/g)?.length ?? 0) < 5) return;
      const n = normaliseNumber(v, defaultRegion);
      if (n) out.add(n.e164);
    } else if (Array.isArray(v)) for (const x of v) visit(x, depth + 1);
    else if (v && typeof v === 'object') for (const x of Object.values(v)) visit(x, depth + 1);
  };
  for (const p of parts) visit(p, 0);
  return out;
}

/**
 * Who asks, for the number policy: with their live call (the agent directory) and, when the
 * answer may hold customers, that call's customer and caller's number, and those of the pop on
 * their screen (the customers it named, before the call record has them).
 */
export async function viewerOf(
  deps: {
    agents: Pick<AgentDirectory, 'get'>;
    calls: Pick<CallsRepo, 'get'>;
    defaultRegion: string;
    livePop?: (userId: number) => ScreenPop | undefined;
  },
  user: { id: number; role: Role },
  request: { parts: unknown[]; needsLiveCustomer: boolean },
): Promise<Viewer> {
  const liveCallId = deps.agents.get(user.id)?.callId ?? null;
  const liveCustomerIds = new Set<number>();
  const liveNumbers = new Set<string>();
  if (liveCallId && request.needsLiveCustomer) {
    const row = await deps.calls.get(liveCallId);
    if (row?.customer_id != null) liveCustomerIds.add(row.customer_id);
    if (row?.caller_e164) liveNumbers.add(row.caller_e164);
    const pop = deps.livePop?.(user.id);
    if (pop?.callId === liveCallId) {
      for (const c of [pop.customer, ...pop.candidates]) if (c) liveCustomerIds.add(c.id);
      const n = normaliseNumber(pop.callerNumber, deps.defaultRegion);
      if (n) liveNumbers.add(n.e164);
    }
  }
  return {
    userId: user.id,
    role: user.role,
    liveCallId,
    liveCustomerIds,
    liveNumbers,
    supplied: suppliedNumbers(request.parts, deps.defaultRegion),
  };
}
