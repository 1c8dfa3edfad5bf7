/**
 * Issue 12, timers through a failover: a call-back's due time and a campaign contact's retry are
 * rows in the database (`tasks.due_at`, `campaign_contacts.next_attempt_at`), so the leader's
 * death must lose neither, and the new leader must dial each once, at its time (not early, not
 * twice). Two Hotline processes (test/support/failover-cluster.ts); the leader is killed with
 * SIGKILL before the timer is due; the lateness of each timer after the takeover is printed.
 * (1) also has another call-back talking at the kill: adopted by the new leader, recorded as
 * reached when it ends (from its call record: `tasks.attempt_call_id`), never dialed again.
 * (2) waits for a real one-minute retry (the API's smallest), which runs while (1) does.
 * (2) also checks that a socket on the killed leader stops counting in presence at once, and
 * (3) that one on a standby killed with kill -9 stops counting on the leader within seconds.
 * Ports 7620–7621 (HTTP), phone 1020 on 16620, the carrier's callee side on 127.0.0.2:15090
 * (telephony.trunkEndpoint points there, so the sandbox's default carrier port stays free).
 */
import {
  killAllSipp,
  placeCallPressing,
  registerPhone,
  startPhone,
  type Invite,
  type Phone,
} from '../support/sipp-peers';
import { waitFor } from '../support/engine-fixture';
import { failoverCluster, type Browser, type FailoverCluster } from '../support/failover-cluster';

jest.setTimeout(120_000);

const EXT = '1020';
const PHONE_PORT = 16620;
const CARRIER_PORT = 15090;
/** Busy at once at the carrier (ends in 1): every attempt fails, each schedules a retry. */
const BUSY = '+8613955562001';
/** The caller who asks for a call-back; the carrier answers this number (ends in 5). */
const CALLER = '13955561005';
const CALLER_E164 = `+86${CALLER}`;
/** Another caller asking for a call-back: dialed at once, talking when the leader is killed. */
const TALKER = '13955561006';
const TALKER_E164 = `+86${TALKER}`;

let c: FailoverCluster;
let agentPhone: Phone;
let carrier: Phone;
let agent: { id: number; token: string; browser: Browser | null };
const lateness: Record<string, number> = {};
const takeovers: Record<string, number> = {};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const digits = (n: string) => n.replace(/\D/g, '');
const invitesTo = async (p: Phone, n: string): Promise<Invite[]> =>
  (await p.invites()).filter((i) => digits(i.toUser).endsWith(digits(n).slice(-8)));

/** The campaign whose single contact (BUSY) is retried after a minute (the API's smallest). */
let campaign: { id: number; contactId: number; firstAttemptAt: number };

/** The agent's browser on the current standby (the instance that survives the next kill). */
async function browserOnStandby() {
  agent.browser?.socket.disconnect();
  agent.browser = await c.browser(agent.token);
  await sleep(300); // the leader counts the standby's socket (socket:connected over the bus)
  return agent.browser;
}

async function takeover(label: string) {
  const ms = await c.kill();
  takeovers[label] = ms;
  console.log(`failover-timers ${label}: takeover ${ms} ms (kill -9 → /healthz leader, ari open)`);
  expect(ms).toBeLessThan(5000);
}

