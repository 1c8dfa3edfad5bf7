import { isoOf } from '../../shared/clock';
import { fire, type CallSession } from '../call-session';
import { commit } from '../commit';
import type { EngineContext } from '../engine-context';
import { endCall } from '../end-call';
import { isOpen } from '../../routing/opening-hours';
import { tryAri } from '../ari-safe';
import { stopWaitMusic } from '../call-bridge';

/**
 * "If the wait would be long, note the customer's number and call back" (002): after the queue's
 * `callbackOfferAfterSec` the caller hears the offer; outside opening hours they hear that the
 * center is closed, then the offer. Pressing 1 leaves a call-back task for the queue.
 */

export function isQueueOpen(ctx: EngineContext, s: CallSession): boolean {
  return isOpen(s.queue.hours, s.queue.timezone, ctx.clock.now());
}

/** Arms the in-queue offer for a call that just started waiting. */
export function scheduleCallbackOffer(ctx: EngineContext, s: CallSession): void {
  const after = s.queue.callbackOfferAfterSec;
  if (after === null) return;
  s.timers.push(
    setTimeout(() => {
      if (s.state !== 'queued' || s.callbackOffered) return;
      s.callbackOffered = true;
      const at = ctx.clock.now();
      void commit(ctx, s, { type: 'callback-offered', at });
      void tryAri(s.log, 'play call-back offer', () =>
        ctx.rest.play(s.callerChannelId, ctx.telephony.callbackOfferMessage, `${s.id}-cb-offer`),
      );
    }, after * 1000),
  );
}

/** Outside opening hours: the closed message and the offer, then a few seconds for the "1". */
export async function closedAtArrival(ctx: EngineContext, s: CallSession): Promise<void> {
  if (!fire(s, 'closed')) return;
  s.callbackOffered = true;
  s.outcome = 'closed';
  const at = ctx.clock.now();
  void commit(ctx, s, { type: 'closed', at, data: { queue: s.queue.name } });
  s.playbackId = `${s.id}-closed`;
  s.onPlaybackDone = () => {
    s.timers.push(
      setTimeout(
        () => void endCall(ctx, s, 'announced', 'system', { reason: 'closed' }),
        ctx.telephony.callbackDigitWaitSec * 1000,
      ),
    );
    return Promise.resolve();
  };
  try {
    await stopWaitMusic(ctx, s);
    await ctx.rest.play(
      s.callerChannelId,
      [ctx.telephony.closedMessage, ctx.telephony.callbackOfferMessage],
      s.playbackId,
    );
  } catch (err) {
    s.log.warn({ err }, 'closed message failed to play');
    await endCall(ctx, s, 'announced', 'system', { reason: 'closed' });
  }
}

/** A DTMF digit from a caller. */
export async function callerDigit(
  ctx: EngineContext,
  channelId: string,
  digit: string,
): Promise<void> {
  const found = ctx.registry.byChannel(channelId);
  if (!found || found.role !== 'caller') return;
  const s = found.session;
  if (digit !== '1' || !s.callbackOffered || (s.state !== 'queued' && s.state !== 'announcing'))
    return;
  if (s.outcome === 'callback') return; // already accepted
  await acceptCallback(ctx, s);
}

async function acceptCallback(ctx: EngineContext, s: CallSession): Promise<void> {
  if (!fire(s, 'callback-accepted')) return;
  for (const t of s.timers) clearTimeout(t);
  s.timers = [];
  s.outcome = 'callback';
  const now = ctx.clock.now();
  const customer = s.customers.length === 1 ? s.customers[0]! : null;
  const taskId = await ctx.tasks.create({
    kind: 'callback',
    customerId: customer?.id ?? null,
    phone: s.callerE164 ?? s.callerRaw,
    callId: s.id,
    queue: s.queue.name,
    assignedUserId: null,
    dueAt: now,
    note: `call-back requested after ${Math.round((now - s.startedAt) / 1000)} s in ${s.queue.name}`,
    now,
  });
  s.log.info({ taskId }, 'caller asked for a call-back');
  void commit(ctx, s, {
    type: 'callback-requested',
    at: now,
    data: { taskId, dueAt: isoOf(now) },
  });
  s.playbackId = `${s.id}-cb-confirm`;
  s.onPlaybackDone = () => endCall(ctx, s, 'announced', 'system', { reason: 'callback-requested' });
  try {
    await stopWaitMusic(ctx, s);
    await ctx.rest.play(s.callerChannelId, ctx.telephony.callbackConfirmMessage, s.playbackId);
  } catch (err) {
    s.log.warn({ err }, 'call-back confirmation failed to play');
    await endCall(ctx, s, 'announced', 'system', { reason: 'callback-requested' });
  }
}
