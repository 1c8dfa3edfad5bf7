import { endMonitor } from '../monitor';
import { isAriNotFound } from '../../ari/errors';
import { isoOf } from '../../shared/clock';
import { tryAri } from '../ari-safe';
import { transition } from '../call-state';
import { fire, type CallSession, type SurveyStage } from '../call-session';
import { commit } from '../commit';
import type { EngineContext } from '../engine-context';
import { endCall } from '../end-call';
import { promptFailed } from '../prompts';
import { finishRecording } from '../recording';

/**
 * The post-call satisfaction survey (issue 10): on a queue with `survey: after-agent-hangup`,
 * when the agent hangs up first the agent leaves the call at once (into wrap-up) and the caller,
 * still in the app, hears `surveyMessage` and presses 1-5 (RFC 4733 or SIP INFO, whatever the
 * carrier sends: Asterisk reports ChannelDtmfReceived either way). A key may come while a prompt
 * plays (it stops the prompt). Another key gets one re-prompt (`surveyInvalidMessage`), a second
 * one ends the survey; `surveyDigitWaitSec` of silence after a prompt = no answer. A score is
 * thanked (`surveyThanksMessage`), then the caller is hung up. The caller hanging up first means
 * no survey at all; hanging up during it, no score. The call stays `answered`, ended by the agent;
 * its talk ends at the agent's hang-up (`survey-started`, project-record.ts).
 *
 * Timeline: `survey-started` → (`survey-invalid {digit}`) → `survey-answered {score}` or
 * `survey-unanswered {reason: no-answer | invalid | prompt-failed | caller-hangup | restart}`.
 */

/** A prompt whose end Asterisk never reports does not keep the caller forever. */
const MAX_PROMPT_MS = 60_000;

/** Does this call get the survey when its agent hangs up now? Campaign calls never do. */
export function surveysOnAgentHangup(s: CallSession): boolean {
  return (
    s.queue.survey === 'after-agent-hangup' &&
    s.outbound === null &&
    s.agentId !== null &&
    s.bridgeId !== null &&
    transition(s.state, 'survey') !== null
  );
}

/**
 * The agent hung up first (their phone, the desktop's hang-up, or gone after a lost event link):
 * the survey when the call's queue asks for one, else the call ends as it always has.
 */
export async function agentHungUp(
  ctx: EngineContext,
  s: CallSession,
  opts: { at?: number; cause?: { code: number; text: string } | null; reason?: string } = {},
): Promise<void> {
  if (!surveysOnAgentHangup(s)) return endCall(ctx, s, 'agent-hangup', 'agent', opts);
  const agentId = s.agentId!;
  const agentLeg = s.agentChannelId;
  const wasHeld = s.state === 'held';
  fire(s, 'survey');
  const at = Math.max(opts.at ?? ctx.clock.now(), s.answeredAt ?? s.startedAt);
  const stage: SurveyStage = {
    agentId,
    startedAt: at,
    agentCause: opts.cause ?? (agentLeg ? s.causes.get(agentLeg) : undefined) ?? null,
    playbackId: null,
    reprompted: false,
    result: null,
    deadline: null,
    keys: Promise.resolve(),
  };
  s.survey = stage;
  s.agentId = null;
  s.agentChannelId = null;
  if (agentLeg) ctx.registry.dropLeg(agentLeg);
  s.log.info({ agentId }, 'the agent hung up first: satisfaction survey');
  // Monitoring watches the agent's conversation: it ends with it (the survey is not listened to).
  const monitorDone = endMonitor(ctx, s, 'agent-left');
  // The talk ends here (the record's talkMs); the caller is asked about this agent.
  void commit(
    ctx,
    s,
    { type: 'survey-started', at, agentId, data: { queue: s.queue.name } },
    { state: 'surveying' },
  );
  // The agent is done now: told, and into wrap-up at once; nobody waits for the survey.
  ctx.notifier.update(agentId, {
    callId: s.id,
    state: 'ended',
    reason: opts.reason ?? 'agent-hangup',
    at: isoOf(at)!,
  });
  await Promise.all([
    agentLeg && tryAri(s.log, 'hangup agent leg', () => ctx.rest.hangup(agentLeg)),
    ctx.agents.release(agentId, s.id, true, ctx.telephony.wrapUpSec * 1000),
    // The survey is not part of the recorded conversation.
    finishRecording(ctx, s).catch((err: unknown) =>
      s.log.error({ err }, 'finishing the recording failed'),
    ),
    monitorDone,
  ]);
  if (s.state !== 'surveying') return; // the caller hung up meanwhile
  if (wasHeld) await tryAri(s.log, 'stop moh', () => ctx.rest.stopMoh(s.callerChannelId));
  await ask(ctx, s, stage, 'survey', ctx.telephony.surveyMessage);
}

