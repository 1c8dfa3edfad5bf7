/**
 * The post-call satisfaction survey (src/calls/handlers/survey.ts) through the engine, on the
 * fake ARI with fake timers: the agent hangs up first on a queue with `survey:
 * after-agent-hangup` → the agent is freed into wrap-up at once, the caller hears the question;
 * keys, silence, the caller's hang-up and prompt failures, observed through ARI requests, the
 * call record and its timeline, and the agent's screen and state.
 */
import type { User } from '../../../src/agents/users-repo';
import { AriError } from '../../../src/ari/errors';
import { projectRecord, PROJECTED_FIELDS } from '../../../src/calls/project-record';
import { toCallRecord } from '../../../src/calls/calls-repo';
import { createLogger } from '../../../src/shared/logger';
import { engineFixture, useEngineFakeTimers } from '../../support/engine-fixture';

type Fx = Awaited<ReturnType<typeof engineFixture>>;
let fx: Fx;
let ann: User;
const CALLER = 'caller-1';
const WAIT_SEC = 4;

beforeEach(async () => {
  useEngineFakeTimers();
  fx = await engineFixture({ telephony: { surveyDigitWaitSec: WAIT_SEC } });
  await fx.queues.update('general', { survey: 'after-agent-hangup', recording: 'never' });
  ann = await fx.agent('ann', '1001');
});
afterEach(async () => {
  await fx.close();
  jest.useRealTimers();
});

const plays = () =>
  fx.ari.ops('play').map((r) => ({ channel: r.args[0], media: r.args[1], id: r.args[2] }));
const updatesOf = (agentId: number) =>
  fx.notified.filter((n) => n.agentId === agentId && n.kind === 'update').map((n) => n.update!);
const events = async (callId: string) =>
  (await fx.calls.events(callId)).filter((e) => e.type.startsWith('survey') || e.type === 'ended');

/** A caller answered by Ann; returns the call id and Ann's leg. */
async function talking(): Promise<{ callId: string; agentLeg: string }> {
  fx.ari.inbound(CALLER, '13800001111');
  const ring = await fx.until(
    () => fx.ari.originates().find((o) => o.appArgs?.startsWith('agent,')),
    'Ann rung',
  );
  const callId = ring.appArgs!.split(',')[1]!;
  fx.ari.answers(ring.channelId!);
  await fx.until(
    () => fx.ari.bridges.get(`hotline-${callId}`)?.channels.includes(ring.channelId!),
    'Ann bridged',
  );
  return { callId, agentLeg: ring.channelId! };
}

/** Ann's phone hangs up (normal clearing) after `talkMs` of conversation. */
async function annHangsUp(agentLeg: string, talkMs = 30_000) {
  await fx.advance(talkMs, 1000);
  fx.ari.hangupRequest(agentLeg, 16);
  fx.ari.hangupFromFar(agentLeg);
  await fx.settle();
}

async function questionPlayed(callId: string) {
  return fx.until(() => plays().find((p) => p.id === `${callId}-survey`), 'question played');
}