beforeAll(async () => {
  c = await failoverCluster({
    ports: [7620, 7621],
    name: 'timers',
    config: {
      telephony: {
        ringTimeoutSec: 8,
        wrapUpSec: 0,
        popAckWaitMs: 500,
        recordingDefault: 'never',
        externalRingSec: 20,
        trunkEndpoint: `PJSIP/carrier/sip:{number}@127.0.0.2:${CARRIER_PORT}`,
        queues: [{ name: 'general', dids: [], callbackOfferAfterSec: 5 }],
        callbackMaxAttempts: 3,
        callbackRetryMin: 15,
      },
    },
  });
  await registerPhone({ ext: EXT, contactPort: PHONE_PORT });
  agentPhone = await startPhone({ ext: EXT, port: PHONE_PORT, mode: 'answer', ringMs: 300 });
  carrier = await startPhone({
    ext: 'carrier',
    port: CARRIER_PORT,
    host: '127.0.0.2',
    mode: 'carrier',
    ringMs: 300,
  });
  agent = { ...(await c.agent(`agent${EXT}`, EXT)), browser: null };
  await browserOnStandby();

  // The campaign first: its one-minute retry then runs while the call-back case does its part.
  const id = await c.campaign(
    {
      name: 'Retry through a failover',
      maxAttempts: 2,
      retryMinutes: { busy: 1, noAnswer: 60, failed: 30, machine: 240 },
    },
    [BUSY],
    agent.token,
  );
  expect((await c.api(c.standby, 'POST', `/api/campaigns/${id}/start`, c.adminToken)).status).toBe(
    200,
  );
  const contact = await waitFor(
    async () => {
      const r = await c
        .db('campaign_contacts')
        .where({ campaign_id: id })
        .first<{ id: number; status: string; attempts: number } | undefined>();
      return r?.status === 'scheduled' && Number(r.attempts) === 1 ? r : null;
    },
    15_000,
    'the first attempt busy, the retry scheduled',
  );
  const first = await invitesTo(carrier, BUSY);
  expect(first).toHaveLength(1);
  campaign = { id, contactId: contact.id, firstAttemptAt: first[0]!.at };
}, 120_000);

afterAll(async () => {
  await agentPhone?.stop();
  await carrier?.stop();
  killAllSipp();
  await c?.close();
  console.log(
    `failover-timers: takeovers ${JSON.stringify(takeovers)}, lateness after the takeover ${JSON.stringify(lateness)}`,
  );
});

afterEach(async () => {
  if (c && !c.standby) await c.replaceStandby();
});

interface TaskRow {
  id: number;
  status: string;
  attempts: number;
  due_at: string | number;
  result: string | null;
}

