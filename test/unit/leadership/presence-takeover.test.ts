import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient } from 'redis';
import { io as connect, type Socket } from 'socket.io-client';
import { clusterTestEnv } from '../../support/cluster-test-env';
import { waitFor } from '../../support/engine-fixture';
import { asAri, fakeAri } from '../../support/fake-ari';
import { hotlineFixture, type HotlineFixture } from '../../support/hotline-fixture';

/**
 * Issue 12, presence through a takeover with three instances (src/hotline.ts, PostgreSQL, Redis,
 * the first on the fake ARI): an agent's browser is on the third; the leader stops and the second
 * takes over. The new leader must count that socket. It used not to: the standbys answer its
 * hello while it reloads the agents, the socket was counted into the directory then (or not at
 * all, for an agent it did not know yet), and the recount of its own sockets that follows the
 * reload set the count back to 0; the standby's later presence messages did not count a socket
 * already known, so the agent stayed "not connected" until the browser reconnected.
 * Ports 7581–7583; Redis channels under `hotline-presence-test-PID`.
 */
jest.setTimeout(30_000);

const dbName = `hotline_presence_${process.pid}`;
let cluster: Awaited<ReturnType<typeof clusterTestEnv>> = null;
let reachable = false;
let dir: string;
const instances: HotlineFixture[] = [];
const sockets: Socket[] = [];

const env = (id: string, config: string) => ({
  DATABASE_URL: cluster!.databaseUrl,
  HOTLINE_CONFIG: path.join(dir, config),
  REDIS_URL: cluster!.redisUrl,
  HOTLINE_REDIS_KEY: `hotline-presence-test-${process.pid}`,
  HOTLINE_INSTANCE_ID: id,
});

beforeAll(async () => {
  cluster = await clusterTestEnv(dbName, 'presence test');
  if (!cluster) return;
  reachable = true;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-presence-'));
  const lease = { ttlMs: 2000, renewMs: 200, marginMs: 800 };
  // The third polls for the lease slowly, so that the second is the one that takes over.
  for (const [name, pollMs] of [
    ['fast.json', 200],
    ['slow.json', 20_000],
  ] as const)
    fs.writeFileSync(path.join(dir, name), JSON.stringify({ leadership: { ...lease, pollMs } }));
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  for (const f of instances.reverse()) await f.close().catch(() => {});
  await cluster?.drop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

it("a new leader counts the agents' sockets on the other standbys", async () => {
  if (!reachable) return;
  const first = await hotlineFixture({
    ari: asAri(fakeAri()),
    port: 7581,
    env: env('first', 'fast.json'),
  });
  const second = await hotlineFixture({ port: 7582, env: env('second', 'fast.json') });
  instances.push(second);
  const third = await hotlineFixture({ port: 7583, env: env('third', 'slow.json') });
  instances.push(third);
  // Made on the first leader: the second has never heard of her before it leads.
  const ann = await first.user('ann', 'agent', '1001');
  const socket = connect(third.url, {
    auth: { token: ann.token },
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
  });
  sockets.push(socket);
  await waitFor(() => first.hotline.agents.get(ann.id)?.sockets === 1, 5000, 'presence');

  await first.close();
  await waitFor(() => second.hotline.lease.isLeader, 8000, 'the second leads');
  await waitFor(
    () => second.hotline.agents.get(ann.id)?.sockets === 1,
    3000,
    "the third's socket counted by the new leader",
  );
  // Still one after the third's next presence message (every 5 s): not counted twice.
  await new Promise((r) => setTimeout(r, 5500));
  expect(second.hotline.agents.get(ann.id)?.sockets).toBe(1);
  socket.disconnect();
  await waitFor(() => second.hotline.agents.get(ann.id)?.sockets === 0, 3000, 'gone');
});

it('the leader forgets within a second or two the sockets of an instance gone from Redis (killed), not of one still there', async () => {
  if (!reachable) return;
  const leader = instances.find((f) => f.hotline.lease.isLeader)!;
  const gus = await leader.user('gus', 'agent', '1002');
  const key = `hotline-presence-test-${process.pid}`;
  const redis = createClient({ url: cluster!.redisUrl });
  const listener = redis.duplicate();
  await Promise.all([redis.connect(), listener.connect()]);
  try {
    // Two instances as the bus sees them, each listening on its reply channel; then "dead"
    // stops listening, as a process killed with kill -9 (Redis drops its subscriptions with its
    // connection at once).
    const noop = () => undefined;
    await listener.subscribe([`${key}-cluster#reply#alive`, `${key}-cluster#reply#dead`], noop);
    const tell = (from: string, socketId: string) =>
      redis.publish(
        `${key}-cluster#leader`,
        JSON.stringify({
          kind: 'socket:presence',
          from,
          payload: { sockets: [{ socketId, userId: gus.id, role: 'agent' }] },
        }),
      );
    await tell('alive', 'socket-alive');
    await tell('dead', 'socket-dead');
    await waitFor(() => leader.hotline.agents.get(gus.id)?.sockets === 2, 3000, 'both counted');
    await new Promise((r) => setTimeout(r, 1500));
    expect(leader.hotline.agents.get(gus.id)?.sockets).toBe(2); // both listening: both kept
    await listener.unsubscribe(`${key}-cluster#reply#dead`);
    const at = Date.now();
    await waitFor(() => leader.hotline.agents.get(gus.id)?.sockets === 1, 3000, 'dead forgotten');
    console.log(`an instance gone from Redis: its socket forgotten after ${Date.now() - at} ms`);
    await new Promise((r) => setTimeout(r, 2500));
    expect(leader.hotline.agents.get(gus.id)?.sockets).toBe(1); // the live one stays
  } finally {
    await Promise.allSettled([redis.quit(), listener.quit()]);
  }
});
