import type { AriEvents, Channel } from '../ari/types';
import { createDispatcher } from '../routing/dispatcher';
import type { CallRegistry } from './call-registry';
import { createCallRegistry } from './call-registry';
import type { EngineContext } from './engine-context';
import { agentAnswered } from './handlers/agent-answered';
import { announceNoAgents, playbackFinished } from './handlers/announce-no-agents';
import { channelGone } from './handlers/channel-gone';
import { startInbound } from './handlers/start-inbound';
import { callerDigit } from './handlers/callback-offer';
import { offerCall } from './offer-call';
import { consultAnswered } from './transfers';
import { createCallbackDialer } from './callback-dialer';
import { calleeAnswered } from './agent-first';
import { recordingEnded, storeLeftovers } from './recording';
import { tryAri } from './ari-safe';
import { clearTimers } from './call-session';
import { createCallControls } from './call-controls';
import { resync } from './resync';
import { reconcileAtStart } from './reconcile-at-start';
import { causeText } from './hangup-causes';

type Deps = Omit<EngineContext, 'registry' | 'dispatch'> & { registry?: CallRegistry };

/** What the campaign dialer handles of the app's events. */
export interface OutboundHooks {
  customerAnswered(callId: string, channel: Channel): Promise<void>;
  previewAgentAnswered(callId: string, channel: Channel): Promise<void>;
  /** A channel the engine does not know ended (a customer who never answered). */
  channelGone(channelId: string, cause: number): boolean;
}

/**
 * The call engine: one handler per ARI event, a registry of live calls, the dispatcher, and a
 * resync after every reconnect of the event WebSocket.
 */
export function createCallEngine(deps: Deps) {
  const registry = deps.registry ?? createCallRegistry();
  const ctx = { ...deps, registry } as EngineContext;
  ctx.dispatch = createDispatcher({
    registry,
    agents: deps.agents,
    queues: deps.queues,
    log: deps.log,
    now: () => deps.clock.now(),
    offer: (s, agent) => offerCall(ctx, s, agent),
    noAgents: (s) => announceNoAgents(ctx, s),
  });
  const callbacks = createCallbackDialer(ctx, { pollMs: 5000 });
  /** The campaign dialer (src/outbound), attached after the engine is built. */
  let outbound: OutboundHooks | null = null;
  const log = deps.log;
  const guard = (what: string, p: Promise<unknown>) => {
    p.catch((err: unknown) => log.error({ err, what }, 'call handler failed'));
  };
  let disconnectedAt: number | null = null;

  function attach(events: AriEvents) {
    events.on('StasisStart', (e) => {
      const [kind, arg] = e.args;
      if (kind === 'inbound') guard('inbound', startInbound(ctx, e.channel, arg ?? ''));
      else if (kind === 'agent' && arg) guard('agent answered', agentAnswered(ctx, arg, e.channel));
      else if (kind === 'callback' && arg)
        guard('call-back agent answered', callbacks.agentAnswered(arg, e.channel));
      else if (kind === 'callee' && arg)
        guard('customer answered', calleeAnswered(ctx, arg, e.channel));
      else if (kind === 'obcallee' && arg && outbound)
        guard('campaign customer answered', outbound.customerAnswered(arg, e.channel));
      else if (kind === 'obagent' && arg && outbound)
        guard('preview agent answered', outbound.previewAgentAnswered(arg, e.channel));
      else if (kind === 'consult' && arg)
        guard('transfer answered', consultAnswered(ctx, arg, e.channel));
      else {
        // Never guess what a channel is: an unclassified channel gets hung up, loudly.
        log.warn(
          { args: e.args, channelId: e.channel.id },
          'unclassified channel in the app; hanging up',
        );
        guard(
          'hangup unknown',
          tryAri(log, 'hangup unknown', () => ctx.rest.hangup(e.channel.id)),
        );
      }
    });
    // The first sign a leg is going (before PlaybackFinished/StasisEnd/ChannelDestroyed), so a
    // caller who hangs up during a message is the one who ended the call.
    events.on('ChannelHangupRequest', (e) => {
      const cause =
        e.cause !== undefined && e.cause > 0 ? { code: e.cause, text: causeText(e.cause) } : null;
      if (!registry.byChannel(e.channel.id)) callbacks.channelGone(e.channel.id);
      guard('hangup request', channelGone(ctx, e.channel.id, cause));
    });
    events.on('ChannelDestroyed', (e) => {
      if (!registry.byChannel(e.channel.id) && !callbacks.channelGone(e.channel.id))
        outbound?.channelGone(e.channel.id, e.cause);
      guard(
        'channel destroyed',
        channelGone(ctx, e.channel.id, { code: e.cause, text: e.cause_txt }),
      );
    });
    events.on('StasisEnd', (e) => guard('stasis end', channelGone(ctx, e.channel.id, null)));
    events.on('ChannelDtmfReceived', (e) => guard('dtmf', callerDigit(ctx, e.channel.id, e.digit)));
    events.on('RecordingFinished', (e) =>
      guard('recording finished', recordingEnded(ctx, e.recording.name, null)),
    );
    events.on('RecordingFailed', (e) =>
      guard(
        'recording failed',
        recordingEnded(ctx, e.recording.name, e.recording.cause ?? 'Asterisk reported a failure'),
      ),
    );
    events.on('PlaybackFinished', (e) =>
      guard('playback finished', playbackFinished(ctx, e.playback.id)),
    );
    events.onDisconnected(() => {
      disconnectedAt ??= ctx.clock.now();
      log.warn({ liveCalls: registry.size }, 'ARI event link lost; calls continue in Asterisk');
    });
    events.onConnected(({ reconnect }) => {
      const since = disconnectedAt;
      disconnectedAt = null;
      // First connect: calls an earlier run left open; every reconnect: the gap's events.
      if (!reconnect)
        guard(
          'reconcile at start',
          reconcileAtStart(ctx).then(() => storeLeftovers(ctx)),
        );
      else guard('resync', resync(ctx, { disconnectedAt: since }));
      callbacks.start();
    });
  }

  /** Stops the engine's own timers (the calls themselves stay up in Asterisk). */
  function stop(): void {
    callbacks.stop();
    for (const s of registry.all()) clearTimers(s);
  }

  return {
    ctx,
    registry,
    attach,
    stop,
    controls: createCallControls(ctx),
    callbacks,
    setOutbound(hooks: OutboundHooks): void {
      outbound = hooks;
    },
    dispatch: () => ctx.dispatch(),
  };
}

export type CallEngine = ReturnType<typeof createCallEngine>;