it('(1) a call-back due after the kill is dialed by the new leader at its due time, once; one talking at the kill is not dialed again', async () => {
  // The agent busy (on a break): two callers wait, are offered the call-back and press 1.
  expect((await c.setState(c.standby, agent.token, 'break')).status).toBe(200);
  const asked = await Promise.all(
    [CALLER, TALKER].map((from) =>
      placeCallPressing({ from, to: '4000', digit: '1', pressAfterMs: 6500 }),
    ),
  );
  expect(asked.map((r) => r.exitCode)).toEqual([0, 0]);
  const taskOf = (phone: string) =>
    waitFor(
      () => c.db('tasks').where({ kind: 'callback', phone }).first<TaskRow | undefined>(),
      5000,
      `call-back task of ${phone}`,
    );
  const task = await taskOf(CALLER_E164);
  const talkTask = await taskOf(TALKER_E164);
  // A supervisor moves the first to a time a few seconds after the kill (through the standby).
  const dueAt = Date.now() + 16_000;
  const moved = await c.api<{ dueAt: string }>(
    c.standby,
    'PUT',
    `/api/tasks/${task.id}`,
    c.adminToken,
    { dueAt: new Date(dueAt).toISOString() },
  );
  expect(moved.status).toBe(200);
  expect(Date.parse(moved.body.dueAt)).toBe(dueAt);
  const ringsBefore = (await agentPhone.invites()).length;
  expect(await invitesTo(carrier, CALLER_E164)).toHaveLength(0);
  // Free again: the other call-back (due now) is dialed at once and is talking at the kill.
  expect((await c.setState(c.standby, agent.token, 'available')).status).toBe(200);
  const talkPop = await waitFor(
    () => agent.browser!.pops.find((p) => p.callerNumber === TALKER_E164),
    10_000,
    'pop of the call-back due now',
  );
  await waitFor(
    () => agent.browser!.updates.some((u) => u.callId === talkPop.callId && u.state === 'answered'),
    10_000,
    'the call-back due now talking',
  );
  await sleep(Math.max(0, dueAt - 9000 - Date.now()));
  expect((await agentPhone.invites()).length).toBe(ringsBefore + 1); // the other's only
  expect(await invitesTo(carrier, CALLER_E164)).toHaveLength(0); // not early
  await takeover('callback');
  // The talking call-back was adopted; it ends now, before the first is due.
  expect(
    (await c.api(c.leader, 'POST', `/api/calls/${talkPop.callId}/hangup`, agent.token)).status,
  ).toBe(204);
  const talkDone = await waitFor(
    async () => {
      const r = await c.db('tasks').where({ id: talkTask.id }).first<TaskRow>();
      return r.status === 'done' ? r : null;
    },
    8000,
    'the talking call-back recorded as reached',
  ).catch(async () => c.db('tasks').where({ id: talkTask.id }).first<TaskRow>());
  console.log(
    `failover-timers callback talking at the kill: task ${talkDone.status} ${talkDone.result} after ${talkDone.attempts} attempt(s)`,
  );

  const customer = await waitFor(
    async () => (await invitesTo(carrier, CALLER_E164))[0],
    20_000,
    'the call-back customer dialed',
  );
  const rings = (await agentPhone.invites()).slice(ringsBefore + 1);
  const ring = rings.at(-1)!;
  lateness['callback-agent-rung'] = Math.round(ring.at - dueAt);
  lateness['callback-customer-dialed'] = Math.round(customer.at - dueAt);
  console.log(
    `failover-timers callback: due ${new Date(dueAt).toISOString()}, agent rung +${Math.round(ring.at - dueAt)} ms, customer dialed +${Math.round(customer.at - dueAt)} ms; agent rung ${rings.length}x after the kill`,
  );
  expect(rings).toHaveLength(1);
  expect(ring.at).toBeGreaterThanOrEqual(dueAt); // never early
  // The new leader's first poll sees it coming and wakes at its time (not a 5 s poll later).
  expect(ring.at - dueAt).toBeLessThan(2500);

  const pop = await waitFor(
    () => agent.browser!.pops.find((p) => p.callerNumber === CALLER_E164),
    5000,
    'call-back pop',
  );
  const callId = pop.callId;
  await waitFor(
    () => agent.browser!.updates.some((u) => u.callId === callId && u.state === 'answered'),
    10_000,
    'customer answered',
  );
  await sleep(1000);
  const hangup = await c.api(c.leader, 'POST', `/api/calls/${callId}/hangup`, agent.token);
  expect(hangup.status).toBe(204);
  const done = await waitFor(
    async () => {
      const r = await c.db('tasks').where({ id: task.id }).first<TaskRow>();
      return r.status === 'done' ? r : null;
    },
    10_000,
    'task done',
  );
  expect(done).toMatchObject({ result: 'reached' });
  expect(Number(done.attempts)).toBe(1);
  // Nothing more: one call record and one INVITE for each customer, the talker's task reached.
  await sleep(2000);
  expect(await invitesTo(carrier, CALLER_E164)).toHaveLength(1);
  expect(await invitesTo(carrier, TALKER_E164)).toHaveLength(1);
  expect((await agentPhone.invites()).length).toBe(ringsBefore + 2);
  for (const [phone, id] of [
    [CALLER_E164, callId],
    [TALKER_E164, talkPop.callId],
  ]) {
    const calls = await c
      .db('calls')
      .where({ dialed_number: phone })
      .select<Array<{ id: string; outcome: string }>>('id', 'outcome');
    expect(calls).toEqual([{ id, outcome: 'answered' }]);
  }
  expect(await c.db('tasks').where({ id: talkTask.id }).first<TaskRow>()).toMatchObject({
    status: 'done',
    result: 'reached',
    attempts: 1,
  });
});

