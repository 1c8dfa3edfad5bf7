/**
 * Outbound campaigns against the real sandbox: SIPp plays the carrier (numbers ending in 1 are
 * busy, in 2 never answer, the rest answer; in 3 a person says hello, in 4 a silent machine) and
 * the telemarketers' phones; the dialer originates through the trunk in each mode.
 */
import { registerPhone, startPhone, type Phone } from '../support/sipp-peers';
import { teamFixture, type TeamFixture } from '../support/team-fixture';
import { waitFor } from '../support/engine-fixture';

jest.setTimeout(90_000);

let t: TeamFixture;
let carrier: Phone;
const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

beforeAll(async () => {
  t = await teamFixture({
    ports: { '1013': 16313, '1014': 16314 },
    telephony: { externalRingSec: 15 },
  });
  carrier = await startPhone({
    ext: 'carrier',
    port: 15070,
    host: '127.0.0.2',
    mode: 'carrier',
    ringMs: 1500,
  });
  void registerPhone; // phones are registered by the team fixture
});

afterAll(async () => {
  await carrier?.stop();
  await t?.close();
});

beforeEach(() => t.reset());

let seq = 0;
async function campaign(
  mode: 'preview' | 'progressive' | 'predictive',
  phones: string[],
  extra: { amd?: boolean } = {},
) {
  seq += 1;
  const res = await t.fx
    .http()
    .post('/api/campaigns')
    .set(auth(t.admin.token))
    .send({
      name: `Campaign ${seq} ${mode}`,
      queue: 'general',
      mode,
      hours: { from: '00:00', to: '24:00', days: 'sun-sat' },
      timezone: 'Asia/Shanghai',
      maxAttempts: 3,
      retryMinutes: { busy: 10, noAnswer: 60, failed: 30, machine: 240 },
      callerId: '4000',
      script: 'Hello {{firstName}}, this is Hotline.',
      ...extra,
    });
  expect(res.status).toBe(201);
  const id = res.body.id as number;
  const csv = ['phone,firstName', ...phones.map((p, i) => `${p},Contact${i}`)].join('\n');
  const imp = await t.fx
    .http()
    .post(`/api/campaigns/${id}/imports`)
    .query({ mapping: JSON.stringify({ phone: 'phone', firstName: 'firstName' }) })
    .set(auth(t.admin.token))
    .set('Content-Type', 'text/csv')
    .send(csv);
  expect(imp.status).toBe(202);
  await waitFor(
    async () =>
      (await t.fx.http().get(`/api/imports/${imp.body.importId}`).set(auth(t.admin.token))).body
        .status === 'done',
    20_000,
    'import done',
  );
  return id;
}

const join = (id: number, token: string) =>
  t.fx.http().post(`/api/campaigns/${id}/join`).set(auth(token)).expect(200);
const start = (id: number) =>
  t.fx.http().post(`/api/campaigns/${id}/start`).set(auth(t.admin.token)).expect(200);
const stop = (id: number) =>
  t.fx.http().post(`/api/campaigns/${id}/stop`).set(auth(t.admin.token)).expect(200);

async function callsOf(campaignId: number) {
  const rows = await t.fx.hotline
    .db('calls')
    .where({ campaign_id: campaignId })
    .select<Array<{ id: string; dialed_number: string; outcome: string | null }>>(
      'id',
      'dialed_number',
      'outcome',
    );
  return rows;
}

it('progressive: answered → pop then the agent; busy and no answer recorded and rescheduled', async () => {
  const ann = t.team['1013']!;
  const id = await campaign('progressive', ['+8613911110000', '+8613911110001', '+8613911110002']);
  await join(id, ann.token);
  await t.fx.setState(ann.token, 'available');
  await start(id);
  const popped = await waitFor(() => ann.browser.pops[0], 20_000, 'campaign pop');
  expect(popped.pop).toMatchObject({
    direction: 'outbound',
    campaign: { id, script: expect.stringMatching(/^Hello Contact\d, this is Hotline\.$/) },
    contact: { fields: expect.objectContaining({ firstName: expect.any(String) }) },
  });
  await waitFor(
    () => ann.browser.updates.some((u) => u.callId === popped.pop.callId && u.state === 'answered'),
    15_000,
    'agent connected',
  );
  await t.post(`/api/calls/${popped.pop.callId}/hangup`, ann.token).expect(204);
  await t.fx
    .http()
    .put(`/api/calls/${popped.pop.callId}/wrapup`)
    .set(auth(ann.token))
    .send({ disposition: 'sale', notes: 'Bought the plan' })
    .expect(200);
  // The other two: busy at once, no answer after the 15 s ring.
  const outcomes = await waitFor(
    async () => {
      const calls = await callsOf(id);
      const done = calls.filter((c) => c.outcome !== null);
      return done.length >= 3
        ? Object.fromEntries(done.map((c) => [c.dialed_number, c.outcome]))
        : null;
    },
    60_000,
    'three attempts over',
  );
  expect(outcomes).toEqual({
    '+8613911110000': 'answered',
    '+8613911110001': 'busy',
    '+8613911110002': 'no-answer',
  });
  const contacts = await t.fx.hotline
    .db('campaign_contacts')
    .where({ campaign_id: id })
    .select<
      Array<{ phone: string; status: string; attempts: number; next_attempt_at: number | null }>
    >();
  const byPhone = Object.fromEntries(contacts.map((c) => [c.phone, c]));
  expect(byPhone['+8613911110000']).toMatchObject({ status: 'done', attempts: 1 });
  expect(byPhone['+8613911110001']).toMatchObject({ status: 'scheduled', attempts: 1 });
  expect(Number(byPhone['+8613911110001']!.next_attempt_at)).toBeGreaterThan(
    Date.now() + 9 * 60_000,
  );
  await stop(id);
});

