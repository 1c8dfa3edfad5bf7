import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createDb, migrate, type Db } from '../src/db';
import { getImport, startImport } from '../src/outbound/lists/import-job';
import { systemClock } from '../src/shared/clock';
import { silentLogger } from '../src/shared/logger';

/** `n` rows of Chinese mobiles written nationally; every 100th number bad, every 97th a repeat. */
function listOf(n: number): string {
  const lines = ['Mobile,Name,City,Plan'];
  for (let i = 0; i < n; i++) {
    const phone =
      i % 100 === 99 ? `bad-${i}` : `139${String(i % 97 === 96 ? i - 1 : i).padStart(8, '0')}`;
    lines.push(`${phone},Customer ${i},"City, ${i % 50}",${i % 3 ? 'silver' : 'gold'}`);
  }
  return `${lines.join('\r\n')}\r\n`;
}

async function campaign(db: Db): Promise<number> {
  const now = Date.now();
  const [row] = await db('campaigns')
    .insert({
      name: 'Bench',
      queue: 'sales',
      mode: 'progressive',
      hours: JSON.stringify({ from: '09:00', to: '18:00' }),
      timezone: 'Asia/Shanghai',
      retry_minutes: JSON.stringify({ busy: 10, noAnswer: 60, failed: 30, machine: 240 }),
      caller_id: '+861012345678',
      dispositions: '[]',
      created_at: now,
      updated_at: now,
    })
    .returning<Array<{ id: number }>>('id');
  return row!.id;
}

/**
 * A CSV import of N generated rows into a temporary SQLite database (or BENCH_DATABASE_URL): the
 * job's elapsed time, rows per second, and the longest event-loop stall while it ran (what an
 * HTTP request arriving meanwhile would wait at worst).
 */
export async function benchImport(sizes: number[] = [100_000]): Promise<string[]> {
  const lines: string[] = [];
  for (const n of sizes) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-bench-'));
    const url = process.env.BENCH_DATABASE_URL ?? `sqlite:${path.join(dir, 'bench.sqlite')}`;
    const db = createDb(url);
    try {
      await migrate(db);
      const campaignId = await campaign(db);
      // Some numbers on the global do-not-call list, so that check does work too.
      await db('dnc_numbers').insert(
        Array.from({ length: 200 }, (_, k) => ({
          phone: `+86139${String(k * 500).padStart(8, '0')}`,
          campaign_id: null,
          created_at: Date.now(),
        })),
      );
      const csv = listOf(n);
      const lag = monitorEventLoopDelay({ resolution: 10 });
      lag.enable();
      const t0 = process.hrtime.bigint();
      const { importId, finished } = await startImport(db, {
        campaignId,
        csv,
        mapping: { phone: 'Mobile', firstName: 'Name' },
        defaultRegion: 'CN',
        userId: null,
        clock: systemClock,
        log: silentLogger(),
      });
      const status = await finished;
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      lag.disable();
      const r = await getImport(db, importId, { limit: 0 });
      const label = `import ${n.toLocaleString('en')} rows (${(csv.length / 1e6).toFixed(1)} MB)`;
      const rate = Math.round((n / ms) * 1000).toLocaleString('en');
      lines.push(
        `${label}, ${status}`.padEnd(44) +
          ` ${(ms / 1000).toFixed(2)} s  ${rate} rows/s` +
          `  max event-loop stall ${(lag.max / 1e6).toFixed(1)} ms` +
          `  (accepted ${r?.accepted}, rejected ${r?.rejected}, dup ${r?.duplicates}, dnc ${r?.dnc})`,
      );
    } finally {
      await db.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  return lines;
}

if (require.main === module) {
  const sizes = (process.argv[2] ?? '100000').split(',').map(Number);
  benchImport(sizes)
    .then((lines) => console.log(lines.join('\n')))
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
