/**
 * Issue 12, failover: two Hotline instances as OS processes (test/support/instance-process.ts)
 * on PostgreSQL and Redis, against the Asterisk sandbox, with SIPp callers, agents' phones and
 * the SIPp carrier; the agents' browsers (socket.io clients) are on the STANDBY. The leader is
 * killed with SIGKILL (no clean stop, no lease released) while (a) a call is talking, (b) a
 * caller is queued, (c) an agent's phone is ringing, (d) a progressive campaign is dialing;
 * the standby must take over within 5 s (printed) and finish every call correctly. After each
 * case a fresh standby is started where the killed leader was.
 * Ports 7600–7601 (HTTP), phones 1016/1017 on 16416/16417, the carrier on 127.0.0.2:15070.
 */
import {
  killAllSipp,
  placeCall,
  registerPhone,
  startPhone,
  type Phone,
} from '../support/sipp-peers';
import { waitFor } from '../support/engine-fixture';
import { failoverCluster, type Browser, type FailoverCluster } from '../support/failover-cluster';

jest.setTimeout(90_000);

let c: FailoverCluster;
const PORTS: Record<string, number> = { '1016': 16416, '1017': 16417 };
const phones = new Map<string, Phone>();
const team: Record<string, { id: number; token: string; browser: Browser | null }> = {};
const takeovers: Record<string, number> = {};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function phone(
  ext: string,
  mode: 'answer' | 'no-answer' | 'answer-unless-cancelled',
  ringMs = 200,
) {
  await phones.get(ext)?.stop();
  const p = await startPhone({ ext, port: PORTS[ext]!, mode, ringMs });
  phones.set(ext, p);
  return p;
}

const record = (callId: string) => c.record(callId);
const ended = (callId: string, ms?: number) => c.ended(callId, ms);

/** Fresh browsers on the current standby for `exts`; every agent offline first. */
async function agentsOnStandby(...exts: string[]) {
  for (const ext of Object.keys(PORTS)) {
    const a = team[ext]!;
    a.browser?.socket.disconnect();
    a.browser = null;
  }
  for (const ext of exts) team[ext]!.browser = await c.browser(team[ext]!.token);
  // The leader counts the standby's sockets (socket:connected over the cluster bus).
  await sleep(300);
  return exts.map((e) => team[e]! as { id: number; token: string; browser: Browser });
}

async function takeover(label: string) {
  const ms = await c.kill();
  takeovers[label] = ms;
  console.log(`failover ${label}: takeover ${ms} ms (kill -9 → /healthz leader, ari open)`);
  expect(ms).toBeLessThan(5000);
  return ms;
}

beforeAll(async () => {
  c = await failoverCluster({
    ports: [7600, 7601],
    name: 'it',
    config: {
      telephony: {
        ringTimeoutSec: 8,
        wrapUpSec: 0,
        popAckWaitMs: 500,
        recordingDefault: 'never',
        externalRingSec: 20,
      },
    },
  });
  for (const [ext, port] of Object.entries(PORTS)) {
    await registerPhone({ ext, contactPort: port });
    await phone(ext, 'answer');
    const a = await c.agent(`agent${ext}`, ext);
    team[ext] = { ...a, browser: null };
  }
}, 120_000);

afterAll(async () => {
  for (const p of phones.values()) await p.stop();
  killAllSipp();
  await c?.close();
  console.log(`failover takeovers: ${JSON.stringify(takeovers)}`);
});

afterEach(async () => {
  // The next case starts with a leader and a standby again.
  if (c && !c.standby) await c.replaceStandby();
});

it('(a) talking: the call stays up, keeps its agent, and ends answered with its talk time', async () => {
  const [ann] = await agentsOnStandby('1016');
  await phone('1016', 'answer', 200);
  expect((await c.setState(c.standby, ann!.token, 'available')).status).toBe(200);
  let callerDone = false;
  const holdMs = 9000;
  const call = placeCall({ from: '13800001601', to: '4000', holdMs }).finally(() => {
    callerDone = true;
  });
  const pop = await waitFor(() => ann!.browser.pops[0], 10_000, 'pop on the standby');
  await waitFor(
    () => ann!.browser.updates.some((u) => u.callId === pop.callId && u.state === 'answered'),
    10_000,
    'answered',
  );
  const answeredAt = Date.now();
  await sleep(1000);
  await takeover('a-talking');
  expect(callerDone).toBe(false); // the caller is still in the call
  const live = await record(pop.callId);
  expect(live).toMatchObject({ endedAt: null, agentId: ann!.id });
  const result = await call; // the caller hangs up holdMs after the answer: the call was up
  expect(result.exitCode).toBe(0);
  const rec = await ended(pop.callId);
  expect(rec).toMatchObject({ outcome: 'answered', agentId: ann!.id, endedBy: 'caller' });
  expect(rec.talkMs).toBeGreaterThan(holdMs - 1000);
  expect(rec.talkMs).toBeLessThan(holdMs + 1500);
  expect(Date.parse(rec.endedAt!)).toBeGreaterThan(answeredAt + holdMs - 1000);
  expect(rec.timeline.map((e) => e.type)).toContain('adopted-after-restart');
  // The browser (on the old standby, the leader now) is told the call ended.
  await waitFor(
    () => ann!.browser.updates.some((u) => u.callId === pop.callId && u.state === 'ended'),
    10_000,
    'call:update ended on the browser',
  );
});

