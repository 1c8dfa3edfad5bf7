import { endMonitor } from './monitor';
import { randomUUID } from 'node:crypto';
import type { Channel } from '../ari/types';
import { normaliseNumber } from '../customers/normalise-number';
import { isoOf } from '../shared/clock';
import { HotlineError } from '../shared/errors';
import { tryAri } from './ari-safe';
import { fire, type CallSession, type ConsultLeg } from './call-session';
import { commit } from './commit';
import type { EngineContext } from './engine-context';
import { callerIdFor, popOf } from './offer-call';
import { ringResult } from './hangup-causes';
import { startWaitMusic, stopWaitMusic } from './call-bridge';

export type TransferTarget = ConsultLeg['target'];

/**
 * Transfers that ring a new party while the call stays up: attended (consult) transfers to an
 * agent, a queue's free agent or an external number, and blind transfers to an external number.
 * The new party's leg is originated into the app as `consult,CALLID`; the caller waits on hold
 * (attended) or with music in the call's bridge (blind external) until it answers.
 */

/**
 * The agent a transfer rings, claimed for the call (allocator): the named agent, or the
 * longest-idle free agent of the queue (never the transferring agent). Null: an external number.
 */
function claimTarget(ctx: EngineContext, s: CallSession, target: TransferTarget) {
  if (target.type === 'agent') {
    const a = ctx.agents.get(target.userId);
    if (!a || !a.extension)
      throw new HotlineError('HOTLINE_VALIDATION', `target.userId: no agent with a phone`);
    if (a.userId === s.agentId) throw new HotlineError('HOTLINE_VALIDATION', 'target: that is you');
    const claimed = ctx.allocator.claimAgent(a.userId, s.id);
    if (!claimed)
      throw new HotlineError('HOTLINE_AGENT_NOT_FREE', `${a.name} is not free right now`);
    return claimed;
  }
  if (target.type !== 'queue') return null;
  const q = ctx.queues.get(target.name);
  if (!q) throw new HotlineError('HOTLINE_VALIDATION', `target.name: no queue "${target.name}"`);
  const a = ctx.allocator.claim({
    callId: s.id,
    queue: q,
    exclude: s.agentId !== null ? new Set([s.agentId]) : undefined,
  });
  if (!a)
    throw new HotlineError('HOTLINE_NO_FREE_AGENT', `no free agent in queue ${q.name} right now`);
  return a;
}

function externalNumber(ctx: EngineContext, raw: string): string {
  const n = normaliseNumber(raw, ctx.telephony.defaultRegion);
  if (!n)
    throw new HotlineError('HOTLINE_VALIDATION', `target.number: "${raw}" is not a phone number`);
  return n.e164;
}

const event = (
  ctx: EngineContext,
  s: CallSession,
  type: string,
  data?: Record<string, unknown>,
) => {
  const at = ctx.clock.now();
  void commit(ctx, s, { type, at, data, agentId: s.agentId });
  return at;
};

/** The caller leaves the bridge and hears music (if not held already). */
async function holdCaller(ctx: EngineContext, s: CallSession): Promise<void> {
  if (s.state !== 'talking') return; // held: already out of the bridge with music
  await ctx.rest.removeChannel(s.bridgeId!, [s.callerChannelId]);
  await ctx.rest.startMoh(s.callerChannelId, ctx.telephony.mohClass);
}

async function unholdCaller(ctx: EngineContext, s: CallSession): Promise<void> {
  await tryAri(s.log, 'stop moh', () => ctx.rest.stopMoh(s.callerChannelId));
  await tryAri(s.log, 'caller back to bridge', () =>
    ctx.rest.addChannel(s.bridgeId!, [s.callerChannelId]),
  );
}

/** The transferring agent leaves the call: their leg is hung up, they go into wrap-up. */
export async function agentLeaves(
  ctx: EngineContext,
  s: CallSession,
  agentId: number | null,
  agentLeg: string | null,
  at: number,
): Promise<void> {
  // The monitored agent leaves: monitoring ends with them (a new agent is a new call to watch).
  await endMonitor(ctx, s, 'transferred');
  if (agentLeg) {
    ctx.registry.dropLeg(agentLeg);
    await tryAri(s.log, 'hangup transferring agent', () => ctx.rest.hangup(agentLeg));
  }
  if (agentId === null) return;
  ctx.notifier.update(agentId, {
    callId: s.id,
    state: 'ended',
    reason: 'transferred',
    at: isoOf(at)!,
  });
  await ctx.agents.release(agentId, s.id, true, ctx.telephony.wrapUpSec * 1000);
}

