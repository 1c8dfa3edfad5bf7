import type { Statements } from '../db/statements';
import { endMonitor } from './monitor';
import { isConnected, outcomeOf, type Outcome } from './call-state';
import { causeText } from './hangup-causes';
import { isoOf } from '../shared/clock';
import type { CallEvent } from './call-state';
import { clearTimers, fire, type CallSession } from './call-session';
import { commit } from './commit';
import type { EndedBy } from './calls-repo';
import type { EngineContext } from './engine-context';
import { tryAri } from './ari-safe';
import { settleEndMarker } from './end-marker';
import { finishRecording } from './recording';

/**
 * Closes the record of an outbound attempt that never became a live call (no session): a
 * campaign customer who did not answer, an agent rung first who did not pick up. The other way a
 * record is closed is endCall below, for live calls.
 */
export async function closeUnconnected(
  ctx: EngineContext,
  callId: string,
  o: {
    outcome: Outcome;
    /** The far end's Q.850 cause, when it said one. */
    causeCode?: number | null;
    /** Why, on the timeline's `ended` event. */
    reason: string;
    /** The record's hangup cause when the far end gave no Q.850 cause. */
    hangupCause?: string;
  },
  /** The transaction of the attempt's other writes (the dialer's outcome), if any. */
  tx?: Statements,
): Promise<void> {
  const at = ctx.clock.now();
  const cause = o.causeCode ? causeText(o.causeCode) : (o.hangupCause ?? null);
  // The record's end (times, durations, outcome, cause) is the `ended` event's projection.
  await ctx.calls.commit(
    callId,
    {
      type: 'ended',
      at,
      data: {
        outcome: o.outcome,
        reason: o.reason,
        endedBy: 'system',
        cause,
        causeCode: o.causeCode || null,
      },
    },
    { state: 'ended' },
    tx,
  );
}

/**
 * Ends a call once, whatever ended it: closes the record (times, durations, outcome, cause),
 * hangs up what is left of it in Asterisk, tells the agent, frees the agent. `at` is when it
 * really ended, when known better than now (a hang-up seen only after a reconnect).
 */
export async function endCall(
  ctx: EngineContext,
  s: CallSession,
  event: CallEvent,
  endedBy: EndedBy,
  opts: { at?: number; cause?: { code: number; text: string } | null; reason?: string } = {},
): Promise<void> {
  const before = s.state;
  if (!fire(s, event)) return;
  clearTimers(s);
  // Its timeline event is queued before the call's `ended`; the teardown runs alongside.
  const monitorDone = endMonitor(ctx, s, 'call-ended');
  const endedAt = Math.max(opts.at ?? ctx.clock.now(), s.startedAt);
  s.endedAt = endedAt;
  const outcome = s.outcome ?? outcomeOf(before, event, s.answeredAt !== null);
  const cause =
    opts.cause ??
    s.causes.get(endedBy === 'agent' && s.agentChannelId ? s.agentChannelId : s.callerChannelId) ??
    null;
  const talked = isConnected(before);
  const answeredAt = s.answeredAt;
  const waitMs = (answeredAt ?? endedAt) - s.startedAt;
  // After a survey the talk ended when the agent hung up (project-record.ts: survey-started).
  const talkEnd = s.survey?.startedAt ?? endedAt;
  const talkMs = answeredAt !== null ? Math.max(0, talkEnd - answeredAt) : 0;
  s.log.info({ outcome, endedBy, waitMs, talkMs }, 'call ended');

  const agentId = s.agentId;
  if (agentId !== null) {
    ctx.notifier.update(agentId, {
      callId: s.id,
      state: 'ended',
      withdrawn: !talked || undefined,
      reason: opts.reason ?? (talked ? `${endedBy}-hangup` : 'caller-hangup'),
      at: isoOf(endedAt)!,
    });
  }

  // The record's end is the `ended` event's projection: times, durations, outcome, cause; an
  // unanswered call has no agent, and counts against the service level only when the caller
  // waited past the threshold the event carries. A call transferred back to the queue keeps the
  // agent who had answered it.
  void commit(
    ctx,
    s,
    {
      type: 'ended',
      at: endedAt,
      data: {
        outcome,
        endedBy,
        cause: cause?.text ?? null,
        reason: opts.reason ?? null,
        causeCode: cause?.code ?? null,
        ...(answeredAt === null ? { serviceLevelSec: s.queue.serviceLevelSec } : {}),
      },
    },
    { state: 'ended' },
  );

  // Tear down what is left in Asterisk: the app owns the whole call's teardown.
  const consult = s.consult;
  s.consult = null;
  if (consult?.timer) clearTimeout(consult.timer);
  const legs = [s.callerChannelId, s.agentChannelId, consult?.channelId ?? null].filter(
    (c): c is string => c !== null,
  );
  await Promise.all(legs.map((ch) => tryAri(s.log, 'hangup leg', () => ctx.rest.hangup(ch))));
  await finishRecording(ctx, s).catch((err: unknown) =>
    s.log.error({ err }, 'finishing the recording failed'),
  );
  if (s.bridgeId) {
    const bridgeId = s.bridgeId;
    await tryAri(s.log, 'destroy bridge', () => ctx.rest.destroyBridge(bridgeId));
  }
  // The attempt's bookkeeping (a call-back's or a campaign contact's next try) comes before the
  // agent is freed: a freed agent is offered the next work at once, and must not be offered the
  // same task again before its attempt is recorded.
  if (s.onEnded) {
    const onEnded = s.onEnded;
    s.onEnded = null;
    await onEnded(outcome).catch((err: unknown) => s.log.error({ err }, 'on-ended hook failed'));
  }
  if (agentId !== null)
    await ctx.agents.release(agentId, s.id, talked, ctx.telephony.wrapUpSec * 1000);
  if (consult?.agentId != null) {
    ctx.notifier.update(consult.agentId, {
      callId: s.id,
      state: 'ended',
      withdrawn: !consult.answered || undefined,
      reason: 'caller-hangup',
      at: isoOf(endedAt)!,
    });
    await ctx.agents.release(consult.agentId, s.id, consult.answered, 0);
  }
  await monitorDone;
  settleEndMarker(ctx, s.id, s.callerChannelId, cause !== null);
  // The call leaves the registry once its record is written, so whoever waits for the live
  // calls' writes (a stop, a test) waits for this one too; late events for its channels (a cause
  // after StasisEnd) find it ended and are ignored, then find nothing.
  await s.writes;
  ctx.registry.remove(s);
  ctx.dispatch();
}
