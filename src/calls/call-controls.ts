import { isManager } from '../api/auth';
import type { User } from '../agents/users-repo';
import { isoOf } from '../shared/clock';
import { HotlineError, type ErrorCode } from '../shared/errors';
import { isConnected } from './call-state';
import { fire, type CallSession } from './call-session';
import { commit } from './commit';
import type { EngineContext } from './engine-context';
import { agentHungUp } from './handlers/survey';
import { tryAri } from './ari-safe';
import { pauseRecording, resumeRecording, startRecording } from './recording';
import { agentLeaves, cancelConsult, completeConsult, startTransfer } from './transfers';
import { startWaitMusic } from './call-bridge';

export type TransferTarget = { type: 'agent'; userId: number } | { type: 'queue'; name: string };
export type AnyTransferTarget = TransferTarget | { type: 'external'; number: string };
type WrongStateCode = Extract<
  ErrorCode,
  | 'HOTLINE_CALL_NOT_CONNECTED'
  | 'HOTLINE_CALL_NOT_TALKING'
  | 'HOTLINE_CALL_NOT_HELD'
  | 'HOTLINE_CALL_NOT_TRANSFERABLE'
>;

/**
 * What an agent does to the call they are on: hold, resume, hang up, blind transfer to a queue or
 * to an agent. Each checks the call is the agent's (supervisors and admins may act on any; no
 * other role).
 */
export function createCallControls(ctx: EngineContext) {
  function callOf(callId: string, user: User): CallSession {
    const s = ctx.registry.get(callId);
    if (!s || (!isManager(user.role) && s.agentId !== user.id)) {
      throw new HotlineError('HOTLINE_CALL_NOT_FOUND', `no live call ${callId} of yours`);
    }
    return s;
  }
  /** The call is not in a state that allows this: each precondition has its own code. */
  const wrongState = (code: WrongStateCode, s: CallSession, what: string) =>
    new HotlineError(code, `cannot ${what} a call that is ${s.state}`);
  const event = (s: CallSession, type: string, data?: Record<string, unknown>) => {
    const at = ctx.clock.now();
    void commit(ctx, s, { type, at, data, agentId: s.agentId });
    return at;
  };

  return {
    /** Any transfer: blind to an agent or queue goes back through the queue; the rest ring out. */
    async transfer(
      callId: string,
      user: User,
      mode: 'blind' | 'attended',
      target: AnyTransferTarget,
    ): Promise<void> {
      const s = callOf(callId, user);
      if (mode === 'blind' && target.type !== 'external')
        return this.blindTransfer(callId, user, target);
      await startTransfer(ctx, s, mode, target);
    },
    /** Start (on-demand queues), pause or resume the call's recording. */
    async recording(
      callId: string,
      user: User,
      action: 'start' | 'pause' | 'resume',
    ): Promise<void> {
      const s = callOf(callId, user);
      if (!isConnected(s.state))
        throw wrongState('HOTLINE_CALL_NOT_CONNECTED', s, `${action} the recording of`);
      if (action === 'start') await startRecording(ctx, s, 'on-demand');
      else if (action === 'pause') await pauseRecording(ctx, s);
      else await resumeRecording(ctx, s);
    },
    async completeTransfer(callId: string, user: User): Promise<void> {
      await completeConsult(ctx, callOf(callId, user));
    },
    async cancelTransfer(callId: string, user: User): Promise<void> {
      await cancelConsult(ctx, callOf(callId, user));
    },

    /** The caller leaves the bridge and hears music; the agent hears silence. */
    async hold(callId: string, user: User): Promise<void> {
      const s = callOf(callId, user);
      if (s.state !== 'talking' || !s.bridgeId)
        throw wrongState('HOTLINE_CALL_NOT_TALKING', s, 'hold');
      fire(s, 'hold');
      await ctx.rest.removeChannel(s.bridgeId, [s.callerChannelId]);
      await ctx.rest.startMoh(s.callerChannelId, ctx.telephony.mohClass);
      const at = event(s, 'held');
      if (s.agentId !== null)
        ctx.notifier.update(s.agentId, { callId, state: 'held', at: isoOf(at)! });
    },

    async resume(callId: string, user: User): Promise<void> {
      const s = callOf(callId, user);
      if (s.state !== 'held' || !s.bridgeId) throw wrongState('HOTLINE_CALL_NOT_HELD', s, 'resume');
      fire(s, 'resume');
      await tryAri(s.log, 'stop moh', () => ctx.rest.stopMoh(s.callerChannelId));
      await ctx.rest.addChannel(s.bridgeId, [s.callerChannelId]);
      const at = event(s, 'resumed');
      if (s.agentId !== null)
        ctx.notifier.update(s.agentId, { callId, state: 'answered', at: isoOf(at)! });
    },

    async hangup(callId: string, user: User): Promise<void> {
      const s = callOf(callId, user);
      if (!isConnected(s.state)) throw wrongState('HOTLINE_CALL_NOT_CONNECTED', s, 'hang up');
      // The queue's satisfaction survey, if it has one; else the call ends.
      await agentHungUp(ctx, s, { reason: 'agent-hangup' });
    },

    /**
     * Blind transfer: the agent leaves (into wrap-up), the caller goes back to waiting with music,
     * and the call is offered in the target queue, or to the target agent only (then the queue,
     * if that agent does not answer).
     */
    async blindTransfer(callId: string, user: User, target: TransferTarget): Promise<void> {
      const s = callOf(callId, user);
      if ((s.state !== 'talking' && s.state !== 'held') || !s.bridgeId)
        throw wrongState('HOTLINE_CALL_NOT_TRANSFERABLE', s, 'transfer');
      if (target.type === 'queue') {
        const q = ctx.queues.get(target.name);
        if (!q)
          throw new HotlineError('HOTLINE_VALIDATION', `target.name: no queue "${target.name}"`);
        s.queue = q;
      } else {
        const a = ctx.agents.get(target.userId);
        if (!a || !a.extension)
          throw new HotlineError(
            'HOTLINE_VALIDATION',
            `target.userId: no agent with a phone ${target.userId}`,
          );
        if (a.userId === s.agentId)
          throw new HotlineError('HOTLINE_VALIDATION', 'target.userId: that is you');
      }
      const wasHeld = s.state === 'held';
      const from = s.agentId;
      const agentLeg = s.agentChannelId;
      fire(s, 'transferred');
      s.targetAgentId = target.type === 'agent' ? target.userId : null;
      s.reservedFor = null;
      s.agentId = null;
      s.agentChannelId = null;
      const at = ctx.clock.now();
      // To a queue: the record's queue is the event's projection.
      void commit(
        ctx,
        s,
        { type: 'transferred', at, agentId: from, data: { mode: 'blind', target } },
        { state: 'queued' },
      );
      if (wasHeld) await tryAri(s.log, 'stop moh', () => ctx.rest.stopMoh(s.callerChannelId));
      if (wasHeld) await ctx.rest.addChannel(s.bridgeId, [s.callerChannelId]);
      await startWaitMusic(ctx, s, s.callerChannelId);
      await agentLeaves(ctx, s, from, agentLeg, at);
      ctx.dispatch();
    },
  };
}

export type CallControls = ReturnType<typeof createCallControls>;
