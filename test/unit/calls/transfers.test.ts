/**
 * Transfers (src/calls/transfers.ts, call-controls.ts) driven from the outside: ARI events in
 * through the fake ARI, the agent's actions through the engine's controls (what the desktop
 * routes call), and only what is observable asserted: ARI requests, bridges, the call record and
 * its timeline, what agents' screens were told, agents' states. Fake timers: ring timeouts and
 * wrap-up are reached by moving time, never by sleeping.
 */
import type { User } from '../../../src/agents/users-repo';
import { engineFixture, useEngineFakeTimers } from '../../support/engine-fixture';

type Fx = Awaited<ReturnType<typeof engineFixture>>;
let fx: Fx;
let ann: User;
let bob: User;

beforeEach(async () => {
  useEngineFakeTimers();
  fx = await engineFixture();
  ann = await fx.agent('ann', '1001');
  bob = await fx.agent('bob', '1002');
  // Ann has been idle longest: she takes the inbound call.
  fx.agents.get(ann.id)!.idleSince = 1;
  fx.agents.get(bob.id)!.idleSince = 2;
});
afterEach(async () => {
  await fx.close();
  jest.useRealTimers();
});

const updatesOf = (agentId: number) =>
  fx.notified.filter((n) => n.agentId === agentId && n.kind === 'update').map((n) => n.update!);
const popsOf = (agentId: number) =>
  fx.notified.filter((n) => n.agentId === agentId && n.kind === 'pop').map((n) => n.pop!);
/** How often the channel's music was started / stopped (waiting and hold alike). */
const mohOf = (op: 'startMoh' | 'stopMoh', channelId: string) =>
  fx.ari.ops(op).filter((r) => r.args[0] === channelId).length;
const bridgeOf = (callId: string) => fx.ari.bridges.get(`hotline-${callId}`);

/** An inbound call answered by Ann: caller and Ann's leg in the call's bridge. */
async function callWithAnn(caller = 'caller-1', number = '13900001111') {
  fx.ari.inbound(caller, number);
  const ring = await fx.until(() => fx.ari.originates()[0], 'Ann rung');
  expect(ring.endpoint).toBe('PJSIP/1001');
  const callId = ring.appArgs!.split(',')[1]!;
  fx.ari.answers(ring.channelId!);
  await fx.until(
    () => bridgeOf(callId)?.channels.includes(ring.channelId!),
    'Ann bridged with the caller',
  );
  await fx.settle();
  return { callId, caller, annLeg: ring.channelId! };
}