/** Starts an attended transfer (any target) or a blind one to an external number. */
export async function startTransfer(
  ctx: EngineContext,
  s: CallSession,
  mode: 'attended' | 'blind',
  requested: TransferTarget,
): Promise<void> {
  if ((s.state !== 'talking' && s.state !== 'held') || !s.bridgeId)
    throw new HotlineError(
      'HOTLINE_CALL_NOT_TRANSFERABLE',
      `cannot transfer a call that is ${s.state}`,
    );
  const target: TransferTarget =
    requested.type === 'external'
      ? { type: 'external', number: externalNumber(ctx, requested.number) }
      : requested;
  const agent = claimTarget(ctx, s, target);

  const channelId = `${s.id}-x${randomUUID().slice(0, 8)}`;
  const leg: ConsultLeg = {
    channelId,
    target,
    agentId: agent?.userId ?? null,
    mode,
    answered: false,
    byAgentId: s.agentId,
    timer: null,
  };
  const from = s.agentId;
  const agentLeg = s.agentChannelId;
  if (mode === 'attended') {
    await holdCaller(ctx, s);
    fire(s, 'consult');
  } else {
    // Blind out: the agent leaves now; the caller hears music in the bridge until the number answers.
    if (s.state === 'held') await unholdCaller(ctx, s);
    fire(s, 'transfer-out');
    await startWaitMusic(ctx, s, s.callerChannelId);
    s.agentId = null;
    s.agentChannelId = null;
    await agentLeaves(ctx, s, from, agentLeg, ctx.clock.now());
  }
  s.consult = leg;
  ctx.registry.addLeg(channelId, s.id, 'consult');
  event(ctx, s, mode === 'attended' ? 'consult-started' : 'transfer-started', {
    mode,
    target: target.type === 'external' ? { type: 'external' } : target,
  });

  const ringSec = agent ? s.queue.ringTimeoutSec : ctx.telephony.externalRingSec;
  leg.timer = setTimeout(() => void consultGone(ctx, s, channelId, 'no-answer'), ringSec * 1000);
  const customer = s.customers.length === 1 ? s.customers[0]! : null;
  try {
    if (agent) {
      const pop = await popOf(ctx, s);
      await ctx.notifier.pop(agent.userId, pop, ctx.telephony.popAckWaitMs).catch(() => undefined);
    }
    if (s.consult !== leg) return; // the caller hung up meanwhile
    await ctx.originate(
      { kind: 'consult', callId: s.id },
      {
        endpoint: agent
          ? ctx.telephony.agentEndpoint.replace('{extension}', agent.extension ?? '')
          : ctx.telephony.trunkEndpoint.replace('{number}', (target as { number: string }).number),
        callerId: agent
          ? callerIdFor(s.callerE164 ?? s.callerRaw, customer?.name ?? null)
          : callerIdFor(ctx.telephony.outboundCallerId, null),
        timeout: ringSec + 5,
        channelId,
      },
    );
    if (agent)
      ctx.notifier.update(agent.userId, {
        callId: s.id,
        state: 'ringing',
        at: isoOf(ctx.clock.now())!,
      });
  } catch (err) {
    s.log.warn({ err }, 'ringing the transfer target failed');
    await consultGone(ctx, s, channelId, 'ring-failed');
  }
}

/** StasisStart of a consult leg: the target answered. */
export async function consultAnswered(
  ctx: EngineContext,
  callId: string,
  channel: Channel,
): Promise<void> {
  const s = ctx.registry.get(callId);
  const leg = s?.consult;
  if (!s || !leg || leg.channelId !== channel.id || leg.answered || !s.bridgeId) {
    ctx.log.info({ callId, channelId: channel.id }, 'stale transfer leg answered; hanging it up');
    await tryAri(ctx.log, 'hangup stale transfer leg', () => ctx.rest.hangup(channel.id));
    return;
  }
  if (leg.timer) clearTimeout(leg.timer);
  leg.timer = null;
  leg.answered = true;
  if (leg.agentId !== null) ctx.agents.onCall(leg.agentId, s.id);
  const at = ctx.clock.now();
  if (s.state === 'transferring') await stopWaitMusic(ctx, s);
  try {
    await ctx.rest.addChannel(s.bridgeId, [channel.id]);
  } catch (err) {
    s.log.error({ err }, 'bridging the transfer target failed');
    await consultGone(ctx, s, channel.id, 'ring-failed');
    return;
  }
  if (leg.agentId !== null)
    ctx.notifier.update(leg.agentId, { callId: s.id, state: 'answered', at: isoOf(at)! });
  if (s.state === 'transferring') {
    handOver(ctx, s, leg, at);
  } else {
    event(ctx, s, 'consult-answered', { agentId: leg.agentId });
    if (s.agentId !== null)
      ctx.notifier.update(s.agentId, {
        callId: s.id,
        state: 'held',
        reason: 'consult-answered',
        at: isoOf(at)!,
      });
  }
}