describe('the survey stage', () => {
  it('agent hangs up → freed into wrap-up at once, the question on the caller; 9 → re-prompt, then 4 → stored', async () => {
    const { callId, agentLeg } = await talking();
    await annHangsUp(agentLeg);
    const q = await questionPlayed(callId);
    expect(q).toMatchObject({ channel: CALLER, media: 'sound:hotline/survey' });

    // The agent does not wait for the survey: told the call ended, in wrap-up, the caller still up.
    expect(updatesOf(ann.id).at(-1)).toMatchObject({
      callId,
      state: 'ended',
      reason: 'agent-hangup',
    });
    expect(fx.agents.get(ann.id)).toMatchObject({ activity: 'wrap-up', callId });
    expect(fx.engine.registry.get(callId)?.state).toBe('surveying');
    expect(fx.ari.channels.has(CALLER)).toBe(true);
    const live = await fx.record(callId);
    expect(live).toMatchObject({ state: 'surveying', endedAt: null, talkMs: 30_000 });
    const open = projectRecord(await fx.calls.events(callId), { now: Date.now() });
    expect(open).toMatchObject({ talkMs: 30_000, endedAt: null, surveyScore: null });

    // A 9 over the question: it stops, and the one re-prompt plays.
    fx.ari.dtmf(CALLER, '9');
    const again = await fx.until(
      () => plays().find((p) => p.id === `${callId}-survey-invalid`),
      're-prompt',
    );
    expect(again).toMatchObject({ channel: CALLER, media: 'sound:hotline/survey-invalid' });
    expect(fx.ari.ops('stopPlayback').map((r) => r.args[0])).toEqual([`${callId}-survey`]);
    fx.ari.playbackFinished(`${callId}-survey`); // the stopped question: moves nothing on
    fx.ari.playbackFinished(`${callId}-survey-invalid`);
    await fx.advance((WAIT_SEC - 1) * 1000);
    expect(fx.ari.channels.has(CALLER)).toBe(true);

    fx.ari.dtmf(CALLER, '4');
    const thanks = await fx.until(
      () => plays().find((p) => p.id === `${callId}-survey-thanks`),
      'thanks',
    );
    expect(thanks.media).toBe('sound:hotline/survey-thanks');
    fx.ari.dtmf(CALLER, '1'); // after the answer: means nothing
    fx.ari.playbackFinished(`${callId}-survey-thanks`);
    const rec = await fx.ended(callId);
    expect(fx.ari.hungUp()).toContain(CALLER);
    expect(rec).toMatchObject({
      outcome: 'answered',
      endedBy: 'agent',
      agentId: ann.id,
      queue: 'general',
      surveyScore: 4,
      talkMs: 30_000, // the talk ended at the agent's hang-up; the survey is not talk
      hangupCause: 'Normal Clearing',
    });
    expect(Date.parse(rec.surveyAt!)).toBeGreaterThan(Date.parse(rec.answeredAt!));
    expect(Date.parse(rec.endedAt!) - Date.parse(rec.answeredAt!)).toBeGreaterThan(30_000);
    expect((await events(callId)).map((e) => [e.type, e.agentId, e.data])).toEqual([
      ['survey-started', ann.id, { queue: 'general' }],
      ['survey-invalid', ann.id, { digit: '9' }],
      ['survey-answered', ann.id, { score: 4 }],
      ['ended', null, expect.objectContaining({ outcome: 'answered', endedBy: 'agent' })],
    ]);
    // The record is its timeline's projection, score and talk time included.
    const row = toCallRecord((await fx.calls.get(callId))!, Date.now());
    const projected = projectRecord(await fx.calls.events(callId));
    for (const f of PROJECTED_FIELDS) expect([f, projected[f]]).toEqual([f, row[f]]);
    // The caller's next pop shows the score in its history.
    const pop = await fx.engine.ctx.buildPop({
      id: 'next-call',
      direction: 'inbound',
      callerNumber: '13800001111',
      callerE164: '+8613800001111',
      dialedNumber: '4000',
      customers: [],
      queue: 'general',
      waitedMs: 0,
    });
    expect(pop.history).toEqual([
      expect.objectContaining({ callId, outcome: 'answered', agentName: 'ANN', surveyScore: 4 }),
    ]);
  });

  it('a caller who says nothing: no answer after surveyDigitWaitSec, no score', async () => {
    const { callId, agentLeg } = await talking();
    await annHangsUp(agentLeg);
    await questionPlayed(callId);
    await fx.advance(20_000); // the question is long: the wait starts when it has played
    expect(fx.ari.channels.has(CALLER)).toBe(true);
    fx.ari.playbackFinished(`${callId}-survey`);
    await fx.advance((WAIT_SEC - 1) * 1000);
    expect(fx.ari.channels.has(CALLER)).toBe(true);
    await fx.advance(1500);
    const rec = await fx.ended(callId);
    expect(fx.ari.hungUp()).toContain(CALLER);
    expect(rec).toMatchObject({
      outcome: 'answered',
      endedBy: 'agent',
      surveyScore: null,
      surveyAt: null,
    });
    expect((await events(callId)).map((e) => [e.type, e.data])).toEqual([
      ['survey-started', { queue: 'general' }],
      ['survey-unanswered', { reason: 'no-answer' }],
      ['ended', expect.objectContaining({ reason: 'after-survey' })],
    ]);
    expect(plays().map((p) => p.id)).not.toContain(`${callId}-survey-thanks`);
  });

  it('two keys that are not 1-5: one re-prompt, then no score', async () => {
    const { callId, agentLeg } = await talking();
    await annHangsUp(agentLeg);
    await questionPlayed(callId);
    fx.ari.dtmf(CALLER, '#');
    fx.ari.dtmf(CALLER, '0');
    const rec = await fx.ended(callId);
    expect(rec.surveyScore).toBeNull();
    expect((await events(callId)).map((e) => [e.type, e.data])).toEqual([
      ['survey-started', { queue: 'general' }],
      ['survey-invalid', { digit: '#' }],
      ['survey-unanswered', { reason: 'invalid' }],
      ['ended', expect.anything()],
    ]);
  });

  it('the caller hangs up during the survey: no score, still ended by the agent', async () => {
    const { callId, agentLeg } = await talking();
    await annHangsUp(agentLeg, 10_000);
    await questionPlayed(callId);
    await fx.advance(2000);
    fx.ari.hangupFromFar(CALLER);
    const rec = await fx.ended(callId);
    expect(rec).toMatchObject({
      outcome: 'answered',
      endedBy: 'agent',
      surveyScore: null,
      talkMs: 10_000,
    });
    expect((await events(callId)).map((e) => e.type)).toEqual([
      'survey-started',
      'survey-unanswered',
      'ended',
    ]);
    expect((await events(callId))[1]!.data).toEqual({ reason: 'caller-hangup' });
  });

  it('the caller hangs up first: nothing is asked', async () => {
    const { callId, agentLeg } = await talking();
    await fx.advance(5000);
    fx.ari.hangupFromFar(CALLER);
    const rec = await fx.ended(callId);
    expect(fx.ari.hungUp()).toContain(agentLeg);
    expect(plays().filter((p) => String(p.id).includes('survey'))).toEqual([]);
    expect(rec).toMatchObject({ outcome: 'answered', endedBy: 'caller', surveyScore: null });
    expect(await events(callId)).toEqual([expect.objectContaining({ type: 'ended' })]);
  });

  it('a queue without the survey: the agent hanging up ends the call as before', async () => {
    await fx.queues.update('general', { survey: 'off' });
    const { callId, agentLeg } = await talking();
    await annHangsUp(agentLeg);
    const rec = await fx.ended(callId);
    expect(fx.ari.hungUp()).toContain(CALLER);
    expect(plays()).toEqual([]);
    expect(rec).toMatchObject({ endedBy: 'agent', surveyScore: null });
    expect(await events(callId)).toEqual([expect.objectContaining({ type: 'ended' })]);
  });

  it("the desktop's hang-up is the agent hanging up first too", async () => {
    const { callId, agentLeg } = await talking();
    await fx.advance(3000);
    await fx.engine.controls.hangup(callId, ann);
    await questionPlayed(callId);
    expect(fx.ari.hungUp()).toEqual([agentLeg]);
    expect(fx.agents.get(ann.id)).toMatchObject({ activity: 'wrap-up' });
    fx.ari.dtmf(CALLER, '5');
    await fx.until(() => plays().find((p) => p.id === `${callId}-survey-thanks`), 'thanks');
    fx.ari.playbackFinished(`${callId}-survey-thanks`);
    expect(await fx.ended(callId)).toMatchObject({
      surveyScore: 5,
      endedBy: 'agent',
      talkMs: 3000,
    });
  });
});

