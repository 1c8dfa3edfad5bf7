/**
 * The call record is a projection of its timeline (src/calls/project-record.ts): real calls
 * driven through the engine (fake ARI, fake timers, the dialer and the call-back poller wired as
 * hotline.ts wires them), then the call's row and its timeline read back from the database, and
 * `projectRecord(timeline)` must give the record's value of every projected field. A field the
 * record holds that its events do not carry makes the comparison fail.
 */
import type { User } from '../../../src/agents/users-repo';
import { toCallRecord, type CallRecord } from '../../../src/calls/calls-repo';
import { PROJECTED_FIELDS, projectRecord } from '../../../src/calls/project-record';
import { createWrapUp } from '../../../src/calls/wrap-up';
import { systemClock } from '../../../src/shared/clock';
import { engineFixture, useEngineFakeTimers } from '../../support/engine-fixture';
import { campaignInput, insertContact } from '../outbound/outbound-data';

type Fx = Awaited<ReturnType<typeof engineFixture>>;
let fx: Fx;
let ann: User;
let bob: User;

async function setUp(opts: Parameters<typeof engineFixture>[0] = {}, annState = 'available') {
  useEngineFakeTimers();
  fx = await engineFixture(opts);
  ann = await fx.agent('ann', '1001', annState as 'available' | 'break' | 'offline');
  bob = await fx.agent('bob', '1002', 'break');
  // Ann has been idle longest: she takes the inbound call.
  fx.agents.get(ann.id)!.idleSince = 1;
  fx.agents.get(bob.id)!.idleSince = 2;
}
afterEach(async () => {
  await fx.close();
  jest.useRealTimers();
});

const pick = (r: CallRecord) =>
  Object.fromEntries(PROJECTED_FIELDS.map((f) => [f, r[f]])) as Pick<
    CallRecord,
    (typeof PROJECTED_FIELDS)[number]
  >;

/** The call's row and timeline from the database; the projection must equal the record. */
async function expectProjected(callId: string) {
  await fx.settle();
  await fx.record(callId); // waits for the call's queued writes
  const row = await fx.calls.get(callId);
  const record = toCallRecord(row!, Date.now());
  const timeline = await fx.calls.events(callId);
  expect(projectRecord(timeline, { now: Date.now() })).toEqual(pick(record));
  return { record, types: timeline.map((e) => e.type) };
}

const bridgeOf = (callId: string) => fx.ari.bridges.get(`hotline-${callId}`);
const trunkDials = () => fx.ari.originates().filter((o) => o.endpoint.endsWith('@carrier'));
const callIdOf = (appArgs: string | undefined) => appArgs!.split(',')[1]!;

function wrapUp() {
  return createWrapUp({
    calls: fx.calls,
    customers: fx.customers,
    tasks: fx.tasks,
    agents: fx.agents,
    clock: systemClock,
    dispositions: fx.config.desktop.dispositions,
  });
}

/** An inbound call answered by Ann after `ringMs`: caller and Ann's leg in the call's bridge. */
async function callWithAnn(caller = 'caller-1', number = '13900001111', ringMs = 3000) {
  fx.ari.inbound(caller, number);
  const ring = await fx.until(() => fx.ari.originates()[0], 'Ann rung');
  expect(ring.endpoint).toBe('PJSIP/1001');
  const callId = callIdOf(ring.appArgs);
  await fx.advance(ringMs);
  fx.ari.answers(ring.channelId!);
  await fx.until(() => bridgeOf(callId)?.channels.includes(ring.channelId!), 'Ann bridged');
  await fx.settle();
  return { callId, caller, annLeg: ring.channelId! };
}

