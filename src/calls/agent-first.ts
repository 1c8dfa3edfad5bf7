import type { Channel } from '../ari/types';
import type { QueueInfo } from '../routing/queues';
import { isoOf } from '../shared/clock';
import { redactNumber } from '../shared/logger';
import { tryAri } from './ari-safe';
import type { Outcome } from './call-state';
import { fire, newSession, type CallSession } from './call-session';
import { commit } from './commit';
import type { EngineContext } from './engine-context';
import { endCall } from './end-call';
import { callerIdFor } from './offer-call';
import { startRecording } from './recording';
import { openCallBridge, stopWaitMusic } from './call-bridge';

/**
 * Agent-first outbound calls (queued call-backs, preview dialing): the agent is on the line, the
 * customer's number is dialed through the trunk while the agent hears music in the call's bridge
 * (state `dialing`, appArgs `callee,CALLID`); the customer answers → `talking`. From there it is
 * an ordinary call. A customer who never answers ends it as `busy` / `no-answer` (channel-gone).
 */
export async function dialFromAgent(
  ctx: EngineContext,
  o: {
    callId: string;
    agentId: number;
    agentChannelId: string;
    phone: string;
    queue: QueueInfo;
    startedAt: number;
    callerId: string;
    logFields: Record<string, unknown>;
    onEnded: (outcome: Outcome) => Promise<void>;
    outbound?: CallSession['outbound'];
  },
): Promise<CallSession> {
  const s = newSession({
    id: o.callId,
    direction: 'outbound',
    callerChannelId: `${o.callId}-c`,
    callerRaw: o.phone,
    callerE164: o.phone,
    dialedNumber: o.phone,
    queue: o.queue,
    startedAt: o.startedAt,
    log: ctx.log.child({ callId: o.callId, ...o.logFields, callee: redactNumber(o.phone) }),
  });
  s.agentId = o.agentId;
  s.agentChannelId = o.agentChannelId;
  s.onEnded = o.onEnded;
  s.outbound = o.outbound ?? null;
  ctx.registry.add(s);
  ctx.registry.addLeg(o.agentChannelId, o.callId, 'agent');
  ctx.agents.onCall(o.agentId, o.callId);
  fire(s, 'dial');
  const at = ctx.clock.now();
  // The call's wait runs from here on (a preview's record opened before the agent's pick-up).
  void commit(ctx, s, {
    type: 'dialing',
    at,
    agentId: o.agentId,
    data: { waitFrom: isoOf(o.startedAt) },
  });
  try {
    await openCallBridge(ctx, s, o.agentChannelId);
    if (s.state !== 'dialing') return s; // the agent hung up meanwhile
    await ctx.originate(
      { kind: 'callee', callId: o.callId },
      {
        endpoint: ctx.telephony.trunkEndpoint.replace('{number}', o.phone),
        callerId: callerIdFor(o.callerId, null),
        // Ring at least 15 s (schema minimum) before giving up.
        timeout: ctx.telephony.externalRingSec,
        channelId: s.callerChannelId,
      },
    );
  } catch (err) {
    s.log.warn({ err }, 'dialing the customer failed');
    await endCall(ctx, s, 'failed', 'system', { reason: 'dial-failed' });
  }
  return s;
}

/** StasisStart `callee,CALLID`: the customer answered; connect them to the agent. */
export async function calleeAnswered(
  ctx: EngineContext,
  callId: string,
  channel: Channel,
): Promise<void> {
  const s = ctx.registry.get(callId);
  if (!s || s.state !== 'dialing' || s.callerChannelId !== channel.id || !s.bridgeId) {
    await tryAri(ctx.log, 'hangup stale callee leg', () => ctx.rest.hangup(channel.id));
    return;
  }
  fire(s, 'callee-answered');
  const at = ctx.clock.now();
  s.answeredAt = at;
  await stopWaitMusic(ctx, s);
  try {
    await ctx.rest.addChannel(s.bridgeId, [channel.id]);
  } catch (err) {
    s.log.error({ err }, 'bridging the customer failed');
    await endCall(ctx, s, 'failed', 'system', { reason: 'bridge-failed' });
    return;
  }
  ctx.notifier.update(s.agentId!, { callId, state: 'answered', at: isoOf(at)! });
  void commit(ctx, s, { type: 'answered', at, agentId: s.agentId }, { state: 'talking' });
  if (s.queue.recording === 'always')
    await startRecording(ctx, s, 'policy').catch((err: unknown) =>
      s.log.error({ err }, 'recording failed to start'),
    );
}