describe('survey prompt failures: the call ends cleanly, logged', () => {
  function capturedLog() {
    const lines: Array<Record<string, unknown>> = [];
    fx.engine.ctx.log = createLogger('error', {
      write: (l: string) => void lines.push(JSON.parse(l) as Record<string, unknown>),
    });
    return lines;
  }

  it('the question fails to play (PlaybackFinished failed)', async () => {
    const lines = capturedLog();
    const { callId, agentLeg } = await talking();
    await annHangsUp(agentLeg);
    await questionPlayed(callId);
    fx.ari.emit({
      type: 'PlaybackFinished',
      application: 'hotline',
      timestamp: new Date().toISOString(),
      playback: {
        id: `${callId}-survey`,
        media_uri: 'sound:hotline/survey',
        target_uri: `channel:${CALLER}`,
        language: 'en',
        state: 'failed',
      },
    });
    const rec = await fx.ended(callId);
    expect(fx.ari.hungUp()).toContain(CALLER);
    expect(fx.ari.bridges.size).toBe(0);
    expect(fx.engine.registry.size).toBe(0);
    expect(rec).toMatchObject({ outcome: 'answered', endedBy: 'agent', surveyScore: null });
    expect((await events(callId)).map((e) => e.type)).toEqual([
      'survey-started',
      'survey-unanswered',
      'ended',
    ]);
    const timeline = await fx.calls.events(callId);
    expect(timeline.find((e) => e.type === 'prompt-failed')?.data).toEqual({
      prompt: 'sound:hotline/survey',
      purpose: 'survey',
    });
    expect(timeline.find((e) => e.type === 'survey-unanswered')?.data).toEqual({
      reason: 'prompt-failed',
    });
    expect(lines).toContainEqual(
      expect.objectContaining({ prompt: 'sound:hotline/survey', purpose: 'survey', level: 50 }),
    );
    expect(fx.agents.get(ann.id)).toMatchObject({ activity: 'wrap-up' });
  });

  it('Asterisk refuses to play the re-prompt', async () => {
    const lines = capturedLog();
    const { callId, agentLeg } = await talking();
    await annHangsUp(agentLeg);
    await questionPlayed(callId);
    fx.ari.failNext('play', new AriError('server', 500, 'POST', '/channels/x/play', 'boom'));
    fx.ari.dtmf(CALLER, '7');
    const rec = await fx.ended(callId);
    expect(fx.ari.hungUp()).toContain(CALLER);
    expect(rec).toMatchObject({ endedBy: 'agent', surveyScore: null });
    const timeline = await fx.calls.events(callId);
    expect(timeline.find((e) => e.type === 'prompt-failed')?.data).toEqual({
      prompt: 'sound:hotline/survey-invalid',
      purpose: 'survey-invalid',
    });
    expect(timeline.find((e) => e.type === 'survey-unanswered')?.data).toEqual({
      reason: 'prompt-failed',
    });
    expect(lines.some((l) => l.purpose === 'survey-invalid' && l.level === 50)).toBe(true);
  });
});

