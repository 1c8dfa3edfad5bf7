/**
 * Attended (consult) transfers and transfers to an external number against the real sandbox:
 * SIPp callers, registered SIPp agent phones, and a SIPp "public number" behind the carrier
 * (127.0.0.2:15070, where the sandbox sends outbound calls).
 */
import { placeCall, startPhone, type Phone } from '../support/sipp-peers';
import { teamFixture, type TeamFixture } from '../support/team-fixture';
import { waitFor } from '../support/engine-fixture';

jest.setTimeout(60_000);

let t: TeamFixture;
let fx: TeamFixture['fx'];
let admin: TeamFixture['admin'];
let team: TeamFixture['team'];
let post: TeamFixture['post'];
let outside: Phone;

beforeAll(async () => {
  t = await teamFixture({ ports: { '1008': 16308, '1009': 16309 } });
  ({ fx, admin, team, post } = t);
  outside = await startPhone({
    ext: 'outside',
    port: 15070,
    host: '127.0.0.2',
    mode: 'answer',
    ringMs: 300,
  });
});

afterAll(async () => {
  await outside?.stop();
  await t?.close();
});

beforeEach(() => t.reset());

/** A call answered by ann; returns its id. */
async function answeredByAnn(from: string, holdMs: number) {
  const ann = team['1008']!;
  await fx.setState(ann.token, 'available');
  const call = placeCall({ from, to: '4000', holdMs });
  const popped = await waitFor(() => ann.browser.pops[0], 10_000, 'pop for ann');
  await waitFor(
    () => ann.browser.updates.some((u) => u.state === 'answered'),
    10_000,
    'ann answered',
  );
  return { callId: popped.pop.callId, call };
}

it('attended transfer: ann consults bob, then hands the caller over', async () => {
  const ann = team['1008']!;
  const bob = team['1009']!;
  const { callId, call } = await answeredByAnn('13955550001', 9000);
  await fx.setState(bob.token, 'available');
  const res = await post(`/api/calls/${callId}/transfer`, ann.token, {
    mode: 'attended',
    target: { type: 'agent', userId: bob.id },
  });
  expect(res.status).toBe(202);
  // Bob gets the pop of the call he is consulted about, then answers.
  expect((await waitFor(() => bob.browser.pops[0], 10_000, 'pop for bob')).pop.callId).toBe(callId);
  await waitFor(
    () => ann.browser.updates.some((u) => u.reason === 'consult-answered'),
    10_000,
    'bob answered the consultation',
  );
  expect(fx.hotline.engine.registry.get(callId)?.state).toBe('consulting');
  expect((await post(`/api/calls/${callId}/transfer/complete`, ann.token)).status).toBe(204);
  expect(ann.browser.updates.at(-1)).toMatchObject({ state: 'ended', reason: 'transferred' });
  expect(fx.hotline.engine.registry.get(callId)).toMatchObject({
    state: 'talking',
    agentId: bob.id,
  });
  await call;
  const rec = await fx.ended(admin.token, callId);
  expect(rec).toMatchObject({ agentId: bob.id, outcome: 'answered' });
  expect(rec.timeline.map((e) => e.type)).toEqual([
    'started',
    'queued',
    'offered',
    'answered',
    'consult-started',
    'consult-answered',
    'transferred',
    'answered',
    'ended',
  ]);
});

it('attended transfer cancelled: the caller is back with ann, bob is freed', async () => {
  const ann = team['1008']!;
  const bob = team['1009']!;
  const { callId, call } = await answeredByAnn('13955550002', 8000);
  await fx.setState(bob.token, 'available');
  await post(`/api/calls/${callId}/transfer`, ann.token, {
    mode: 'attended',
    target: { type: 'queue', name: 'general' },
  }).expect(202);
  await waitFor(
    () => ann.browser.updates.some((u) => u.reason === 'consult-answered'),
    10_000,
    'bob (the free agent of the queue) answered',
  );
  expect((await post(`/api/calls/${callId}/transfer/cancel`, ann.token)).status).toBe(204);
  expect(fx.hotline.engine.registry.get(callId)).toMatchObject({
    state: 'talking',
    agentId: ann.id,
  });
  await waitFor(() => fx.hotline.agents.get(bob.id)?.activity === 'idle', 5000, 'bob free');
  await call;
  const rec = await fx.ended(admin.token, callId);
  expect(rec).toMatchObject({ agentId: ann.id, outcome: 'answered' });
  expect(rec.timeline.map((e) => e.type)).toContain('consult-ended');
});

it('blind transfer to an external number: the caller is connected through the carrier', async () => {
  const ann = team['1008']!;
  const before = (await outside.invites()).length;
  const { callId, call } = await answeredByAnn('13955550003', 8000);
  const res = await post(`/api/calls/${callId}/transfer`, ann.token, {
    mode: 'blind',
    target: { type: 'external', number: '021 6666 8888' },
  });
  expect(res.status).toBe(202);
  expect(ann.browser.updates.at(-1)).toMatchObject({ state: 'ended', reason: 'transferred' });
  const invites = await waitFor(
    async () => {
      const all = await outside.invites();
      return all.length > before ? all : null;
    },
    10_000,
    'the external number rings',
  );
  // Dialed in E.164 through the carrier trunk, with the service's caller ID.
  expect(invites.at(-1)).toMatchObject({ toUser: '+862166668888', fromUser: '4000' });
  await waitFor(
    () => fx.hotline.engine.registry.get(callId)?.state === 'talking',
    10_000,
    'external party connected',
  );
  await call;
  const rec = await fx.ended(admin.token, callId);
  expect(rec).toMatchObject({ outcome: 'answered' });
  expect(rec.timeline.map((e) => e.type)).toEqual(
    expect.arrayContaining(['transfer-started', 'transferred', 'ended']),
  );
});

it('refuses a transfer to a number that is not one', async () => {
  const ann = team['1008']!;
  const { callId, call } = await answeredByAnn('13955550004', 3000);
  const res = await post(`/api/calls/${callId}/transfer`, ann.token, {
    mode: 'attended',
    target: { type: 'external', number: '12' },
  });
  expect(res.status).toBe(400);
  expect(res.body.error.message).toMatch(/target\.number/);
  await call;
});
