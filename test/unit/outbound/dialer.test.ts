/**
 * The campaign dialer (src/outbound/dialing/dialer.ts) wired to the call engine as hotline.ts
 * wires it, driven from the outside: campaigns and contacts in the database, "start" as the
 * campaigns route does it (status running, then a poke), the dialer's own ticks, ARI events in
 * through the fake ARI, Dial/Skip as the dialing routes call them. Asserted: originates (endpoint
 * and appArgs), bridges, call records, attempts and contact rows, pops and agent states.
 */
import type { User } from '../../../src/agents/users-repo';
import { engineFixture, useEngineFakeTimers } from '../../support/engine-fixture';
import { createDncRepo } from '../../../src/outbound/dnc/dnc-repo';
import { campaignInput, contactRow, insertContact } from './outbound-data';

type Fx = Awaited<ReturnType<typeof engineFixture>>;
let fx: Fx;
let ann: User;

const RETRY = { busy: 2, noAnswer: 3, failed: 30, machine: 240 };

beforeEach(async () => {
  useEngineFakeTimers();
  fx = await engineFixture({ dialer: true });
  ann = await fx.agent('ann', '1001');
});
afterEach(async () => {
  await fx.close();
  jest.useRealTimers();
});

async function campaign(
  mode: 'preview' | 'progressive' | 'predictive',
  agents: User[],
  extra: { amd?: boolean } = {},
) {
  const c = await fx.campaigns.create(
    campaignInput({
      queue: 'general',
      mode,
      maxAttempts: 3,
      retryMinutes: RETRY,
      script: 'Hello {{firstName}}',
      ...extra,
    }),
    null,
  );
  for (const a of agents) await fx.campaigns.join(c.id, a.id);
  return c.id;
}
/** As POST /api/campaigns/:id/start: running, then the dialer is told (changed); its ticks start too. */
async function start(id: number) {
  await fx.campaigns.setStatus(id, 'running');
  fx.dialer.start();
  fx.dialer.changed();
  await fx.settle();
}

const popsOf = (agentId: number) =>
  fx.notified.filter((n) => n.agentId === agentId && n.kind === 'pop').map((n) => n.pop!);
const updatesOf = (agentId: number) =>
  fx.notified.filter((n) => n.agentId === agentId && n.kind === 'update').map((n) => n.update!);
const trunkDials = () => fx.ari.originates().filter((o) => o.endpoint.endsWith('@carrier'));
const attempts = (contactId: number) =>
  fx.db('outbound_attempts').where({ contact_id: contactId }).orderBy('id').select('outcome');
const callIdOf = (appArgs: string | undefined) => appArgs!.split(',')[1]!;