describe('survey edge cases', () => {
  it('a 9 then a quick 4: the keys in order, re-prompt then score', async () => {
    const { callId, agentLeg } = await talking();
    await annHangsUp(agentLeg);
    await questionPlayed(callId);
    fx.ari.dtmf(CALLER, '9');
    fx.ari.dtmf(CALLER, '4');
    await fx.until(() => plays().find((p) => p.id === `${callId}-survey-thanks`), 'thanks');
    expect(plays().map((p) => p.id)).toEqual([
      `${callId}-survey`,
      `${callId}-survey-invalid`,
      `${callId}-survey-thanks`,
    ]);
    fx.ari.playbackFinished(`${callId}-survey-thanks`);
    expect(await fx.ended(callId)).toMatchObject({ surveyScore: 4 });
    expect((await events(callId)).map((e) => e.type)).toEqual([
      'survey-started',
      'survey-invalid',
      'survey-answered',
      'ended',
    ]);
  });

  it('the agent hangs up while the caller is on hold: music stops, the question plays', async () => {
    const { callId, agentLeg } = await talking();
    await fx.engine.controls.hold(callId, ann);
    await annHangsUp(agentLeg, 5000);
    await questionPlayed(callId);
    expect(fx.ari.ops('stopMoh').map((r) => r.args[0])).toContain(CALLER);
    fx.ari.dtmf(CALLER, '2');
    await fx.until(() => plays().find((p) => p.id === `${callId}-survey-thanks`), 'thanks');
    fx.ari.playbackFinished(`${callId}-survey-thanks`);
    expect(await fx.ended(callId)).toMatchObject({ surveyScore: 2, endedBy: 'agent' });
  });

  it('after a lost event link: the agent gone during the gap starts the survey; the caller gone ends it', async () => {
    const { callId, agentLeg } = await talking();
    fx.ari.disconnect();
    fx.ari.channels.delete(agentLeg); // Ann hung up while the events were lost
    fx.ari.reconnect();
    await questionPlayed(callId);
    expect(fx.agents.get(ann.id)).toMatchObject({ activity: 'wrap-up' });
    await fx.advance(3000);
    fx.ari.disconnect();
    const endedAt = Date.now() - 500;
    fx.ari.channels.delete(CALLER);
    fx.ari.globals.set(`HOTLINE_ENDED_${CALLER}`, `${(endedAt / 1000).toFixed(3)}|16`);
    fx.ari.reconnect();
    const rec = await fx.ended(callId);
    expect(rec).toMatchObject({ endedBy: 'agent', outcome: 'answered', surveyScore: null });
    expect(Date.parse(rec.endedAt!)).toBe(endedAt);
    expect((await events(callId)).map((e) => [e.type, e.data?.reason])).toEqual([
      ['survey-started', undefined],
      ['survey-unanswered', 'caller-hangup'],
      ['ended', 'after-survey'],
    ]);
  });

  it('at start, a call an earlier run left in its survey is closed without a score', async () => {
    const t0 = Date.now();
    await fx.calls.open(
      {
        id: 'left-1',
        callerNumber: '13800002222',
        callerE164: '+8613800002222',
        dialedNumber: '4000',
        channelId: 'left-caller',
      },
      { at: t0, data: { direction: 'inbound', queue: 'general' } },
    );
    await fx.calls.commit('left-1', { type: 'answered', at: t0 + 2000, agentId: ann.id });
    await fx.calls.commit(
      'left-1',
      { type: 'survey-started', at: t0 + 12_000, agentId: ann.id },
      { state: 'surveying' },
    );
    fx.ari.channels.set('left-caller', { ...fx.ari.channels.get('x')!, id: 'left-caller' });
    fx.ari.connectFirst();
    const rec = await fx.ended('left-1');
    expect(fx.ari.hungUp()).toContain('left-caller');
    expect(rec).toMatchObject({
      outcome: 'answered',
      endedBy: 'agent',
      agentId: ann.id,
      talkMs: 10_000,
      surveyScore: null,
    });
    expect((await events('left-1')).map((e) => [e.type, e.data?.reason])).toEqual([
      ['survey-started', undefined],
      ['survey-unanswered', 'restart'],
      ['ended', 'closed-after-restart'],
    ]);
  });
});
