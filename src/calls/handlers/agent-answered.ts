import type { Channel } from '../../ari/types';
import { isoOf } from '../../shared/clock';
import { clearRingTimer, fire } from '../call-session';
import { commit } from '../commit';
import type { EngineContext } from '../engine-context';
import { endCall } from '../end-call';
import { tryAri } from '../ari-safe';
import { startRecording } from '../recording';
import { stopWaitMusic } from '../call-bridge';

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
    await stopWaitMusic(ctx, s);
    await ctx.rest.addChannel(bridgeId, [channel.id]);
  } catch (err) {
    s.log.error({ err }, 'bridging the agent failed');
    await endCall(ctx, s, 'failed', 'system', { reason: 'bridge-failed' });
    return;
  }
  s.log.info({ agentId, waitMs: at - s.startedAt }, 'call answered');
  ctx.notifier.update(agentId, { callId: s.id, state: 'answered', at: isoOf(at)! });
  // The record's answer, agent and service level are the event's projection.
  void commit(
    ctx,
    s,
    { type: 'answered', at, agentId, data: { serviceLevelSec: s.queue.serviceLevelSec } },
    { state: 'talking' },
  );
  if (s.queue.recording === 'always' && !s.recording)
    await startRecording(ctx, s, 'policy').catch((err: unknown) =>
      s.log.error({ err }, 'recording failed to start'),
    );
}
