import { tryAri } from './ari-safe';
import type { CallSession } from './call-session';
import { preciseNow } from './call-stages';
import type { EngineContext } from './engine-context';

/**
 * The one bridge setup: the call's own mixing bridge `hotline-<callId>` (the name a restarted
 * engine adopts it by), its first channel in it, the waiting music. The first channel is the
 * inbound caller, a campaign customer who answered, or the agent of an agent-first call. Throws
 * when the bridge cannot be made or joined; music that does not start is logged, not fatal. A
 * call that ended while the bridge was being made gets it destroyed at once.
 */
export async function openCallBridge(
  ctx: EngineContext,
  s: CallSession,
  channelId: string,
): Promise<void> {
  const bridge = await ctx.rest.createBridge({
    bridgeId: `hotline-${s.id}`,
    type: 'mixing',
    name: `hotline-${s.id}`,
  });
  if (s.endedAt !== null) {
    await tryAri(s.log, 'destroy bridge', () => ctx.rest.destroyBridge(bridge.id));
    throw new Error('the call ended while its bridge was being made');
  }
  s.bridgeId = bridge.id;
  await ctx.rest.addChannel(bridge.id, [channelId]);
  ctx.stages?.(s.id, 'bridged', preciseNow());
  await startWaitMusic(ctx, s, channelId);
  ctx.stages?.(s.id, 'music', preciseNow());
}

/**
 * The waiting music: the channel's own music on hold, in the bridge, as Asterisk's `Queue()`
 * plays it. Not the bridge's music (`POST /bridges/{id}/moh`), which adds an announcer channel
 * (and its thread) to every waiting call's bridge, made before Asterisk answers the socket's next
 * request; the channel's is queued to the channel and answered at once. Asterisk's CPU in a
 * burst's first 1.5 s did not change measurably (830–1 030 ms against 810–1 140 ms before, `npm
 * run bench -- queue`). Asterisk keeps the channel's music across an engine restart (the
 * failover-audio test hears it go on), so adopting a waiting call starts it again harmlessly.
 */
export async function startWaitMusic(
  ctx: EngineContext,
  s: CallSession,
  channelId: string,
): Promise<void> {
  s.musicChannelId = channelId;
  await tryAri(s.log, 'music on hold', () => ctx.rest.startMoh(channelId, ctx.telephony.mohClass));
}

/** Ends the waiting music, if any (someone joins, a prompt plays instead). */
export async function stopWaitMusic(ctx: EngineContext, s: CallSession): Promise<void> {
  const channelId = s.musicChannelId;
  if (channelId === null) return;
  s.musicChannelId = null;
  await tryAri(s.log, 'stop music on hold', () => ctx.rest.stopMoh(channelId));
}
