import { randomUUID } from 'node:crypto';
import type { Channel } from '../ari/types';
import type { MonitorMode, MonitorView } from '../api/monitoring';
import { HotlineError } from '../shared/errors';
import { tryAri } from './ari-safe';
import { isConnected } from './call-state';
import type { CallSession } from './call-session';
import { commit } from './commit';
import type { EngineContext } from './engine-context';
import { ringResult } from './hangup-causes';
import { encodeLeg } from './legs';

/**
 * Listen, whisper, barge: a supervisor (or QA monitor) on a live answered call, through their
 * own phone. The phone is leg `monitor,<callId>`; once it answers:
 * - listen: a snoop on the agent's channel (`spy=both`, leg `snoop,<callId>`) and the monitor's
 *   phone in a mixing bridge of their own: they hear caller and agent, nobody hears them;
 * - whisper: the same snoop with `whisper=out`: what the monitor says goes to the agent's phone;
 * - barge: the monitor's phone joins the call's own bridge: everyone hears everyone.
 * A mode change tears the old path down and builds the new one (a new snoop replaces the old).
 * The call ending, the agent transferring it, or either side hanging up ends it; every leg and
 * the bridge are hung up / destroyed. One monitor per call. Audited (monitor_sessions) and on
 * the call's timeline (monitor-ringing, monitor-started, monitor-mode, monitor-ended).
 */
export interface MonitorLeg {
  id: string;
  userId: number;
  mode: MonitorMode;
  /** The monitor's own phone. */
  channelId: string;
  answered: boolean;
  /** The snoop on the agent's channel (listen, whisper), once placed. */
  snoopChannelId: string | null;
  /** The monitor's mixing bridge (listen, whisper): created on first use. */
  bridgeId: string;
  bridgeCreated: boolean;
  /** The bridge the monitor's phone is in now: their own, the call's (barge), or none. */
  inBridge: string | null;
  ringTimer: NodeJS.Timeout | null;
  /** Mode changes run one after the other. */
  chain: Promise<void>;
}

export const monitorView = (s: CallSession, m: MonitorLeg): MonitorView => ({
  id: m.id,
  callId: s.id,
  userId: m.userId,
  mode: m.mode,
  state: m.answered ? 'active' : 'ringing',
});

const event = (ctx: EngineContext, s: CallSession, type: string, data: Record<string, unknown>) =>
  void commit(ctx, s, { type, at: ctx.clock.now(), data });

/** Rings the monitor's phone; the call must be talking or held, with nobody monitoring it. */
export async function startMonitor(
  ctx: EngineContext,
  s: CallSession,
  user: { id: number; extension: string | null },
  mode: MonitorMode,
): Promise<MonitorLeg> {
  if (!isConnected(s.state) || s.state === 'consulting' || !s.agentChannelId)
    throw new HotlineError(
      'HOTLINE_CALL_NOT_CONNECTED',
      `cannot monitor a call that is ${s.state}: only a talking or held call`,
    );
  if (s.agentId === user.id)
    throw new HotlineError('HOTLINE_MONITOR_OWN_CALL', 'nobody monitors their own call');
  if (s.monitor)
    throw new HotlineError(
      'HOTLINE_MONITOR_BUSY',
      `call ${s.id} is already monitored (one monitor at a time)`,
      { monitorId: s.monitor.id, userId: s.monitor.userId },
    );
  if (!user.extension)
    throw new HotlineError('HOTLINE_NO_EXTENSION', 'you have no extension: no phone to ring');
  const id = randomUUID();
  const at = ctx.clock.now();
  const m: MonitorLeg = {
    id,
    userId: user.id,
    mode,
    channelId: `${s.id}-mon-${id.slice(0, 8)}`,
    answered: false,
    snoopChannelId: null,
    bridgeId: `hotline-mon-${s.id}`,
    bridgeCreated: false,
    inBridge: null,
    ringTimer: null,
    chain: Promise.resolve(),
  };
  s.monitor = m;
  await ctx.monitorSessions.open({ id, callId: s.id, userId: user.id, mode, at });
  event(ctx, s, 'monitor-ringing', { monitorId: id, userId: user.id, mode });
  const ringSec = s.queue.ringTimeoutSec;
  m.ringTimer = setTimeout(() => void endMonitor(ctx, s, 'no-answer'), (ringSec + 5) * 1000);
  try {
    await ctx.originate(
      { kind: 'monitor', callId: s.id },
      {
        endpoint: ctx.telephony.agentEndpoint.replace('{extension}', user.extension),
        callerId: `"Monitor" <${ctx.telephony.outboundCallerId}>`,
        timeout: ringSec,
        channelId: m.channelId,
      },
      (cause) => {
        if (s.monitor !== m) return;
        const rung = ringResult(cause);
        void endMonitor(ctx, s, rung === 'busy' || rung === 'declined' ? 'declined' : rung);
      },
    );
  } catch (err) {
    s.log.warn({ err }, "ringing the monitor's phone failed");
    await endMonitor(ctx, s, 'failed');
    throw new HotlineError('HOTLINE_MONITOR_FAILED', "the monitor's phone could not be rung");
  }
  return m;
}

