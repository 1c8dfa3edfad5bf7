/**
 * Listen / whisper / barge (src/calls/monitor.ts) driven from the outside with the fake ARI: the
 * monitor's phone rung, the snoop on the agent's channel and the bridges it goes into, mode
 * changes, every way a session ends, the audit rows and the call's timeline. The audio itself is
 * proven against the sandbox (test/integration/monitoring.test.ts).
 */
import type { User } from '../../../src/agents/users-repo';
import { createMonitorControls, type MonitorControls } from '../../../src/calls/monitor';
import { createMonitorSessionsRepo } from '../../../src/monitoring/monitor-sessions-repo';
import { engineFixture, useEngineFakeTimers } from '../../support/engine-fixture';

type Fx = Awaited<ReturnType<typeof engineFixture>>;
let fx: Fx;
let ann: User;
let bob: User;
let sue: User;
let quinn: User;
let monitor: MonitorControls;

beforeEach(async () => {
  useEngineFakeTimers();
  fx = await engineFixture();
  ann = await fx.agent('ann', '1001');
  bob = await fx.agent('bob', '1002');
  fx.agents.get(ann.id)!.idleSince = 1;
  fx.agents.get(bob.id)!.idleSince = 2;
  sue = await fx.users.create({
    username: 'sue',
    password: 'password-1',
    name: 'Sue',
    role: 'supervisor',
    extension: '1901',
  });
  quinn = await fx.users.create({
    username: 'quinn',
    password: 'password-1',
    name: 'Quinn',
    role: 'qa',
    extension: '1902',
  });
  monitor = createMonitorControls(fx.engine.ctx, { qaModes: ['listen'] });
});
afterEach(async () => {
  await fx.close();
  jest.useRealTimers();
});

const bridge = (id: string) => fx.ari.bridges.get(id)?.channels.slice().sort() ?? null;
const audit = () => createMonitorSessionsRepo(fx.db).list({ limit: 10, offset: 0 });
const timeline = async (callId: string) =>
  (await fx.calls.events(callId)).filter((e) => e.type.startsWith('monitor-'));

/** An inbound call answered by Ann. */
async function callWithAnn() {
  fx.ari.inbound('caller-1', '13900001111');
  const ring = await fx.until(() => fx.ari.originates()[0], 'Ann rung');
  const callId = ring.appArgs!.split(',')[1]!;
  fx.ari.answers(ring.channelId!);
  await fx.until(
    () => fx.ari.bridges.get(`hotline-${callId}`)?.channels.includes(ring.channelId!),
    'Ann bridged',
  );
  await fx.settle();
  return { callId, caller: 'caller-1', annLeg: ring.channelId! };
}

/** Sue starts monitoring and answers her phone; the snoop (if any) enters the app. */
async function sueAnswers(callId: string, mode: 'listen' | 'whisper' | 'barge') {
  const view = await monitor.start(callId, sue, mode);
  expect(view).toMatchObject({ callId, userId: sue.id, mode, state: 'ringing' });
  const ring = fx.ari.originates().find((o) => o.appArgs === `monitor,${callId}`)!;
  expect(ring.endpoint).toBe('PJSIP/1901');
  fx.ari.answers(ring.channelId!);
  await fx.settle();
  const snoop = fx.ari.ops('snoop').at(-1);
  const snoopId = snoop ? (snoop.args[1] as { snoopId: string }).snoopId : null;
  if (snoopId && mode !== 'barge') {
    fx.ari.returnsToStasis(snoopId, ['snoop', callId]);
    await fx.settle();
  }
  return { sueLeg: ring.channelId!, snoopId };
}