/** The call now belongs to the transfer target: its leg becomes the call's agent leg. */
function handOver(ctx: EngineContext, s: CallSession, leg: ConsultLeg, at: number): void {
  fire(s, 'consult-complete');
  s.consult = null;
  s.agentId = leg.agentId;
  s.agentChannelId = leg.channelId;
  ctx.registry.addLeg(leg.channelId, s.id, 'agent');
  const target = leg.target.type === 'external' ? { type: 'external' } : leg.target;
  // The record's agent is the event's projection (`toAgentId`; null: an external party).
  void commit(
    ctx,
    s,
    {
      type: 'transferred',
      at,
      agentId: leg.byAgentId,
      data: { mode: leg.mode, target, toAgentId: leg.agentId },
    },
    { state: 'talking' },
  );
  // The new agent answered this call too: they wrap it up (the call's answer time stays).
  if (leg.agentId !== null)
    void commit(ctx, s, {
      type: 'answered',
      at,
      agentId: leg.agentId,
      data: { transferred: true },
    });
}

/** The transferring agent hands the caller to the consulted party and leaves (into wrap-up). */
export async function completeConsult(ctx: EngineContext, s: CallSession): Promise<void> {
  const leg = s.consult;
  if (s.state !== 'consulting' || !leg)
    throw new HotlineError('HOTLINE_NO_CONSULTATION', 'no consultation in progress on this call');
  if (!leg.answered)
    throw new HotlineError(
      'HOTLINE_CONSULT_NOT_ANSWERED',
      'the transfer target has not answered yet',
    );
  const from = s.agentId;
  const agentLeg = s.agentChannelId;
  const at = ctx.clock.now();
  handOver(ctx, s, leg, at);
  await unholdCaller(ctx, s);
  await agentLeaves(ctx, s, from, agentLeg, at);
}

/** The agent takes the caller back; the consulted party is hung up. */
export async function cancelConsult(ctx: EngineContext, s: CallSession): Promise<void> {
  const leg = s.consult;
  if (s.state !== 'consulting' || !leg)
    throw new HotlineError('HOTLINE_NO_CONSULTATION', 'no consultation in progress on this call');
  await consultGone(ctx, s, leg.channelId, 'cancelled');
}

/**
 * The consult leg is over before the hand-over (no answer, busy, hung up, cancelled): an attended
 * transfer gives the caller back to the agent; a blind one puts the caller back in the queue.
 */
export async function consultGone(
  ctx: EngineContext,
  s: CallSession,
  channelId: string,
  reason: string,
): Promise<void> {
  const leg = s.consult;
  if (!leg || leg.channelId !== channelId) return;
  if (leg.timer) clearTimeout(leg.timer);
  s.consult = null;
  ctx.registry.dropLeg(channelId);
  await tryAri(s.log, 'hangup transfer leg', () => ctx.rest.hangup(channelId));
  const at = ctx.clock.now();
  if (leg.agentId !== null) {
    ctx.notifier.update(leg.agentId, {
      callId: s.id,
      state: 'ended',
      withdrawn: !leg.answered || undefined,
      reason,
      at: isoOf(at)!,
    });
    await ctx.agents.release(leg.agentId, s.id, leg.answered, 0);
  }
  if (s.state === 'consulting') {
    fire(s, 'consult-cancel');
    await unholdCaller(ctx, s);
    event(ctx, s, 'consult-ended', { reason });
    if (s.agentId !== null)
      ctx.notifier.update(s.agentId, {
        callId: s.id,
        state: 'answered',
        reason: `consult-${reason}`,
        at: isoOf(at)!,
      });
  } else if (s.state === 'transferring') {
    fire(s, 'consult-failed');
    void commit(
      ctx,
      s,
      { type: 'transfer-failed', at: ctx.clock.now(), agentId: s.agentId, data: { reason } },
      { state: 'queued' },
    );
    ctx.dispatch();
  }
}

/** A leg of a call in a transfer is gone: which one decides what happens. */
export async function legGoneDuringTransfer(
  ctx: EngineContext,
  s: CallSession,
  role: 'agent' | 'consult',
  channelId: string,
  cause: { code: number; text: string } | null,
): Promise<boolean> {
  const leg = s.consult;
  if (!leg) return false;
  if (role === 'consult') {
    await consultGone(
      ctx,
      s,
      channelId,
      leg.answered ? 'hung-up' : ringResult(cause?.code) === 'busy' ? 'busy' : 'no-answer',
    );
    return true;
  }
  if (s.state === 'consulting' && channelId === s.agentChannelId && leg.answered) {
    // The transferring agent hung up after the target answered: the transfer completes.
    await completeConsult(ctx, s);
    return true;
  }
  return false;
}