describe('blind transfer', () => {
  it('to an agent: the new agent is popped and rung, answers into the bridge; Ann goes to wrap-up', async () => {
    const { callId, caller, annLeg } = await callWithAnn();
    await fx.engine.controls.transfer(callId, ann, 'blind', { type: 'agent', userId: bob.id });
    await fx.settle();

    // Ann leaves at once, into after-call work; her screen says the call was transferred.
    expect(fx.ari.hungUp()).toContain(annLeg);
    expect(fx.agents.get(ann.id)).toMatchObject({ activity: 'wrap-up', callId });
    expect(updatesOf(ann.id).at(-1)).toMatchObject({
      callId,
      state: 'ended',
      reason: 'transferred',
    });
    // The caller waits with music in the call's bridge.
    expect(bridgeOf(callId)!.channels).toEqual([caller]);
    // Waiting music again, on the caller's channel (first while queued, then after Ann left).
    expect(mohOf('startMoh', caller)).toBe(2);

    // Bob (not anyone else) gets the pop, then his phone rings with the call's appArgs.
    const ring = await fx.until(() => fx.ari.originates()[1], 'Bob rung');
    expect(ring).toMatchObject({ endpoint: 'PJSIP/1002', appArgs: `agent,${callId}` });
    expect(popsOf(bob.id)).toHaveLength(1);
    expect(popsOf(bob.id)[0]).toMatchObject({ callId });
    expect(updatesOf(bob.id).at(-1)).toMatchObject({ callId, state: 'ringing' });

    fx.ari.answers(ring.channelId!);
    await fx.until(() => bridgeOf(callId)?.channels.includes(ring.channelId!), 'Bob bridged');
    expect(bridgeOf(callId)!.channels.sort()).toEqual([caller, ring.channelId!].sort());
    expect(fx.agents.get(bob.id)).toMatchObject({ activity: 'on-call', callId });
    expect(updatesOf(bob.id).at(-1)).toMatchObject({ callId, state: 'answered' });

    // Ann's wrap-up time runs out: she is free again.
    await fx.advance(fx.config.telephony.wrapUpSec * 1000, 5000);
    expect(fx.agents.get(ann.id)).toMatchObject({ activity: 'idle', callId: null });

    fx.ari.hangupFromFar(caller);
    const rec = await fx.ended(callId);
    expect(rec).toMatchObject({ outcome: 'answered', agentId: bob.id, endedBy: 'caller' });
    expect(rec.timeline).toEqual(
      expect.arrayContaining(['answered', 'transferred', 'offered', 'ended']),
    );
    const t = rec.timeline;
    expect(t.indexOf('transferred')).toBeLessThan(t.lastIndexOf('offered'));
    expect(t.filter((e) => e === 'answered')).toHaveLength(2);
  });

  it('to a queue: the call is offered in that queue to its free agent', async () => {
    await fx.queues.create('billing', { members: [bob.id] });
    const { callId, annLeg } = await callWithAnn();
    await fx.engine.controls.transfer(callId, ann, 'blind', { type: 'queue', name: 'billing' });
    const ring = await fx.until(() => fx.ari.originates()[1], 'billing agent rung');
    expect(ring).toMatchObject({ endpoint: 'PJSIP/1002', appArgs: `agent,${callId}` });
    expect(fx.ari.hungUp()).toContain(annLeg);
    const rec = await fx.record(callId);
    expect(rec).toMatchObject({ queue: 'billing' });
    expect(rec!.timeline).toContain('transferred');
  });

  it('to an agent who does not answer within the ring timeout: back to the queue (Ann is in wrap-up, nobody else free)', async () => {
    fx.ringTimeout(10);
    const { callId } = await callWithAnn();
    await fx.engine.controls.transfer(callId, ann, 'blind', { type: 'agent', userId: bob.id });
    const ring = await fx.until(() => fx.ari.originates()[1], 'Bob rung');

    await fx.advance(9_000);
    expect(fx.ari.hungUp()).not.toContain(ring.channelId);
    await fx.advance(1_500);
    expect(fx.ari.hungUp()).toContain(ring.channelId);
    expect(fx.agents.get(bob.id)).toMatchObject({ state: 'break', reason: 'missed-call' });
    expect(updatesOf(bob.id).at(-1)).toMatchObject({
      state: 'ended',
      withdrawn: true,
      reason: 'no-answer',
    });
    const rec = await fx.record(callId);
    expect(rec!.timeline).toContain('agent-missed');
    expect(rec!.endedAt).toBeNull();
  });

  it('to an external number: Ann leaves, the number is dialed through the trunk, answered → bridged', async () => {
    const { callId, caller, annLeg } = await callWithAnn();
    await fx.engine.controls.transfer(callId, ann, 'blind', {
      type: 'external',
      number: '13800138000',
    });
    const out = await fx.until(() => fx.ari.originates()[1], 'number dialed');
    expect(out).toMatchObject({
      endpoint: 'PJSIP/+8613800138000@carrier',
      appArgs: `consult,${callId}`,
    });
    expect(fx.ari.hungUp()).toContain(annLeg);
    expect(fx.agents.get(ann.id)).toMatchObject({ activity: 'wrap-up' });
    expect(updatesOf(ann.id).at(-1)).toMatchObject({ state: 'ended', reason: 'transferred' });

    fx.ari.answers(out.channelId!);
    await fx.until(() => bridgeOf(callId)?.channels.includes(out.channelId!), 'number bridged');
    expect(bridgeOf(callId)!.channels.sort()).toEqual([caller, out.channelId!].sort());
    expect(mohOf('stopMoh', caller)).toBe(2); // at Ann's answer, and at the number's
    expect(fx.ari.ops('startBridgeMoh')).toHaveLength(0);

    fx.ari.hangupFromFar(caller);
    const rec = await fx.ended(callId);
    expect(rec).toMatchObject({ outcome: 'answered', agentId: null });
    expect(rec.timeline).toEqual(expect.arrayContaining(['transfer-started', 'transferred']));
    // The external number is not written to the timeline.
    const events = await fx.calls.events(callId);
    expect(JSON.stringify(events)).not.toContain('13800138000');
  });

  it('to an external number that never answers: the caller goes back to the queue after externalRingSec', async () => {
    const { callId } = await callWithAnn();
    await fx.engine.controls.transfer(callId, ann, 'blind', {
      type: 'external',
      number: '13800138000',
    });
    const out = await fx.until(() => fx.ari.originates()[1], 'number dialed');
    await fx.advance(fx.config.telephony.externalRingSec * 1000 - 1000);
    expect(fx.ari.hungUp()).not.toContain(out.channelId);
    await fx.advance(1500);
    expect(fx.ari.hungUp()).toContain(out.channelId);
    // Back in the queue: Bob (free) is offered the call.
    const ring = await fx.until(() => fx.ari.originates()[2], 'offered again');
    expect(ring).toMatchObject({ endpoint: 'PJSIP/1002', appArgs: `agent,${callId}` });
    expect((await fx.record(callId))!.timeline).toContain('transfer-failed');
  });
});

