import { engineFixture, waitFor } from '../../support/engine-fixture';

type Fx = Awaited<ReturnType<typeof engineFixture>>;
let fx: Fx;
beforeEach(async () => {
  fx = await engineFixture();
});
afterEach(() => fx.close());

const originates = () =>
  fx.ari
    .ops('originate')
    .map(
      (r) =>
        r.args[0] as { endpoint: string; channelId: string; callerId: string; appArgs: string },
    );

describe('inbound call engine (fake ARI)', () => {
  it('pops the owner, then rings the owner with the customer name, bridges, and closes the record', async () => {
    const ann = await fx.agent('ann', '1001');
    await fx.agent('bob', '1002');
    // Bob has been idle longer, but Ann owns the customer.
    fx.agents.get(ann.id)!.idleSince = Date.now();
    await fx.customers.create({
      name: 'Wang Li',
      company: 'ACME',
      tier: 'vip',
      ownerUserId: ann.id,
      phones: [{ e164: '+8613812345678', raw: '13812345678' }],
    });

    fx.ari.inbound('caller-1', '013812345678');
    const [orig] = await waitFor(
      () => (originates().length ? originates() : null),
      3000,
      'originate',
    );
    expect(orig!.endpoint).toBe('PJSIP/1001');
    expect(orig!.callerId).toBe('"Wang Li" <+8613812345678>');
    const pop = fx.notified.find((n) => n.kind === 'pop')!;
    expect(pop.agentId).toBe(ann.id);
    expect(pop.pop!.customer).toMatchObject({
      name: 'Wang Li',
      tier: 'vip',
      owner: { id: ann.id, name: 'ANN' },
    });
    // The pop was sent before the originate request was made.
    const originateIndex = fx.ari.requests.findIndex((r) => r.op === 'originate');
    expect(pop.seq).toBeLessThanOrEqual(originateIndex);
    // The caller was answered into a bridge with its own music before anything else (no
    // announcer channel: the bridge's music is never used for waiting).
    expect(
      fx.ari
        .ops()
        .slice(0, 4)
        .map((r) => `${r.op} ${String(r.args[0])}`),
    ).toEqual([
      'answer caller-1',
      expect.stringMatching(/^createBridge /),
      expect.stringMatching(/^addChannel hotline-/),
      'startMoh caller-1',
    ]);
    expect(fx.ari.ops('startBridgeMoh')).toHaveLength(0);

    const callId = fx.callIdOf(orig!.channelId)!;
    fx.ari.agentAnswers(orig!.channelId, callId);
    await waitFor(
      () => fx.ari.bridges.get(`hotline-${callId}`)?.channels.includes(orig!.channelId),
      3000,
      'agent bridged',
    );
    // The music stopped before the agent joined.
    expect(fx.ari.ops('stopMoh').map((r) => r.args[0])).toEqual(['caller-1']);
    const ops = fx.ari.ops().map((r) => r.op);
    expect(ops.indexOf('stopMoh')).toBeLessThan(ops.lastIndexOf('addChannel'));
    await new Promise((r) => setTimeout(r, 30));
    fx.ari.hangupFromFar('caller-1');
    await waitFor(() => !fx.ari.channels.has(orig!.channelId), 3000, 'agent leg hung up');
    const rec = await fx.ended(callId);
    expect(rec).toMatchObject({
      outcome: 'answered',
      agentId: ann.id,
      endedBy: 'caller',
      customerId: expect.any(Number),
      callerNumber: '+8613812345678',
    });
    expect(rec.talkMs).toBeGreaterThanOrEqual(20);
    expect(rec.timeline).toEqual([
      'started',
      'queued',
      'offered',
      'answered',
      'recording-started', // the default policy records every answered call
      'ended',
    ]);
    expect(fx.ari.bridges.size).toBe(0);
    expect(fx.agents.get(ann.id)).toMatchObject({ activity: 'wrap-up', callId }); // after-call work
  });

  it('rings the next agent after a ring timeout, and sets the first one not-ready', async () => {
    const ann = await fx.agent('ann', '1001');
    const bob = await fx.agent('bob', '1002');
    fx.agents.get(ann.id)!.idleSince = 1; // longest idle: first to ring
    fx.ringTimeout(0.2);
    fx.ari.inbound('caller-2', '13900001111');
    const first = await waitFor(() => originates()[0], 3000, 'first ring');
    expect(first.endpoint).toBe('PJSIP/1001');
    const second = await waitFor(() => originates()[1], 3000, 'second ring');
    expect(second.endpoint).toBe('PJSIP/1002');
    expect(fx.agents.get(ann.id)).toMatchObject({
      state: 'break',
      reason: 'missed-call',
      activity: 'idle',
    });
    const withdrawn = fx.notified.find(
      (n) => n.agentId === ann.id && n.kind === 'update' && n.update!.state === 'ended',
    );
    expect(withdrawn?.update).toMatchObject({ withdrawn: true, reason: 'no-answer' });
    expect(fx.ari.ops('hangup').map((r) => r.args[0])).toContain(first.channelId);
    expect(fx.agents.get(bob.id)!.activity).toBe('offered');
  });

  it('moves on when the phone cannot be rung at all, and when the agent declines', async () => {
    const ann = await fx.agent('ann', '1001');
    const bob = await fx.agent('bob', '1002');
    await fx.agent('cy', '1003');
    fx.agents.get(ann.id)!.idleSince = 1;
    fx.agents.get(bob.id)!.idleSince = 2;
    fx.ari.failNext('originate', new Error('Allocation failed'));
    fx.ari.inbound('caller-3', '13900002222');
    const second = await waitFor(() => originates()[1], 3000, 'second ring');
    expect(second.endpoint).toBe('PJSIP/1002');
    expect(fx.agents.get(ann.id)).toMatchObject({ state: 'break', reason: 'phone-unreachable' });
    fx.ari.agentLegDestroyed(second.channelId, 21, 'Call Rejected');
    const third = await waitFor(() => originates()[2], 3000, 'third ring');
    expect(third.endpoint).toBe('PJSIP/1003');
    expect(fx.agents.get(bob.id)).toMatchObject({ state: 'break', reason: 'declined' });
  });

  it('records an abandoned call with its wait when the caller hangs up in the queue', async () => {
    await fx.agent('ann', '1001', 'break');
    fx.ari.inbound('caller-4', '13900003333');
    const callId = await waitFor(() => {
      const s = fx.engine.registry.all()[0];
      return s?.state === 'queued' ? s.id : null;
    });
    await new Promise((r) => setTimeout(r, 50));
    fx.ari.hangupFromFar('caller-4');
    const rec = await fx.ended(callId);
    expect(rec).toMatchObject({
      outcome: 'abandoned',
      agentId: null,
      answeredAt: null,
      endedBy: 'caller',
      talkMs: 0,
    });
    expect(rec.waitMs).toBeGreaterThanOrEqual(50);
    expect(originates()).toHaveLength(0);
  });

  it('withdraws the pop and hangs up the ringing phone when the caller gives up', async () => {
    const ann = await fx.agent('ann', '1001');
    fx.ari.inbound('caller-5', '13900004444');
    const ring = await waitFor(() => originates()[0], 3000, 'ring');
    fx.ari.hangupFromFar('caller-5');
    await waitFor(
      () => fx.ari.ops('hangup').some((r) => r.args[0] === ring.channelId),
      3000,
      'agent leg hung up',
    );
    const update = await waitFor(() =>
      fx.notified.find((n) => n.kind === 'update' && n.update!.state === 'ended'),
    );
    expect(update.update).toMatchObject({ withdrawn: true });
    await waitFor(() => fx.agents.get(ann.id)!.activity === 'idle', 3000, 'agent free again');
    expect(fx.agents.get(ann.id)!.state).toBe('available');
    expect((await fx.ended(fx.callIdOf(ring.channelId)!)).outcome).toBe('abandoned');
  });

  it('tells a caller of a recorded queue that the call may be recorded, then records from the answer', async () => {
    await fx.agent('ann', '1001');
    fx.ari.inbound('caller-c', '13900005556');
    const play = await waitFor(() => fx.ari.ops('play')[0], 3000, 'consent played');
    expect(play.args[1]).toBe('sound:hotline/recording-consent');
    const ring = await waitFor(() => originates()[0]);
    expect(fx.ari.ops('recordBridge')).toHaveLength(0); // nothing recorded before the answer
    fx.ari.agentAnswers(ring.channelId, fx.callIdOf(ring.channelId)!);
    const rec = await waitFor(() => fx.ari.ops('recordBridge')[0], 3000, 'bridge recorded');
    expect(rec.args[1]).toMatchObject({ format: 'wav', ifExists: 'fail' });
  });

  it('plays the no-agent message and hangs up when nobody is logged in', async () => {
    await fx.agent('ann', '1001', 'offline');
    fx.ari.inbound('caller-6', '13900005555');
    const play = await waitFor(() => fx.ari.ops('play')[0], 3000, 'message played');
    expect(play.args[1]).toBe('sound:hotline/no-agents');
    fx.ari.emit({
      type: 'PlaybackFinished',
      application: 'hotline',
      timestamp: '',
      playback: {
        id: play.args[2] as string,
        media_uri: '',
        target_uri: '',
        language: 'en',
        state: 'done',
      },
    });
    await waitFor(
      () => fx.ari.ops('hangup').some((r) => r.args[0] === 'caller-6'),
      3000,
      'caller hung up',
    );
    const rec = await fx.record(await fx.lastCallId());
    expect(rec).toMatchObject({ outcome: 'no-agent', endedBy: 'system' });
  });

  it('after a lost event link, closes a call whose caller left during the gap at the recorded time', async () => {
    const ann = await fx.agent('ann', '1001');
    fx.ari.inbound('caller-7', '13900006666');
    const ring = await waitFor(() => originates()[0]);
    const callId = fx.callIdOf(ring.channelId)!;
    fx.ari.agentAnswers(ring.channelId, callId);
    await waitFor(() => fx.engine.registry.get(callId)?.state === 'talking');
    fx.ari.disconnect();
    // During the gap the caller hangs up: Asterisk drops the channel, the dialplan notes when.
    await new Promise((r) => setTimeout(r, 100));
    const endedAt = Date.now() - 40;
    fx.ari.channels.delete('caller-7');
    fx.ari.globals.set('HOTLINE_ENDED_caller-7', `${(endedAt / 1000).toFixed(3)}|16`);
    fx.ari.reconnect();
    const rec = await fx.ended(callId);
    expect(rec).toMatchObject({
      outcome: 'answered',
      endedBy: 'caller',
      hangupCause: 'Normal Clearing',
      agentId: ann.id,
    });
    expect(Date.parse(rec.endedAt!)).toBe(endedAt);
    expect(fx.ari.channels.has(ring.channelId)).toBe(false);
    expect(fx.ari.globals.has('HOTLINE_ENDED_caller-7')).toBe(false);
  });

  it('after a lost event link, catches up an answer it missed and keeps a live call', async () => {
    await fx.agent('ann', '1001');
    fx.ari.inbound('caller-8', '13900007777');
    const ring = await waitFor(() => originates()[0]);
    const callId = fx.callIdOf(ring.channelId)!;
    fx.ari.disconnect();
    fx.ari.channels.get(ring.channelId)!.state = 'Up'; // answered while we were away
    fx.ari.reconnect();
    await waitFor(() => fx.engine.registry.get(callId)?.state === 'talking', 3000, 'talking');
    expect(fx.ari.bridges.get(`hotline-${callId}`)!.channels).toContain(ring.channelId);
  });

  it('hangs up a channel it cannot classify instead of guessing', async () => {
    fx.ari.channels.set('odd', { ...fx.ari.channels.get('x')!, id: 'odd' });
    fx.ari.emit({
      type: 'StasisStart',
      application: 'hotline',
      timestamp: '',
      args: ['mystery'],
      channel: { id: 'odd' } as never,
    });
    await waitFor(() => fx.ari.ops('hangup').some((r) => r.args[0] === 'odd'));
    expect(fx.engine.registry.size).toBe(0);
  });
});
