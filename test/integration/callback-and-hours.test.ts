/**
 * Opening hours and the call-back offer against the sandbox: the SIPp caller presses 1 (SIP INFO),
 * Asterisk reports the digit, a call-back task is left for the queue.
 */
import {
  killAllSipp,
  placeCall,
  placeCallPressing,
  registerPhone,
  startPhone,
  type Phone,
} from '../support/sipp-peers';
import { serviceFixture, type ServiceFixture } from '../support/service-fixture';
import { waitFor } from '../support/engine-fixture';
import { localTime } from '../../src/routing/opening-hours';

jest.setTimeout(60_000);

let fx: ServiceFixture;
let sup: Awaited<ReturnType<ServiceFixture['agent']>>;
let agent: Awaited<ReturnType<ServiceFixture['agent']>>;
const peers: Phone[] = [];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

beforeAll(async () => {
  // The "night" queue (DID 5000) is open only on a weekday three days from today: closed now.
  const today = localTime(Date.now(), 'Asia/Shanghai').day;
  fx = await serviceFixture({
    telephony: {
      queues: [
        { name: 'general', dids: [], callbackOfferAfterSec: 5 },
        { name: 'night', dids: ['5000'], hours: [`${DAYS[(today + 3) % 7]} 08:00-18:00`] },
      ],
    },
  });
  sup = await fx.agent('sup', null, 'supervisor');
  agent = await fx.agent('waiting-agent', '1006');
  await fx.hotline.agents.setState(agent.id, 'break'); // logged in but busy: callers wait
});

afterAll(async () => {
  for (const p of peers) await p.stop();
  killAllSipp();
  await fx?.close();
});

const tasks = async () =>
  (await fx.http().get('/api/tasks').set('Authorization', `Bearer ${sup.token}`)).body
    .tasks as Array<{
    kind: string;
    phone: string;
    queue: string;
    callId: string;
    status: string;
    result: string | null;
  }>;

it('offers a waiting caller a call-back; pressing 1 leaves a task for the queue and ends the call', async () => {
  const call = placeCallPressing({
    from: '13955550000',
    to: '4000',
    digit: '1',
    pressAfterMs: 6500,
  });
  const result = await call;
  expect(result.exitCode).toBe(0); // Asterisk hung up after the confirmation
  const callId = await fx.lastCallId();
  const rec = await fx.ended(sup.token, callId);
  expect(rec).toMatchObject({ outcome: 'callback', endedBy: 'system', answeredAt: null });
  expect(rec.timeline.map((e) => e.type)).toEqual([
    'started',
    'queued',
    'callback-offered',
    'callback-requested',
    'ended',
  ]);
  expect(await tasks()).toContainEqual(
    expect.objectContaining({
      kind: 'callback',
      phone: '+8613955550000',
      queue: 'general',
      callId,
      status: 'open',
    }),
  );
});

it('ignores other keys and keeps the caller waiting', async () => {
  const call = placeCallPressing({
    from: '13955551111',
    to: '4000',
    digit: '5',
    pressAfterMs: 6000,
    timeoutMs: 12_000,
  });
  const callId = await waitFor(
    async () =>
      (
        await fx.hotline
          .db('calls')
          .where({ caller_e164: '+8613955551111' })
          .first<{ id: string } | undefined>('id')
      )?.id,
    10_000,
    'call',
  );
  await new Promise((r) => setTimeout(r, 7000)); // offered at 5 s, "5" pressed at 6 s
  const live = fx.hotline.engine.registry.get(callId);
  expect(live?.state).toBe('queued');
  await fx.hotline.ari.rest.hangup(live!.callerChannelId);
  await call;
  expect((await fx.ended(sup.token, callId)).outcome).toBe('abandoned');
});

it('outside opening hours says so, offers the call-back, and takes it', async () => {
  const result = await placeCallPressing({
    from: '13955552222',
    to: '5000',
    digit: '1',
    pressAfterMs: 500,
  });
  expect(result.exitCode).toBe(0);
  const callId = await fx.lastCallId();
  const rec = await fx.ended(sup.token, callId);
  expect(rec).toMatchObject({ outcome: 'callback', queue: 'night' });
  expect(rec.timeline.map((e) => e.type)).toEqual([
    'started',
    'queued',
    'closed',
    'callback-requested',
    'ended',
  ]);
  expect(await tasks()).toContainEqual(
    expect.objectContaining({ kind: 'callback', phone: '+8613955552222', queue: 'night' }),
  );
});

it('outside opening hours hangs up after the offer when the caller does not press', async () => {
  const result = await placeCall({ from: '13955553333', to: '5000' });
  expect(result.exitCode).toBe(0);
  const rec = await fx.ended(sup.token, await fx.lastCallId());
  expect(rec).toMatchObject({ outcome: 'closed', endedBy: 'system' });
  await waitFor(
    async () => !(await tasks()).some((t) => t.phone === '+8613955553333'),
    1000,
    'no task',
  );
});

it('dials a queued call-back when an agent of the queue is free: the agent gets the pop first', async () => {
  // The task left by the first test (+8613955550000, queue general) is due.
  await registerPhone({ ext: '1006', contactPort: 16306 });
  const phone = await startPhone({ ext: '1006', port: 16306, mode: 'answer', ringMs: 300 });
  const customer = await startPhone({
    ext: 'customer',
    port: 15070,
    host: '127.0.0.2',
    mode: 'answer',
    ringMs: 500,
  });
  peers.push(phone, customer);
  const browser = await fx.browser(agent.token);
  await fx.setState(agent.token, 'available');

  const popped = await waitFor(() => browser.pops[0], 10_000, 'call-back pop');
  expect(popped.pop).toMatchObject({ direction: 'outbound', callerNumber: '+8613955550000' });
  const ring = await waitFor(async () => (await phone.invites())[0], 10_000, 'agent phone rings');
  expect(popped.at).toBeLessThan(ring.at); // the pop before the ring
  const dialed = await waitFor(
    async () => (await customer.invites())[0],
    10_000,
    'the customer is dialed through the carrier',
  );
  expect(dialed).toMatchObject({ toUser: '+8613955550000', fromUser: '4000' });
  const callId = popped.pop.callId;
  await waitFor(
    () => browser.updates.some((u) => u.callId === callId && u.state === 'answered'),
    10_000,
    'customer answered',
  );
  await fx
    .http()
    .post(`/api/calls/${callId}/hangup`)
    .set('Authorization', `Bearer ${agent.token}`)
    .expect(204);
  const rec = await fx.ended(sup.token, callId);
  expect(rec).toMatchObject({
    direction: 'outbound',
    dialedNumber: '+8613955550000',
    outcome: 'answered',
    agentId: agent.id,
  });
  expect(rec.timeline.map((e) => e.type)).toEqual([
    'started',
    'offered',
    'dialing',
    'answered',
    'ended',
  ]);
  const task = (await tasks()).find((t) => t.phone === '+8613955550000');
  expect(task).toMatchObject({ status: 'done', result: 'reached' });
});
