import { isAriNotFound } from '../ari/errors';
import type { CallSession } from './call-session';
import type { EngineContext } from './engine-context';
import { tryAri } from './ari-safe';

/**
 * What an earlier run (killed, or stopped) left in Asterisk around a call, settled by the next
 * run's reconcile: the call's bridge with whoever is still in it (the agent, after the caller hung
 * up while no Hotline was there), and its recording, which Asterisk keeps writing for as long as
 * the bridge lives.
 */

/** A call closed at start: its recording stopped with the call's end time, its bridge emptied. */
export async function releaseLeftovers(
  ctx: EngineContext,
  callId: string,
  endedAt: number,
): Promise<void> {
  for (const r of await ctx.recordings.forCalls([callId])) {
    if (r.status !== 'recording') continue;
    // Ended when the call did, written before the stop: the stop makes Asterisk send
    // RecordingFinished, whose store may finish before a later write (the row stored, no end).
    if (r.ended_at === null) await ctx.recordings.update(r.id, { ended_at: endedAt });
    // Stopped now so Asterisk closes the file (the store then copies it).
    await tryAri(ctx.log, 'stop leftover recording', () => ctx.rest.stopRecording(r.asterisk_name));
  }
  const bridge = await ctx.rest.getBridge(`hotline-${callId}`).catch(() => null);
  if (!bridge) return;
  for (const channel of bridge.channels)
    await tryAri(ctx.log, 'hangup leftover leg', () => ctx.rest.hangup(channel));
  await tryAri(ctx.log, 'destroy leftover bridge', () => ctx.rest.destroyBridge(bridge.id));
  ctx.log.info(
    { callId, legs: bridge.channels.length },
    'leftover bridge of a closed call emptied',
  );
}

/**
 * A call adopted at start: a recording still running is the session's again (paused or not, as
 * Asterisk has it), so the call's end stops it, gives it its end time and stores it. One that
 * ended meanwhile (Asterisk's max duration) is stored now.
 */
export async function adoptRecording(ctx: EngineContext, s: CallSession): Promise<void> {
  const r = (await ctx.recordings.forCalls([s.id])).find((x) => x.status === 'recording');
  if (!r) return;
  // Only Asterisk's 404 says it is over: on any other failure it is taken as still running, so
  // the call's end stops and stores it rather than a store now cutting it short.
  const live = await ctx.rest.getLiveRecording(r.asterisk_name).catch((err: unknown) => {
    if (isAriNotFound(err)) return null;
    s.log.warn({ err, recordingId: r.id }, 'could not ask Asterisk about the recording');
    return { state: 'recording' as const };
  });
  if (live && (live.state === 'recording' || live.state === 'paused' || live.state === 'queued')) {
    s.recording = {
      id: r.id,
      name: r.asterisk_name,
      paused: live.state === 'paused',
      started: Promise.resolve(),
    };
    return;
  }
  if (r.ended_at === null) await ctx.recordings.update(r.id, { ended_at: ctx.clock.now() });
  const row = await ctx.recordings.get(r.id);
  if (row) void ctx.recordingStore.store(row);
}
