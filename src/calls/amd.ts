import type { EngineContext } from './engine-context';

/**
 * Answering-machine detection: an answered campaign customer leaves Stasis for the
 * `telephony.amdContext` dialplan context, which runs Asterisk's AMD() and returns the channel
 * to the app as an `obamd` leg (legs.ts) with AMDSTATUS and AMDCAUSE:
 *
 *   [hotline-amd]
 *   exten => s,1,AMD(,,${HotlineAfterGreetingMs})
 *    same => n,Stasis(hotline,obamd,${HotlineCall},${AMDSTATUS},${AMDCAUSE})
 *
 * The app stays subscribed to the channel meanwhile, so a hang-up during the analysis is seen.
 * The after-greeting silence is Hotline's `telephony.amdAfterGreetingMs`, handed to AMD() as a
 * channel variable: the abandon clock and Asterisk's analysis read one setting.
 */
export type AmdStatus = 'MACHINE' | 'HUMAN' | 'NOTSURE' | 'HANGUP';

export interface AmdResult {
  /** What AMD() concluded; null when the dialplan passed nothing Hotline knows (not run). */
  status: AmdStatus | null;
  /** AMDCAUSE, e.g. `INITIALSILENCE-2500-2500`, `HUMAN-300-800`, `TOOLONG-5000`. */
  cause: string;
}

const STATUSES: readonly string[] = ['MACHINE', 'HUMAN', 'NOTSURE', 'HANGUP'];

/** The result an `obamd` leg's Stasis arguments (after the call id) carry. */
export function amdResult(extras: readonly string[]): AmdResult {
  const [status = '', cause = ''] = extras;
  const s = status.trim().toUpperCase();
  return {
    status: STATUSES.includes(s) ? (s as AmdStatus) : null,
    cause: cause.trim().slice(0, 64),
  };
}

/** Hands an answered customer's channel (in Stasis) to the AMD dialplan context. */
export async function startAmd(
  ctx: Pick<EngineContext, 'rest' | 'app' | 'telephony'>,
  channelId: string,
  callId: string,
): Promise<void> {
  await ctx.rest.subscribeChannel(ctx.app, channelId);
  await ctx.rest.setChannelVar(channelId, 'HotlineCall', callId);
  await ctx.rest.setChannelVar(
    channelId,
    'HotlineAfterGreetingMs',
    String(ctx.telephony.amdAfterGreetingMs),
  );
  await ctx.rest.continueInDialplan(channelId, {
    context: ctx.telephony.amdContext,
    extension: 's',
    priority: 1,
  });
}
