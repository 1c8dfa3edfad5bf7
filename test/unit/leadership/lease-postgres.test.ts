import http from 'node:http';
import net from 'node:net';
import { AriFencedError } from '../../../src/ari/fence';
import { createAriRest } from '../../../src/ari/rest';
import { createDb, migrate, type Db } from '../../../src/db';
import { createLease, type Lease, type LeaseChange } from '../../../src/leadership/lease';
import { createLeaseStore } from '../../../src/leadership/lease-store';
import { silentLogger } from '../../../src/shared/logger';
import { freshPgDatabase, PG_BASE } from '../../support/pg-test-db';

/**
 * The lease against a real PostgreSQL (the local server; TEST_POSTGRES_URL for another): two or
 * more instances, each with a pool of its own, racing for one row. Real time, short timings.
 * Skipped, saying so, when PostgreSQL is unreachable. The same statements on SQLite at the end.
 */
// TEST_PG_DB_PREFIX: a name of the runner's choosing (a shared server where only some names are ours).
const dbName = `${process.env.TEST_PG_DB_PREFIX ?? 'hotline_lease'}_test_${process.pid}`;
const url = PG_BASE.replace(/\/[^/]*$/, `/${dbName}`);
const timing = { ttlMs: 600, renewMs: 150, pollMs: 100, marginMs: 200 };

let pg: Awaited<ReturnType<typeof freshPgDatabase>> = null;
let reachable = false;
const pools: Db[] = [];
const leases: Lease[] = [];

beforeAll(async () => {
  pg = await freshPgDatabase(dbName, 'lease tests');
  reachable = pg !== null;
  if (!pg) return;
  const db = pool();
  await migrate(db);
});

afterEach(async () => {
  await Promise.all(leases.splice(0).map((l) => l.stop()));
  if (reachable) await pools[0]!.raw('delete from leases');
});

afterAll(async () => {
  await Promise.all(pools.map((p) => p.destroy().catch(() => {})));
  await pg?.drop();
});

function pool(to = url): Db {
  const db = createDb(to);
  pools.push(db);
  return db;
}

/** An instance: its own pool, its own lease client, what it saw happen and when. */
function instance(holder: string, db: Db = pool()) {
  const changes: Array<LeaseChange & { at: number }> = [];
  const lease = createLease({
    name: 'engine',
    holder,
    store: createLeaseStore(db, 'engine', { timeoutMs: timing.ttlMs }),
    log: silentLogger(),
    timing,
  });
  lease.onChange((c) => changes.push({ ...c, at: performance.now() }));
  leases.push(lease);
  return { lease, db, changes };
}

/**
 * A TCP proxy to PostgreSQL on a port of ours: `freeze` stops carrying bytes (statements hang,
 * like a frozen or killed peer behind a silent network), `cut` resets every connection and stops
 * listening (a dead port).
 */
