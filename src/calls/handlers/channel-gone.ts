import { isConnected } from '../call-state';
import { ringResult } from '../hangup-causes';
import type { EngineContext } from '../engine-context';
import { endCall } from '../end-call';
import { agentMissed } from '../offer-call';
import { legGoneDuringTransfer } from '../transfers';
import { monitorLegGone } from '../monitor';
import { agentHungUp, surveyCallerGone } from './survey';

/**
 * A leg of a live call is gone (StasisEnd or ChannelDestroyed, whichever comes first): the caller
 * hung up, the agent hung up, or the agent's phone stopped ringing without answering.
 */
export async function channelGone(
  ctx: EngineContext,
  channelId: string,
  cause: { code: number; text: string } | null,
  at?: number,
): Promise<void> {
  const found = ctx.registry.byChannel(channelId);
  if (!found) return;
  const { session: s, role } = found;
  if (role === 'monitor' || role === 'snoop') {
    await monitorLegGone(ctx, s, role, channelId);
    return;
  }
  if (cause) s.causes.set(channelId, cause);
  if (role === 'caller') {
    // During the survey the agent had already hung up: no score, still ended by the agent.
    if (s.state === 'surveying') return surveyCallerGone(ctx, s, { at, cause });
    // A call-back's customer who never answered: busy or no answer, not a hang-up.
    if (s.state === 'dialing')
      s.outcome = ringResult(cause?.code) === 'busy' ? 'busy' : 'no-answer';
    await endCall(ctx, s, 'caller-hangup', 'caller', { at, cause });
    return;
  }
  if (role !== 'agent' || s.consult) {
    if (await legGoneDuringTransfer(ctx, s, role, channelId, cause)) return;
  }
  if (channelId !== s.agentChannelId) return; // an earlier, already withdrawn offer
  if (s.state === 'ringing') {
    // An agent's phone that is busy or refuses the call declined it.
    const rung = ringResult(cause?.code);
    const reason =
      rung === 'busy' || rung === 'declined'
        ? 'declined'
        : rung === 'no-answer'
          ? 'no-answer'
          : 'ring-failed';
    await agentMissed(ctx, s, channelId, reason);
  } else if (isConnected(s.state) || s.state === 'dialing') {
    if (s.state === 'dialing') s.outcome = 'no-answer'; // the agent gave up first
    // The agent hung up first: the queue's satisfaction survey, or the end of the call.
    if (isConnected(s.state)) await agentHungUp(ctx, s, { at, cause });
    else await endCall(ctx, s, 'agent-hangup', 'agent', { at, cause });
  }
}
