import { causeText } from './hangup-causes';
import type { EngineContext } from './engine-context';
import { tryAri } from './ari-safe';

/**
 * The dialplan's `h` extension sets a global variable `HOTLINE_ENDED_<channel>` = `time|cause`
 * when a carrier leg ends (config/asterisk/extensions.conf). It tells the resync after a lost
 * event link when and why a caller hung up, and it carries the Q.850 cause that StasisEnd lacks.
 */
export const endedVariable = (channelId: string) => `HOTLINE_ENDED_${channelId}`;

export interface EndMarker {
  at: number;
  cause: { code: number; text: string } | null;
}

/** Reads and unsets the marker; null when there is none (yet). */
export async function takeEndMarker(
  ctx: Pick<EngineContext, 'rest'>,
  channelId: string,
): Promise<EndMarker | null> {
  const value = await ctx.rest.getVariable(endedVariable(channelId));
  if (!value) return null;
  await ctx.rest.setVariable(endedVariable(channelId));
  const [time, code] = value.split('|');
  const at = Math.round(Number(time) * 1000);
  if (!Number.isFinite(at) || at <= 0) return null;
  const c = Number(code);
  return { at, cause: Number.isFinite(c) && c > 0 ? { code: c, text: causeText(c) } : null };
}

/**
 * After a call closed normally: the `h` extension runs just after StasisEnd, so a moment later
 * take its marker, fill in the hang-up cause if the events did not give one, and unset it.
 */
export function settleEndMarker(
  ctx: EngineContext,
  callId: string,
  channelId: string,
  causeKnown: boolean,
): void {
  const t = setTimeout(() => {
    void tryAri(ctx.log, 'settle end marker', async () => {
      const marker = await takeEndMarker(ctx, channelId);
      if (marker?.cause && !causeKnown) {
        // No event: the timeline keeps the cause the `ended` event knew (project-record.ts).
        await ctx.calls.amend(callId, {
          hangupCause: marker.cause.text,
          hangupCauseCode: marker.cause.code,
        });
      }
    });
  }, 1_500);
  t.unref();
}