it('preview: the agent sees the contact first, dials, talks, and dispositions', async () => {
  const bob = t.team['1014']!;
  const id = await campaign('preview', ['+8613922220000']);
  await join(id, bob.token);
  await t.fx.setState(bob.token, 'available');
  await start(id);
  const popped = await waitFor(() => bob.browser.pops[0], 20_000, 'preview pop');
  expect(popped.pop).toMatchObject({ preview: true, direction: 'outbound' });
  const invitesBefore = (await carrier.invites()).length;
  await new Promise((r) => setTimeout(r, 1000));
  expect((await carrier.invites()).length).toBe(invitesBefore); // nothing dialed before Dial
  const dial = await t.post(`/api/contacts/${popped.pop.contact!.id}/dial`, bob.token);
  expect(dial.status).toBe(202);
  await waitFor(
    () => bob.browser.updates.some((u) => u.state === 'answered'),
    20_000,
    'customer connected',
  );
  await t.post(`/api/calls/${popped.pop.callId}/hangup`, bob.token).expect(204);
  await t.fx
    .http()
    .put(`/api/calls/${popped.pop.callId}/wrapup`)
    .set(auth(bob.token))
    .send({ disposition: 'do-not-call' })
    .expect(200);
  const dnc = await t.fx.hotline.db('dnc_numbers').where({ phone: '+8613922220000' }).first();
  expect(dnc).toBeTruthy();
  await stop(id);
});

it('never dials a number put on the do-not-call list after the import', async () => {
  const ann = t.team['1013']!;
  const id = await campaign('progressive', ['+8613933330000']);
  await t.fx
    .http()
    .post('/api/dnc')
    .set(auth(t.admin.token))
    .send({ phone: '+8613933330000', reason: 'asked on another channel' })
    .expect(201);
  await join(id, ann.token);
  await t.fx.setState(ann.token, 'available');
  const before = (await carrier.invites()).length;
  await start(id);
  await new Promise((r) => setTimeout(r, 4000));
  expect((await carrier.invites()).length).toBe(before);
  expect(await callsOf(id)).toEqual([]);
  await stop(id);
});

it('predictive: an answered person with no free agent within 2 s hears the message: abandoned', async () => {
  const ann = t.team['1013']!;
  const id = await campaign('predictive', ['+8613944440000']);
  await join(id, ann.token);
  await t.fx.setState(ann.token, 'available');
  const before = (await carrier.invites()).length;
  await start(id);
  // The carrier rings 1.5 s: the agent leaves in the meantime.
  await waitFor(async () => (await carrier.invites()).length > before, 15_000, 'dialed');
  await t.fx.setState(ann.token, 'break');
  const outcome = await waitFor(
    async () => (await callsOf(id)).find((c) => c.outcome !== null)?.outcome,
    20_000,
    'attempt over',
  );
  expect(outcome).toBe('abandoned');
  await stop(id);
});

it('answering-machine detection: a silent machine is hung up (outcome machine, retried later, no pop); a person who says hello gets the agent', async () => {
  const ann = t.team['1013']!;
  // Machine first (oldest due first): the agent is free, yet never offered it.
  const id = await campaign('progressive', ['+8613977770004', '+8613977770003'], { amd: true });
  await join(id, ann.token);
  await t.fx.setState(ann.token, 'available');
  await start(id);
  const popped = await waitFor(() => ann.browser.pops[0], 30_000, 'pop of the person');
  await waitFor(
    () => ann.browser.updates.some((u) => u.callId === popped.pop.callId && u.state === 'answered'),
    15_000,
    'agent connected to the person',
  );
  await t.post(`/api/calls/${popped.pop.callId}/hangup`, ann.token).expect(204);
  const outcomes = await waitFor(
    async () => {
      const done = (await callsOf(id)).filter((c) => c.outcome !== null);
      return done.length >= 2 ? Object.fromEntries(done.map((c) => [c.dialed_number, c])) : null;
    },
    30_000,
    'both attempts over',
  );
  expect(outcomes['+8613977770004']!.outcome).toBe('machine');
  expect(outcomes['+8613977770003']!.outcome).toBe('answered');
  expect(popped.pop.callId).toBe(outcomes['+8613977770003']!.id);
  // Only the person was ever offered to the agent.
  expect(ann.browser.pops.map((p) => p.pop.callId)).toEqual([popped.pop.callId]);
  const verdicts = async (callId: string) =>
    (
      await t.fx.hotline
        .db('call_events')
        .where({ call_id: callId, type: 'amd-result' })
        .select<Array<{ data: string }>>('data')
    ).map((e) => JSON.parse(e.data) as { status: string; cause: string; analysisMs: number });
  const machine = await verdicts(outcomes['+8613977770004']!.id);
  expect(machine).toEqual([expect.objectContaining({ status: 'MACHINE' })]);
  expect(machine[0]!.cause).toMatch(/^INITIALSILENCE/);
  // Initial silence is 2.5 s: the analysis cannot have been shorter.
  expect(machine[0]!.analysisMs).toBeGreaterThanOrEqual(2400);
  const person = await verdicts(outcomes['+8613977770003']!.id);
  expect(person).toEqual([expect.objectContaining({ status: 'HUMAN' })]);
  const contact = await t.fx.hotline
    .db('campaign_contacts')
    .where({ campaign_id: id, phone: '+8613977770004' })
    .first<{ status: string; next_attempt_at: number }>();
  expect(contact).toMatchObject({ status: 'scheduled' });
  // The campaign's machine delay (240 min), not the no-answer one.
  expect(Number(contact.next_attempt_at)).toBeGreaterThan(Date.now() + 200 * 60_000);
  await stop(id);
});