describe('inbound', () => {
  it('answered by Ann, then wrapped up: every projected field from the timeline', async () => {
    await setUp();
    const customer = await fx.customers.create({
      name: 'Wang Li',
      company: 'ACME',
      tier: 'standard',
      ownerUserId: null,
      phones: [{ e164: '+8613900001111', raw: '13900001111' }],
    });
    const { callId, caller } = await callWithAnn();
    await fx.advance(30_000, 5000);
    fx.ari.hangupFromFar(caller);
    await fx.ended(callId);
    await wrapUp()(callId, ann, {
      disposition: fx.config.desktop.dispositions[0]!.code,
      notes: 'asked about the invoice',
    });
    const { record } = await expectProjected(callId);
    expect(record).toMatchObject({
      direction: 'inbound',
      customerId: customer.id,
      agentId: ann.id,
      queue: 'general',
      outcome: 'answered',
      endedBy: 'caller',
      serviceLevelMet: true,
      waitMs: 3000,
      talkMs: 30_000,
      disposition: fx.config.desktop.dispositions[0]!.code,
    });
    expect(record.wrappedUpAt).not.toBeNull();
  });

  it('held twice, the second hold still on when the caller hangs up: hold inside talk', async () => {
    await setUp();
    const { callId, caller } = await callWithAnn();
    await fx.advance(5000, 1000);
    await fx.engine.controls.hold(callId, ann);
    await fx.advance(10_000, 1000);
    await fx.engine.controls.resume(callId, ann);
    await fx.advance(6000, 1000);
    await fx.engine.controls.hold(callId, ann);
    await fx.advance(4000, 1000);
    fx.ari.hangupFromFar(caller);
    await fx.ended(callId);
    const { record, types } = await expectProjected(callId);
    expect(types.filter((t) => t === 'held' || t === 'resumed')).toEqual([
      'held',
      'resumed',
      'held',
    ]);
    expect(record.talkMs).toBe(25_000);
    expect(record.holdMs).toBe(14_000);
  });

  it('abandoned: the caller hangs up in the queue past the service level', async () => {
    await setUp({}, 'break');
    fx.ari.inbound('caller-2', '13900002222');
    await fx.settle();
    const callId = await fx.lastCallId();
    await fx.advance(25_000, 5000);
    fx.ari.hangupFromFar('caller-2');
    await fx.ended(callId);
    const { record } = await expectProjected(callId);
    expect(record).toMatchObject({
      outcome: 'abandoned',
      agentId: null,
      answeredAt: null,
      endedBy: 'caller',
      serviceLevelMet: false,
      waitMs: 25_000,
      talkMs: 0,
    });
  });

  it('no agent: nobody logged in hears the message, the call ends no-agent', async () => {
    await setUp({}, 'offline');
    await fx.agents.setState(bob.id, 'offline');
    fx.ari.inbound('caller-3', '13900003333');
    const play = await fx.until(() => fx.ari.ops('play')[0], 'no-agent message');
    const callId = await fx.lastCallId();
    fx.ari.playbackFinished(play.args[2] as string);
    await fx.ended(callId);
    const { record } = await expectProjected(callId);
    expect(record).toMatchObject({ outcome: 'no-agent', endedBy: 'system', agentId: null });
  });
});

