import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCustomersRepo } from '../src/customers/customers-repo';
import { createCallerDirectory } from '../src/customers/caller-directory';
import { createCallerMatcher, type MatchCaller } from '../src/customers/match-caller';
import { silentLogger } from '../src/shared/logger';
import { createDb, migrate, type Db } from '../src/db';
import { systemClock } from '../src/shared/clock';
import { percentiles, row } from './stats';

/** Mobile numbers +86 13x xxxx xxxx, deterministic per index. */
const numberOf = (i: number) =>
  `+861${3 + (i % 7)}${String(10_000_000 + ((i * 7919) % 89_999_999)).padStart(9, '0')}`;

async function seed(db: Db, n: number): Promise<void> {
  const now = Date.now();
  const batch = 500;
  for (let start = 0; start < n; start += batch) {
    const count = Math.min(batch, n - start);
    await db.transaction(async (trx) => {
      const customers = Array.from({ length: count }, (_, k) => ({
        id: start + k + 1,
        name: `Customer ${start + k}`,
        company: null,
        tier: 'standard',
        created_at: now,
        updated_at: now,
      }));
      await trx('customers').insert(customers);
      await trx('customer_phones').insert(
        customers.map((c) => ({ customer_id: c.id, e164: numberOf(c.id), raw: numberOf(c.id) })),
      );
    });
  }
}

/** Caller-ID lookup (normalise + indexed match) time with N customers in SQLite (or BENCH_DATABASE_URL). */
export async function benchLookup(sizes: number[], lookups = 5000): Promise<string[]> {
  const lines: string[] = [];
  for (const n of sizes) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-bench-'));
    const url = process.env.BENCH_DATABASE_URL ?? `sqlite:${path.join(dir, 'bench.sqlite')}`;
    const db = createDb(url);
    await migrate(db);
    const t0 = Date.now();
    await seed(db, n);
    const seeded = Date.now() - t0;
    const customers = createCustomersRepo(db, systemClock);
    lines.push(
      ...(await timeLookups(
        n,
        createCallerMatcher({ customers, defaultRegion: 'CN' }),
        lookups,
        `table`,
        seeded,
      )),
    );
    // The in-memory directory (telephony.callerDirectoryMax): load time and heap it holds.
    global.gc?.();
    const heap0 = process.memoryUsage().heapUsed;
    const l0 = Date.now();
    const directory = createCallerDirectory({
      db,
      customers,
      log: silentLogger(),
      maxNumbers: Number.MAX_SAFE_INTEGER,
    });
    await directory.start();
    const loaded = Date.now() - l0;
    global.gc?.();
    const heapMb = (process.memoryUsage().heapUsed - heap0) / 1024 / 1024;
    lines.push(
      ...(
        await timeLookups(
          n,
          createCallerMatcher({ customers, defaultRegion: 'CN', directory }),
          lookups,
          'memory',
          seeded,
        )
      ).map(
        (l) =>
          `${l}; loaded in ${(loaded / 1000).toFixed(1)} s, heap +${heapMb.toFixed(0)} MB` +
          (global.gc ? '' : ' (no --expose-gc: heap figure is rough)'),
      ),
    );
    await directory.stop();
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return lines;
}

async function timeLookups(
  n: number,
  match: MatchCaller,
  lookups: number,
  how: string,
  seeded: number,
): Promise<string[]> {
  {
    const times: number[] = [];
    let hits = 0;
    for (let i = 0; i < lookups; i += 1) {
      // Half known numbers in national form, half unknown ones.
      const known = i % 2 === 0;
      const e164 = known
        ? numberOf(1 + ((i * 104_729) % n))
        : `+8617${String(900_000_000 + i).slice(0, 9)}`;
      const national = `0${e164.slice(3)}`;
      const s = process.hrtime.bigint();
      const m = await match(national);
      times.push(Number(process.hrtime.bigint() - s) / 1e6);
      if (m.customers.length) hits += 1;
    }
    return [
      row(`caller-ID lookup (${how}), ${n.toLocaleString('en')} customers`, percentiles(times)) +
        `  (hits ${hits}/${lookups}, seeded in ${(seeded / 1000).toFixed(1)} s)`,
    ];
  }
}

if (require.main === module) {
  const sizes = (process.argv[2] ?? '100000,1000000').split(',').map(Number);
  benchLookup(sizes)
    .then((lines) => console.log(lines.join('\n')))
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