/** The newest call's id and state from the database. */
async function lastCall(): Promise<{ id: string; state: string } | undefined> {
  return c.db('calls').orderBy('started_at', 'desc').first('id', 'state');
}

it('(b) queued: the caller keeps waiting through the takeover and reaches an agent made available after it', async () => {
  const [ann] = await agentsOnStandby('1016');
  const annPhone = await phone('1016', 'answer', 200);
  // Logged in (her browser) but on a break: the caller waits in the queue.
  expect((await c.setState(c.standby, ann!.token, 'break')).status).toBe(200);
  let callerDone = false;
  const holdMs = 25_000; // from the queue's answer
  const call = placeCall({ from: '13800001602', to: '4000', holdMs }).finally(() => {
    callerDone = true;
  });
  const queued = await waitFor(
    async () => {
      const r = await lastCall();
      return r?.state === 'queued' && !r.id.startsWith('x') ? r : null;
    },
    10_000,
    'caller queued',
  );
  await sleep(1000);
  await takeover('b-queued');
  expect(callerDone).toBe(false);
  expect(await record(queued.id)).toMatchObject({ endedAt: null, agentId: null });
  // A fresh standby; the agent is made available through it (forwarded to the new leader).
  const standby = await c.replaceStandby();
  const invitesBefore = (await annPhone.invites()).length;
  expect((await c.setState(standby, ann!.token, 'available')).status).toBe(200);
  const pop = await waitFor(
    () => ann!.browser.pops.find((p) => p.callId === queued.id),
    10_000,
    'pop of the queued caller',
  );
  expect(pop.callId).toBe(queued.id);
  await waitFor(
    () => ann!.browser.updates.some((u) => u.callId === queued.id && u.state === 'answered'),
    10_000,
    'agent connected',
  );
  expect((await annPhone.invites()).length).toBe(invitesBefore + 1);
  expect(callerDone).toBe(false);
  expect((await call).exitCode).toBe(0);
  const rec = await ended(queued.id);
  expect(rec).toMatchObject({ outcome: 'answered', agentId: ann!.id, endedBy: 'caller' });
  const types = rec.timeline.map((e) => e.type);
  expect(types).toContain('adopted-after-restart');
  expect(types.filter((t) => t === 'answered')).toHaveLength(1);
  await waitFor(
    () => ann!.browser.updates.some((u) => u.callId === queued.id && u.state === 'ended'),
    10_000,
    'call:update ended',
  );
});

it('(c) ringing: the offer ringing at kill time is cancelled and re-offered, answered once, and the record is correct', async () => {
  const [ann] = await agentsOnStandby('1016');
  // The phone rings 5 s before it answers (unless cancelled): the kill falls in the ringing.
  const annPhone = await phone('1016', 'answer-unless-cancelled');
  expect((await c.setState(c.standby, ann!.token, 'available')).status).toBe(200);
  const holdMs = 20_000;
  const call = placeCall({ from: '13800001603', to: '4000', holdMs });
  const pop = await waitFor(() => ann!.browser.pops[0], 10_000, 'pop');
  await waitFor(async () => (await annPhone.invites()).length > 0, 10_000, 'phone rings');
  await sleep(500);
  await takeover('c-ringing');
  await waitFor(
    () => ann!.browser.updates.some((u) => u.callId === pop.callId && u.state === 'answered'),
    20_000,
    'answered after the takeover',
  );
  // The first offer's leg was cancelled by the new leader (its ring timer died with the old one)
  // and the call offered again: two INVITEs, the first cancelled, the second answered.
  const invites = await annPhone.invites();
  expect(invites).toHaveLength(2);
  expect(await annPhone.cancels()).toEqual([invites[0]!.callId]);
  expect((await call).exitCode).toBe(0);
  const rec = await ended(pop.callId);
  console.log(`failover c-ringing timeline: ${rec.timeline.map((e) => e.type).join(', ')}`);
  expect(rec).toMatchObject({ outcome: 'answered', agentId: ann!.id, endedBy: 'caller' });
  expect(rec.timeline.map((e) => e.type)).toEqual([
    'started',
    'queued',
    'offered',
    'adopted-after-restart',
    'offered',
    'answered',
    'ended',
  ]);
  await waitFor(
    () => ann!.browser.updates.some((u) => u.callId === pop.callId && u.state === 'ended'),
    10_000,
    'call:update ended',
  );
});