describe('progressive', () => {
  it('dials the customer first; on answer the customer is bridged to a free telemarketer (pop, then ring)', async () => {
    const id = await campaign('progressive', [ann]);
    const contactId = await insertContact(fx.db, { campaignId: id, phone: '+8613800000001' });
    await start(id);
    const dial = await fx.until(() => trunkDials()[0], 'customer dialed');
    const callId = callIdOf(dial.appArgs);
    expect(dial).toMatchObject({
      endpoint: 'PJSIP/+8613800000001@carrier',
      appArgs: `obcallee,${callId}`,
    });
    expect(fx.ari.originates()).toHaveLength(1); // nobody's phone rings before the answer
    expect(await fx.record(callId)).toMatchObject({
      direction: 'outbound',
      campaignId: id,
      contactId,
      endedAt: null,
    });

    fx.ari.answers(dial.channelId!);
    const ring = await fx.until(() => fx.ari.originates()[1], 'telemarketer rung');
    expect(ring).toMatchObject({ endpoint: 'PJSIP/1001', appArgs: `agent,${callId}` });
    const bridge = fx.ari.bridges.get(`hotline-${callId}`)!;
    expect(bridge.channels).toEqual([dial.channelId]);
    expect(popsOf(ann.id)).toEqual([
      expect.objectContaining({
        callId,
        direction: 'outbound',
        campaign: expect.objectContaining({ id, script: 'Hello Li' }),
        contact: expect.objectContaining({ id: contactId }),
      }),
    ]);

    fx.ari.answers(ring.channelId!);
    await fx.until(() => bridge.channels.includes(ring.channelId!), 'telemarketer bridged');
    expect(fx.agents.get(ann.id)).toMatchObject({ activity: 'on-call', callId });
    fx.ari.hangupFromFar(dial.channelId!);
    expect(await fx.ended(callId)).toMatchObject({ outcome: 'answered', agentId: ann.id });
    await fx.until(async () => (await attempts(contactId)).length === 1, 'attempt recorded');
    expect(await attempts(contactId)).toEqual([{ outcome: 'answered' }]);
    expect(await contactRow(fx.db, contactId)).toMatchObject({ status: 'done', attempts: 1 });
  });

  it.each([
    [17, 'User busy', 'busy', RETRY.busy],
    [19, 'No user responding', 'no-answer', RETRY.noAnswer],
  ] as const)(
    'customer ChannelDestroyed %i (%s): attempt recorded, redialed after the retry delay',
    async (cause, text, outcome, retryMin) => {
      const id = await campaign('progressive', [ann]);
      const contactId = await insertContact(fx.db, { campaignId: id });
      await start(id);
      const dial = await fx.until(() => trunkDials()[0], 'customer dialed');
      const callId = callIdOf(dial.appArgs);
      fx.ari.agentLegDestroyed(dial.channelId!, cause, text);
      expect(await fx.ended(callId)).toMatchObject({ outcome, agentId: null });
      await fx.until(async () => (await attempts(contactId)).length === 1, 'attempt recorded');
      expect(await attempts(contactId)).toEqual([{ outcome }]);
      expect(await contactRow(fx.db, contactId)).toMatchObject({
        status: 'scheduled',
        attempts: 1,
        last_outcome: outcome,
        next_attempt_at: Date.now() + retryMin * 60_000,
      });
      expect(fx.agents.get(ann.id)).toMatchObject({ activity: 'idle', state: 'available' });

      await fx.advance(retryMin * 60_000 - 10_000, 30_000);
      expect(trunkDials()).toHaveLength(1);
      await fx.advance(12_000, 2000);
      // The redial is a chain of database round trips: wait for it rather than count turns.
      await fx.until(() => trunkDials().length === 2, 'redialed after the retry delay');
      expect(trunkDials()[1]!.endpoint).toBe(dial.endpoint);
    },
  );

  it('a pause is seen at once: the next line that frees up dials nothing (campaigns are read once per tick, again on change)', async () => {
    const id = await campaign('progressive', [ann]);
    await insertContact(fx.db, { campaignId: id, phone: '+8613800000001' });
    await insertContact(fx.db, { campaignId: id, phone: '+8613800000002' });
    await start(id);
    const dial = await fx.until(() => trunkDials()[0], 'first customer dialed');
    await fx.campaigns.setStatus(id, 'paused');
    fx.dialer.changed();
    fx.ari.agentLegDestroyed(dial.channelId!, 17, 'User busy');
    await fx.ended(callIdOf(dial.appArgs));
    await fx.advance(3000, 500);
    expect(trunkDials()).toHaveLength(1);
  });

  it('checks a claimed batch against the do-not-call list in one query and dials only the rest', async () => {
    const bob = await fx.agent('bob', '1002');
    const cyd = await fx.agent('cyd', '1003');
    const id = await campaign('progressive', [ann, bob, cyd]);
    const phones = ['+8613800000001', '+8613800000002', '+8613800000003'];
    const ids: number[] = [];
    for (const phone of phones) ids.push(await insertContact(fx.db, { campaignId: id, phone }));
    await createDncRepo(fx.db).add({ phone: phones[1]!, campaignId: null, userId: null });
    const dncQueries: string[] = [];
    fx.db.on('query', (q: { sql: string }) => {
      if (q.sql.includes('"dnc_numbers"')) dncQueries.push(q.sql);
    });
    await start(id);
    await fx.until(() => trunkDials().length === 2 || undefined, 'two customers dialed');
    await fx.advance(1000, 500);
    expect(trunkDials().map((d) => d.endpoint)).toEqual([
      expect.stringContaining('8613800000001'),
      expect.stringContaining('8613800000003'),
    ]);
    expect(dncQueries).toHaveLength(1);
    expect((await contactRow(fx.db, ids[1]!)).status).toBe('dnc');
  });

  it('asks the do-not-call list again for the rest of a batch when a dial took over a second', async () => {
    const bob = await fx.agent('bob', '1002');
    const id = await campaign('progressive', [ann, bob]);
    const phones = ['+8613800000001', '+8613800000002'];
    const ids: number[] = [];
    for (const phone of phones) ids.push(await insertContact(fx.db, { campaignId: id, phone }));
    // The first customer's originate is slow (1.5 s), and meanwhile the second number is listed.
    const originate = fx.ari.rest.originate.bind(fx.ari.rest);
    let slowed = false;
    fx.ari.rest.originate = async (p) => {
      if (!slowed && p.endpoint.endsWith('@carrier')) {
        slowed = true;
        await createDncRepo(fx.db).add({ phone: phones[1]!, campaignId: null, userId: null });
        jest.setSystemTime(Date.now() + 1500);
      }
      return originate(p);
    };
    await start(id);
    await fx.until(() => trunkDials()[0], 'first customer dialed');
    await fx.until(
      async () => (await contactRow(fx.db, ids[1]!)).status === 'dnc' || undefined,
      'second contact found on the list',
    );
    expect(trunkDials()).toHaveLength(1);
  });

  it('places no call while no joined telemarketer is free', async () => {
    await fx.agents.setState(ann.id, 'break');
    const id = await campaign('progressive', [ann]);
    await insertContact(fx.db, { campaignId: id });
    await start(id);
    await fx.advance(5000, 1000);
    expect(fx.ari.originates()).toHaveLength(0);
    await fx.agents.setState(ann.id, 'available');
    await fx.until(() => trunkDials()[0], 'dialed once Ann is free');
  });
});

