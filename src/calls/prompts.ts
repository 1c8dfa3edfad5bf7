import { persist, type CallSession } from './call-session';
import type { EngineContext } from './engine-context';

/**
 * Prompts played to callers (`sound:hotline/…` and the like). One that cannot be played (a
 * missing sound file on a real PBX, a bad media URI) is never silent: an error in the log with
 * the prompt's name, and a `prompt-failed` event on the call's timeline. The recording notice
 * also decides the recording (recording.ts: `telephony.recordWithoutConsent`).
 */

/** `${callId}-consent` → consent: the part after the call id names what the prompt was for. */
const purposeOf = (s: CallSession, playbackId: string) =>
  playbackId.startsWith(`${s.id}-`) ? playbackId.slice(s.id.length + 1) : playbackId;

export function promptFailed(
  ctx: EngineContext,
  s: CallSession,
  prompt: string,
  purpose: string,
  err?: unknown,
): void {
  if (purpose === 'consent') s.consent = 'failed';
  s.log.error(
    { prompt, purpose, err },
    'prompt could not be played (is the sound file on the PBX? npm run prompts)',
  );
  const at = ctx.clock.now();
  void persist(s, 'prompt failed', () =>
    ctx.calls.appendEvent(s.id, at, 'prompt-failed', { prompt, purpose }, s.agentId),
  );
}

/** PlaybackFinished: a failed playback of a call's prompt; the notice heard or not. */
export function playbackOutcome(
  ctx: EngineContext,
  playback: { id: string; media_uri: string; state: string },
): void {
  const s = ctx.registry.all().find((c) => playback.id.startsWith(`${c.id}-`));
  if (!s) return;
  const purpose = purposeOf(s, playback.id);
  if (playback.state === 'failed') {
    promptFailed(ctx, s, playback.media_uri, purpose);
    return;
  }
  if (purpose === 'consent' && s.consent === 'playing') s.consent = 'played';
}