describe('modes', () => {
  it("listen: a snoop (spy both, no whisper) on the agent's channel and Sue's phone in a bridge of their own", async () => {
    const { callId, caller, annLeg } = await callWithAnn();
    const { sueLeg, snoopId } = await sueAnswers(callId, 'listen');
    expect(fx.ari.ops('snoop')).toHaveLength(1);
    expect(fx.ari.ops('snoop')[0]!.args).toEqual([
      annLeg,
      expect.objectContaining({ spy: 'both', whisper: 'none', appArgs: `snoop,${callId}` }),
    ]);
    expect(bridge(`hotline-mon-${callId}`)).toEqual([snoopId, sueLeg].sort());
    // The call's own bridge is untouched: caller and agent only.
    expect(bridge(`hotline-${callId}`)).toEqual([caller, annLeg].sort());
    expect(fx.agents.get(sue.id)).toBeUndefined(); // a monitor is not an agent taking calls
  });

  it('whisper: the snoop whispers out (into what the agent hears)', async () => {
    const { callId } = await callWithAnn();
    await sueAnswers(callId, 'whisper');
    expect(fx.ari.ops('snoop')[0]!.args[1]).toMatchObject({ spy: 'both', whisper: 'out' });
  });

  it("barge: Sue's phone joins the call's own bridge, no snoop", async () => {
    const { callId, caller, annLeg } = await callWithAnn();
    const { sueLeg } = await sueAnswers(callId, 'barge');
    expect(fx.ari.ops('snoop')).toHaveLength(0);
    expect(bridge(`hotline-${callId}`)).toEqual([caller, annLeg, sueLeg].sort());
  });

  it('changing the mode replaces the snoop, moves Sue between bridges, and is audited with times', async () => {
    const { callId, caller, annLeg } = await callWithAnn();
    const { sueLeg, snoopId } = await sueAnswers(callId, 'listen');
    await fx.advance(1000);
    await monitor.change(callId, sue, 'whisper');
    await fx.settle();
    expect(fx.ari.hungUp()).toContain(snoopId);
    expect(fx.ari.ops('snoop')).toHaveLength(2);
    expect(fx.ari.ops('snoop')[1]!.args[1]).toMatchObject({ whisper: 'out' });
    await fx.advance(1000);
    await monitor.change(callId, sue, 'barge');
    await fx.settle();
    const second = (fx.ari.ops('snoop')[1]!.args[1] as { snoopId: string }).snoopId;
    expect(fx.ari.hungUp()).toContain(second);
    expect(bridge(`hotline-${callId}`)).toEqual([caller, annLeg, sueLeg].sort());
    expect(bridge(`hotline-mon-${callId}`)).toEqual([]);
    await monitor.change(callId, sue, 'listen');
    await fx.settle();
    expect(bridge(`hotline-${callId}`)).toEqual([caller, annLeg].sort());
    expect(fx.ari.ops('snoop')).toHaveLength(3);
    const [row] = await audit();
    expect(row!.modes.map((m) => m.mode)).toEqual(['listen', 'whisper', 'barge', 'listen']);
    expect(Date.parse(row!.modes[1]!.at) - Date.parse(row!.modes[0]!.at)).toBeGreaterThanOrEqual(
      1000,
    );
    expect(row).toMatchObject({ mode: 'listen', endedAt: null, answeredAt: expect.any(String) });
  });
});

