import { isoOf } from '../shared/clock';
import { tryAri } from './ari-safe';
import type { EngineContext } from './engine-context';
import { closeUnconnected } from './end-call';

export type AgentMissReason = 'no-answer' | 'declined' | 'phone-unreachable';

/** An agent's phone rung first for an outbound attempt (a call-back, a preview's Dial). */
export interface AgentFirstRing {
  readonly callId: string;
  readonly agentId: number;
  readonly channelId: string;
  /** When the attempt's record was opened (its wait runs from here). */
  readonly startedAt: number;
  /** Set once it answered or missed: a late timer or event finds it over. */
  over: boolean;
  timer: NodeJS.Timeout | null;
}

/** The ring of an attempt, made before anything is sent, so a fast answer always finds it. */
export function newAgentFirstRing(
  callId: string,
  agentId: number,
  startedAt: number,
): AgentFirstRing {
  return { callId, agentId, channelId: `${callId}-a1`, startedAt, over: false, timer: null };
}

/**
 * Rings the agent first (the attempt's record is already open, the pop already sent): the ring
 * timer, the leg through the engine's originate (leg kind `callback` or `obagent`, expected by the
 * registry until it answers) and the ringing update. A miss of any kind (timer, declined,
 * unreachable) goes to `agentFirstMissed` once, then to the caller's `missed` bookkeeping.
 */
export async function ringAgentFirst(
  ctx: EngineContext,
  ring: AgentFirstRing,
  o: {
    kind: 'callback' | 'obagent';
    extension: string;
    callerId: string;
    ringSec: number;
    /** The `offered` event's data. */
    offered: Record<string, unknown>;
    /** Any miss, once: the caller's bookkeeping, which ends with agentFirstMissed. */
    missed: (reason: AgentMissReason) => Promise<void>;
  },
): Promise<void> {
  const miss = (reason: AgentMissReason) => (ring.over ? Promise.resolve() : o.missed(reason));
  ring.timer = setTimeout(() => void miss('no-answer'), o.ringSec * 1000);
  await ctx.calls.commit(ring.callId, {
    type: 'offered',
    at: ctx.clock.now(),
    agentId: ring.agentId,
    data: o.offered,
  });
  try {
    await ctx.originate(
      { kind: o.kind, callId: ring.callId },
      {
        endpoint: ctx.telephony.agentEndpoint.replace('{extension}', o.extension),
        callerId: o.callerId,
        timeout: o.ringSec + 5,
        channelId: ring.channelId,
      },
      // The agent's phone refused (or dropped) the call before answering.
      () => void miss('declined'),
    );
    ctx.notifier.update(ring.agentId, {
      callId: ring.callId,
      state: 'ringing',
      at: isoOf(ctx.clock.now())!,
    });
  } catch (err) {
    ctx.log.warn({ err, callId: ring.callId, kind: o.kind }, 'ringing the agent first failed');
    await miss('phone-unreachable');
  }
}

/** The ring answered: its timer stops; false when it was already over (a late pick-up). */
export function agentFirstAnswered(ring: AgentFirstRing): boolean {
  if (ring.over) return false;
  ring.over = true;
  if (ring.timer) clearTimeout(ring.timer);
  return true;
}

/**
 * The agent did not pick up: the leg hung up, the pop withdrawn, the attempt's record closed
 * (void: not counted as a try of the customer), the agent set not-ready and freed. False when the
 * ring was already over.
 */
export async function agentFirstMissed(
  ctx: EngineContext,
  ring: AgentFirstRing,
  reason: AgentMissReason,
): Promise<boolean> {
  if (ring.over) return false;
  ring.over = true;
  if (ring.timer) clearTimeout(ring.timer);
  ctx.registry.settle(ring.channelId);
  ctx.registry.dropLeg(ring.channelId);
  const at = ctx.clock.now();
  await tryAri(ctx.log, 'hangup unanswered agent-first leg', () => ctx.rest.hangup(ring.channelId));
  ctx.notifier.update(ring.agentId, {
    callId: ring.callId,
    state: 'ended',
    withdrawn: true,
    reason,
    at: isoOf(at)!,
  });
  await ctx.calls.commit(ring.callId, {
    type: 'agent-missed',
    at,
    agentId: ring.agentId,
    data: { reason },
  });
  await closeUnconnected(ctx, ring.callId, {
    outcome: 'failed',
    reason,
    hangupCause: 'agent did not answer',
  });
  await ctx.agents.setState(ring.agentId, 'break', reason === 'no-answer' ? 'missed-call' : reason);
  await ctx.agents.release(ring.agentId, ring.callId, false);
  return true;
}