describe('leadership lost and led again (stop, start)', () => {
  it("forgets the old term's rings: the contact, settled from its record, is dialed again once due", async () => {
    const id = await campaign('progressive', [ann]);
    const contactId = await insertContact(fx.db, { campaignId: id, phone: '+8613800000009' });
    await start(id);
    const dial = await fx.until(() => trunkDials()[0], 'customer dialed');
    const callId = callIdOf(dial.appArgs);
    // The lease is lost while the customer's phone rings: the dialer stops, the engine lets go.
    fx.dialer.stop();
    fx.engine.release();
    // The leader of the time closes the unconnected call (reconcile at its start).
    await fx.calls.commit(callId, {
      type: 'ended',
      at: Date.now(),
      data: { outcome: 'failed', endedBy: 'system' },
    });
    // This instance leads again: the attempt is settled from the record, retried after 30 min.
    await fx.advance(1000);
    fx.dialer.start();
    fx.dialer.changed();
    await fx.settle();
    await fx.until(async () => (await attempts(contactId)).length === 1, 'attempt settled');
    expect(await contactRow(fx.db, contactId)).toMatchObject({
      status: 'scheduled',
      attempts: 1,
      last_outcome: 'failed',
    });
    await fx.advance(RETRY.failed * 60_000 + 5000, 30_000);
    await fx.until(() => trunkDials().length === 2, 'dialed again after the retry delay');
    expect(trunkDials()[1]!.endpoint).toBe('PJSIP/+8613800000009@carrier');
  });
});

