import type { Channel } from '../../ari/types';
import { isoOf } from '../../shared/clock';
import { clearRingTimer, fire, persist } from '../call-session';
import type { EngineContext } from '../engine-context';
import { endCall } from '../end-call';
import { tryAri } from '../ari-safe';
import { startRecording } from '../recording';

/** StasisStart of an agent leg (`agent,CALLID`): the agent picked up; bridge them to the caller. */
export async function agentAnswered(
  ctx: EngineContext,
  callId: string,
  channel: Channel,
): Promise<void> {
  const s = ctx.registry.get(callId);
  // A quick pick-up can beat the caller's answer into the bridge: wait for it.
  if (s) await s.media;
  if (!s || s.state !== 'ringing' || s.agentChannelId !== channel.id || !s.bridgeId) {
    // Answered too late (timed out, caller gone): nobody is waiting on this leg.
    ctx.log.info({ callId, channelId: channel.id }, 'stale agent leg answered; hanging it up');
    await tryAri(ctx.log, 'hangup stale agent leg', () => ctx.rest.hangup(channel.id));
    return;
  }
  clearRingTimer(s);
  fire(s, 'agent-answered');
  const agentId = s.agentId!;
  const at = ctx.clock.now();
  s.answeredAt = at;
  ctx.agents.onCall(agentId, s.id);
  const bridgeId = s.bridgeId;
  try {
    await ctx.rest.stopBridgeMoh(bridgeId).catch(() => undefined);
    await ctx.rest.addChannel(bridgeId, [channel.id]);
  } catch (err) {
    s.log.error({ err }, 'bridging the agent failed');
    await endCall(ctx, s, 'failed', 'system', { reason: 'bridge-failed' });
    return;
  }
  s.log.info({ agentId, waitMs: at - s.startedAt }, 'call answered');
  ctx.notifier.update(agentId, { callId: s.id, state: 'answered', at: isoOf(at)! });
  void persist(s, 'answered', async () => {
    await ctx.calls.update(s.id, {
      state: 'talking',
      answered_at: at,
      agent_id: agentId,
      service_level_met: at - s.startedAt <= s.queue.serviceLevelSec * 1000,
    });
    await ctx.calls.appendEvent(
      s.id,
      at,
      'answered',
      { serviceLevelSec: s.queue.serviceLevelSec },
      agentId,
    );
  });
  if (s.queue.recording === 'always' && !s.recording)
    await startRecording(ctx, s, 'policy').catch((err: unknown) =>
      s.log.error({ err }, 'recording failed to start'),
    );
}
