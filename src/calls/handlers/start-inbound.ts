import { randomUUID } from 'node:crypto';
import type { Channel } from '../../ari/types';
import { redactNumber } from '../../shared/logger';
import { fire, newSession, persist } from '../call-session';
import type { EngineContext } from '../engine-context';
import { endCall } from '../end-call';
import { tryAri } from '../ari-safe';
import { normaliseNumber } from '../../customers/normalise-number';
import { anyoneLoggedIn } from '../../routing/choose-agent';
import { closedAtArrival, isQueueOpen, scheduleCallbackOffer } from './callback-offer';

/**
 * StasisStart of a carrier call (`Stasis(app,inbound,DID)`): open the call record first, then
 * match the caller, answer into the call's own bridge with music on hold, and queue it.
 */
export async function startInbound(
  ctx: EngineContext,
  channel: Channel,
  did: string,
): Promise<void> {
  const id = randomUUID();
  const callerRaw = channel.caller.number || 'anonymous';
  const dialed = did || channel.dialplan.exten;
  const e164 = normaliseNumber(callerRaw, ctx.telephony.defaultRegion)?.e164 ?? null;
  const queue = ctx.queues.forDid(dialed);
  const startedAt = ctx.clock.now();
  const log = ctx.log.child({ callId: id, channelId: channel.id, caller: redactNumber(callerRaw) });
  const s = newSession({
    id,
    callerChannelId: channel.id,
    callerRaw,
    callerE164: e164,
    dialedNumber: dialed,
    queue,
    startedAt,
    log,
  });
  ctx.registry.add(s);
  log.info({ queue: queue.name }, 'inbound call');

  // No call without a call record: this write comes before anything else can end the call.
  await persist(s, 'open call', async () => {
    await ctx.calls.open({
      id,
      direction: 'inbound',
      callerNumber: callerRaw,
      callerE164: e164,
      dialedNumber: dialed,
      channelId: channel.id,
      startedAt,
    });
    await ctx.calls.appendEvent(id, startedAt, 'started', { queue: queue.name });
  });

  const [match, media] = await Promise.all([
    ctx.matchCaller(callerRaw).catch((err: unknown) => {
      log.error({ err }, 'caller lookup failed; treating as unknown caller');
      return { customers: [] };
    }),
    setUpMedia(ctx, s.id, channel.id),
  ]);
  s.bridgeId = media.bridgeId;
  s.customers = match.customers;
  const only = s.customers.length === 1 ? s.customers[0]! : null;
  s.ownerUserId = only?.ownerUserId ?? null;
  s.priority = s.customers.some((c) => c.tier === 'vip') ? 1 : 0;
  if (s.ownerUserId !== null && queue.ownerFirstSec > 0) {
    // A busy owner keeps the call for a few seconds before the rest of the queue may take it.
    s.reservedFor = { userId: s.ownerUserId, until: startedAt + queue.ownerFirstSec * 1000 };
    s.timers.push(setTimeout(() => ctx.dispatch(), queue.ownerFirstSec * 1000 + 5));
  }
  void persist(s, 'caller matched', () =>
    ctx.calls.update(id, {
      customer_id: only?.id ?? null,
      queue: queue.name,
      priority: s.priority,
    }),
  );

  if (s.state === 'ended') {
    // The caller hung up while we answered: endCall already ran; the bridge may be left over.
    if (s.bridgeId) await tryAri(log, 'destroy bridge', () => ctx.rest.destroyBridge(s.bridgeId!));
    return;
  }
  if (!media.ok) {
    await endCall(ctx, s, 'failed', 'system', { reason: 'answer-failed' });
    return;
  }
  fire(s, 'caller-answered');
  const at = ctx.clock.now();
  void persist(s, 'queued', async () => {
    await ctx.calls.update(id, { state: 'queued' });
    await ctx.calls.appendEvent(id, at, 'queued', { customers: s.customers.map((c) => c.id) });
  });
  if (!isQueueOpen(ctx, s)) {
    await closedAtArrival(ctx, s);
    return;
  }
  scheduleCallbackOffer(ctx, s);
  // "This call may be recorded": told while the caller waits, before any agent (and recording).
  // (Not when nobody could answer: that caller hears the no-agent message instead.)
  const consent = ctx.telephony.recordingConsentMessage;
  const someone = anyoneLoggedIn(ctx.agents.all().filter((a) => ctx.queues.serves(s.queue, a)));
  if (consent && s.queue.recording === 'always' && someone)
    void tryAri(log, 'play recording consent', () =>
      ctx.rest.play(s.callerChannelId, consent, `${id}-consent`),
    );
  ctx.dispatch();
}

/** Answer, own mixing bridge, caller in it, music on hold. */
async function setUpMedia(
  ctx: EngineContext,
  callId: string,
  channelId: string,
): Promise<{ ok: boolean; bridgeId: string | null }> {
  let bridgeId: string | null = null;
  try {
    await ctx.rest.answer(channelId);
    const bridge = await ctx.rest.createBridge({
      bridgeId: `hotline-${callId}`,
      type: 'mixing',
      name: `hotline-${callId}`,
    });
    bridgeId = bridge.id;
    await ctx.rest.addChannel(bridge.id, [channelId]);
    await ctx.rest.startBridgeMoh(bridge.id, ctx.telephony.mohClass);
    return { ok: true, bridgeId };
  } catch (err) {
    ctx.log.warn({ err, callId }, 'answering the caller failed');
    return { ok: false, bridgeId };
  }
}