describe('transfers', () => {
  it('blind to Bob: answered again by Bob, who is the record agent', async () => {
    await setUp();
    await fx.agents.setState(bob.id, 'available');
    const { callId, caller } = await callWithAnn();
    await fx.advance(5000);
    await fx.engine.controls.transfer(callId, ann, 'blind', { type: 'agent', userId: bob.id });
    const ring = await fx.until(() => fx.ari.originates()[1], 'Bob rung');
    await fx.advance(2000);
    fx.ari.answers(ring.channelId!);
    await fx.until(() => bridgeOf(callId)?.channels.includes(ring.channelId!), 'Bob bridged');
    await fx.advance(10_000, 5000);
    fx.ari.hangupFromFar(caller);
    await fx.ended(callId);
    const { record, types } = await expectProjected(callId);
    expect(types.filter((t) => t === 'answered')).toHaveLength(2);
    expect(record).toMatchObject({ outcome: 'answered', agentId: bob.id, endedBy: 'caller' });
  });

  it('attended to Bob, completed; Bob hangs up and wraps up, linking the unknown caller', async () => {
    await setUp();
    await fx.agents.setState(bob.id, 'available');
    const { callId } = await callWithAnn('caller-4', '13900004444');
    await fx.advance(4000);
    await fx.engine.controls.transfer(callId, ann, 'attended', { type: 'agent', userId: bob.id });
    const ring = await fx.until(() => fx.ari.originates()[1], 'Bob rung for the consult');
    await fx.advance(2000);
    fx.ari.answers(ring.channelId!);
    await fx.until(() => bridgeOf(callId)?.channels.includes(ring.channelId!), 'Bob consulted');
    await fx.engine.controls.completeTransfer(callId, ann);
    await fx.settle();
    await fx.advance(8000, 4000);
    fx.ari.hangupFromFar(ring.channelId!);
    await fx.ended(callId);
    const customer = await fx.customers.create({
      name: 'Zhao Min',
      company: null,
      tier: 'standard',
      ownerUserId: null,
      phones: [{ e164: '+8613900004444', raw: '13900004444' }],
    });
    await wrapUp()(callId, bob, {
      disposition: fx.config.desktop.dispositions[0]!.code,
      customerId: customer.id,
    });
    const { record, types } = await expectProjected(callId);
    expect(types).toEqual(
      expect.arrayContaining(['consult-started', 'consult-answered', 'transferred', 'wrap-up']),
    );
    expect(record).toMatchObject({
      outcome: 'answered',
      agentId: bob.id,
      endedBy: 'agent',
      customerId: customer.id,
      waitMs: 3000,
    });
  });
});

describe('call-back (agent first, then the customer)', () => {
  const PHONE = '+8613800001111';
  /** A due call-back task of a known customer, Ann free: the poller rings her phone. */
  async function annRungForTask() {
    await setUp({ telephony: { callbackRetryMin: 2, callbackMaxAttempts: 3, wrapUpSec: 0 } });
    await fx.agents.setState(ann.id, 'break');
    fx.ari.connectFirst(); // starts the call-back poller, as on the service's first ARI connect
    await fx.settle();
    const customer = await fx.customers.create({
      name: 'Li Lei',
      company: null,
      tier: 'standard',
      ownerUserId: null,
      phones: [{ e164: PHONE, raw: '13800001111' }],
    });
    await fx.tasks.create({
      kind: 'callback',
      customerId: customer.id,
      phone: PHONE,
      queue: 'general',
      assignedUserId: null,
      dueAt: Date.now(),
      now: Date.now(),
    });
    await fx.agents.setState(ann.id, 'available');
    const ring = await fx.until(
      () => fx.ari.originates().find((o) => o.appArgs?.startsWith('callback,')),
      'Ann rung',
    );
    return { callId: callIdOf(ring.appArgs), annLeg: ring.channelId!, customerId: customer.id };
  }

  it('answered by the customer', async () => {
    const { callId, annLeg, customerId } = await annRungForTask();
    await fx.advance(2000);
    fx.ari.answers(annLeg);
    const dial = await fx.until(() => trunkDials()[0], 'customer dialed');
    await fx.advance(6000, 2000);
    fx.ari.answers(dial.channelId!);
    await fx.until(() => bridgeOf(callId)?.channels.includes(dial.channelId!), 'customer bridged');
    await fx.advance(20_000, 5000);
    fx.ari.hangupFromFar(dial.channelId!);
    await fx.ended(callId);
    const { record, types } = await expectProjected(callId);
    expect(types).toEqual(expect.arrayContaining(['started', 'offered', 'dialing', 'answered']));
    expect(record).toMatchObject({
      direction: 'outbound',
      customerId,
      outcome: 'answered',
      agentId: ann.id,
      queue: 'general',
      waitMs: 8000,
      talkMs: 20_000,
      serviceLevelMet: null,
    });
  });

  it('the customer does not answer: no-answer, no agent, past the service level', async () => {
    const { callId, annLeg, customerId } = await annRungForTask();
    await fx.advance(2000);
    fx.ari.answers(annLeg);
    const dial = await fx.until(() => trunkDials()[0], 'customer dialed');
    await fx.advance(25_000, 5000);
    fx.ari.agentLegDestroyed(dial.channelId!, 19, 'No user responding');
    await fx.ended(callId);
    const { record } = await expectProjected(callId);
    expect(record).toMatchObject({
      customerId,
      outcome: 'no-answer',
      agentId: null,
      serviceLevelMet: false,
      waitMs: 27_000,
    });
  });
});

