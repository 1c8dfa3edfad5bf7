import { createLease, type Lease, type LeaseChange } from '../../../src/leadership/lease';
import type { LeaseRow, LeaseStore } from '../../../src/leadership/lease-store';
import { silentLogger } from '../../../src/shared/logger';

/**
 * The lease's logic with fake timers: an in-memory store with the same conditions as the SQL
 * (src/leadership/lease-store.ts), its clock the faked Date.now (the "database clock").
 */
function memoryStore() {
  let row: LeaseRow | null = null;
  /** Statements that never answer (a hung database) while true. */
  const state = { hang: false };
  const hang = <T>(v: () => T): Promise<T> =>
    state.hang ? new Promise<T>(() => {}) : Promise.resolve(v());
  const store: LeaseStore = {
    acquire: (holder, ttlMs) =>
      hang(() => {
        const now = Date.now();
        if (row && row.expiresAt > now) return null;
        row = { holder, epoch: (row?.epoch ?? 0) + 1, expiresAt: now + ttlMs, renewedAt: now };
        return { ...row };
      }),
    renew: (holder, epoch, ttlMs) =>
      hang(() => {
        const now = Date.now();
        if (!row || row.holder !== holder || row.epoch !== epoch || row.expiresAt <= now)
          return null;
        row = { ...row, expiresAt: now + ttlMs, renewedAt: now };
        return { ...row };
      }),
    release: (holder, epoch) =>
      hang(() => {
        if (!row || row.holder !== holder || row.epoch !== epoch) return false;
        row = { ...row, expiresAt: 0 };
        return true;
      }),
    seize: (holder) =>
      hang(() => {
        row = {
          holder,
          epoch: (row?.epoch ?? 0) + 1,
          expiresAt: Number.MAX_SAFE_INTEGER,
          renewedAt: Date.now(),
        };
        return { ...row };
      }),
    read: () => hang(() => (row ? { ...row, now: Date.now() } : null)),
  };
  return { store, state, row: () => row };
}

const timing = { ttlMs: 3000, renewMs: 1000, pollMs: 500, marginMs: 1000 };

function lease(
  holder: string,
  store: LeaseStore,
  extra: Partial<Parameters<typeof createLease>[0]> = {},
) {
  const changes: Array<LeaseChange & { at: number }> = [];
  const l = createLease({
    name: 'engine',
    holder,
    store,
    log: silentLogger(),
    timing,
    monotonic: () => Date.now(),
    ...extra,
  });
  l.onChange((c) => changes.push({ ...c, at: Date.now() }));
  return { l, changes };
}

/** Runs the fake clock forward in small steps, letting the store's promises settle between. */
async function advance(ms: number, step = 50) {
  for (let t = 0; t < ms; t += step) await jest.advanceTimersByTimeAsync(step);
}

beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
afterEach(() => jest.useRealTimers());

