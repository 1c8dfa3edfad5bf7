import type { CallerDirectory } from './caller-directory';
import type { Customer, CustomersRepo } from './customers-repo';
import { normaliseNumber } from './normalise-number';

export interface CallerMatch {
  /** The caller ID as Asterisk gave it. */
  raw: string;
  /** E.164 when the caller ID is a possible number; null for anonymous or garbage. */
  e164: string | null;
  /** Every customer holding that number (several share a switchboard number). */
  customers: Customer[];
}

/**
 * Caller ID → normalised number → every customer that has it: from the in-memory directory when
 * it can answer (no await, so the call path goes on in the same tick), else one indexed lookup.
 */
export function createCallerMatcher(deps: {
  customers: CustomersRepo;
  defaultRegion: string;
  directory?: CallerDirectory;
}) {
  function known(callerId: string): CallerMatch | undefined {
    const n = normaliseNumber(callerId, deps.defaultRegion);
    if (!n) return { raw: callerId, e164: null, customers: [] };
    const customers = deps.directory?.lookup(n.e164);
    return customers ? { raw: callerId, e164: n.e164, customers } : undefined;
  }
  async function matchCaller(callerId: string): Promise<CallerMatch> {
    const hit = known(callerId);
    if (hit) return hit;
    const e164 = normaliseNumber(callerId, deps.defaultRegion)!.e164;
    return { raw: callerId, e164, customers: await deps.customers.findByE164(e164) };
  }
  /** The match without a database read, or undefined when only the database can say. */
  matchCaller.known = known;
  return matchCaller;
}

export type MatchCaller = ReturnType<typeof createCallerMatcher>;
