/**
 * Inbound calls against the clock (fake timers): the ring timeout of an offer and the expiry of
 * the agent's after-call work, driven through ARI events and observed through ARI requests, the
 * call record, agents' screens and states.
 */
import type { User } from '../../../src/agents/users-repo';
import { engineFixture, useEngineFakeTimers } from '../../support/engine-fixture';

type Fx = Awaited<ReturnType<typeof engineFixture>>;
let fx: Fx;
let ann: User;

beforeEach(async () => {
  useEngineFakeTimers();
  fx = await engineFixture();
  ann = await fx.agent('ann', '1001');
  fx.agents.get(ann.id)!.idleSince = 1;
});
afterEach(async () => {
  await fx.close();
  jest.useRealTimers();
});

const updatesOf = (agentId: number) =>
  fx.notified.filter((n) => n.agentId === agentId && n.kind === 'update').map((n) => n.update!);

describe('ring timeout', () => {
  it("fires at the queue's ringTimeoutSec, not before: leg hung up, agent on break, next agent rung", async () => {
    const bob = await fx.agent('bob', '1002');
    const ringSec = fx.queues.get('general')!.ringTimeoutSec;
    fx.ari.inbound('caller-1', '13900001111');
    const first = await fx.until(() => fx.ari.originates()[0], 'Ann rung');
    expect(first.endpoint).toBe('PJSIP/1001');
    const callId = first.appArgs!.split(',')[1]!;

    await fx.advance(ringSec * 1000 - 500, 500);
    expect(fx.ari.hungUp()).not.toContain(first.channelId);
    expect(fx.ari.originates()).toHaveLength(1);
    expect(fx.agents.get(ann.id)).toMatchObject({ activity: 'offered', state: 'available' });

    await fx.advance(1000);
    expect(fx.ari.hungUp()).toContain(first.channelId);
    expect(fx.agents.get(ann.id)).toMatchObject({ state: 'break', reason: 'missed-call' });
    expect(updatesOf(ann.id).at(-1)).toMatchObject({
      callId,
      state: 'ended',
      withdrawn: true,
      reason: 'no-answer',
    });
    const second = await fx.until(() => fx.ari.originates()[1], 'Bob rung');
    expect(second).toMatchObject({ endpoint: 'PJSIP/1002', appArgs: `agent,${callId}` });
    expect(fx.agents.get(bob.id)).toMatchObject({ activity: 'offered', callId });
    expect((await fx.record(callId))!.timeline).toEqual(
      expect.arrayContaining(['offered', 'agent-missed', 'offered']),
    );
  });

  it('an answer arriving after the timeout is hung up as stale, not bridged', async () => {
    fx.ari.inbound('caller-2', '13900002222');
    const ring = await fx.until(() => fx.ari.originates()[0], 'Ann rung');
    const callId = ring.appArgs!.split(',')[1]!;
    await fx.advance(fx.queues.get('general')!.ringTimeoutSec * 1000 + 500);
    fx.ari.agentAnswers(ring.channelId!, callId);
    await fx.settle();
    // Hung up twice: at the timeout, and again when its late answer arrived.
    expect(fx.ari.hungUp().filter((c) => c === ring.channelId)).toHaveLength(2);
    expect(fx.ari.bridges.get(`hotline-${callId}`)!.channels).toEqual(['caller-2']);
    expect((await fx.record(callId))!.answeredAt).toBeNull();
  });

  it('a shorter queue ring timeout is honoured', async () => {
    fx.ringTimeout(5);
    fx.ari.inbound('caller-3', '13900003333');
    const ring = await fx.until(() => fx.ari.originates()[0], 'Ann rung');
    await fx.advance(4500);
    expect(fx.ari.hungUp()).not.toContain(ring.channelId);
    await fx.advance(1000);
    expect(fx.ari.hungUp()).toContain(ring.channelId);
  });
});

describe('wrap-up expiry', () => {
  it('after a talked call the agent is in wrap-up for wrapUpSec, then free and offered the next caller', async () => {
    const wrapMs = fx.config.telephony.wrapUpSec * 1000;
    fx.ari.inbound('caller-4', '13900004444');
    const ring = await fx.until(() => fx.ari.originates()[0], 'Ann rung');
    const callId = ring.appArgs!.split(',')[1]!;
    fx.ari.answers(ring.channelId!);
    await fx.until(
      () => fx.ari.bridges.get(`hotline-${callId}`)?.channels.includes(ring.channelId!),
      'talking',
    );
    fx.ari.hangupFromFar('caller-4');
    await fx.ended(callId);
    expect(fx.agents.get(ann.id)).toMatchObject({
      activity: 'wrap-up',
      callId,
      wrapUpUntil: Date.now() + wrapMs,
    });

    // A new caller waits: Ann is not offered it during her after-call work.
    fx.ari.inbound('caller-5', '13900005555');
    await fx.settle();
    await fx.advance(wrapMs - 1000, 5000);
    expect(fx.ari.originates()).toHaveLength(1);
    expect(fx.agents.get(ann.id)!.activity).toBe('wrap-up');

    await fx.advance(1500);
    const next = await fx.until(() => fx.ari.originates()[1], 'Ann offered the next caller');
    expect(next.endpoint).toBe('PJSIP/1001');
    expect(next.appArgs!.split(',')[1]).not.toBe(callId);
  });

  it('an offer that was never answered leaves no wrap-up: the agent is free at once', async () => {
    fx.ari.inbound('caller-6', '13900006666');
    const ring = await fx.until(() => fx.ari.originates()[0], 'Ann rung');
    fx.ari.hangupFromFar('caller-6');
    await fx.ended(ring.appArgs!.split(',')[1]!);
    await fx.until(() => fx.agents.get(ann.id)!.activity === 'idle', 'Ann free');
    expect(fx.agents.get(ann.id)).toMatchObject({ state: 'available', wrapUpUntil: null });
  });
});
