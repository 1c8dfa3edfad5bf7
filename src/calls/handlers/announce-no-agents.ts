import { fire, type CallSession } from '../call-session';
import { commit } from '../commit';
import type { EngineContext } from '../engine-context';
import { endCall } from '../end-call';
import { stopWaitMusic } from '../call-bridge';

const MAX_ANNOUNCEMENT_MS = 60_000;

/** Nobody is logged in for this queue: play the configured message, then hang up. */
export async function announceNoAgents(ctx: EngineContext, s: CallSession): Promise<void> {
  if (!fire(s, 'no-agents')) return;
  // The caller may still be being answered; if that fails, startInbound ends the call.
  if (!(await s.media) || s.state !== 'announcing') return;
  const at = ctx.clock.now();
  s.log.info('no agent logged in; announcing and hanging up');
  void commit(ctx, s, { type: 'no-agents', at });
  s.playbackId = `${s.id}-no-agents`;
  s.onPlaybackDone = () => endCall(ctx, s, 'announced', 'system', { reason: 'no-agents' });
  const safety = setTimeout(
    () => void endCall(ctx, s, 'announced', 'system', { reason: 'no-agents' }),
    MAX_ANNOUNCEMENT_MS,
  );
  try {
    await stopWaitMusic(ctx, s);
    await ctx.rest.play(s.callerChannelId, ctx.telephony.noAgentMessage, s.playbackId);
  } catch (err) {
    s.log.warn({ err }, 'no-agents message failed to play');
    clearTimeout(safety);
    await endCall(ctx, s, 'announced', 'system', { reason: 'no-agents' });
    return;
  }
  s.ringTimer = safety;
}

/**
 * PlaybackFinished: the message that moves the call on is over; what happens then is the
 * flow's own (`onPlaybackDone`): hang up after the no-agents or abandon message, wait a few
 * seconds for the "1" after the closed message and its call-back offer, and so on.
 */
export async function playbackFinished(ctx: EngineContext, playbackId: string): Promise<void> {
  const s = ctx.registry.all().find((c) => c.playbackId === playbackId);
  if (!s || s.state === 'ended') return;
  const done = s.onPlaybackDone;
  s.onPlaybackDone = null;
  if (done) await done();
}
