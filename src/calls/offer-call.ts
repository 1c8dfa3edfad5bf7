import { randomUUID } from 'node:crypto';
import type { AgentView } from '../agents/agent-directory';
import { isoOf } from '../shared/clock';
import { clearRingTimer, fire, type CallSession } from './call-session';
import { commit } from './commit';
import type { EngineContext } from './engine-context';
import { tryAri } from './ari-safe';
import { preciseNow } from './call-stages';

/** `"Name" <number>` for the agent's phone display; quotes and brackets removed from the name. */
export function callerIdFor(number: string, name: string | null): string {
  const safeName = (name ?? '')
    .replace(/["<>\\\r\n]/g, '')
    .trim()
    .slice(0, 60);
  const safeNumber = number.replace(/[^\d+*#]/g, '') || 'anonymous';
  return safeName ? `"${safeName}" <${safeNumber}>` : `<${safeNumber}>`;
}

/** The screen-pop of an inbound call as it stands now (offers and transfers send it). */
export function popOf(ctx: EngineContext, s: CallSession, at = ctx.clock.now()) {
  return ctx.buildPop({
    id: s.id,
    direction: s.outbound ? 'outbound' : 'inbound',
    callerNumber: s.callerRaw,
    callerE164: s.callerE164,
    dialedNumber: s.dialedNumber,
    customers: s.customers,
    queue: s.queue.name,
    waitedMs: at - s.startedAt,
    ...(s.outbound ? { campaign: s.outbound.campaign, contact: s.outbound.contact } : {}),
  });
}

/**
 * Offers a queued call to a reserved agent: the pop first (waiting briefly for the browser's
 * acknowledgement), then the agent's phone rings through ARI, with a ring timer of our own.
 */
export async function offerCall(
  ctx: EngineContext,
  s: CallSession,
  agent: AgentView,
): Promise<void> {
  if (!fire(s, 'offered')) {
    await ctx.agents.release(agent.userId, s.id, false);
    return;
  }
  s.attempts += 1;
  const channelId = `${s.id}-a${s.attempts}-${randomUUID().slice(0, 8)}`;
  s.agentId = agent.userId;
  s.agentChannelId = channelId;
  ctx.registry.addLeg(channelId, s.id, 'agent');
  const log = s.log.child({ agentId: agent.userId, agentChannelId: channelId });
  const offeredAt = ctx.clock.now();
  void commit(ctx, s, {
    type: 'offered',
    at: offeredAt,
    agentId: agent.userId,
    data: { attempt: s.attempts },
  });

  const customer = s.customers.length === 1 ? s.customers[0]! : null;
  const mark = ctx.stages ? ctx.stages.bind(null, s.id) : null;
  mark?.('agent', preciseNow());
  try {
    // The first offer's pop was read while the call was being queued; later ones are fresh.
    const prefetch = s.popPrefetch;
    s.popPrefetch = null;
    const pop = prefetch
      ? {
          ...(await prefetch.catch(() => popOf(ctx, s, offeredAt))),
          waitedMs: offeredAt - s.startedAt,
          sentAt: new Date().toISOString(),
        }
      : await popOf(ctx, s, offeredAt);
    mark?.('pop-built', preciseNow());
    const acking = ctx.notifier.pop(agent.userId, pop, ctx.telephony.popAckWaitMs);
    mark?.('pop-emitted', preciseNow());
    const { acked } = await acking;
    if (!acked) ctx.metrics?.popAckMissed();
    mark?.('pop-acked', preciseNow());
    log.debug({ acked }, 'pop sent');
  } catch (err) {
    log.error({ err }, 'screen-pop failed; ringing anyway');
  }
  // The caller may have hung up while the pop was on its way.
  if (s.state !== 'ringing' || s.agentChannelId !== channelId) return;

  const ringSec = s.queue.ringTimeoutSec;
  s.ringTimer = setTimeout(() => void agentMissed(ctx, s, channelId, 'no-answer'), ringSec * 1000);
  try {
    mark?.('originate', preciseNow());
    await ctx.originate(
      { kind: 'agent', callId: s.id },
      {
        endpoint: ctx.telephony.agentEndpoint.replace('{extension}', agent.extension ?? ''),
        callerId: callerIdFor(s.callerE164 ?? s.callerRaw, customer?.name ?? null),
        // Asterisk's own limit is a backstop; our ring timer decides.
        timeout: ringSec + 5,
        channelId,
      },
    );
    mark?.('originated', preciseNow());
    ctx.notifier.update(agent.userId, {
      callId: s.id,
      state: 'ringing',
      at: isoOf(ctx.clock.now())!,
    });
  } catch (err) {
    log.warn({ err }, 'ringing the agent failed');
    await agentMissed(ctx, s, channelId, 'phone-unreachable');
  }
}

/**
 * The agent did not take the offer (ring timeout, declined, phone unreachable): withdraw the pop,
 * set the agent not-ready, put the call back in the queue for the next agent.
 */
export async function agentMissed(
  ctx: EngineContext,
  s: CallSession,
  channelId: string,
  reason: 'no-answer' | 'declined' | 'phone-unreachable' | 'ring-failed',
): Promise<void> {
  if (s.state !== 'ringing' || s.agentChannelId !== channelId) return;
  const agentId = s.agentId!;
  clearRingTimer(s);
  fire(s, 'agent-missed');
  s.targetAgentId = null; // a transfer to one agent who did not answer falls back to the queue
  s.agentId = null;
  s.agentChannelId = null;
  const at = ctx.clock.now();
  s.log.info({ agentId, reason }, 'agent missed the call; back to the queue');
  ctx.notifier.update(agentId, {
    callId: s.id,
    state: 'ended',
    withdrawn: true,
    reason,
    at: isoOf(at)!,
  });
  void commit(ctx, s, { type: 'agent-missed', at, agentId, data: { reason } });
  try {
    await tryAri(s.log, 'hangup unanswered agent leg', () => ctx.rest.hangup(channelId));
    await ctx.agents.setState(agentId, 'break', reason === 'no-answer' ? 'missed-call' : reason);
  } catch (err) {
    s.log.error({ err, agentId }, 'could not set the agent not-ready');
  } finally {
    await ctx.agents.release(agentId, s.id, false);
    ctx.dispatch();
  }
}
