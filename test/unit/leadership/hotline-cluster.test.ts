import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import type { WallDelta, WallSnapshot } from '../../../src/api/wall';
import type { AgentStatePush, CallUpdate, ScreenPop } from '../../../src/screenpop/agent-events';
import { clusterTestEnv } from '../../support/cluster-test-env';
import { waitFor } from '../../support/engine-fixture';
import { asAri, fakeAri, type FakeAri } from '../../support/fake-ari';
import { hotlineFixture, type HotlineFixture } from '../../support/hotline-fixture';

/**
 * Issue 12, sockets across instances: two whole services (src/hotline.ts) on one PostgreSQL
 * database and one Redis, the first leading (the fake ARI drives its real engine), every browser
 * and API call going to the STANDBY. The agent's choice of state reaches the leader's directory
 * (socket and REST), its socket counts in the leader's presence, the leader's pop reaches the
 * browser on the standby and its acknowledgement the leader, the supervisor's wall on the
 * standby is the leader's, and a call control made on the standby is served (forwarded).
 * Ports 7500–7599; Redis channels under `hotline-cluster-test-PID`.
 */
jest.setTimeout(30_000);

const dbName = `hotline_cluster_${process.pid}`;
const redisKey = `hotline-cluster-test-${process.pid}`;
let cluster: Awaited<ReturnType<typeof clusterTestEnv>> = null;
let reachable = false;
let dir: string;
let ari: FakeAri;
let leader: HotlineFixture;
let standby: HotlineFixture;
const sockets: Socket[] = [];