describe('the lease', () => {
  it('leads at once when free, renews, and the other instance stands by', async () => {
    const db = memoryStore();
    const a = lease('a', db.store);
    const b = lease('b', db.store);
    await a.l.start();
    await b.l.start();
    expect([a.l.isLeader, a.l.epoch, b.l.isLeader, b.l.epoch]).toEqual([true, 1, false, null]);
    await advance(10_000);
    expect([a.l.isLeader, b.l.isLeader]).toEqual([true, false]);
    expect(db.row()).toMatchObject({ holder: 'a', epoch: 1 });
    expect(b.changes).toEqual([]);
    await a.l.stop();
    await b.l.stop();
  });

  it('steps down strictly before the lease expires when renews stop answering', async () => {
    const db = memoryStore();
    const a = lease('a', db.store);
    await a.l.start();
    await advance(1000); // a renewed at +1000
    const lastRenew = db.row()!.renewedAt;
    db.state.hang = true; // a's statements hang from now on
    await advance(timing.ttlMs - timing.marginMs);
    // Not leader the moment the deadline passes (the getter reads the clock), the timer just after.
    expect(a.l.isLeader).toBe(false);
    await advance(50);
    expect(a.changes.at(-1)).toMatchObject({ leader: false, epoch: 1 });
    // Stepped down by its own clock, at most ttl - margin after the renew that last succeeded,
    // while the database still holds the lease for it.
    expect(a.changes.at(-1)!.at).toBeLessThanOrEqual(
      lastRenew + timing.ttlMs - timing.marginMs + 1,
    );
    expect(a.changes.at(-1)!.at).toBeLessThan(db.row()!.expiresAt);
    const stopping = a.l.stop();
    await advance(timing.ttlMs * 2); // a hung statement holds stop up for ttlMs at most, per statement
    await stopping;
  });

  it('lets a standby take over within ttl + poll of the last renew, epoch + 1', async () => {
    const db = memoryStore();
    const a = lease('a', db.store);
    await a.l.start();
    const b = lease('b', db.store);
    await b.l.start();
    await advance(1200);
    const expiresAt = db.row()!.expiresAt;
    // a dies (kill -9): its renews never reach the database again (b, the standby, only
    // ever acquires).
    jest.spyOn(db.store, 'renew').mockImplementation(() => new Promise(() => {}));
    await advance(timing.ttlMs + timing.pollMs + 100);
    expect(b.l.isLeader).toBe(true);
    expect(b.l.epoch).toBe(2);
    const gained = b.changes.find((c) => c.leader)!;
    expect(gained.at).toBeGreaterThanOrEqual(expiresAt);
    expect(gained.at).toBeLessThanOrEqual(expiresAt + timing.pollMs + 50);
    // a stepped down before b could act.
    const lost = a.changes.find((c) => !c.leader)!;
    expect(lost.at).toBeLessThan(gained.at);
    jest.restoreAllMocks();
    await b.l.stop();
  });

  it('gives the lease up at stop: the standby takes it at its next poll', async () => {
    const db = memoryStore();
    const a = lease('a', db.store);
    await a.l.start();
    const b = lease('b', db.store);
    await b.l.start();
    await advance(600);
    await a.l.stop();
    expect(a.l.isLeader).toBe(false);
    await advance(timing.pollMs + 50);
    expect([b.l.isLeader, b.l.epoch]).toEqual([true, 2]);
    await b.l.stop();
  });

  it('steps down when a renew finds the lease taken', async () => {
    const db = memoryStore();
    const a = lease('a', db.store);
    await a.l.start();
    // Someone took it (an operator, or a bug): the next renew is refused.
    await db.store.seize('intruder');
    await advance(timing.renewMs + 50);
    expect(a.l.isLeader).toBe(false);
    expect(a.changes.at(-1)?.reason).toMatch(/renew refused/);
    await a.l.stop();
  });

  it('sole instance (SQLite): seizes the lease at start, epoch + 1 every start, no timers', async () => {
    // Timers an earlier test's leases left behind are not this lease's.
    jest.clearAllTimers();
    const db = memoryStore();
    const first: Lease = lease('a', db.store, { sole: true }).l;
    await first.start();
    expect([first.isLeader, first.epoch]).toEqual([true, 1]);
    expect(jest.getTimerCount()).toBe(0);
    await advance(60_000, 10_000);
    expect(first.isLeader).toBe(true);
    await first.stop();
    const second = lease('a2', db.store, { sole: true }).l;
    await second.start();
    expect(second.epoch).toBe(2);
    await second.stop();
  });

  it('refuses a timing that could not step down before expiry', () => {
    const db = memoryStore();
    expect(() =>
      createLease({
        name: 'engine',
        holder: 'a',
        store: db.store,
        log: silentLogger(),
        timing: { ttlMs: 3000, marginMs: 1000, renewMs: 2500 },
      }),
    ).toThrow(/renewMs < ttlMs - marginMs/);
  });
});
