/**
 * Issue 3 against the real sandbox: VIP callers first, hold/resume and blind transfer, with SIPp
 * callers and registered SIPp phones.
 */
import { placeCall } from '../support/sipp-peers';
import { teamFixture, type TeamFixture } from '../support/team-fixture';
import { waitFor } from '../support/engine-fixture';

jest.setTimeout(60_000);

let t: TeamFixture;
let fx: TeamFixture['fx'];
let admin: TeamFixture['admin'];
let team: TeamFixture['team'];
let phones: TeamFixture['phones'];
let post: TeamFixture['post'];

beforeAll(async () => {
  t = await teamFixture({ ports: { '1004': 16304, '1005': 16305 } });
  ({ fx, admin, team, phones, post } = t);
});

afterAll(async () => {
  await t?.close();
});

beforeEach(() => t.reset());

it('serves a VIP caller before a caller who has waited longer', async () => {
  const ann = team['1004']!;
  await fx.hotline.agents.setState(ann.id, 'break'); // logged in, not free: callers queue
  await post('/api/customers', admin.token, {
    name: 'VIP Client',
    tier: 'vip',
    phones: ['13811110000'],
  }).expect(201);
  const standard = placeCall({ from: '13922220000', to: '4000', holdMs: 9000 });
  await waitFor(
    async () =>
      (await fx.hotline
        .db('calls')
        .where({ caller_e164: '+8613922220000', state: 'queued' })
        .first()) as unknown,
    10_000,
    'standard caller queued',
  );
  const vip = placeCall({ from: '13811110000', to: '4000', holdMs: 4000 });
  await waitFor(
    async () =>
      (await fx.hotline
        .db('calls')
        .where({ caller_e164: '+8613811110000', state: 'queued' })
        .first()) as unknown,
    10_000,
    'VIP queued',
  );
  await fx.setState(ann.token, 'available');
  const first = await waitFor(() => ann.browser.pops[0], 10_000, 'first pop');
  expect(first.pop.customer).toMatchObject({ name: 'VIP Client', tier: 'vip' });
  const second = await waitFor(() => ann.browser.pops[1], 15_000, 'second pop after the VIP call');
  expect(second.pop.callerNumber).toBe('+8613922220000');
  expect(second.pop.waitedMs).toBeGreaterThan(first.pop.waitedMs);
  await Promise.all([vip, standard]);
  const rec = await fx.ended(admin.token, first.pop.callId);
  expect(rec).toMatchObject({ vip: true, outcome: 'answered', serviceLevelMet: true });
});

it('holds and resumes the caller: out of the bridge with music, then back', async () => {
  const ann = team['1004']!;
  await fx.setState(ann.token, 'available');
  const call = placeCall({ from: '13933330000', to: '4000', holdMs: 6000 });
  const popped = await waitFor(() => ann.browser.pops[0], 10_000, 'pop');
  const callId = popped.pop.callId;
  await waitFor(() => ann.browser.updates.some((u) => u.state === 'answered'), 10_000, 'answered');
  const s = fx.hotline.engine.registry.get(callId)!;
  await post(`/api/calls/${callId}/hold`, ann.token).expect(204);
  expect((await fx.hotline.ari.rest.getBridge(s.bridgeId!)).channels).not.toContain(
    s.callerChannelId,
  );
  await waitFor(() => ann.browser.updates.some((u) => u.state === 'held'), 5000, 'held pushed');
  expect((await post(`/api/calls/${callId}/hold`, ann.token)).status).toBe(409);
  await post(`/api/calls/${callId}/resume`, ann.token).expect(204);
  expect((await fx.hotline.ari.rest.getBridge(s.bridgeId!)).channels).toEqual(
    expect.arrayContaining([s.callerChannelId, s.agentChannelId]),
  );
  const other = team['1005']!;
  expect((await post(`/api/calls/${callId}/hold`, other.token)).status).toBe(404); // not their call
  await call;
  const rec = await fx.ended(admin.token, callId);
  expect(rec.timeline.map((e) => e.type)).toEqual([
    'started',
    'queued',
    'offered',
    'answered',
    'held',
    'resumed',
    'ended',
  ]);
});

it('blind-transfers to another agent: the pop and the ring go to them, the record follows', async () => {
  const ann = team['1004']!;
  const bob = team['1005']!;
  await fx.setState(ann.token, 'available');
  const call = placeCall({ from: '13944440000', to: '4000', holdMs: 7000 });
  const popped = await waitFor(() => ann.browser.pops[0], 10_000, 'pop for ann');
  const callId = popped.pop.callId;
  await waitFor(
    () => ann.browser.updates.some((u) => u.state === 'answered'),
    10_000,
    'ann answered',
  );
  await fx.setState(bob.token, 'available');
  const bobInvitesBefore = (await phones.get('1005')!.invites()).length;
  const res = await post(`/api/calls/${callId}/transfer`, ann.token, {
    mode: 'blind',
    target: { type: 'agent', userId: bob.id },
  });
  expect(res.status).toBe(202);
  const bobPop = await waitFor(() => bob.browser.pops[0], 10_000, 'pop for bob');
  expect(bobPop.pop.callId).toBe(callId);
  await waitFor(
    async () => (await phones.get('1005')!.invites()).length > bobInvitesBefore,
    10_000,
    "bob's phone rings",
  );
  await waitFor(
    () => bob.browser.updates.some((u) => u.state === 'answered'),
    10_000,
    'bob answered',
  );
  expect(ann.browser.updates.at(-1)).toMatchObject({
    callId,
    state: 'ended',
    reason: 'transferred',
  });
  await call;
  const rec = await fx.ended(admin.token, callId);
  expect(rec).toMatchObject({ agentId: bob.id, outcome: 'answered' });
  expect(rec.timeline.map((e) => e.type)).toEqual([
    'started',
    'queued',
    'offered',
    'answered',
    'transferred',
    'offered',
    'answered',
    'ended',
  ]);
  expect(
    (
      await post(`/api/calls/${callId}/transfer`, bob.token, {
        mode: 'blind',
        target: { type: 'queue', name: 'nope' },
      })
    ).status,
  ).toBe(404);
});
