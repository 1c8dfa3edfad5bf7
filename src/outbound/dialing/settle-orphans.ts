import type { DialOutcome, DialerStore } from './dialer-types';
import { retryAt } from './retry-at';

/** A call record's outcome as a dial attempt's (the engine's outcomes are inbound-shaped). */
export const asDialOutcome = (o: string): DialOutcome =>
  o === 'answered' || o === 'busy' || o === 'no-answer' || o === 'abandoned' || o === 'machine'
    ? o
    : o === 'no-agent'
      ? 'abandoned'
      : 'failed';

/**
 * Contacts an earlier run of the service left in progress (claimed before `startedAt`):
 * - never dialed → due again;
 * - their call ended (the engine's reconcile closes the campaign calls that were not connected)
 *   → the attempt is recorded from the call record and the contact rescheduled: none is lost;
 * - their call still up (a telemarketer talking through the restart) → left in progress, so it
 *   is not dialed twice; a later pass settles it once that call has ended (`live` > 0).
 */
export async function settleOrphans(
  store: DialerStore,
  startedAt: number,
  now: number,
): Promise<{ orphans: number; released: number; recorded: number; live: number }> {
  const orphans = await store.orphans(startedAt);
  const r = { orphans: orphans.length, released: 0, recorded: 0, live: 0 };
  for (const o of orphans) {
    if (!o.call || o.call.recorded) {
      await store.release(o.contact.id);
      r.released += 1;
    } else if (!o.call.ended) r.live += 1;
    else {
      const outcome = asDialOutcome(o.call.outcome ?? 'failed');
      const next = outcome === 'answered' ? null : retryAt(o.campaign, o.contact, outcome, now);
      await store.recordOutcome(o.contact.id, {
        callId: o.call.id,
        outcome,
        at: now,
        nextAttemptAt: next,
      });
      r.recorded += 1;
    }
  }
  return r;
}