/** StasisStart `monitor,<callId>`: the monitor answered their phone. */
export async function monitorAnswered(
  ctx: EngineContext,
  callId: string,
  channel: Channel,
): Promise<void> {
  const s = ctx.registry.get(callId);
  const m = s?.monitor;
  if (!s || !m || m.channelId !== channel.id) {
    await tryAri(ctx.log, 'hangup stale monitor leg', () => ctx.rest.hangup(channel.id));
    return;
  }
  if (m.ringTimer) clearTimeout(m.ringTimer);
  m.ringTimer = null;
  m.answered = true;
  ctx.registry.addLeg(channel.id, s.id, 'monitor');
  const at = ctx.clock.now();
  await ctx.monitorSessions.answered(m.id, at);
  event(ctx, s, 'monitor-started', { monitorId: m.id, userId: m.userId, mode: m.mode });
  await run(ctx, s, m, () => connect(ctx, s, m, m.mode));
}

/** StasisStart `snoop,<callId>`: the snoop on the agent's channel is up: into the bridge. */
export async function snoopStarted(
  ctx: EngineContext,
  callId: string,
  channel: Channel,
): Promise<void> {
  const m = ctx.registry.get(callId)?.monitor;
  if (!m || m.snoopChannelId !== channel.id) {
    await tryAri(ctx.log, 'hangup stale snoop', () => ctx.rest.hangup(channel.id));
    return;
  }
  await ctx.rest.addChannel(m.bridgeId, [channel.id]);
}

/** PUT …/monitor: the new mode replaces the old path (a ringing monitor gets it on answer). */
export async function changeMonitorMode(
  ctx: EngineContext,
  s: CallSession,
  m: MonitorLeg,
  mode: MonitorMode,
): Promise<void> {
  if (mode === m.mode) return;
  const from = m.mode;
  m.mode = mode;
  await ctx.monitorSessions.mode(m.id, mode, ctx.clock.now());
  event(ctx, s, 'monitor-mode', { monitorId: m.id, mode, from });
  if (m.answered) await run(ctx, s, m, () => connect(ctx, s, m, mode));
}

/** Runs a change of the monitor's path after the ones before it; a failure ends the session. */
async function run(ctx: EngineContext, s: CallSession, m: MonitorLeg, step: () => Promise<void>) {
  const next = m.chain.then(async () => {
    if (s.monitor !== m) return;
    try {
      await step();
    } catch (err) {
      s.log.error({ err, mode: m.mode }, 'connecting the monitor failed');
      await endMonitor(ctx, s, 'failed');
    }
  });
  m.chain = next;
  await next;
}

/** Builds the path of `mode`, taking down whatever the previous mode used. */
async function connect(ctx: EngineContext, s: CallSession, m: MonitorLeg, mode: MonitorMode) {
  await dropSnoop(ctx, s, m);
  const target = mode === 'barge' ? s.bridgeId : m.bridgeId;
  if (!target || !s.agentChannelId) throw new Error('the call has no bridge or agent leg');
  if (m.inBridge && m.inBridge !== target) {
    const from = m.inBridge;
    m.inBridge = null;
    await tryAri(s.log, 'monitor leaves bridge', () => ctx.rest.removeChannel(from, [m.channelId]));
  }
  if (mode !== 'barge' && !m.bridgeCreated) {
    await ctx.rest.createBridge({ bridgeId: m.bridgeId, type: 'mixing', name: m.bridgeId });
    m.bridgeCreated = true;
  }
  if (m.inBridge !== target) {
    await ctx.rest.addChannel(target, [m.channelId]);
    m.inBridge = target;
  }
  if (mode === 'barge') return;
  const snoopId = `${s.id}-snp-${randomUUID().slice(0, 8)}`;
  m.snoopChannelId = snoopId;
  ctx.registry.addLeg(snoopId, s.id, 'snoop');
  await ctx.rest.snoop(s.agentChannelId, {
    snoopId,
    app: ctx.app,
    appArgs: encodeLeg({ kind: 'snoop', callId: s.id }),
    spy: 'both',
    whisper: mode === 'whisper' ? 'out' : 'none',
  });
}