describe('preview', () => {
  it('pops the contact to the agent, nothing dialed; Dial rings the agent first, then the customer', async () => {
    const id = await campaign('preview', [ann]);
    const contactId = await insertContact(fx.db, { campaignId: id, phone: '+8613800000002' });
    await start(id);
    const pop = await fx.until(() => popsOf(ann.id)[0], 'preview popped');
    expect(pop).toMatchObject({
      preview: true,
      direction: 'outbound',
      campaign: expect.objectContaining({ id, script: 'Hello Li' }),
      contact: expect.objectContaining({ id: contactId }),
    });
    await fx.advance(3000, 1000);
    expect(fx.ari.originates()).toHaveLength(0);
    expect(fx.agents.get(ann.id)).toMatchObject({ activity: 'offered' });

    const callId = await fx.dialer.dialPreview(contactId, ann);
    expect(callId).toBe(pop.callId);
    const ring = fx.ari.originates()[0]!;
    expect(ring).toMatchObject({ endpoint: 'PJSIP/1001', appArgs: `obagent,${callId}` });
    expect(trunkDials()).toHaveLength(0);
    fx.ari.answers(ring.channelId!);
    const dial = await fx.until(() => trunkDials()[0], 'customer dialed');
    expect(dial).toMatchObject({
      endpoint: 'PJSIP/+8613800000002@carrier',
      appArgs: `callee,${callId}`,
    });
    const bridge = fx.ari.bridges.get(`hotline-${callId}`)!;
    expect(bridge.channels).toEqual([ring.channelId]);
    fx.ari.answers(dial.channelId!);
    await fx.until(() => bridge.channels.includes(dial.channelId!), 'customer bridged');
    expect(updatesOf(ann.id).at(-1)).toMatchObject({ callId, state: 'answered' });
    fx.ari.hangupFromFar(dial.channelId!);
    expect(await fx.ended(callId)).toMatchObject({
      outcome: 'answered',
      agentId: ann.id,
      campaignId: id,
      contactId,
    });
    await fx.until(async () => (await attempts(contactId)).length === 1, 'attempt recorded');
  });

  it('Skip withdraws the preview, puts the contact back for later, and offers the next contact', async () => {
    const id = await campaign('preview', [ann]);
    const first = await insertContact(fx.db, { campaignId: id, createdAt: 1 });
    const second = await insertContact(fx.db, { campaignId: id, createdAt: 2 });
    await start(id);
    const pop = await fx.until(() => popsOf(ann.id)[0], 'first preview');
    expect(pop.contact).toMatchObject({ id: first });
    await fx.dialer.skipPreview(first, ann);
    expect(updatesOf(ann.id).at(-1)).toMatchObject({
      callId: pop.callId,
      state: 'ended',
      withdrawn: true,
      reason: 'skipped-agent',
    });
    const next = await fx.until(() => popsOf(ann.id)[1], 'second preview');
    expect(next.contact).toMatchObject({ id: second });
    expect(await contactRow(fx.db, first)).toMatchObject({
      status: 'new',
      next_attempt_at: Date.now() + 30 * 60_000,
    });
    expect(fx.ari.originates()).toHaveLength(0);
  });

  it('the agent does not answer after Dial: the attempt is void, the contact goes back, the agent on break', async () => {
    fx.ringTimeout(10);
    const id = await campaign('preview', [ann]);
    const contactId = await insertContact(fx.db, { campaignId: id });
    await start(id);
    await fx.until(() => popsOf(ann.id)[0], 'preview popped');
    const callId = await fx.dialer.dialPreview(contactId, ann);
    const ring = fx.ari.originates()[0]!;
    await fx.advance(9000);
    expect(fx.ari.hungUp()).not.toContain(ring.channelId);
    await fx.advance(1500);
    expect(fx.ari.hungUp()).toContain(ring.channelId);
    expect(fx.agents.get(ann.id)).toMatchObject({ state: 'break', reason: 'missed-call' });
    expect(await fx.record(callId)).toMatchObject({ outcome: 'failed' });
    expect(await attempts(contactId)).toEqual([]);
    expect(await contactRow(fx.db, contactId)).toMatchObject({ status: 'new', attempts: 0 });
    expect(trunkDials()).toHaveLength(0);
  });

  // Regression of 17f460c: the pass over free agents stopped at the first with nothing due.
  it('two telemarketers, only the second has contacts assigned: the second still gets the preview', async () => {
    const bob = await fx.agent('bob', '1002');
    const id = await campaign('preview', [ann, bob]);
    const contactId = await insertContact(fx.db, { campaignId: id, assignedUserId: bob.id });
    await start(id);
    const pop = await fx.until(() => popsOf(bob.id)[0], "Bob's preview");
    expect(pop).toMatchObject({
      preview: true,
      contact: expect.objectContaining({ id: contactId }),
    });
    expect(popsOf(ann.id)).toEqual([]);
    expect(fx.agents.get(ann.id)).toMatchObject({ activity: 'idle' });
    expect(fx.agents.get(bob.id)).toMatchObject({ activity: 'offered' });
  });
});

