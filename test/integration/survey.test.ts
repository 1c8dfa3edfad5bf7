/**
 * The post-call satisfaction survey against the sandbox (issue 10, part 3): a queue with
 * `survey: after-agent-hangup`; the agent hangs up first (the desktop's hang-up), the caller stays
 * in Stasis and hears sound:hotline/survey, and a SIPp caller presses keys as SIP INFO
 * (test/sipp/carrier-caller-rates.xml). 9 gets the one re-prompt, then 4 is stored; a caller who
 * says nothing is hung up with no score; a caller who hangs up first is asked nothing.
 */
import { placeCall, placeCallRating } from '../support/sipp-peers';
import { waitFor } from '../support/engine-fixture';
import { teamFixture, type TeamAgent, type TeamFixture } from '../support/team-fixture';

jest.setTimeout(90_000);

let t: TeamFixture;
let ann: TeamAgent;

beforeAll(async () => {
  t = await teamFixture({
    ports: { '1015': 16315 },
    telephony: {
      queues: [{ name: 'general', dids: [], survey: 'after-agent-hangup' }],
      surveyDigitWaitSec: 3,
      wrapUpSec: 60, // the agent is in wrap-up during the survey, not waiting for it
    },
  });
  ann = t.team['1015']!;
});
afterAll(async () => {
  await t?.close();
});
beforeEach(async () => {
  await t.reset();
  // The last test's after-call work (60 s here) is not the next test's business.
  const a = t.fx.hotline.agents.get(ann.id);
  if (a?.activity === 'wrap-up' && a.callId) t.fx.hotline.agents.endWrapUp(ann.id, a.callId);
});

/** Ann takes the next call; returns its id once she has answered. */
async function answeredByAnn(): Promise<string> {
  await t.fx.setState(ann.token, 'available');
  return waitFor(
    () => ann.browser.updates.find((u) => u.state === 'answered')?.callId,
    15_000,
    'Ann answered',
  );
}

/** When the call's first event of this type happened (epoch ms). */
const atOf = (rec: { timeline: Array<{ type: string }> }, type: string) =>
  Date.parse((rec.timeline.find((e) => e.type === type) as unknown as { at: string }).at);

const surveyEvents = (rec: { timeline: Array<{ type: string; data: unknown }> }) =>
  rec.timeline
    .filter((e) => e.type.startsWith('survey') || e.type === 'prompt-failed')
    .map((e) => [e.type, e.data]);

it('the agent hangs up first: the caller presses 9 (re-prompt), then 4 → stored 4', async () => {
  const call = placeCallRating({
    from: '13955556001',
    to: '4000',
    first: '9',
    second: '4',
    firstAfterMs: 5000,
  });
  const callId = await answeredByAnn();
  await t.post(`/api/calls/${callId}/hangup`, ann.token).expect(204);

  // Ann is done at once: her screen says so and she is in wrap-up while the caller is asked.
  await waitFor(
    () => t.fx.hotline.engine.registry.get(callId)?.state === 'surveying',
    5000,
    'surveying',
  );
  expect(ann.browser.updates.at(-1)).toMatchObject({ callId, state: 'ended' });
  expect(t.fx.hotline.agents.get(ann.id)).toMatchObject({ activity: 'wrap-up', callId });
  // She can save her wrap-up during the survey, and is free again.
  await t.fx
    .http()
    .put(`/api/calls/${callId}/wrapup`)
    .set('Authorization', `Bearer ${ann.token}`)
    .send({ disposition: 'resolved' })
    .expect(200);
  expect(t.fx.hotline.agents.get(ann.id)).toMatchObject({ activity: 'idle' });
  expect(t.fx.hotline.engine.registry.get(callId)?.state).toBe('surveying');

  const result = await call;
  expect(result.exitCode).toBe(0); // Asterisk hung up after the thanks
  const rec = await t.fx.ended(t.admin.token, callId);
  expect(rec).toMatchObject({
    outcome: 'answered',
    endedBy: 'agent',
    agentId: ann.id,
    queue: 'general',
    surveyScore: 4,
    disposition: 'resolved',
  });
  expect(Date.parse(rec.surveyAt!)).toBeGreaterThan(Date.parse(rec.answeredAt!));
  expect(surveyEvents(rec)).toEqual([
    ['survey-started', { queue: 'general' }],
    ['survey-invalid', { digit: '9' }],
    ['survey-answered', { score: 4 }],
  ]);
  // The talk ended at the agent's hang-up, before the survey's keys.
  expect(rec.talkMs).toBe(atOf(rec, 'survey-started') - Date.parse(rec.answeredAt!));
  // The score is stored with the call (and shows in the list of calls).
  const row = await t.fx.hotline.db('calls').where({ id: callId }).first<{
    survey_score: number;
    survey_at: number;
  }>();
  expect(row).toMatchObject({ survey_score: 4, survey_at: Date.parse(rec.surveyAt!) });
});

it('a caller who says nothing: hung up after the wait, no score', async () => {
  const call = placeCall({ from: '13955556002', to: '4000', timeoutMs: 60_000 });
  const callId = await answeredByAnn();
  await t.post(`/api/calls/${callId}/hangup`, ann.token).expect(204);
  const result = await call;
  expect(result.exitCode).toBe(0); // Asterisk's BYE after the question and the wait
  const rec = await t.fx.ended(t.admin.token, callId);
  expect(rec).toMatchObject({
    outcome: 'answered',
    endedBy: 'agent',
    surveyScore: null,
    surveyAt: null,
  });
  expect(surveyEvents(rec)).toEqual([
    ['survey-started', { queue: 'general' }],
    ['survey-unanswered', { reason: 'no-answer' }],
  ]);
  // The question played to its end (no prompt-failed), then the 3 s of silence.
  expect(Date.parse(rec.endedAt!) - atOf(rec, 'survey-started')).toBeGreaterThan(3000 + 3000);
});

it('the caller hangs up first: nothing is asked', async () => {
  const call = placeCall({ from: '13955556003', to: '4000', holdMs: 3000 });
  const callId = await answeredByAnn();
  await call;
  const rec = await t.fx.ended(t.admin.token, callId);
  expect(rec).toMatchObject({ outcome: 'answered', endedBy: 'caller', surveyScore: null });
  expect(surveyEvents(rec)).toEqual([]);
});
