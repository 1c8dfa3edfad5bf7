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

/** Caller ID → normalised number → every customer that has it. One indexed lookup. */
export function createCallerMatcher(deps: { customers: CustomersRepo; defaultRegion: string }) {
  return async function matchCaller(callerId: string): Promise<CallerMatch> {
    const n = normaliseNumber(callerId, deps.defaultRegion);
    if (!n) return { raw: callerId, e164: null, customers: [] };
    return { raw: callerId, e164: n.e164, customers: await deps.customers.findByE164(n.e164) };
  };
}

export type MatchCaller = ReturnType<typeof createCallerMatcher>;