beforeAll(async () => {
  cluster = await clusterTestEnv(dbName, 'cluster tests');
  if (!cluster) return;
  reachable = true;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-cluster-'));
  fs.writeFileSync(
    path.join(dir, 'config.json'),
    JSON.stringify({
      leadership: { ttlMs: 2000, renewMs: 200, pollMs: 200, marginMs: 800 },
      telephony: { popAckWaitMs: 1000 },
    }),
  );
  const env = {
    DATABASE_URL: cluster.databaseUrl,
    HOTLINE_CONFIG: path.join(dir, 'config.json'),
    REDIS_URL: cluster.redisUrl,
    HOTLINE_REDIS_KEY: redisKey,
  };
  ari = fakeAri();
  leader = await hotlineFixture({
    ari: asAri(ari),
    port: 7531,
    env: { ...env, HOTLINE_INSTANCE_ID: 'leader' },
  });
  standby = await hotlineFixture({ port: 7532, env: { ...env, HOTLINE_INSTANCE_ID: 'standby' } });
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await standby?.close().catch(() => {});
  await leader?.close().catch(() => {});
  await cluster?.drop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** A browser connected to the standby, keeping what it is sent. */
function browser(token: string, ackPops = true) {
  const socket = connect(standby.url, {
    auth: { token },
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
  });
  sockets.push(socket);
  const got = {
    socket,
    pops: [] as ScreenPop[],
    updates: [] as CallUpdate[],
    states: [] as AgentStatePush[],
    telephony: [] as string[],
    wall: null as WallSnapshot | null,
    deltas: [] as WallDelta[],
  };
  socket.on('screenpop', (pop: ScreenPop, ack?: () => void) => {
    got.pops.push(pop);
    if (ackPops && typeof ack === 'function') ack();
  });
  socket.on('call:update', (u: CallUpdate) => got.updates.push(u));
  socket.on('agent:state', (s: AgentStatePush) => got.states.push(s));
  socket.on('telephony:status', (t: { state: string }) => got.telephony.push(t.state));
  socket.on('wall:snapshot', (w: WallSnapshot) => (got.wall = w));
  socket.on('wall:delta', (d: WallDelta) => got.deltas.push(d));
  return got;
}

const call = (fx: HotlineFixture, token: string, method: string, p: string, body?: unknown) =>
  fx.send({
    method,
    path: p,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

it('serves browsers and API calls made to the standby from the leader', async () => {
  if (!reachable) return;
  expect([leader.hotline.lease.isLeader, standby.hotline.lease.isLeader]).toEqual([true, false]);
  // Users made on the leader (the fixture adds them to its own directory only).
  const ann = await leader.user('ann', 'agent', '1001');
  const sup = await leader.user('sup', 'supervisor');

  // The standby forwards once it has read the leader's address from the lease row: its own
  // directory has never heard of ann, the leader's has.
  await waitFor(
    async () => {
      const res = await call(standby, sup.token, 'GET', '/api/agents');
      const list = (res.body as { agents?: Array<{ userId: number }> } | undefined)?.agents;
      return list?.some((a) => a.userId === ann.id);
    },
    5000,
    'the standby forwards GET /api/agents to the leader',
  );
  expect(standby.hotline.agents.get(ann.id)).toBeUndefined();

  // The agent's browser and the supervisor's wall, both on the standby.
  const agent = browser(ann.token);
  const wall = browser(sup.token);
  await waitFor(() => agent.socket.connected && wall.socket.connected, 5000, 'sockets connected');
  // Greeted by the leader: its view of the agent, and the leader's wall snapshot.
  await waitFor(() => agent.states.length > 0, 5000, "the leader's agent:state");
  expect(agent.states[0]).toMatchObject({ state: 'offline', activity: 'idle' });
  // (A standby's own wall sends nothing: a snapshot there is the leader's.)
  await waitFor(() => wall.wall, 5000, "the leader's wall snapshot");
  const resync = await new Promise((resolve) => wall.socket.emit('wall:resync', resolve));
  expect(resync).toEqual({ ok: true, seq: expect.any(Number) as number });
  // Presence: the socket on the standby counts on the leader.
  await waitFor(() => leader.hotline.agents.get(ann.id)?.sockets === 1, 3000, 'presence');
  const listed = await call(standby, sup.token, 'GET', '/api/agents');
  expect(
    (listed.body as { agents: Array<{ userId: number; connected: boolean }> }).agents.find(
      (a) => a.userId === ann.id,
    ),
  ).toMatchObject({ connected: true });

  // State chosen through the standby, REST then socket: the leader's directory has it.
  const put = await call(standby, ann.token, 'PUT', '/api/agents/me/state', { state: 'break' });
  expect(put.status).toBe(200);
  expect(leader.hotline.agents.get(ann.id)?.state).toBe('break');
  const acked = await new Promise((resolve) =>
    agent.socket.emit('agent:state', { state: 'available' }, resolve),
  );
  expect(acked).toMatchObject({ ok: true, state: { state: 'available' } });
  expect(leader.hotline.agents.get(ann.id)?.state).toBe('available');
  const refused = await new Promise((resolve) =>
    agent.socket.emit('agent:state', { state: 'available', reason: 'lunch' }, resolve),
  );
  expect(refused).toEqual({ ok: false, error: 'reason: only a break has a reason' });
  await waitFor(
    () => agent.states.some((s) => s.state === 'available'),
    3000,
    'the state push from the leader',
  );
  // The wall on the standby is the leader's: ann, available there, shows after a resync.
  await waitFor(
    async () => {
      await new Promise((resolve) => wall.socket.emit('wall:resync', resolve));
      return wall.wall!.agents.some((a) => a.name === 'ann name' && a.state === 'available');
    },
    5000,
    'ann available on the wall',
  );

  // A call into the leader: the engine allocates ann (available on the leader's directory), the
  // pop reaches her browser on the standby, and its acknowledgement reaches the leader.
  const pops = jest.spyOn(leader.hotline.gateway, 'pop');
  ari.inbound('caller-1', '013812345678');
  const orig = await waitFor(() => ari.originates()[0], 5000, 'agent rung');
  const callId = orig.appArgs!.split(',')[1]!;
  await waitFor(() => agent.pops.length === 1, 5000, 'pop on the standby');
  expect(agent.pops[0]).toMatchObject({ callId, callerNumber: '+8613812345678' });
  expect(pops).toHaveBeenCalledTimes(1);
  await expect(pops.mock.results[0]!.value).resolves.toEqual({ acked: true });
  await waitFor(
    () => wall.deltas.some((d) => JSON.stringify(d).includes(callId)),
    5000,
    "the leader's wall delta on the standby",
  );

  // A second browser of hers connecting to the standby mid-call gets the live pop again.
  const tab = browser(ann.token, false);
  await waitFor(() => tab.pops.length === 1, 5000, 'live pop for a new tab');
  expect(tab.pops[0]!.callId).toBe(callId);
  await waitFor(() => leader.hotline.agents.get(ann.id)?.sockets === 2, 3000, 'two sockets');
  tab.socket.disconnect();
  await waitFor(() => leader.hotline.agents.get(ann.id)?.sockets === 1, 3000, 'one again');

  ari.agentAnswers(orig.channelId!, callId);
  await waitFor(
    () => agent.updates.some((u) => u.callId === callId && u.state === 'answered'),
    5000,
    'call:update answered on the standby',
  );

  // A call control made on the standby is the leader's to serve: forwarded, not 503.
  const before = ari.ops().length;
  const hold = await call(standby, ann.token, 'POST', `/api/calls/${callId}/hold`);
  expect(hold.status).toBeLessThan(300);
  expect(ari.ops().slice(before).length).toBeGreaterThan(0);
  const hangup = await call(standby, ann.token, 'POST', `/api/calls/${callId}/hangup`);
  expect(hangup.status).toBeLessThan(300);
  await waitFor(
    () => agent.updates.some((u) => u.callId === callId && u.state === 'ended'),
    5000,
    'call ended',
  );
  // Reads whose answer is the leader's memory: the call record and ann's activity.
  const me = await call(standby, ann.token, 'GET', '/api/agents/me');
  expect(me.body).toMatchObject({ userId: ann.id, state: 'available' });
  // Logging in stays local (the address throttle sees the client), and works on the standby.
  const login = await standby.login('ann', ann.password);
  expect(login.status).toBe(200);

  agent.socket.disconnect();
  await waitFor(() => leader.hotline.agents.get(ann.id)?.sockets === 0, 3000, 'presence gone');
});

it('counts failed logins on either instance against one allowance (Redis)', async () => {
  if (!reachable) return;
  await leader.user('gus', 'agent');
  // auth.loginThrottle.maxFailuresPerUser is 5: three wrong passwords here, two there…
  for (const inst of [leader, leader, leader, standby, standby])
    expect((await inst.login('gus', 'wrong-password-1')).status).toBe(401);
  // …and the sixth attempt is refused on both, the right password included.
  for (const inst of [standby, leader]) {
    const refused = await inst.login('gus', 'password-1');
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ error: { code: 'HOTLINE_TOO_MANY_LOGIN_ATTEMPTS' } });
  }
});

it('forgets the sockets of a standby that stops', async () => {
  if (!reachable) return;
  const cid = await leader.user('cid', 'agent', '1003');
  const third = await hotlineFixture({
    port: 7533,
    env: {
      DATABASE_URL: cluster!.databaseUrl,
      HOTLINE_CONFIG: path.join(dir, 'config.json'),
      REDIS_URL: cluster!.redisUrl,
      HOTLINE_REDIS_KEY: redisKey,
      HOTLINE_INSTANCE_ID: 'third',
    },
  });
  const socket = connect(third.url, {
    auth: { token: cid.token },
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
  });
  sockets.push(socket);
  await waitFor(() => leader.hotline.agents.get(cid.id)?.sockets === 1, 5000, 'presence');
  await third.close();
  await waitFor(() => leader.hotline.agents.get(cid.id)?.sockets === 0, 3000, 'forgotten');
});

it('a new leader knows the agents made on the old one and counts its own sockets', async () => {
  if (!reachable) return;
  const bob = await leader.user('bob', 'agent', '1002');
  const b = browser(bob.token);
  await waitFor(() => leader.hotline.agents.get(bob.id)?.sockets === 1, 5000, 'presence');
  // The leader stops: the standby takes over, reloads the agents' states from the database
  // (bob, unknown to it until now, included), and its own socket counts.
  await leader.close();
  await waitFor(() => standby.hotline.lease.isLeader, 5000, 'takeover');
  await waitFor(() => standby.hotline.agents.get(bob.id)?.sockets === 1, 5000, 'own presence');
  b.socket.disconnect();
  await waitFor(() => standby.hotline.agents.get(bob.id)?.sockets === 0, 3000, 'gone');
});