describe('predictive', () => {
  it('an answered customer with no free agent within 2 s hears the abandon message; outcome abandoned', async () => {
    const id = await campaign('predictive', [ann]);
    const contactId = await insertContact(fx.db, { campaignId: id });
    await start(id);
    const dial = await fx.until(() => trunkDials()[0], 'customer dialed');
    const callId = callIdOf(dial.appArgs);
    // Ann goes on a break while the customer's phone rings.
    await fx.agents.setState(ann.id, 'break');
    fx.ari.answers(dial.channelId!);
    await fx.until(
      () => fx.ari.bridges.get(`hotline-${callId}`)?.channels.includes(dial.channelId!),
      'customer waiting in the bridge',
    );
    await fx.advance(1900, 100);
    expect(fx.ari.ops('play')).toHaveLength(0);
    await fx.advance(200, 100);
    const play = await fx.until(() => fx.ari.ops('play')[0], 'abandon message');
    expect(play.args[0]).toBe(dial.channelId);
    expect(play.args[1]).toBe(fx.config.telephony.abandonMessage);
    expect(fx.ari.originates()).toHaveLength(1); // nobody was rung

    fx.ari.playbackFinished(play.args[2] as string);
    const rec = await fx.ended(callId);
    expect(rec).toMatchObject({ outcome: 'abandoned', agentId: null, endedBy: 'system' });
    expect(fx.ari.hungUp()).toContain(dial.channelId);
    await fx.until(async () => (await attempts(contactId)).length === 1, 'attempt recorded');
    expect(await attempts(contactId)).toEqual([{ outcome: 'abandoned' }]);
    expect(await contactRow(fx.db, contactId)).toMatchObject({
      status: 'scheduled',
      next_attempt_at: Date.now() + RETRY.noAnswer * 60_000,
    });
  });

  it('an answered customer is connected when an agent is free within the 2 s', async () => {
    const id = await campaign('predictive', [ann]);
    await insertContact(fx.db, { campaignId: id });
    await start(id);
    const dial = await fx.until(() => trunkDials()[0], 'customer dialed');
    fx.ari.answers(dial.channelId!);
    const ring = await fx.until(() => fx.ari.originates()[1], 'Ann rung');
    fx.ari.answers(ring.channelId!);
    await fx.advance(3000, 500);
    expect(fx.ari.ops('play')).toHaveLength(0);
    expect(fx.agents.get(ann.id)).toMatchObject({ activity: 'on-call' });
  });
});

