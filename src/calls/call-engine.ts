import type { AriEvents, Channel } from '../ari/types';
import { createAllocator } from '../routing/allocator';
import { createDispatcher } from '../routing/dispatcher';
import type { CallRegistry } from './call-registry';
import { createCallRegistry } from './call-registry';
import type { EngineContext } from './engine-context';
import { agentAnswered } from './handlers/agent-answered';
import { announceNoAgents, playbackFinished } from './handlers/announce-no-agents';
import { playbackOutcome } from './prompts';
import { channelGone } from './handlers/channel-gone';
import { startInbound } from './handlers/start-inbound';
import { callerDigit } from './handlers/callback-offer';
import { surveyKey, surveyPromptFinished } from './handlers/survey';
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
import { decodeLeg, legExtras, legId, type Leg, type LegKind } from './legs';
import { createOriginate } from './originate';
import { monitorAnswered, snoopStarted } from './monitor';

type Deps = Omit<EngineContext, 'registry' | 'allocator' | 'dispatch' | 'originate'> & {
  registry?: CallRegistry;
};

/** What happens when a leg of a kind enters the app (StasisStart): one handler per leg kind. */
export type LegHandler = (
  leg: Leg,
  channel: Channel,
  /** The Stasis arguments after the leg's id (legs.ts `legExtras`). */
  extras: readonly string[],
) => Promise<void>;

/**
 * The call engine: one handler per ARI event and per leg kind, one registry of every channel,
 * the agent allocator and the dispatcher, the one originate, and a resync after every reconnect
 * of the event WebSocket.
 */