describe('attended transfer', () => {
  async function consultBob() {
    const call = await callWithAnn();
    await fx.engine.controls.transfer(call.callId, ann, 'attended', {
      type: 'agent',
      userId: bob.id,
    });
    const ring = await fx.until(() => fx.ari.originates()[1], 'Bob rung for the consult');
    return { ...call, bobLeg: ring.channelId!, ring };
  }

  it('consult: the caller is held out of the bridge with music; Bob is popped, rung, and talks to Ann', async () => {
    const { callId, caller, annLeg, bobLeg, ring } = await consultBob();
    expect(ring).toMatchObject({ endpoint: 'PJSIP/1002', appArgs: `consult,${callId}` });
    expect(fx.ari.ops('removeChannel').map((r) => r.args[1])).toContainEqual([caller]);
    expect(mohOf('startMoh', caller)).toBe(2); // waiting, then held for the consult
    expect(popsOf(bob.id)).toHaveLength(1);
    expect(updatesOf(bob.id).at(-1)).toMatchObject({ state: 'ringing' });
    expect(fx.agents.get(bob.id)).toMatchObject({ activity: 'offered', callId });

    fx.ari.answers(bobLeg);
    await fx.until(() => bridgeOf(callId)?.channels.includes(bobLeg), 'Bob in the bridge');
    expect(bridgeOf(callId)!.channels.sort()).toEqual([annLeg, bobLeg].sort());
    expect(updatesOf(ann.id).at(-1)).toMatchObject({ state: 'held', reason: 'consult-answered' });
    expect(fx.agents.get(bob.id)).toMatchObject({ activity: 'on-call' });
    await fx.settle();
    expect((await fx.record(callId))!.timeline).toEqual(
      expect.arrayContaining(['consult-started', 'consult-answered']),
    );
  });

  it('complete: Ann leaves into wrap-up, the caller is back in the bridge with Bob', async () => {
    const { callId, caller, annLeg, bobLeg } = await consultBob();
    fx.ari.answers(bobLeg);
    await fx.until(() => bridgeOf(callId)?.channels.includes(bobLeg), 'Bob in the bridge');
    await fx.engine.controls.completeTransfer(callId, ann);
    await fx.settle();
    expect(fx.ari.hungUp()).toContain(annLeg);
    expect(bridgeOf(callId)!.channels.sort()).toEqual([caller, bobLeg].sort());
    expect(fx.ari.ops('stopMoh').map((r) => r.args[0])).toContain(caller);
    expect(fx.agents.get(ann.id)).toMatchObject({ activity: 'wrap-up' });
    expect(updatesOf(ann.id).at(-1)).toMatchObject({ state: 'ended', reason: 'transferred' });

    // Bob now owns the call: his hang-up ends it, and he is the record's agent.
    fx.ari.hangupFromFar(bobLeg);
    const rec = await fx.ended(callId);
    expect(rec).toMatchObject({ outcome: 'answered', agentId: bob.id, endedBy: 'agent' });
    expect(fx.ari.hungUp()).toContain(caller);
    expect(rec.timeline).toEqual(
      expect.arrayContaining(['consult-started', 'consult-answered', 'transferred']),
    );
    expect(fx.agents.get(bob.id)).toMatchObject({ activity: 'wrap-up' });
  });

  it('Ann hanging up after Bob answered completes the transfer', async () => {
    const { callId, caller, annLeg, bobLeg } = await consultBob();
    fx.ari.answers(bobLeg);
    await fx.until(() => bridgeOf(callId)?.channels.includes(bobLeg), 'Bob in the bridge');
    fx.ari.hangupFromFar(annLeg);
    await fx.until(() => fx.agents.get(ann.id)!.activity === 'wrap-up', 'Ann in wrap-up');
    expect(bridgeOf(callId)!.channels.sort()).toEqual([caller, bobLeg].sort());
    expect(updatesOf(ann.id).at(-1)).toMatchObject({ state: 'ended', reason: 'transferred' });
    const rec = await fx.record(callId);
    expect(rec).toMatchObject({ endedAt: null, agentId: bob.id });
  });

  it('cancel: Bob is hung up and freed, the caller is back with Ann', async () => {
    const { callId, caller, annLeg, bobLeg } = await consultBob();
    fx.ari.answers(bobLeg);
    await fx.until(() => bridgeOf(callId)?.channels.includes(bobLeg), 'Bob in the bridge');
    await fx.engine.controls.cancelTransfer(callId, ann);
    await fx.settle();
    expect(fx.ari.hungUp()).toContain(bobLeg);
    expect(fx.ari.hungUp()).not.toContain(annLeg);
    // The caller was added back; Ann never left.
    expect(bridgeOf(callId)!.channels.sort()).toEqual([caller, annLeg].sort());
    expect(updatesOf(ann.id).at(-1)).toMatchObject({
      state: 'answered',
      reason: 'consult-cancelled',
    });
    expect(updatesOf(bob.id).at(-1)).toMatchObject({ state: 'ended', reason: 'cancelled' });
    expect(fx.agents.get(ann.id)).toMatchObject({ activity: 'on-call', callId });
    // Bob talked (to Ann), so no wrap-up is asked of him for a consult: he is free at once.
    expect(fx.agents.get(bob.id)).toMatchObject({ activity: 'idle', callId: null });
    expect((await fx.record(callId))!.timeline).toContain('consult-ended');
  });

  it('target does not answer within the ring timeout: Bob hung up, the caller back with Ann', async () => {
    fx.ringTimeout(10);
    const { callId, caller, bobLeg } = await consultBob();
    await fx.advance(9_000);
    expect(fx.ari.hungUp()).not.toContain(bobLeg);
    const stopped = mohOf('stopMoh', caller); // the waiting music's, at Ann's answer
    await fx.advance(1_500);
    expect(fx.ari.hungUp()).toContain(bobLeg);
    expect(mohOf('stopMoh', caller)).toBe(stopped + 1); // the hold's
    expect(
      fx.ari
        .ops('addChannel')
        .map((r) => r.args[1])
        .filter((c) => JSON.stringify(c) === JSON.stringify([caller])),
    ).toHaveLength(2); // answered into the bridge, then back after the consult
    expect(updatesOf(ann.id).at(-1)).toMatchObject({
      state: 'answered',
      reason: 'consult-no-answer',
    });
    expect(updatesOf(bob.id).at(-1)).toMatchObject({
      state: 'ended',
      withdrawn: true,
      reason: 'no-answer',
    });
    expect(fx.agents.get(bob.id)).toMatchObject({ activity: 'idle' });
    expect(fx.agents.get(ann.id)).toMatchObject({ activity: 'on-call', callId });
  });

  it('target busy (ChannelDestroyed 17): the caller back with Ann at once', async () => {
    const { bobLeg } = await consultBob();
    fx.ari.agentLegDestroyed(bobLeg, 17, 'User busy');
    await fx.until(
      () => updatesOf(ann.id).at(-1)?.reason === 'consult-busy',
      'Ann told the target was busy',
    );
    expect(fx.ari.hungUp()).toContain(bobLeg);
  });

  it('the caller hangs up during the consult: the call ends, both agents are released', async () => {
    const { callId, caller, annLeg, bobLeg } = await consultBob();
    fx.ari.answers(bobLeg);
    await fx.until(() => bridgeOf(callId)?.channels.includes(bobLeg), 'Bob in the bridge');
    fx.ari.hangupFromFar(caller);
    const rec = await fx.ended(callId);
    expect(rec).toMatchObject({ outcome: 'answered', agentId: ann.id, endedBy: 'caller' });
    expect(fx.ari.hungUp()).toEqual(expect.arrayContaining([annLeg, bobLeg]));
    expect(bridgeOf(callId)).toBeUndefined();
    expect(updatesOf(ann.id).at(-1)).toMatchObject({ state: 'ended' });
    expect(updatesOf(bob.id).at(-1)).toMatchObject({ state: 'ended', reason: 'caller-hangup' });
    expect(fx.agents.get(ann.id)).toMatchObject({ activity: 'wrap-up' });
    expect(fx.agents.get(bob.id)).toMatchObject({ activity: 'idle', callId: null });
  });

  it('the caller hangs up while the target still rings: the ringing leg is hung up and the pop withdrawn', async () => {
    const { callId, caller, bobLeg } = await consultBob();
    fx.ari.hangupFromFar(caller);
    await fx.ended(callId);
    expect(fx.ari.hungUp()).toContain(bobLeg);
    expect(updatesOf(bob.id).at(-1)).toMatchObject({ state: 'ended', withdrawn: true });
    expect(fx.agents.get(bob.id)).toMatchObject({ activity: 'idle', state: 'available' });
  });
});

describe("the controls are the call's agent's", () => {
  it('refuses them to another agent and to qa (not found), allows a supervisor', async () => {
    const { callId } = await callWithAnn();
    const make = (username: string, role: 'qa' | 'supervisor') =>
      fx.users.create({ username, password: 'password-1', name: username, role, extension: null });
    const qa = await make('quinn', 'qa');
    const sup = await make('sam', 'supervisor');
    for (const who of [bob, qa])
      await expect(fx.engine.controls.hold(callId, who)).rejects.toMatchObject({
        code: 'HOTLINE_CALL_NOT_FOUND',
      });
    await expect(fx.engine.controls.hold(callId, sup)).resolves.toBeUndefined();
  });
});
