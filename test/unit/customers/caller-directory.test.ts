import {
  createCallerDirectory,
  writingThrough,
  type CallerDirectory,
} from '../../../src/customers/caller-directory';
import { createCustomersRepo, type CustomersRepo } from '../../../src/customers/customers-repo';
import { createCallerMatcher } from '../../../src/customers/match-caller';
import { createDb, migrate, type Db } from '../../../src/db';
import { silentLogger } from '../../../src/shared/logger';

let db: Db;
let t = Date.UTC(2026, 11, 2, 8, 0);
const clock = { now: () => t };
const phone = (e164: string) => ({ e164, raw: e164 });
let running: CallerDirectory[] = [];

beforeEach(async () => {
  db = createDb('sqlite::memory:');
  await migrate(db);
});
afterEach(async () => {
  await Promise.all(running.map((d) => d.stop()));
  running = [];
  await db.destroy();
});

function directoryOf(repo: CustomersRepo, maxNumbers = 1000) {
  const d = createCallerDirectory({
    db,
    customers: repo,
    log: silentLogger(),
    maxNumbers,
    syncEveryMs: 60_000,
    now: clock.now,
  });
  running.push(d);
  return d;
}

describe('caller directory', () => {
  it('answers from memory what the table answers, shared numbers oldest first', async () => {
    const repo = createCustomersRepo(db, clock);
    const a = await repo.create({ name: 'A', phones: [phone('+8613800000001')] });
    const b = await repo.create({
      name: 'B',
      tier: 'vip',
      phones: [phone('+8613800000001'), phone('+8613800000002')],
    });
    const d = directoryOf(repo);
    expect(d.lookup('+8613800000001')).toBeUndefined(); // not loaded yet: ask the table
    await d.start();
    expect(d.state).toBe('on');
    expect(d.lookup('+8613800000001')).toEqual(await repo.findByE164('+8613800000001'));
    expect(d.lookup('+8613800000001')?.map((c) => c.id)).toEqual([a.id, b.id]);
    expect(d.lookup('+8613800000002')?.map((c) => c.name)).toEqual(['B']);
    expect(d.lookup('+8613899999999')).toEqual([]); // known to be no customer
  });

  it('takes writes through the API at once, moving a changed number', async () => {
    const base = createCustomersRepo(db, clock);
    const d = directoryOf(base);
    await d.start();
    const repo = writingThrough(base, d);
    const c = await repo.create({ name: 'C', phones: [phone('+8613800000003')] });
    expect(d.lookup('+8613800000003')?.map((x) => x.id)).toEqual([c.id]);
    await repo.update(c.id, { name: 'C2', phones: [phone('+8613800000004')] });
    expect(d.lookup('+8613800000003')).toEqual([]);
    expect(d.lookup('+8613800000004')?.map((x) => x.name)).toEqual(['C2']);
  });

  it("picks up another writer's changes at the next sync", async () => {
    const repo = createCustomersRepo(db, clock);
    const d = createCallerDirectory({
      db,
      customers: repo,
      log: silentLogger(),
      maxNumbers: 1000,
      syncEveryMs: 50,
      now: clock.now,
    });
    running.push(d);
    await d.start();
    t += 60_000;
    // Another instance (or a script) writes straight to the table.
    const other = await repo.create({ name: 'Elsewhere', phones: [phone('+8613800000005')] });
    expect(d.lookup('+8613800000005')).toEqual([]);
    const until = Date.now() + 5000;
    while (!d.lookup('+8613800000005')?.length && Date.now() < until)
      await new Promise((r) => setTimeout(r, 20));
    expect(d.lookup('+8613800000005')?.map((x) => x.id)).toEqual([other.id]);
  });

  it('stays off above its limit, and the matcher then asks the table', async () => {
    const repo = createCustomersRepo(db, clock);
    await repo.create({ name: 'A', phones: [phone('+8613800000006'), phone('+8613800000007')] });
    const d = directoryOf(repo, 1);
    await d.start();
    expect(d.state).toBe('off');
    expect(d.lookup('+8613800000006')).toBeUndefined();
    const match = createCallerMatcher({ customers: repo, defaultRegion: 'CN', directory: d });
    expect(match.known('13800000006')).toBeUndefined();
    expect((await match('13800000006')).customers.map((c) => c.name)).toEqual(['A']);
  });

  it('matches without a read when it can say, garbage included', async () => {
    const repo = createCustomersRepo(db, clock);
    await repo.create({ name: 'A', phones: [phone('+8613800000008')] });
    const d = directoryOf(repo);
    await d.start();
    const match = createCallerMatcher({ customers: repo, defaultRegion: 'CN', directory: d });
    expect(match.known('138 0000 0008')?.customers.map((c) => c.name)).toEqual(['A']);
    expect(match.known('anonymous')).toEqual({ raw: 'anonymous', e164: null, customers: [] });
  });
});
