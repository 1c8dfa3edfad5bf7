import { persist, type CallSession } from './call-session';
import type { CallFact, RecordFields } from './calls-repo';
import type { EngineContext } from './engine-context';

/**
 * The one way the engine records a fact about a live call: queued after the call's earlier
 * writes (`persist`, so facts land in the order they happened), then one transaction that
 * appends the event to the call's timeline and sets the record's fields from it
 * (calls-repo.ts `commit`: the fields the event determines come from the same fold as
 * project-record.ts, so the record cannot disagree with its timeline; `fields` are the few the
 * timeline does not carry, such as the live state). The state change itself is the transition
 * table's (`fire`), run by the caller when the event happens; what the agent sees is the
 * notifier's, told by the caller too.
 *
 * A call with no session (an outbound attempt's record before anything answered, a wrap-up, a
 * legal hold) records its facts with `ctx.calls.commit` directly, awaited in order by its one
 * caller. Never rejects: a failed write is logged.
 */
export function commit(
  ctx: Pick<EngineContext, 'calls' | 'observe'>,
  s: CallSession,
  fact: CallFact,
  fields?: RecordFields,
): Promise<void> {
  const written = persist(s, fact.type, () => ctx.calls.commit(s.id, fact, fields));
  ctx.observe?.({ session: s, fact, written });
  return written;
}