it('(2) a campaign retry due after the kill is dialed by the new leader once, at its time', async () => {
  const row = await c
    .db('campaign_contacts')
    .where({ id: campaign.contactId })
    .first<{ status: string; attempts: number; next_attempt_at: string | number }>();
  expect(row).toMatchObject({ status: 'scheduled' });
  const dueAt = Number(row.next_attempt_at);
  // One minute after the busy attempt (the retry delay), in the calling hours (all day).
  expect(dueAt - campaign.firstAttemptAt).toBeGreaterThan(59_000);
  expect(dueAt - campaign.firstAttemptAt).toBeLessThan(61_000);
  await browserOnStandby();
  expect((await c.setState(c.standby, agent.token, 'available')).status).toBe(200);
  // Someone whose browser is on the leader: their presence must go with the killed leader.
  const watcher = await c.agent('watcher', null);
  const onLeader = await c.browser(watcher.token, c.leader);
  const presence = async () =>
    new Map(
      (
        await c.api<{ agents: Array<{ userId: number; connected: boolean }> }>(
          c.leader,
          'GET',
          '/api/agents',
          c.adminToken,
        )
      ).body.agents.map((a) => [a.userId, a.connected]),
    );
  await waitFor(async () => (await presence()).get(watcher.id), 5000, 'watcher present');
  const wait = dueAt - 6500 - Date.now();
  expect(wait).toBeGreaterThan(0); // the kill falls before the retry is due
  await sleep(wait);
  expect(await invitesTo(carrier, BUSY)).toHaveLength(1); // not early
  await takeover('campaign-retry');
  const tookOverAt = Date.now();
  const seen = await waitFor(
    async () => {
      const p = await presence();
      return p.get(watcher.id) === false ? p : null;
    },
    5000,
    "the killed leader's socket no longer counted",
  );
  onLeader.socket.disconnect();
  console.log(
    `failover-timers presence: the killed leader's socket gone ${Date.now() - tookOverAt} ms after the takeover; the agent on the new leader connected: ${seen.get(agent.id)}`,
  );
  expect(seen.get(agent.id)).toBe(true);

  const contact = await waitFor(
    async () => {
      const r = await c
        .db('campaign_contacts')
        .where({ id: campaign.contactId })
        .first<{ status: string; attempts: number }>();
      return r.status === 'done' ? r : null;
    },
    20_000,
    'the retry attempted (busy again: done after 2 attempts)',
  );
  expect(Number(contact.attempts)).toBe(2);
  await sleep(2000); // nothing more is dialed
  const invites = await invitesTo(carrier, BUSY);
  expect(invites).toHaveLength(2);
  const retry = invites[1]!;
  lateness['campaign-retry-dialed'] = Math.round(retry.at - dueAt);
  console.log(
    `failover-timers campaign: retry due ${new Date(dueAt).toISOString()}, dialed +${Math.round(retry.at - dueAt)} ms`,
  );
  expect(retry.at).toBeGreaterThanOrEqual(dueAt);
  expect(retry.at - dueAt).toBeLessThan(3000);
  // Never twice at once: two attempts, two calls, each ended before the next began.
  const attempts = await c
    .db('outbound_attempts')
    .where({ contact_id: campaign.contactId })
    .orderBy('at')
    .select<Array<{ call_id: string; outcome: string }>>('call_id', 'outcome');
  expect(attempts.map((a) => a.outcome)).toEqual(['busy', 'busy']);
  const calls = await c
    .db('calls')
    .where({ dialed_number: BUSY })
    .orderBy('started_at')
    .select<Array<{ id: string; started_at: string; ended_at: string }>>(
      'id',
      'started_at',
      'ended_at',
    );
  expect(calls.map((r) => r.id)).toEqual(attempts.map((a) => a.call_id));
  expect(Number(calls[0]!.ended_at)).toBeLessThanOrEqual(Number(calls[1]!.started_at));
  await c.api(c.leader, 'POST', `/api/campaigns/${campaign.id}/stop`, c.adminToken);
});

it('(3) presence: a socket on a standby killed with kill -9 stops counting on the leader soon', async () => {
  const watcher = await c.login(c.standby, 'watcher', 'password-1');
  const onStandby = await c.browser(watcher, c.standby);
  const watcherId = (await c.api<{ userId: number }>(c.leader, 'GET', '/api/agents/me', watcher))
    .body.userId;
  const connected = async () =>
    (
      await c.api<{ agents: Array<{ userId: number; connected: boolean }> }>(
        c.leader,
        'GET',
        '/api/agents',
        c.adminToken,
      )
    ).body.agents.find((a) => a.userId === watcherId)?.connected;
  await waitFor(connected, 5000, 'the standby socket counted by the leader');
  const killedAt = Date.now();
  await c.killStandby();
  await waitFor(async () => (await connected()) === false, 20_000, 'the socket forgotten');
  onStandby.socket.disconnect();
  const ms = Date.now() - killedAt;
  lateness['presence-after-standby-kill'] = ms;
  console.log(
    `failover-timers presence: a killed standby's socket forgotten ${ms} ms after the kill`,
  );
  // The leader asks Redis every second who still listens (a killed process is gone at once);
  // before, it waited for three silent 5 s presence periods (18.8 s measured).
  expect(ms).toBeLessThan(5000);
});
