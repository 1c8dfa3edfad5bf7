import { randomUUID } from 'node:crypto';
import { HotlineError } from '../shared/errors';
import { tryAri } from './ari-safe';
import type { CallSession } from './call-session';
import { commit } from './commit';
import type { EngineContext } from './engine-context';

/**
 * Recording a call: the call's bridge is recorded (a channel in a bridge cannot be), so the
 * recording follows the call through hold and transfers. Started at the answer by the queue's
 * policy (`always`) or by the agent (`on-demand`); paused and resumed while the customer gives
 * card details; stopped when the call ends, then stored by the recording store.
 */

const tell = (ctx: EngineContext, s: CallSession, status: 'on' | 'paused' | 'failed') => {
  if (s.agentId !== null) ctx.notifier.recording?.(s.agentId, { callId: s.id, status });
};

const event = (ctx: EngineContext, s: CallSession, type: string, data: Record<string, unknown>) => {
  const at = ctx.clock.now();
  void commit(ctx, s, { type, at, data, agentId: s.agentId });
};

export async function startRecording(
  ctx: EngineContext,
  s: CallSession,
  reason: 'policy' | 'on-demand',
): Promise<void> {
  if (s.recording)
    throw new HotlineError('HOTLINE_CALL_ALREADY_RECORDING', 'the call is being recorded already');
  if (!s.bridgeId)
    throw new HotlineError('HOTLINE_RECORDING_NO_BRIDGE', 'the call has no bridge to record');
  if (s.queue.recording === 'never')
    throw new HotlineError(
      'HOTLINE_QUEUE_NEVER_RECORDED',
      `queue ${s.queue.name} is never recorded`,
    );
  if (reason === 'policy' && s.consent === 'failed' && !ctx.telephony.recordWithoutConsent) {
    // The caller was not told the call may be recorded: not recorded (telephony.recordWithoutConsent).
    s.log.warn('recording notice could not be played: the call is not recorded');
    event(ctx, s, 'recording-skipped', { reason: 'consent-not-played' });
    tell(ctx, s, 'failed');
    return;
  }
  const id = randomUUID();
  const name = `hotline-${id}`;
  const at = ctx.clock.now();
  let started!: () => void;
  const recording = { id, name, paused: false, started: new Promise<void>((r) => (started = r)) };
  s.recording = recording;
  try {
    await ctx.recordings.create({ id, callId: s.id, asteriskName: name, at });
  } catch (err) {
    s.recording = null;
    started();
    throw err;
  }
  try {
    await ctx.rest.recordBridge(s.bridgeId, {
      name,
      format: 'wav',
      ifExists: 'fail',
      maxDurationSeconds: 4 * 3600,
    });
    event(ctx, s, 'recording-started', { recordingId: id, reason });
    tell(ctx, s, 'on');
  } catch (err) {
    s.recording = null;
    const message = err instanceof Error ? err.message : String(err);
    s.log.error({ err }, 'recording did not start');
    await ctx.recordings.update(id, {
      status: 'error',
      error: message.slice(0, 500),
      ended_at: at,
    });
    event(ctx, s, 'recording-failed', { recordingId: id, error: message.slice(0, 200) });
    ctx.metrics?.recordingFailed('start');
    tell(ctx, s, 'failed');
  } finally {
    started();
  }
}

/** The call's recording once Asterisk has it (a pause right after the answer waits for it). */
async function startedRecording(s: CallSession) {
  const pending = s.recording;
  if (pending) await pending.started;
  const r = s.recording;
  if (!r) throw new HotlineError('HOTLINE_CALL_NOT_RECORDING', 'the call is not being recorded');
  return r;
}

export async function pauseRecording(ctx: EngineContext, s: CallSession): Promise<void> {
  const r = await startedRecording(s);
  if (r.paused) return;
  await ctx.rest.pauseRecording(r.name);
  r.paused = true;
  event(ctx, s, 'recording-paused', { recordingId: r.id });
  tell(ctx, s, 'paused');
}

export async function resumeRecording(ctx: EngineContext, s: CallSession): Promise<void> {
  const r = await startedRecording(s);
  if (!r.paused) return;
  await ctx.rest.unpauseRecording(r.name);
  r.paused = false;
  event(ctx, s, 'recording-resumed', { recordingId: r.id });
  tell(ctx, s, 'on');
}

/** The call is over: stop the recording (before its bridge goes) and store it. */
export async function finishRecording(ctx: EngineContext, s: CallSession): Promise<void> {
  const r = s.recording;
  if (!r) return;
  s.recording = null;
  await tryAri(s.log, 'stop recording', () => ctx.rest.stopRecording(r.name));
  await ctx.recordings.update(r.id, { ended_at: ctx.clock.now() });
  const row = await ctx.recordings.get(r.id);
  if (row) void ctx.recordingStore.store(row);
}

/** RecordingFinished / RecordingFailed from Asterisk (e.g. its own max duration reached). */
export async function recordingEnded(
  ctx: EngineContext,
  name: string,
  failed: string | null,
): Promise<void> {
  const row = await ctx.recordings.byAsteriskName(name);
  if (!row || row.status !== 'recording') return;
  const live = ctx.registry.get(row.call_id);
  if (live?.recording?.name === name) live.recording = null;
  if (failed !== null) {
    ctx.metrics?.recordingFailed('asterisk');
    await ctx.recordings.update(row.id, {
      status: 'error',
      error: failed,
      ended_at: ctx.clock.now(),
    });
    await ctx.calls.commit(row.call_id, {
      type: 'recording-failed',
      at: ctx.clock.now(),
      data: { recordingId: row.id, error: failed },
    });
    return;
  }
  // Asterisk ended it by itself (its max duration, or a leftover stopped at start): it ends now
  // unless its end is already known.
  if (row.ended_at === null) await ctx.recordings.update(row.id, { ended_at: ctx.clock.now() });
  const ended = (await ctx.recordings.get(row.id)) ?? row;
  void ctx.recordingStore.store(ended);
}

/** At start: recordings an earlier run did not store (it stopped mid-fetch, or crashed). */
export async function storeLeftovers(ctx: EngineContext): Promise<void> {
  for (const row of await ctx.recordings.unfinished()) {
    if (ctx.registry.get(row.call_id)) continue; // adopted and still live: stored when it ends
    void ctx.recordingStore.store(row);
  }
}