function setDeadline(stage: SurveyStage, ms: number, then: () => Promise<void>): void {
  if (stage.deadline) clearTimeout(stage.deadline);
  stage.deadline = setTimeout(() => void then(), ms);
}

/**
 * Plays a survey prompt to the caller (`purpose` names its playback: `${callId}-${purpose}`).
 * False when it could not be played; a refusal that is not the caller being gone is a
 * `prompt-failed` (prompts.ts).
 */
async function play(
  ctx: EngineContext,
  s: CallSession,
  stage: SurveyStage,
  purpose: string,
  media: string,
): Promise<'playing' | 'failed' | 'caller-gone'> {
  const id = `${s.id}-${purpose}`;
  stage.playbackId = id;
  try {
    await ctx.rest.play(s.callerChannelId, media, id);
    return 'playing';
  } catch (err) {
    if (stage.playbackId === id) stage.playbackId = null;
    if (isAriNotFound(err) || s.state !== 'surveying') return 'caller-gone';
    promptFailed(ctx, s, media, purpose, err);
    return 'failed';
  }
}

/** The question or the re-prompt; the wait for a key starts when it has played. */
async function ask(
  ctx: EngineContext,
  s: CallSession,
  stage: SurveyStage,
  purpose: 'survey' | 'survey-invalid',
  media: string,
): Promise<void> {
  if (stage.result || s.state !== 'surveying') return;
  setDeadline(stage, MAX_PROMPT_MS, () => unanswered(ctx, s, 'no-answer'));
  const played = await play(ctx, s, stage, purpose, media);
  if (played === 'failed') await unanswered(ctx, s, 'prompt-failed');
  else if (played === 'caller-gone') await unanswered(ctx, s, 'caller-hangup');
}

/** Stops the prompt still playing, if any (a key pressed over it). */
async function stopPrompt(ctx: EngineContext, s: CallSession, stage: SurveyStage): Promise<void> {
  const id = stage.playbackId;
  stage.playbackId = null; // its PlaybackFinished no longer moves the survey on
  if (id) await tryAri(s.log, 'stop survey prompt', () => ctx.rest.stopPlayback(id));
}

/** PlaybackFinished: a survey prompt ended (played, or failed: prompts.ts has recorded that). */
export async function surveyPromptFinished(
  ctx: EngineContext,
  playback: { id: string; state: string },
): Promise<void> {
  const s = ctx.registry.all().find((c) => c.survey?.playbackId === playback.id);
  const stage = s?.survey;
  if (!s || !stage || s.state !== 'surveying') return;
  stage.playbackId = null;
  if (stage.result === 'answered') return endSurvey(ctx, s, 'survey-done'); // the thanks
  if (stage.result) return;
  if (playback.state === 'failed') return unanswered(ctx, s, 'prompt-failed');
  setDeadline(stage, ctx.telephony.surveyDigitWaitSec * 1000, () =>
    unanswered(ctx, s, 'no-answer'),
  );
}