async function pgProxy(port: number) {
  const pg = new URL(PG_BASE);
  const sockets = new Set<net.Socket>();
  let frozen = false;
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(pg.port || 5432), pg.hostname);
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      sockets.add(from);
      from.on('data', (chunk) => {
        if (!frozen) to.write(chunk);
      });
      from.on('error', () => to.destroy());
      from.on('close', () => {
        sockets.delete(from);
        to.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const cut = () => {
    server.close();
    for (const s of sockets) s.resetAndDestroy();
  };
  const target = new URL(url);
  target.hostname = '127.0.0.1';
  target.port = String(port);
  return {
    url: target.toString(),
    freeze: () => void (frozen = true),
    cut,
    close: async () => {
      cut();
      await new Promise((r) => setTimeout(r, 10));
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const maybe = (name: string, fn: () => Promise<void>) =>
  it(name, async () => {
    if (!reachable) return;
    await fn();
  });

describe('the lease on PostgreSQL', () => {
  maybe('has one leader at a time while both run, the same one, renewing', async () => {
    const a = instance('a');
    const b = instance('b');
    await a.lease.start();
    await b.lease.start();
    expect([a.lease.isLeader, b.lease.isLeader]).toEqual([true, false]);
    const epoch = a.lease.epoch;
    for (let i = 0; i < 20; i++) {
      await sleep(50);
      expect(a.lease.isLeader && b.lease.isLeader).toBe(false);
    }
    expect([a.lease.isLeader, a.lease.epoch, b.changes]).toEqual([true, epoch, []]);
  });

  maybe('lets exactly one of five racing instances take a free lease', async () => {
    const many = ['p', 'q', 'r', 's', 't'].map((h) => instance(h));
    await Promise.all(many.map((m) => m.lease.start()));
    expect(many.filter((m) => m.lease.isLeader)).toHaveLength(1);
  });

  maybe('hands over within ttl + poll when the holder stops renewing, epoch + 1', async () => {
    // kill -9 (or a frozen process): a's statements stop reaching the database, no release.
    const proxy = await pgProxy(7401);
    const a = instance('a', pool(proxy.url));
    const b = instance('b');
    await a.lease.start();
    await b.lease.start();
    const epoch = a.lease.epoch!;
    await sleep(200);
    const frozenAt = performance.now();
    proxy.freeze();
    while (!b.lease.isLeader && performance.now() - frozenAt < 3000) await sleep(10);
    const took = performance.now() - frozenAt;
    expect(b.lease.epoch).toBe(epoch + 1);
    expect(took).toBeLessThanOrEqual(timing.ttlMs + timing.pollMs + 150);
    // a, its renews hanging, stepped down by its own clock before b took over.
    const lost = a.changes.find((c) => !c.leader)!;
    expect(lost.at).toBeLessThan(b.changes.find((c) => c.leader)!.at);
    await proxy.close();
  });

  maybe(
    'a holder whose database connection is cut steps down before the other acquires',
    async () => {
      const a = instance('a');
      const b = instance('b');
      await a.lease.start();
      await b.lease.start();
      await sleep(200);
      await a.db.destroy(); // every statement of a's fails from now on
      await sleep(timing.ttlMs + timing.pollMs + 150);
      const lost = a.changes.find((c) => !c.leader);
      const gained = b.changes.find((c) => c.leader);
      expect(lost && gained).toBeTruthy();
      expect(lost!.at).toBeLessThan(gained!.at);
      expect([a.lease.isLeader, a.lease.epoch, b.lease.isLeader]).toEqual([false, null, true]);
      // The database saw the same order: b took the lease only after a's expired.
      const row = (await b.db('leases').where({ name: 'engine' }).first()) as { holder: string };
      expect(row.holder).toBe('b');
    },
  );

  maybe(
    'a holder whose database goes away (a dead port) steps down before the other acquires',
    async () => {
      const proxy = await pgProxy(7402);
      const a = instance('a', pool(proxy.url));
      const b = instance('b');
      await a.lease.start();
      await b.lease.start();
      const store = createLeaseStore(pools[0]!, 'engine');
      const held = await store.read();
      await sleep(200);
      proxy.cut(); // connections reset, and nothing listens on the port any more
      await sleep(timing.ttlMs + timing.pollMs + 150);
      const lost = a.changes.find((c) => !c.leader)!;
      expect(lost).toBeDefined();
      expect(b.lease.isLeader).toBe(true);
      expect(await store.read()).toMatchObject({ holder: 'b', epoch: held!.epoch + 1 });
      expect(b.changes.find((c) => c.leader)!.at).toBeGreaterThan(lost.at);
      await proxy.close();
    },
  );

  maybe('never lets two instances both drive calls: commands through a failover', async () => {
    // One fake Asterisk; each instance's ARI client is fenced by its own lease and names itself.
    const arrivals: Array<{ who: string; at: number }> = [];
    const asterisk = http.createServer((req, res) => {
      const who = Buffer.from((req.headers.authorization ?? '').slice(6), 'base64')
        .toString()
        .split(':')[0]!;
      arrivals.push({ who, at: performance.now() });
      res.writeHead(204).end();
    });
    await new Promise<void>((r) => asterisk.listen(7403, '127.0.0.1', r));
    const proxy = await pgProxy(7404);
    const a = instance('a', pool(proxy.url));
    const b = instance('b');
    await a.lease.start();
    await b.lease.start();
    const rest = (who: string, lease: Lease) =>
      createAriRest({
        baseUrl: 'http://127.0.0.1:7403',
        user: who,
        password: 'pw',
        log: silentLogger(),
        fence: { epoch: () => lease.epoch },
      });
    const ari = { a: rest('a', a.lease), b: rest('b', b.lease) };
    const refused = { a: 0, b: 0 };
    let running = true;
    // Both engines keep trying to command a channel every 10 ms.
    const drive = async (who: 'a' | 'b') => {
      while (running) {
        await ari[who].answer('ch-1').catch((err: unknown) => {
          if (err instanceof AriFencedError) refused[who] += 1;
          else throw err;
        });
        await sleep(10);
      }
    };
    const driving = Promise.all([drive('a'), drive('b')]);
    await sleep(200);
    proxy.freeze(); // a's database goes silent: a must stop before b starts
    const frozenAt = performance.now();
    while (!b.lease.isLeader && performance.now() - frozenAt < 3000) await sleep(10);
    await sleep(200);
    running = false;
    await driving;
    asterisk.closeAllConnections();
    await new Promise((r) => asterisk.close(r));
    await proxy.close();

    const lastA = Math.max(...arrivals.filter((x) => x.who === 'a').map((x) => x.at));
    const firstB = Math.min(...arrivals.filter((x) => x.who === 'b').map((x) => x.at));
    expect(Number.isFinite(lastA) && Number.isFinite(firstB)).toBe(true);
    // Every command of a's reached Asterisk before b's first one: never both.
    expect(lastA).toBeLessThan(firstB);
    // Both were refused while not leading (b before, a after), so both did try.
    expect(refused.a).toBeGreaterThan(0);
    expect(refused.b).toBeGreaterThan(0);
  });

  maybe('gives the lease up at stop: the standby leads at its next poll', async () => {
    const a = instance('a');
    const b = instance('b');
    await a.lease.start();
    await b.lease.start();
    const stoppedAt = performance.now();
    await a.lease.stop();
    while (!b.lease.isLeader && performance.now() - stoppedAt < 2000) await sleep(10);
    expect(performance.now() - stoppedAt).toBeLessThan(timing.pollMs + 150);
  });
});

describe('the lease statements on SQLite', () => {
  it('take, renew, refuse, release and seize like on PostgreSQL', async () => {
    const db = createDb('sqlite::memory:');
    try {
      await migrate(db);
      const store = createLeaseStore(db, 'engine');
      const a = await store.acquire('a', 60_000);
      expect(a).toMatchObject({ holder: 'a', epoch: 1 });
      expect(await store.acquire('b', 60_000)).toBeNull();
      expect(await store.renew('a', 1, 60_000)).toMatchObject({ holder: 'a', epoch: 1 });
      expect(await store.renew('b', 1, 60_000)).toBeNull();
      expect(await store.release('a', 1)).toBe(true);
      expect(await store.renew('a', 1, 60_000)).toBeNull();
      expect(await store.acquire('b', 60_000)).toMatchObject({ holder: 'b', epoch: 2 });
      expect(await store.seize('c')).toMatchObject({ holder: 'c', epoch: 3 });
      const row = await store.read();
      expect(Math.abs(row!.now - Date.now())).toBeLessThan(5000);
    } finally {
      await db.destroy();
    }
  });
});