describe('who may', () => {
  it('one monitor at a time: 409 with the session named', async () => {
    const { callId } = await callWithAnn();
    await monitor.start(callId, sue, 'listen');
    await expect(monitor.start(callId, quinn, 'listen')).rejects.toMatchObject({
      code: 'HOTLINE_MONITOR_BUSY',
      status: 409,
    });
  });

  it('QA listens only (by default); nobody monitors their own call; a phone is needed', async () => {
    const { callId } = await callWithAnn();
    await expect(monitor.start(callId, quinn, 'whisper')).rejects.toMatchObject({
      code: 'HOTLINE_MONITOR_MODE_FORBIDDEN',
    });
    await expect(monitor.start(callId, quinn, 'barge')).rejects.toMatchObject({
      code: 'HOTLINE_MONITOR_MODE_FORBIDDEN',
    });
    await expect(
      monitor.start(callId, { ...ann, role: 'supervisor' }, 'listen'),
    ).rejects.toMatchObject({ code: 'HOTLINE_MONITOR_OWN_CALL' });
    await expect(
      monitor.start(callId, { ...sue, extension: null }, 'listen'),
    ).rejects.toMatchObject({ code: 'HOTLINE_NO_EXTENSION' });
    await expect(monitor.start('no-such-call', sue, 'listen')).rejects.toMatchObject({
      code: 'HOTLINE_CALL_NOT_FOUND',
    });
    const view = await monitor.start(callId, quinn, 'listen');
    expect(view.mode).toBe('listen');
    // QA may not switch a listen into a whisper either.
    await expect(monitor.change(callId, quinn, 'whisper')).rejects.toMatchObject({
      code: 'HOTLINE_MONITOR_MODE_FORBIDDEN',
    });
    // Someone else's session is not QA's to change or end.
  });

  it('a configured QA may whisper; only the session owner (or a manager) changes or ends it', async () => {
    const wider = createMonitorControls(fx.engine.ctx, { qaModes: ['listen', 'whisper'] });
    const { callId } = await callWithAnn();
    await wider.start(callId, quinn, 'whisper');
    const other = { id: 999, role: 'qa' as const };
    await expect(wider.stop(callId, other)).rejects.toMatchObject({
      code: 'HOTLINE_NOT_MONITORING',
    });
    await wider.stop(callId, sue); // a supervisor may end it
    expect((await audit())[0]).toMatchObject({ endReason: 'stopped' });
  });

  it('a call that is not answered yet cannot be monitored', async () => {
    fx.ari.inbound('caller-2', '13900002222');
    const ring = await fx.until(() => fx.ari.originates()[0], 'Ann rung');
    const callId = ring.appArgs!.split(',')[1]!;
    await expect(monitor.start(callId, sue, 'listen')).rejects.toMatchObject({
      code: 'HOTLINE_CALL_NOT_CONNECTED',
    });
  });
});

describe('ending cleanly', () => {
  it('the caller hangs up: the call ends, Sue and the snoop are hung up, the bridge destroyed, audited', async () => {
    const { callId, caller } = await callWithAnn();
    const { sueLeg, snoopId } = await sueAnswers(callId, 'listen');
    fx.ari.hangupFromFar(caller);
    await fx.ended(callId);
    expect(fx.ari.hungUp()).toEqual(expect.arrayContaining([sueLeg, snoopId]));
    expect(fx.ari.bridges.has(`hotline-mon-${callId}`)).toBe(false);
    expect((await audit())[0]).toMatchObject({
      endReason: 'call-ended',
      endedAt: expect.any(String),
    });
    const types = (await fx.calls.events(callId)).map((e) => e.type);
    // The monitoring is on the timeline, and ends before the call does.
    expect(types.filter((t) => t.startsWith('monitor-') || t === 'ended')).toEqual([
      'monitor-ringing',
      'monitor-started',
      'monitor-ended',
      'ended',
    ]);
  });

  it('Sue hangs up: only the monitoring ends; the call goes on', async () => {
    const { callId, caller, annLeg } = await callWithAnn();
    const { sueLeg, snoopId } = await sueAnswers(callId, 'listen');
    fx.ari.hangupFromFar(sueLeg);
    await fx.settle();
    expect(fx.ari.hungUp()).toContain(snoopId);
    expect(fx.ari.bridges.has(`hotline-mon-${callId}`)).toBe(false);
    expect(bridge(`hotline-${callId}`)).toEqual([caller, annLeg].sort());
    expect(fx.engine.registry.get(callId)).toMatchObject({ state: 'talking', monitor: null });
    expect((await audit())[0]).toMatchObject({ endReason: 'monitor-hangup' });
    // The call can be monitored again.
    await monitor.start(callId, sue, 'barge');
  });

  it("the agent transfers the call: monitoring ends with the agent's leg", async () => {
    const { callId } = await callWithAnn();
    const { sueLeg } = await sueAnswers(callId, 'barge');
    await fx.engine.controls.transfer(callId, ann, 'blind', { type: 'agent', userId: bob.id });
    await fx.settle();
    expect(fx.ari.hungUp()).toContain(sueLeg);
    expect((await audit())[0]).toMatchObject({ endReason: 'transferred' });
    expect(fx.engine.registry.get(callId)?.monitor).toBeNull();
  });

  it("Sue's phone is busy: the session ends (declined) and the call can be monitored again", async () => {
    const { callId } = await callWithAnn();
    await monitor.start(callId, sue, 'listen');
    const ring = fx.ari.originates().find((o) => o.appArgs === `monitor,${callId}`)!;
    fx.ari.agentLegDestroyed(ring.channelId!, 17, 'User busy');
    await fx.settle();
    expect((await audit())[0]).toMatchObject({ endReason: 'declined', answeredAt: null });
    expect(fx.engine.registry.get(callId)?.monitor).toBeNull();
  });

  it('Sue stops it: her phone is hung up; timeline says stopped', async () => {
    const { callId } = await callWithAnn();
    const { sueLeg } = await sueAnswers(callId, 'whisper');
    await monitor.stop(callId, sue);
    await fx.settle();
    expect(fx.ari.hungUp()).toContain(sueLeg);
    expect((await timeline(callId)).at(-1)).toMatchObject({
      type: 'monitor-ended',
      data: expect.objectContaining({ reason: 'stopped' }),
    });
  });

  it('the call ends while Sue is still ringing: her phone stops ringing', async () => {
    const { callId, caller } = await callWithAnn();
    await monitor.start(callId, sue, 'listen');
    const ring = fx.ari.originates().find((o) => o.appArgs === `monitor,${callId}`)!;
    fx.ari.hangupFromFar(caller);
    await fx.ended(callId);
    expect(fx.ari.hungUp()).toContain(ring.channelId);
    // Answering late finds no call: hung up, nothing bridged.
    fx.ari.answers(ring.channelId!);
    await fx.settle();
    expect(fx.ari.ops('snoop')).toHaveLength(0);
  });
});

