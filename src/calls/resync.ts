import { isConnected } from './call-state';
import type { EngineContext } from './engine-context';
import { endCall } from './end-call';
import { agentAnswered } from './handlers/agent-answered';
import { startInbound } from './handlers/start-inbound';
import { agentMissed } from './offer-call';
import { tryAri } from './ari-safe';
import { legOfChannel } from './legs';
import { takeEndMarker } from './end-marker';
import { endMonitor } from './monitor';
import { agentHungUp, surveyCallerGone } from './handlers/survey';

/**
 * After the event WebSocket comes back, the events of the gap are gone: compare what we think is
 * live with the app's channels in Asterisk, and finish what ended, catch up what moved on, adopt
 * what arrived. Each call ends with the time and cause the dialplan recorded when it can.
 */
export async function resync(
  ctx: EngineContext,
  opts: { disconnectedAt: number | null },
): Promise<void> {
  const app = await ctx.rest.getApplication(ctx.app);
  const live = new Set(app.channel_ids);
  const fallbackAt = opts.disconnectedAt ?? ctx.clock.now();
  const known = new Set<string>();
  let ended = 0;

  for (const s of ctx.registry.all()) {
    known.add(s.callerChannelId);
    if (s.agentChannelId) known.add(s.agentChannelId);
    if (s.consult) known.add(s.consult.channelId);
    const m = s.monitor;
    if (m) {
      known.add(m.channelId);
      if (m.snoopChannelId) known.add(m.snoopChannelId);
    }
    if (s.state === 'ended') continue;
    // The monitor hung up in the gap: only the monitoring ends.
    if (m?.answered && !live.has(m.channelId)) await endMonitor(ctx, s, 'ended-while-disconnected');
    if (!live.has(s.callerChannelId)) {
      const end = await takeEndMarker(ctx, s.callerChannelId).catch(() => null);
      if (s.state === 'surveying')
        await surveyCallerGone(ctx, s, { at: end?.at ?? fallbackAt, cause: end?.cause ?? null });
      else
        await endCall(ctx, s, 'caller-hangup', 'caller', {
          at: end?.at ?? fallbackAt,
          cause: end?.cause ?? null,
          reason: 'ended-while-disconnected',
        });
      ended += 1;
      continue;
    }
    const agentLeg = s.agentChannelId;
    if (isConnected(s.state) && agentLeg && !live.has(agentLeg)) {
      // The agent hung up during the gap: the queue's survey (the caller is still there), or the end.
      await agentHungUp(ctx, s, { at: fallbackAt, reason: 'ended-while-disconnected' });
      ended += 1;
    } else if (s.state === 'ringing' && agentLeg) {
      const channel = live.has(agentLeg)
        ? await ctx.rest.getChannel(agentLeg).catch(() => null)
        : null;
      if (!channel) await agentMissed(ctx, s, agentLeg, 'ring-failed');
      else if (channel.state === 'Up') await agentAnswered(ctx, s.id, channel);
    } else if (s.state === 'announcing') {
      await endCall(ctx, s, 'announced', 'system', { reason: 'no-agents' });
    }
  }

  // Channels the app holds that no call knows: a carrier call whose StasisStart fell in the gap.
  let adopted = 0;
  for (const channelId of live) {
    if (known.has(channelId)) continue;
    const channel = await ctx.rest.getChannel(channelId).catch(() => null);
    if (!channel) continue;
    const leg = legOfChannel(channel);
    if (leg?.kind === 'inbound') {
      adopted += 1;
      await startInbound(ctx, channel, leg.did || channel.dialplan.exten);
    } else {
      ctx.log.warn({ channelId }, 'unknown channel in the app after reconnect; hanging up');
      await tryAri(ctx.log, 'hangup orphan', () => ctx.rest.hangup(channelId));
    }
  }
  ctx.log.info(
    { live: live.size, ended, adopted, calls: ctx.registry.size },
    'resync after reconnect done',
  );
  ctx.dispatch();
}
