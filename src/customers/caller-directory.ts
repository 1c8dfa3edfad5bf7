import type { Db } from '../db';
import { num } from '../db';
import type { Logger } from '../shared/logger';
import type { Customer, CustomersRepo } from './customers-repo';

/**
 * Every customer's numbers in memory, so the caller-ID match of an inbound call costs no database
 * round trip (it was one of two sequential reads before the screen-pop; under a burst of calls each
 * read waits behind the whole event loop). The database stays the truth:
 * - the directory is loaded in the background at start; until then (and whenever it is off) a
 *   lookup answers `undefined` and the caller asks the database;
 * - writes made through this instance's API are put at once (`put`); writes made elsewhere (another
 *   instance, a script) are picked up by a sync every `syncEveryMs` that re-reads customers whose
 *   `updated_at` moved (customers are never deleted, and changing a customer's numbers moves it);
 * - a named limit, `maxNumbers`: above it the directory stays off and every lookup goes to the
 *   indexed table as before (memory: about 650 bytes per customer with its card, measured in
 *   `npm run bench -- lookup`).
 */
export interface CallerDirectory {
  /** The customers holding this E.164 number, or undefined when the directory cannot say. */
  lookup(e164: string): Customer[] | undefined;
  /** A customer as just written here (create/update through the API). */
  put(c: Customer): void;
  start(): Promise<void>;
  /** Stops syncing; resolves when a sync in flight has finished (before the database closes). */
  stop(): Promise<void>;
  readonly state: 'loading' | 'on' | 'off';
  readonly size: number;
}

/** Customers updated this long before the last sync are re-read too (clocks of other writers). */
const SYNC_OVERLAP_MS = 10_000;
const PAGE = 5000;

export function createCallerDirectory(deps: {
  db: Db;
  customers: CustomersRepo;
  log: Logger;
  maxNumbers: number;
  syncEveryMs?: number;
  now?: () => number;
}): CallerDirectory {
  const now = deps.now ?? Date.now;
  const byNumber = new Map<string, Customer[]>();
  const numbersOf = new Map<number, string[]>();
  let state: CallerDirectory['state'] = 'loading';
  let syncedTo = 0;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let syncing: Promise<void> | null = null;
  let loading: Promise<void> | null = null;
  /** False after a failed sync: lookups go to the database until a sync succeeds again. */
  let fresh = true;

  function remove(id: number): void {
    for (const e164 of numbersOf.get(id) ?? []) {
      const rest = (byNumber.get(e164) ?? []).filter((c) => c.id !== id);
      if (rest.length) byNumber.set(e164, rest);
      else byNumber.delete(e164);
    }
    numbersOf.delete(id);
  }

  function add(c: Customer, fromSync = false): void {
    // A sync's read may have started before a write this instance has already put.
    const held = fromSync
      ? byNumber.get(numbersOf.get(c.id)?.[0] ?? '')?.find((x) => x.id === c.id)
      : undefined;
    if (held && held.updatedAt > c.updatedAt) return;
    remove(c.id);
    const numbers = [...new Set(c.phones.map((p) => p.e164))];
    numbersOf.set(c.id, numbers);
    for (const e164 of numbers) {
      // Oldest first, as the table answers (several customers may share a switchboard number).
      const list = [...(byNumber.get(e164) ?? []), c].sort((a, b) => a.id - b.id);
      byNumber.set(e164, list);
    }
  }

  function turnOff(reason: string, numbers: number): void {
    state = 'off';
    byNumber.clear();
    numbersOf.clear();
    deps.log.info(
      { numbers, maxNumbers: deps.maxNumbers },
      `caller directory off (${reason}): caller IDs are matched in the database`,
    );
  }

  async function countNumbers(): Promise<number> {
    const row = await deps.db('customer_phones').count<Array<{ n: unknown }>>({ n: '*' }).first();
    return num(row?.n);
  }

  async function load(): Promise<void> {
    const total = await countNumbers();
    if (total > deps.maxNumbers) return turnOff('too many numbers', total);
    const since = now();
    let after = 0;
    for (;;) {
      if (stopped) return;
      const ids = await deps
        .db('customers')
        .where('id', '>', after)
        .orderBy('id')
        .limit(PAGE)
        .pluck<number[]>('id');
      if (!ids.length) break;
      for (const c of await deps.customers.getMany(ids)) add(c);
      after = ids[ids.length - 1]!;
      if (byNumber.size > deps.maxNumbers) return turnOff('too many numbers', byNumber.size);
    }
    syncedTo = since;
    state = 'on';
    deps.log.info({ numbers: byNumber.size, customers: numbersOf.size }, 'caller directory loaded');
  }

  async function sync(): Promise<void> {
    if (state !== 'on') return;
    const since = now();
    const ids = await deps
      .db('customers')
      .where('updated_at', '>=', syncedTo - SYNC_OVERLAP_MS)
      .pluck<number[]>('id');
    for (let i = 0; i < ids.length; i += PAGE) {
      for (const c of await deps.customers.getMany(ids.slice(i, i + PAGE))) add(c, true);
    }
    syncedTo = since;
    fresh = true;
    if (byNumber.size > deps.maxNumbers) turnOff('grew past the limit', byNumber.size);
  }

  return {
    lookup(e164) {
      return state === 'on' && fresh ? (byNumber.get(e164) ?? []) : undefined;
    },
    put(c) {
      if (state !== 'off') add(c);
    },
    async start() {
      stopped = false;
      try {
        await (loading = load());
      } catch (err) {
        if (!stopped)
          deps.log.warn({ err }, 'caller directory failed to load; matching in the database');
        state = 'off';
        return;
      }
      if (state !== 'on' || stopped) return;
      timer = setInterval(() => {
        if (syncing) return;
        syncing = sync()
          .catch((err: unknown) => {
            // A directory that cannot sync could answer stale: the database answers meanwhile.
            if (fresh)
              deps.log.warn({ err }, 'caller directory sync failed; matching in the database');
            fresh = false;
          })
          .finally(() => (syncing = null));
      }, deps.syncEveryMs ?? 2000);
      timer.unref();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = null;
      await Promise.all([syncing, loading?.catch(() => undefined)]);
    },
    get state() {
      return state;
    },
    get size() {
      return byNumber.size;
    },
  };
}

/** The customers repository whose writes also go into the directory (the API's creates/updates). */
export function writingThrough(repo: CustomersRepo, directory: CallerDirectory): CustomersRepo {
  return {
    ...repo,
    async create(c) {
      const created = await repo.create(c);
      directory.put(created);
      return created;
    },
    async update(id, c) {
      const updated = await repo.update(id, c);
      if (updated) directory.put(updated);
      return updated;
    },
  };
}