describe('after a lost event link', () => {
  it("the resync keeps a live monitor's legs, and ends the monitoring whose phone went in the gap", async () => {
    const { callId } = await callWithAnn();
    const { sueLeg, snoopId } = await sueAnswers(callId, 'listen');
    fx.ari.disconnect();
    fx.ari.reconnect();
    await fx.settle();
    expect(fx.ari.hungUp()).not.toContain(sueLeg);
    expect(fx.ari.hungUp()).not.toContain(snoopId);
    expect(fx.engine.registry.get(callId)?.monitor).not.toBeNull();
    // Sue hangs up while the link is down: Asterisk no longer lists her phone.
    fx.ari.disconnect();
    await fx.ari.rest.hangup(sueLeg);
    fx.ari.reconnect();
    await fx.until(() => fx.engine.registry.get(callId)?.monitor === null, 'monitoring ended');
    expect((await audit())[0]).toMatchObject({ endReason: 'ended-while-disconnected' });
    expect(fx.engine.registry.get(callId)?.state).toBe('talking');
  });
});

describe('with a satisfaction survey', () => {
  it("the agent hangs up first on a survey queue: the monitoring ends with the agent's conversation", async () => {
    fx.queues.get('general')!.survey = 'after-agent-hangup';
    const { callId, annLeg } = await callWithAnn();
    const { sueLeg } = await sueAnswers(callId, 'barge');
    fx.ari.hangupFromFar(annLeg);
    await fx.until(() => fx.engine.registry.get(callId)?.state === 'surveying', 'surveying');
    await fx.settle();
    expect(fx.ari.hungUp()).toContain(sueLeg);
    expect(fx.engine.registry.get(callId)?.monitor).toBeNull();
    expect((await audit())[0]).toMatchObject({ endReason: 'agent-left' });
  });
});

describe('on the supervisor wall', () => {
  it('a call is "being monitored" from the answer of the monitor\'s phone to the end of the session', async () => {
    const { isBeingMonitored } = await import('../../../src/supervision/wall');
    const { callId } = await callWithAnn();
    const s = () => fx.engine.registry.get(callId)!;
    expect(isBeingMonitored(s())).toBe(false);
    await monitor.start(callId, sue, 'listen');
    expect(isBeingMonitored(s())).toBe(false); // still ringing
    const ring = fx.ari.originates().find((o) => o.appArgs === `monitor,${callId}`)!;
    fx.ari.answers(ring.channelId!);
    await fx.settle();
    expect(isBeingMonitored(s())).toBe(true);
    await monitor.stop(callId, sue);
    expect(isBeingMonitored(s())).toBe(false);
  });
});