export function createCallEngine(deps: Deps) {
  const registry = deps.registry ?? createCallRegistry();
  const ctx = { ...deps, registry } as EngineContext;
  ctx.originate = createOriginate({
    app: deps.app,
    registry,
    originate: (p) => deps.rest.originate(p),
  });
  const allocator = createAllocator({
    agents: deps.agents,
    queues: deps.queues,
    registry,
    now: () => deps.clock.now(),
  });
  ctx.allocator = allocator;
  ctx.dispatch = createDispatcher({
    registry,
    allocator,
    offer: (s, agent) => offerCall(ctx, s, agent),
    noAgents: (s) => announceNoAgents(ctx, s),
  });
  const callbacks = createCallbackDialer(ctx, { pollMs: 5000 });
  // Who gets a freed agent, in order: the rule lives in routing/allocator.ts (`freed`).
  allocator.turn('callers', () => ctx.dispatch());
  allocator.turn('callbacks', () => callbacks.poke());
  deps.agents.onFree(() => allocator.freed());
  const log = deps.log;
  const guard = (what: string, p: Promise<unknown>) => {
    p.catch((err: unknown) => log.error({ err, what }, 'call handler failed'));
  };
  /**
   * Every leg kind of legs.ts and its handler; the campaign legs are handled by the dialer
   * (src/outbound/dialing), which registers them with `handle` when it is built.
   */
  const handlers: Record<LegKind, LegHandler | null> = {
    inbound: (leg, ch) => startInbound(ctx, ch, legId(leg)),
    agent: (leg, ch) => agentAnswered(ctx, legId(leg), ch),
    callback: (leg, ch) => callbacks.agentAnswered(legId(leg), ch),
    callee: (leg, ch) => calleeAnswered(ctx, legId(leg), ch),
    consult: (leg, ch) => consultAnswered(ctx, legId(leg), ch),
    monitor: (leg, ch) => monitorAnswered(ctx, legId(leg), ch),
    snoop: (leg, ch) => snoopStarted(ctx, legId(leg), ch),
    obcallee: null,
    obamd: null,
    obagent: null,
  };
  let disconnectedAt: number | null = null;
  /** Released (the lease was lost): the next connect is a first one, adopting from the database. */
  let released = false;

  function attach(events: AriEvents) {
    events.on('StasisStart', (e) => {
      const leg = decodeLeg(e.args);
      const handler = leg && handlers[leg.kind];
      if (leg && handler) {
        registry.settle(e.channel.id); // an originated leg answered: no longer just expected
        guard(`${leg.kind} leg`, handler(leg, e.channel, legExtras(e.args)));
        return;
      }
      // Never guess what a channel is: an unclassified channel gets hung up, loudly.
      log.warn(
        { args: e.args, channelId: e.channel.id },
        'unclassified channel in the app; hanging up',
      );
      guard(
        'hangup unknown',
        tryAri(log, 'hangup unknown', () => ctx.rest.hangup(e.channel.id)),
      );
    });
    // The first sign a leg is going (before PlaybackFinished/StasisEnd/ChannelDestroyed), so a
    // caller who hangs up during a message is the one who ended the call.
    events.on('ChannelHangupRequest', (e) => {
      const cause =
        e.cause !== undefined && e.cause > 0 ? { code: e.cause, text: causeText(e.cause) } : null;
      guard('hangup request', channelGone(ctx, e.channel.id, cause));
    });
    // A leg that never answered ends here only (with its cause); a live call's legs end here too.
    events.on('ChannelDestroyed', (e) => {
      registry.settle(e.channel.id)?.gone(e.cause);
      guard(
        'channel destroyed',
        channelGone(ctx, e.channel.id, { code: e.cause, text: e.cause_txt }),
      );
    });
    events.on('StasisEnd', (e) => guard('stasis end', channelGone(ctx, e.channel.id, null)));
    events.on('ChannelDtmfReceived', (e) => {
      guard('dtmf', callerDigit(ctx, e.channel.id, e.digit));
      guard('survey key', surveyKey(ctx, e.channel.id, e.digit));
    });
    events.on('RecordingFinished', (e) =>
      guard('recording finished', recordingEnded(ctx, e.recording.name, null)),
    );
    events.on('RecordingFailed', (e) =>
      guard(
        'recording failed',
        recordingEnded(ctx, e.recording.name, e.recording.cause ?? 'Asterisk reported a failure'),
      ),
    );
    events.on('PlaybackFinished', (e) => {
      playbackOutcome(ctx, e.playback);
      guard('playback finished', playbackFinished(ctx, e.playback.id));
      guard('survey prompt', surveyPromptFinished(ctx, e.playback));
    });
    events.onDisconnected(() => {
      disconnectedAt ??= ctx.clock.now();
      log.warn({ liveCalls: registry.size }, 'ARI event link lost; calls continue in Asterisk');
    });
    events.onConnected(({ reconnect }) => {
      const since = disconnectedAt;
      disconnectedAt = null;
      // First connect (or the first after leading again): calls an earlier run or leader left
      // open; every reconnect: the gap's events.
      const fresh = !reconnect || released;
      released = false;
      if (fresh)
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

  /**
   * This instance stopped leading (src/leadership/): the timers stop and every call is forgotten,
   * since the new leader adopts them (reconcileAtStart); if this one leads again, its next
   * connect adopts them back from the database the same way.
   */
  function release(): void {
    stop();
    registry.clear();
    disconnectedAt = null;
    released = true;
  }

  return {
    ctx,
    registry,
    attach,
    stop,
    release,
    controls: createCallControls(ctx),
    callbacks,
    /**
     * The campaign dialer (src/outbound/dialing): its leg kinds' handlers, and its turn when an
     * agent frees up (after callers and call-backs: the allocator's `freed`).
     */
    attachCampaigns(dialer: {
      legs: Record<'obcallee' | 'obamd' | 'obagent', LegHandler>;
      poke(): void;
    }): void {
      Object.assign(handlers, dialer.legs);
      allocator.turn('campaigns', () => dialer.poke());
    },
    dispatch: () => ctx.dispatch(),
  };
}

export type CallEngine = ReturnType<typeof createCallEngine>;
