import { tryAri } from './ari-safe';
import type { CallSession } from './call-session';
import { preciseNow } from './call-stages';
import type { EngineContext } from './engine-context';

/**
 * The one bridge setup: the call's own mixing bridge `hotline-<callId>` (the name a restarted
 * engine adopts it by), its first channel in it, music on hold. The first channel is the inbound
 * caller, a campaign customer who answered, or the agent of an agent-first call. Throws when the
 * bridge cannot be made or joined; music that does not start is logged, not fatal. A call that
 * ended while the bridge was being made gets it destroyed at once.
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
  await tryAri(s.log, 'music on hold', () =>
    ctx.rest.startBridgeMoh(bridge.id, ctx.telephony.mohClass),
  );
  ctx.stages?.(s.id, 'music', preciseNow());
}