describe('answering-machine detection (amd: true)', () => {
  /** An AMD campaign's customer dialed and answered: the channel is in the AMD context. */
  async function answeredIntoAmd() {
    const id = await campaign('progressive', [ann], { amd: true });
    const contactId = await insertContact(fx.db, { campaignId: id });
    await start(id);
    const dial = await fx.until(() => trunkDials()[0], 'customer dialed');
    const callId = callIdOf(dial.appArgs);
    fx.ari.answers(dial.channelId!);
    await fx.until(() => fx.ari.ops('continueInDialplan')[0], 'sent to AMD');
    fx.ari.leavesStasis(dial.channelId!);
    await fx.settle();
    return { id, contactId, callId, channelId: dial.channelId! };
  }
  const verdict = (channelId: string, callId: string, status: string, cause: string) =>
    fx.ari.returnsToStasis(channelId, ['obamd', callId, status, cause]);

  it('an answered customer goes to the AMD context, subscribed, before anyone is rung or bridged', async () => {
    const { callId, channelId } = await answeredIntoAmd();
    const ops = fx.ari
      .ops()
      .map((o) => o.op)
      .filter((o) => ['subscribeChannel', 'setChannelVar', 'continueInDialplan'].includes(o));
    expect(ops).toEqual([
      'subscribeChannel',
      'setChannelVar',
      'setChannelVar',
      'continueInDialplan',
    ]);
    expect(fx.ari.ops('subscribeChannel')[0]!.args).toEqual(['hotline', channelId]);
    expect(fx.ari.ops('setChannelVar').map((o) => o.args)).toEqual([
      [channelId, 'HotlineCall', callId],
      // AMD() gets Hotline's after-greeting silence: one setting for the analysis and the clock.
      [channelId, 'HotlineAfterGreetingMs', String(fx.config.telephony.amdAfterGreetingMs)],
    ]);
    expect(fx.ari.ops('continueInDialplan')[0]!.args).toEqual([
      channelId,
      { context: 'hotline-amd', extension: 's', priority: 1 },
    ]);
    // StasisEnd of the continue is not a hang-up: the call is still open, nobody rung or popped.
    expect(await fx.record(callId)).toMatchObject({ endedAt: null });
    expect(fx.ari.originates()).toHaveLength(1);
    expect(fx.ari.bridges.get(`hotline-${callId}`)).toBeUndefined();
    expect(popsOf(ann.id)).toEqual([]);
  });

  it('MACHINE: hung up, outcome machine, retried after the machine delay; the agent never hears of it', async () => {
    const { contactId, callId, channelId } = await answeredIntoAmd();
    await fx.advance(2500, 500);
    verdict(channelId, callId, 'MACHINE', 'INITIALSILENCE-2500-2500');
    expect(await fx.ended(callId)).toMatchObject({ outcome: 'machine', agentId: null });
    expect(fx.ari.hungUp()).toContain(channelId);
    await fx.until(async () => (await attempts(contactId)).length === 1, 'attempt recorded');
    expect(await attempts(contactId)).toEqual([{ outcome: 'machine' }]);
    expect(await contactRow(fx.db, contactId)).toMatchObject({
      status: 'scheduled',
      next_attempt_at: Date.now() + RETRY.machine * 60_000,
    });
    expect(popsOf(ann.id)).toEqual([]);
    expect(fx.ari.originates()).toHaveLength(1);
    const amd = (await fx.calls.events(callId)).find((e) => e.type === 'amd-result');
    expect(amd?.data).toEqual({
      status: 'MACHINE',
      cause: 'INITIALSILENCE-2500-2500',
      analysisMs: expect.any(Number),
    });
    expect((amd?.data as { analysisMs: number }).analysisMs).toBeGreaterThanOrEqual(2500);
    expect(fx.agents.get(ann.id)).toMatchObject({ activity: 'idle', state: 'available' });
  });

  it('HUMAN: bridged and offered like any answered customer', async () => {
    const { callId, channelId } = await answeredIntoAmd();
    verdict(channelId, callId, 'HUMAN', 'HUMAN-300-800');
    const ring = await fx.until(() => fx.ari.originates()[1], 'telemarketer rung');
    expect(ring).toMatchObject({ endpoint: 'PJSIP/1001', appArgs: `agent,${callId}` });
    expect(fx.ari.bridges.get(`hotline-${callId}`)!.channels).toEqual([channelId]);
    expect(popsOf(ann.id)).toEqual([expect.objectContaining({ callId })]);
  });

  it('HUMAN with nobody free: the 2-second clock started at the end of the greeting (0.8 s before the verdict)', async () => {
    const { callId, channelId } = await answeredIntoAmd();
    await fx.agents.setState(ann.id, 'break');
    verdict(channelId, callId, 'HUMAN', 'HUMAN-300-800');
    await fx.until(
      () => fx.ari.bridges.get(`hotline-${callId}`)?.channels.includes(channelId),
      'waiting in the bridge',
    );
    await fx.advance(1100, 100);
    expect(fx.ari.ops('play')).toHaveLength(0);
    await fx.advance(200, 100);
    const play = await fx.until(() => fx.ari.ops('play')[0], 'abandon message');
    expect(play.args[1]).toBe(fx.config.telephony.abandonMessage);
  });

  it('NOTSURE is treated as a person (connected), never hung up on', async () => {
    const { callId, channelId } = await answeredIntoAmd();
    verdict(channelId, callId, 'NOTSURE', 'TOOLONG-5000');
    await fx.until(() => fx.ari.originates()[1], 'telemarketer rung');
    expect(fx.ari.hungUp()).not.toContain(channelId);
  });

  it('the person hangs up during the analysis: abandoned (counts against the cap), retried soon', async () => {
    const { contactId, callId, channelId } = await answeredIntoAmd();
    fx.ari.agentLegDestroyed(channelId, 16, 'Normal Clearing');
    expect(await fx.ended(callId)).toMatchObject({ outcome: 'abandoned', agentId: null });
    await fx.until(async () => (await attempts(contactId)).length === 1, 'attempt recorded');
    expect(await attempts(contactId)).toEqual([{ outcome: 'abandoned' }]);
    expect(popsOf(ann.id)).toEqual([]);
  });

  it('AMD cannot start (no such context): the customer is served as without AMD', async () => {
    const id = await campaign('progressive', [ann], { amd: true });
    await insertContact(fx.db, { campaignId: id });
    await start(id);
    const dial = await fx.until(() => trunkDials()[0], 'customer dialed');
    fx.ari.failNext('continueInDialplan');
    fx.ari.answers(dial.channelId!);
    await fx.until(() => fx.ari.originates()[1], 'telemarketer rung');
    expect(fx.ari.bridges.get(`hotline-${callIdOf(dial.appArgs)}`)!.channels).toEqual([
      dial.channelId,
    ]);
  });

  it('a channel back from AMD that no attempt is waiting for is hung up', async () => {
    fx.ari.returnsToStasis('stray', ['obamd', 'no-such-call', 'HUMAN', 'HUMAN-1-1']);
    await fx.until(() => fx.ari.hungUp().includes('stray'), 'stray hung up');
  });
});