describe('campaigns', () => {
  async function campaign(mode: 'progressive' | 'predictive') {
    await setUp({ dialer: true });
    const c = await fx.campaigns.create(campaignInput({ queue: 'general', mode }), null);
    await fx.campaigns.join(c.id, ann.id);
    const contactId = await insertContact(fx.db, { campaignId: c.id });
    await fx.campaigns.setStatus(c.id, 'running');
    fx.dialer.start();
    fx.dialer.changed();
    await fx.settle();
    const dial = await fx.until(() => trunkDials()[0], 'customer dialed');
    return { campaignId: c.id, contactId, dial, callId: callIdOf(dial.appArgs) };
  }

  it('progressive, answered: the customer, then a free telemarketer', async () => {
    const { campaignId, contactId, dial, callId } = await campaign('progressive');
    await fx.advance(4000);
    fx.ari.answers(dial.channelId!);
    const ring = await fx.until(() => fx.ari.originates()[1], 'telemarketer rung');
    await fx.advance(1000);
    fx.ari.answers(ring.channelId!);
    await fx.until(() => bridgeOf(callId)?.channels.includes(ring.channelId!), 'bridged');
    await fx.advance(15_000, 5000);
    fx.ari.hangupFromFar(dial.channelId!);
    await fx.ended(callId);
    const { record } = await expectProjected(callId);
    expect(record).toMatchObject({
      direction: 'outbound',
      campaignId,
      contactId,
      queue: 'general',
      agentId: ann.id,
      outcome: 'answered',
      waitMs: 5000,
      talkMs: 15_000,
    });
  });

  it('progressive, busy: ended by the network before anyone answered', async () => {
    const { campaignId, contactId, dial, callId } = await campaign('progressive');
    await fx.advance(3000);
    fx.ari.agentLegDestroyed(dial.channelId!, 17, 'User busy');
    await fx.ended(callId);
    const { record } = await expectProjected(callId);
    expect(record).toMatchObject({
      campaignId,
      contactId,
      outcome: 'busy',
      agentId: null,
      endedBy: 'system',
      hangupCauseCode: 17,
      waitMs: 3000,
    });
  });

  it('predictive abandon: no telemarketer within 2 s of the answer', async () => {
    const { campaignId, dial, callId } = await campaign('predictive');
    await fx.agents.setState(ann.id, 'break');
    await fx.advance(2000);
    fx.ari.answers(dial.channelId!);
    await fx.until(() => bridgeOf(callId)?.channels.includes(dial.channelId!), 'customer waits');
    await fx.advance(2100, 100);
    const play = await fx.until(() => fx.ari.ops('play')[0], 'abandon message');
    fx.ari.playbackFinished(play.args[2] as string);
    await fx.ended(callId);
    const { record } = await expectProjected(callId);
    expect(record).toMatchObject({
      campaignId,
      outcome: 'abandoned',
      agentId: null,
      endedBy: 'system',
    });
  });
});

describe('the comparison', () => {
  it('fails when the record holds a projected value its events do not carry', async () => {
    await setUp();
    const { callId, caller } = await callWithAnn();
    fx.ari.hangupFromFar(caller);
    await fx.ended(callId);
    await expectProjected(callId);
    await fx.calls.amend(callId, { agentId: bob.id }); // no event says so
    await expect(expectProjected(callId)).rejects.toThrow();
  });
});
