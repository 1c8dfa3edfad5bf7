import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AriFencedError } from '../../../src/ari/fence';
import { hotlineFixture } from '../../support/hotline-fixture';
import { freshPgDatabase } from '../../support/pg-test-db';

/**
 * Two whole services (src/hotline.ts) on one PostgreSQL database: the first leads, the second
 * stands by (healthy, ready, refusing call controls and every ARI command), and takes over when
 * the first stops. ARI points at a closed port and is never started (hotlineFixture).
 */
// TEST_PG_DB_PREFIX: a name of the runner's choosing (a shared server where only some names are ours).
const dbName = `${process.env.TEST_PG_DB_PREFIX ?? 'hotline_lease'}_hl_${process.pid}`;
let pg: Awaited<ReturnType<typeof freshPgDatabase>> = null;
let reachable = false;
let dir: string;

beforeAll(async () => {
  pg = await freshPgDatabase(dbName, 'standby tests');
  reachable = pg !== null;
  if (!pg) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-lease-'));
  fs.writeFileSync(
    path.join(dir, 'config.json'),
    JSON.stringify({ leadership: { ttlMs: 600, renewMs: 150, pollMs: 100, marginMs: 200 } }),
  );
});

afterAll(async () => {
  await pg?.drop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const env = () => ({
  DATABASE_URL: pg!.url,
  HOTLINE_CONFIG: path.join(dir, 'config.json'),
});

it('runs one leader and one standby; the standby takes over when the leader stops', async () => {
  if (!reachable) return;
  const first = await hotlineFixture({ env: { ...env(), HOTLINE_INSTANCE_ID: 'first' } });
  const second = await hotlineFixture({ env: { ...env(), HOTLINE_INSTANCE_ID: 'second' } });
  try {
    expect([first.hotline.lease.isLeader, second.hotline.lease.isLeader]).toEqual([true, false]);
    const leaderHealth = await (await fetch(`${first.url}/healthz`)).json();
    expect(leaderHealth).toMatchObject({ role: 'leader', epoch: first.hotline.lease.epoch });

    const health = await fetch(`${second.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({
      ok: true,
      ari: false,
      ariState: 'closed',
      ariRest: 'http',
      database: true,
      role: 'standby',
      epoch: null,
    });
    expect((await fetch(`${second.url}/readyz`)).status).toBe(200);

    // The standby refuses what would drive a call: the API's call controls and ARI itself.
    const sup = await second.user('sup', 'supervisor');
    const hangup = await fetch(`${second.url}/api/calls/c-1/hangup`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sup.token}` },
    });
    const monitor = await fetch(`${second.url}/api/calls/c-1/monitor`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sup.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ mode: 'listen' }),
    });
    for (const res of [hangup, monitor]) {
      expect(res.status).toBe(503);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
        'HOTLINE_NOT_LEADER',
      );
    }
    await expect(second.hotline.ari.rest.answer('x')).rejects.toBeInstanceOf(AriFencedError);
    // The leader's commands go out (and fail only because no Asterisk listens there).
    await expect(first.hotline.ari.rest.answer('x')).rejects.toMatchObject({ kind: 'unavailable' });

    const epoch = first.hotline.lease.epoch!;
    const stoppedAt = performance.now();
    await first.close();
    while (!second.hotline.lease.isLeader && performance.now() - stoppedAt < 3000)
      await new Promise((r) => setTimeout(r, 20));
    expect(second.hotline.lease.epoch).toBe(epoch + 1);
    expect(performance.now() - stoppedAt).toBeLessThan(1000);
    expect(await (await fetch(`${second.url}/healthz`)).json()).toMatchObject({
      role: 'leader',
      epoch: epoch + 1,
    });
  } finally {
    await first.close().catch(() => {});
    await second.close();
  }
}, 20_000);

it("a standby's start leaves the leader's state log alone", async () => {
  if (!reachable) return;
  const first = await hotlineFixture({ env: { ...env(), HOTLINE_INSTANCE_ID: 'log-first' } });
  let second: Awaited<ReturnType<typeof hotlineFixture>> | null = null;
  try {
    const ann = await first.user('log-ann', 'agent', '1011');
    await first.hotline.agents.setState(ann.id, 'available');
    await first.hotline.stateLog.flush();
    const openRows = () =>
      first.hotline
        .db('agent_state_log')
        .whereNull('ended_at')
        .orderBy('id')
        .select('id', 'user_id', 'state', 'activity');
    const before = await openRows();
    expect(before).toEqual([
      expect.objectContaining({ user_id: ann.id, state: 'available', activity: 'idle' }),
    ]);
    // Before the state log was the leader's alone, a standby's start closed these and opened
    // its own (from its stale copy of the directory).
    second = await hotlineFixture({ env: { ...env(), HOTLINE_INSTANCE_ID: 'log-second' } });
    expect(second.hotline.lease.isLeader).toBe(false);
    await new Promise((r) => setTimeout(r, 300));
    expect(await openRows()).toEqual(before);
  } finally {
    await first.close();
    await second?.close();
  }
}, 20_000);
