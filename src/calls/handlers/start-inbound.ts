import { randomUUID } from 'node:crypto';
import type { Channel } from '../../ari/types';
import { redactNumber } from '../../shared/logger';
import { fire, newSession, persist, type CallSession } from '../call-session';
import { commit } from '../commit';
import { preciseNow } from '../call-stages';
import type { EngineContext } from '../engine-context';
import { endCall } from '../end-call';
import { popOf } from '../offer-call';
import { openCallBridge } from '../call-bridge';
import { promptFailed } from '../prompts';
import { normaliseNumber } from '../../customers/normalise-number';
import { closedAtArrival, isQueueOpen, scheduleCallbackOffer } from './callback-offer';

/**
 * StasisStart of a carrier call (`Stasis(app,inbound,DID)`). The critical path is: match the
 * caller → queue the call → (dispatcher) choose an agent → pop → ring. Everything else runs
 * beside it: the call record's writes are queued in order on the session (the open-call write
 * first, so no later write can precede it), and the answer into the call's own bridge with music
 * on hold runs in parallel; the agent's leg waits for it before it is bridged.
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
  const mark = ctx.stages ? ctx.stages.bind(null, id) : null;
  mark?.('stasis', preciseNow());
  // From memory when the caller directory can say (the same tick): then the pop's one read (the
  // caller's history) starts first, before the record's write and the answer are even issued.
  const known = ctx.matchCaller.known(callerRaw);
  if (known) {
    s.customers = known.customers;
    s.popPrefetch = popOf(ctx, s, startedAt);
    s.popPrefetch.catch(() => undefined); // the offer reads it (or builds its own)
  }
  log.info({ queue: queue.name }, 'inbound call');

  // No call without a call record: the first write queued for the call, before any other.
  void persist(s, 'open call', async () => {
    await ctx.calls.open(
      {
        id,
        callerNumber: callerRaw,
        callerE164: e164,
        dialedNumber: dialed,
        channelId: channel.id,
      },
      { at: startedAt, data: { queue: queue.name, direction: 'inbound' } },
    );
    mark?.('record-opened', preciseNow());
  });
  s.media = setUpMedia(ctx, s);

  // Else one indexed read.
  const match =
    known ??
    (await ctx.matchCaller(callerRaw).catch((err: unknown) => {
      log.error({ err }, 'caller lookup failed; treating as unknown caller');
      return { customers: [] };
    }));
  mark?.('lookup', preciseNow());
  s.customers = match.customers;
  const only = s.customers.length === 1 ? s.customers[0]! : null;
  s.ownerUserId = only?.ownerUserId ?? null;
  s.priority = s.customers.some((c) => c.tier === 'vip') ? 1 : 0;
  if (s.ownerUserId !== null && queue.ownerFirstSec > 0) {
    // A busy owner keeps the call for a few seconds before the rest of the queue may take it.
    s.reservedFor = { userId: s.ownerUserId, until: startedAt + queue.ownerFirstSec * 1000 };
    s.timers.push(setTimeout(() => ctx.dispatch(), queue.ownerFirstSec * 1000 + 5));
  }
  if (s.state === 'ended') {
    // The caller hung up during the lookup (endCall already ran, so there is no `queued` event
    // to carry it): the record keeps who called all the same.
    void persist(s, 'caller matched', () =>
      ctx.calls.amend(id, { customerId: only?.id ?? null, priority: s.priority }),
    );
    return;
  }

  // Queued from here: offered to agents while the answer completes. The record's customer is the
  // event's projection (the one customer matched, else none).
  fire(s, 'caller-answered');
  const at = ctx.clock.now();
  void commit(
    ctx,
    s,
    { type: 'queued', at, data: { customers: s.customers.map((c) => c.id) } },
    { state: 'queued', priority: s.priority },
  );
  const open = isQueueOpen(ctx, s);
  if (open) {
    if (!s.popPrefetch) {
      s.popPrefetch = popOf(ctx, s, at);
      s.popPrefetch.catch(() => undefined); // the offer reads it (or builds its own)
    }
    scheduleCallbackOffer(ctx, s);
    ctx.dispatch();
  }

  const answered = await s.media;
  if (s.endedAt !== null) return; // ended meanwhile (endCall ran)
  if (!answered) {
    await endCall(ctx, s, 'failed', 'system', { reason: 'answer-failed' });
    return;
  }
  if (!open) {
    await closedAtArrival(ctx, s);
    return;
  }
  // "This call may be recorded": told while the caller waits, before any agent (and recording).
  // (Not when nobody could answer: that caller hears the no-agent message instead.)
  const consent = ctx.telephony.recordingConsentMessage;
  if (consent && s.queue.recording === 'always' && s.state !== 'announcing') {
    if (ctx.allocator.anyoneLoggedIn({ queue: s.queue })) {
      s.consent = 'playing';
      void ctx.rest
        .play(s.callerChannelId, consent, `${id}-consent`)
        .catch((err: unknown) => promptFailed(ctx, s, consent, 'consent', err));
    }
  }
}

/** Answer, then the call's bridge with the caller in it and music on hold. */
async function setUpMedia(ctx: EngineContext, s: CallSession): Promise<boolean> {
  const mark = ctx.stages ? ctx.stages.bind(null, s.id) : null;
  try {
    await ctx.rest.answer(s.callerChannelId);
    mark?.('answered', preciseNow());
    await openCallBridge(ctx, s, s.callerChannelId);
    return true;
  } catch (err) {
    if (s.state !== 'ended') s.log.warn({ err }, 'answering the caller failed');
    return false;
  }
}