it('(d) progressive campaign: dialing goes on after the takeover, one attempt per originate, no number dialed twice', async () => {
  const carrier = await startPhone({
    ext: 'carrier',
    port: 15070,
    host: '127.0.0.2',
    mode: 'carrier',
    ringMs: 1500,
  });
  try {
    const [bob] = await agentsOnStandby('1017');
    await phone('1017', 'answer', 200);
    // Ending in 2: rings until cancelled (the kill falls in it); ending in 1: busy at once.
    const numbers = ['+8613955550002', '+8613955550011', '+8613955550021', '+8613955550031'];
    const id = await c.campaign(
      {
        name: 'Failover',
        maxAttempts: 3,
        retryMinutes: { busy: 10, noAnswer: 60, failed: 30, machine: 240 },
      },
      numbers,
      bob!.token,
    );
    const before = (await carrier.invites()).length;
    expect(
      (await c.api(c.standby, 'POST', `/api/campaigns/${id}/start`, c.adminToken)).status,
    ).toBe(200);
    const digits = (n: string) => n.replace(/\D/g, '');
    const ofNumber = (toUser: string) => numbers.find((n) => toUser.endsWith(digits(n).slice(-8)));
    await waitFor(
      async () =>
        (await carrier.invites()).slice(before).some((i) => ofNumber(i.toUser) === numbers[0]),
      20_000,
      'the no-answer number ringing',
    );
    await sleep(500);
    const killedAt = Date.now();
    await takeover('d-campaign');
    const contacts = await waitFor(
      async () => {
        const rows = await c
          .db('campaign_contacts')
          .where({ campaign_id: id })
          .select<Array<{ id: number; phone: string; status: string; attempts: number }>>();
        return rows.length === numbers.length && rows.every((r) => r.status === 'scheduled')
          ? rows
          : null;
      },
      30_000,
      'every contact attempted and rescheduled',
    );
    await sleep(2000); // nothing more is dialed (every retry is minutes away)
    const invites = (await carrier.invites()).slice(before);
    const attempts = await c
      .db('outbound_attempts')
      .where({ campaign_id: id })
      .select<Array<{ contact_id: number; call_id: string; outcome: string }>>();
    const calls = await c
      .db('calls')
      .where({ campaign_id: id })
      .select<
        Array<{ id: string; dialed_number: string; outcome: string | null; ended_at: unknown }>
      >();
    console.log(
      `failover d-campaign: ${invites.length} INVITEs at the carrier, attempts ${JSON.stringify(
        attempts.map((a) => [contacts.find((k) => k.id === a.contact_id)?.phone, a.outcome]),
      )}`,
    );
    for (const n of numbers) {
      const contact = contacts.find((k) => k.phone === n)!;
      // Dialed once (one INVITE at the carrier), one call record, one attempt for it.
      expect(invites.filter((i) => ofNumber(i.toUser) === n)).toHaveLength(1);
      const own = calls.filter((r) => r.dialed_number === n);
      expect(own).toHaveLength(1);
      expect(own[0]!.ended_at).not.toBeNull();
      expect(attempts.filter((a) => a.contact_id === contact.id)).toEqual([
        expect.objectContaining({ call_id: own[0]!.id }),
      ]);
      expect(contact.attempts).toBe(1);
    }
    // The campaign went on with the new leader: what was left was dialed after the kill.
    const after = invites.filter((i) => i.at > killedAt).length;
    console.log(`failover d-campaign: ${after} number(s) dialed by the new leader`);
    expect(after).toBeGreaterThan(0);
    const outcome = (n: string) => calls.find((r) => r.dialed_number === n)!.outcome;
    // Ringing at the kill: ended by the new leader (never guessed at), retried later.
    expect(outcome(numbers[0]!)).toBe('failed');
    for (const n of numbers.slice(1)) expect(outcome(n)).toBe('busy');
    expect(await carrier.cancels()).toHaveLength(1);
    await c.api(c.leader, 'POST', `/api/campaigns/${id}/stop`, c.adminToken);
  } finally {
    await carrier.stop();
  }
});