async function dropSnoop(ctx: EngineContext, s: CallSession, m: MonitorLeg) {
  const snoop = m.snoopChannelId;
  if (!snoop) return;
  m.snoopChannelId = null;
  ctx.registry.dropLeg(snoop);
  await tryAri(s.log, 'hangup snoop', () => ctx.rest.hangup(snoop));
}

/**
 * Ends the call's monitoring, whatever ended it: the monitor's phone and the snoop hung up, the
 * monitor's bridge destroyed, the audit and the timeline told. Safe to call when there is none.
 */
export async function endMonitor(ctx: EngineContext, s: CallSession, reason: string) {
  const m = s.monitor;
  if (!m) return;
  s.monitor = null;
  if (m.ringTimer) clearTimeout(m.ringTimer);
  const at = ctx.clock.now();
  event(ctx, s, 'monitor-ended', { monitorId: m.id, reason });
  ctx.registry.settle(m.channelId);
  ctx.registry.dropLeg(m.channelId);
  await dropSnoop(ctx, s, m);
  await tryAri(s.log, 'hangup monitor', () => ctx.rest.hangup(m.channelId));
  if (m.bridgeCreated)
    await tryAri(s.log, 'destroy monitor bridge', () => ctx.rest.destroyBridge(m.bridgeId));
  await ctx.monitorSessions
    .end(m.id, reason, at)
    .catch((err: unknown) => s.log.error({ err }, 'monitor audit end failed'));
}

/** A monitoring leg of a live call is gone: the monitor hung up, or the snoop went away. */
export async function monitorLegGone(
  ctx: EngineContext,
  s: CallSession,
  role: 'monitor' | 'snoop',
  channelId: string,
): Promise<void> {
  const m = s.monitor;
  if (!m) return;
  if (role === 'monitor' && channelId === m.channelId) await endMonitor(ctx, s, 'monitor-hangup');
  else if (role === 'snoop' && channelId === m.snoopChannelId)
    await endMonitor(ctx, s, 'snoop-lost');
}

/**
 * Who may monitor what (the HTTP routes' side): supervisors and admins any mode; QA the modes
 * `monitoring.qaModes` allows (listen only by default); nobody their own call. Only the monitor
 * who started a session (or a supervisor/admin) changes or ends it.
 */
export function createMonitorControls(
  ctx: EngineContext,
  policy: { qaModes: readonly MonitorMode[] },
) {
  const allowed = (role: string, mode: MonitorMode) =>
    role === 'supervisor' || role === 'admin' || (role === 'qa' && policy.qaModes.includes(mode));
  const check = (user: { role: string }, mode: MonitorMode) => {
    if (!allowed(user.role, mode))
      throw new HotlineError(
        'HOTLINE_MONITOR_MODE_FORBIDDEN',
        `a ${user.role} may not ${mode}` +
          (user.role === 'qa' ? ` (monitoring.qaModes: ${policy.qaModes.join(', ')})` : ''),
      );
  };
  const liveCall = (callId: string) => {
    const s = ctx.registry.get(callId);
    if (!s) throw new HotlineError('HOTLINE_CALL_NOT_FOUND', `no live call ${callId}`);
    return s;
  };
  const mine = (callId: string, user: { id: number; role: string }) => {
    const s = liveCall(callId);
    const m = s.monitor;
    if (!m || (m.userId !== user.id && user.role !== 'supervisor' && user.role !== 'admin'))
      throw new HotlineError('HOTLINE_NOT_MONITORING', `no monitoring of yours on call ${callId}`);
    return { s, m };
  };
  return {
    async start(
      callId: string,
      user: { id: number; role: string; extension: string | null },
      mode: MonitorMode,
    ): Promise<MonitorView> {
      check(user, mode);
      const s = liveCall(callId);
      return monitorView(s, await startMonitor(ctx, s, user, mode));
    },
    async change(
      callId: string,
      user: { id: number; role: string },
      mode: MonitorMode,
    ): Promise<MonitorView> {
      check(user, mode);
      const { s, m } = mine(callId, user);
      await changeMonitorMode(ctx, s, m, mode);
      return monitorView(s, m);
    },
    async stop(callId: string, user: { id: number; role: string }): Promise<void> {
      const { s } = mine(callId, user);
      await endMonitor(ctx, s, 'stopped');
    },
    /** Is the call being monitored (the wall's "being monitored"). */
    monitored: (callId: string): boolean => ctx.registry.get(callId)?.monitor != null,
  };
}

export type MonitorControls = ReturnType<typeof createMonitorControls>;
