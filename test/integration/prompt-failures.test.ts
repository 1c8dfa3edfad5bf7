/**
 * Issue 9 ("a real PBX"): a prompt that cannot be played is an error with its name and a timeline
 * event, and a recorded queue whose notice could not be played does not record the call unless
 * `telephony.recordWithoutConsent` says so. Before the fix a missing `sound:hotline/…` prompt was
 * silent and the call was recorded anyway with no consent notice.
 */
import { placeCall } from '../support/sipp-peers';
import { waitFor } from '../support/engine-fixture';
import { teamFixture, type TeamFixture } from '../support/team-fixture';

jest.setTimeout(60_000);

const missingNotice = (recordWithoutConsent: boolean) => ({
  recordingDefault: 'always',
  recordingConsentMessage: 'sound:hotline/no-such-prompt',
  recordWithoutConsent,
});

async function answeredCall(t: TeamFixture, ext: string, from: string) {
  const ann = t.team[ext]!;
  await t.fx.setState(ann.token, 'available');
  const call = placeCall({ from, to: '4000', holdMs: 2500 });
  const callId = await waitFor(
    () => ann.browser.updates.find((u) => u.state === 'answered')?.callId,
    15_000,
    'answered',
  );
  await call;
  const rec = await t.fx.ended(t.admin.token, callId);
  return { rec, types: rec.timeline.map((e) => e.type) };
}

it('a notice that cannot be played: logged on the timeline, and the call is not recorded', async () => {
  const t = await teamFixture({ ports: { '1003': 16233 }, telephony: missingNotice(false) });
  try {
    await check(t);
  } finally {
    await t.close();
  }
});

async function check(t: TeamFixture) {
  const { rec, types } = await answeredCall(t, '1003', '13800138041');
  const failed = rec.timeline.find((e) => e.type === 'prompt-failed');
  expect(failed?.data).toEqual({ prompt: 'sound:hotline/no-such-prompt', purpose: 'consent' });
  expect(types).toContain('recording-skipped');
  expect(types).not.toContain('recording-started');
  expect(await t.fx.hotline.db('recordings').where({ call_id: rec.id })).toHaveLength(0);
}

it('recordWithoutConsent: true records it anyway (and still says the notice failed)', async () => {
  const t = await teamFixture({ ports: { '1003': 16233 }, telephony: missingNotice(true) });
  try {
    const { rec, types } = await answeredCall(t, '1003', '13800138042');
    expect(types).toContain('prompt-failed');
    expect(types).toContain('recording-started');
    expect(await t.fx.hotline.db('recordings').where({ call_id: rec.id })).toHaveLength(1);
  } finally {
    await t.close();
  }
});