/** ChannelDtmfReceived: a key from a caller being surveyed (other calls' keys are not ours). */
export function surveyKey(ctx: EngineContext, channelId: string, digit: string): Promise<void> {
  const found = ctx.registry.byChannel(channelId);
  const s = found?.role === 'caller' ? found.session : null;
  const stage = s?.survey;
  if (!s || !stage || s.state !== 'surveying') return Promise.resolve();
  // One key after the other: a "9" then a quick "4" are the re-prompt, then the score.
  stage.keys = stage.keys.then(() => key(ctx, s, stage, digit));
  return stage.keys;
}

async function key(
  ctx: EngineContext,
  s: CallSession,
  stage: SurveyStage,
  digit: string,
): Promise<void> {
  if (stage.result || s.state !== 'surveying') return;
  if (stage.deadline) clearTimeout(stage.deadline);
  const at = ctx.clock.now();
  if (/^[1-5]$/.test(digit)) {
    const score = Number(digit);
    stage.result = 'answered';
    s.log.info({ score }, 'survey answered');
    void commit(ctx, s, { type: 'survey-answered', at, agentId: stage.agentId, data: { score } });
    await stopPrompt(ctx, s, stage);
    setDeadline(stage, MAX_PROMPT_MS, () => endSurvey(ctx, s, 'survey-done'));
    const thanks = await play(ctx, s, stage, 'survey-thanks', ctx.telephony.surveyThanksMessage);
    if (thanks !== 'playing') await endSurvey(ctx, s, 'survey-done');
    return;
  }
  if (stage.reprompted) return unanswered(ctx, s, 'invalid');
  stage.reprompted = true;
  void commit(ctx, s, { type: 'survey-invalid', at, agentId: stage.agentId, data: { digit } });
  await stopPrompt(ctx, s, stage);
  await ask(ctx, s, stage, 'survey-invalid', ctx.telephony.surveyInvalidMessage);
}

/** No score: recorded with why, then the call ends (the caller is hung up). */
async function unanswered(
  ctx: EngineContext,
  s: CallSession,
  reason: 'no-answer' | 'invalid' | 'prompt-failed' | 'caller-hangup',
  opts: { at?: number; cause?: { code: number; text: string } | null } = {},
): Promise<void> {
  const stage = s.survey;
  if (!stage || stage.result || s.state !== 'surveying') return;
  stage.result = 'unanswered';
  s.log.info({ reason }, 'survey not answered');
  void commit(ctx, s, {
    type: 'survey-unanswered',
    at: opts.at ?? ctx.clock.now(),
    agentId: stage.agentId,
    data: { reason },
  });
  await endSurvey(ctx, s, reason === 'caller-hangup' ? 'caller-hangup' : 'survey-done', opts);
}

/** The call ends after its survey: still ended by the agent, with the agent's hang-up cause. */
async function endSurvey(
  ctx: EngineContext,
  s: CallSession,
  event: 'survey-done' | 'caller-hangup',
  opts: { at?: number; cause?: { code: number; text: string } | null } = {},
): Promise<void> {
  const stage = s.survey;
  if (!stage) return;
  if (stage.deadline) clearTimeout(stage.deadline);
  stage.deadline = null;
  await endCall(ctx, s, event, 'agent', {
    at: opts.at,
    cause: stage.agentCause ?? opts.cause ?? null,
    reason: 'after-survey',
  });
}

/** The caller hung up during the survey (channel-gone.ts, or found gone by the resync). */
export async function surveyCallerGone(
  ctx: EngineContext,
  s: CallSession,
  opts: { at?: number; cause?: { code: number; text: string } | null } = {},
): Promise<void> {
  const stage = s.survey;
  if (!stage) return;
  // Never before the survey began (an end marker read after a lost event link).
  const at = opts.at !== undefined ? Math.max(opts.at, stage.startedAt) : undefined;
  if (stage.result === null) return unanswered(ctx, s, 'caller-hangup', { ...opts, at });
  return endSurvey(ctx, s, 'caller-hangup', { ...opts, at });
}
