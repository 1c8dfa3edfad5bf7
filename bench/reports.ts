import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createCallsRepo } from '../src/calls/calls-repo';
import { createDb, migrate, type Db } from '../src/db';
import { startOfDay, nextDay } from '../src/metrics/definitions';
import { numberPolicy } from '../src/privacy/number-policy';
import { CALL_EXPORT_HEADER, callExportRows } from '../src/reports/call-export';
import { writeCsv } from '../src/reports/csv';
import { createReports } from '../src/reports/reports';
import { rebuildDailyRollup } from '../src/agents/agent-time-rollup';

const TZ = 'Asia/Shanghai';
const AGENTS = 500;
const QUEUES = 20;
const DAYS = 90;
/** The 90 days end with this local day (a fixed calendar: every run seeds the same records). */
const LAST_DAY = '2026-03-31';
const MONTH = { from: '2026-03-01', to: '2026-03-31' };
const DAY = '2026-03-17';

/** Deterministic pseudo-random numbers (mulberry32). */
function prng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

async function insertAll(
  db: Db,
  table: string,
  rows: Array<Record<string, unknown>>,
  batch: number,
) {
  for (let i = 0; i < rows.length; i += batch) await db(table).insert(rows.slice(i, i + batch));
}

/**
 * 1 000 000 inbound call records over 90 days for 500 agents and 20 queues (85 % answered, 8 %
 * abandoned, the rest no-agent or closed), a survey on a quarter, a transfer or a missed offer
 * on a few percent, and the agents' state log: per answered call an idle stretch, the call and
 * its wrap-up (about 3 stretches per call), plus a lunch break a day.
 */
export async function seed(db: Db, calls: number): Promise<void> {
  const rnd = prng(11);
  const first = startOfDay(nextDay(LAST_DAY, -(DAYS - 1)), TZ);
  const last = startOfDay(nextDay(LAST_DAY), TZ);
  await insertAll(
    db,
    'users',
    Array.from({ length: AGENTS }, (_, i) => ({
      id: i + 1,
      username: `bench${i + 1}`,
      name: `坐席 ${i + 1}`,
      role: 'agent',
      password_hash: 'x',
      created_at: 0,
    })),
    250,
  );
  const span = last - first;
  const step = span / calls;
  const agentFree = new Float64Array(AGENTS + 1).fill(first);
  let callRows: Array<Record<string, unknown>> = [];
  let eventRows: Array<Record<string, unknown>> = [];
  let logRows: Array<Record<string, unknown>> = [];
  const flush = async (force: boolean) => {
    if (callRows.length >= 5000 || force) {
      await db.transaction(async (trx) => {
        await insertAll(trx, 'calls', callRows, 400);
        await insertAll(trx, 'call_events', eventRows, 400);
        await insertAll(trx, 'agent_state_log', logRows, 400);
      });
      callRows = [];
      eventRows = [];
      logRows = [];
    }
  };
  for (let i = 0; i < calls; i++) {
    const started = Math.floor(first + i * step);
    const r = rnd();
    const agent = 1 + Math.floor(rnd() * AGENTS);
    const queue = `queue-${1 + (i % QUEUES)}`;
    const id = `b${i}`;
    const wait = Math.floor(rnd() * 40_000);
    const base = {
      id,
      direction: 'inbound',
      caller_number: `+86139${String(i).padStart(8, '0')}`,
      caller_e164: null,
      dialed_number: '4000',
      queue,
      state: 'ended',
      started_at: started,
    };
    if (r < 0.85) {
      const answered = started + wait;
      const talk = 30_000 + Math.floor(rnd() * 300_000);
      const ended = answered + talk;
      const wrapped = ended + Math.floor(rnd() * 90_000);
      const survey = rnd() < 0.25;
      callRows.push({
        ...base,
        agent_id: agent,
        answered_at: answered,
        ended_at: ended,
        wait_ms: wait,
        talk_ms: talk,
        outcome: 'answered',
        service_level_met: wait <= 20_000,
        wrapped_up_at: wrapped,
        disposition: 'resolved',
        survey_score: survey ? 1 + Math.floor(rnd() * 5) : null,
      });
      if (survey)
        eventRows.push({ call_id: id, at: ended, type: 'survey-started', agent_id: null });
      if (rnd() < 0.03)
        eventRows.push({ call_id: id, at: ended - 1000, type: 'transferred', agent_id: agent });
      if (rnd() < 0.03)
        eventRows.push({ call_id: id, at: started + 500, type: 'agent-missed', agent_id: agent });
      const from = Math.min(agentFree[agent]!, answered);
      logRows.push(
        {
          user_id: agent,
          state: 'available',
          reason: null,
          activity: 'idle',
          started_at: from,
          ended_at: answered,
        },
        {
          user_id: agent,
          state: 'available',
          reason: null,
          activity: 'on-call',
          started_at: answered,
          ended_at: ended,
        },
        {
          user_id: agent,
          state: 'available',
          reason: null,
          activity: 'wrap-up',
          started_at: ended,
          ended_at: Math.min(wrapped, ended + 60_000),
        },
      );
      agentFree[agent] = Math.max(agentFree[agent]!, Math.min(wrapped, ended + 60_000));
    } else {
      const outcome = r < 0.93 ? 'abandoned' : r < 0.97 ? 'no-agent' : 'closed';
      callRows.push({
        ...base,
        agent_id: null,
        answered_at: null,
        ended_at: started + wait,
        wait_ms: wait,
        talk_ms: 0,
        outcome,
        service_level_met: outcome === 'abandoned' && wait > 20_000 ? false : null,
      });
    }
    await flush(false);
  }
  await flush(true);
  // A lunch break a day for every agent.
  const breaks: Array<Record<string, unknown>> = [];
  for (let d = 0; d < DAYS; d++) {
    const noon = startOfDay(nextDay(LAST_DAY, -d), TZ) + 12 * 3_600_000;
    for (let a = 1; a <= AGENTS; a++)
      breaks.push({
        user_id: a,
        state: 'break',
        reason: 'lunch',
        activity: 'idle',
        started_at: noon,
        ended_at: noon + 3_600_000,
      });
  }
  await insertAll(db, 'agent_state_log', breaks, 400);
  await db.raw('analyze');
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, value };
}

async function measure(db: Db, label: string): Promise<string[]> {
  const reports = createReports({
    db,
    clock: { now: () => startOfDay(nextDay(LAST_DAY), TZ) },
    settings: () => ({ timezone: TZ, shortAbandonSec: 5, wrapUpSec: 60, followUpDays: 3 }),
  });
  const lines: string[] = [];
  const best = async (name: string, fn: () => Promise<{ rows: unknown[] }>) => {
    const runs: number[] = [];
    let rows = 0;
    for (let k = 0; k < 3; k++) {
      const r = await timed(fn);
      runs.push(r.ms);
      rows = r.value.rows.length;
    }
    lines.push(
      `${label}  ${name.padEnd(38)} first ${runs[0]!.toFixed(0).padStart(5)} ms  best ${Math.min(
        ...runs,
      )
        .toFixed(0)
        .padStart(5)} ms  (${rows} rows)`,
    );
  };
  await best('monthly per-agent report (agents)', () =>
    reports.agents({ ...MONTH, granularity: 'total' }, {}),
  );
  await best('monthly per-agent report by day', () =>
    reports.agents({ ...MONTH, granularity: 'day' }, {}),
  );
  await best('monthly per-agent inbound report', () =>
    reports.inbound({ ...MONTH, granularity: 'total', by: 'agent' }, {}),
  );
  await best('daily per-queue report', () =>
    reports.inbound({ from: DAY, to: DAY, granularity: 'total', by: 'queue' }, {}),
  );
  await best('monthly per-queue report by day', () =>
    reports.inbound({ ...MONTH, granularity: 'day', by: 'queue' }, {}),
  );

  // The screen-pop's history read (a caller's last calls), the call path's one database read.
  const calls = createCallsRepo(db);
  await best('pop history of a caller (no calls yet)', async () => ({
    rows: await calls.history({ e164: '+8613800000000' }, 10, 'none'),
  }));
  await best('pop history of a customer', async () => ({
    rows: await calls.history({ customerId: 5 }, 10, 'none'),
  }));

  // The month's call records as CSV into a sink that counts bytes; RSS sampled meanwhile.
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  let bytes = 0;
  let rows = 0;
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      rows += chunk.toString('utf8').split('\n').length - 1;
      done();
    },
  });
  const range = { start: startOfDay(MONTH.from, TZ), end: startOfDay(nextDay(MONTH.to), TZ) };
  const exp = await timed(() =>
    writeCsv(
      sink,
      CALL_EXPORT_HEADER,
      callExportRows(
        db,
        range,
        {},
        {
          userId: 0,
          role: 'qa',
          policy: numberPolicy(['supervisor', 'admin']),
          timezone: TZ,
        },
      ),
    ),
  );
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  lines.push(
    `${label}  CSV export of the month (masked for qa): ${rows - 1} rows, ${(bytes / 1e6).toFixed(0)} MB in ${(exp.ms / 1000).toFixed(1)} s = ${Math.round(((rows - 1) / exp.ms) * 1000)} rows/s; RSS ${(rssBefore / 1e6).toFixed(0)} MB before, peak ${(peak / 1e6).toFixed(0)} MB`,
  );
  return lines;
}

const PG_DB = 'hotline_bench_reports';

function psql(sql: string): boolean {
  for (const user of ['postgres', 'root'])
    try {
      execFileSync('psql', ['-h', '127.0.0.1', '-U', user, '-d', 'postgres', '-c', sql], {
        stdio: 'ignore',
      });
      return true;
    } catch {
      // the next user
    }
  return false;
}

/** `npm run bench -- reports`: the reports over 1 000 000 call records, SQLite and PostgreSQL. */
export async function benchReports(calls = 1_000_000): Promise<string[]> {
  const lines: string[] = [];
  // BENCH_REPORT_KEEP=DIR keeps the seeded SQLite file there and reuses it on the next run.
  const keep = process.env.BENCH_REPORT_KEEP;
  const dir = keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-bench-reports-'));
  const file = path.join(dir, 'bench.sqlite');
  const reuse = keep !== undefined && fs.existsSync(file);
  const sqlite = createDb(`sqlite:${file}`);
  try {
    await migrate(sqlite);
    if (!reuse) {
      const s = await timed(() => seed(sqlite, calls));
      const r = await timed(() => rebuildDailyRollup(sqlite, TZ));
      lines.push(
        `sqlite    seeded ${calls} calls (+ state log, events) in ${(s.ms / 1000).toFixed(0)} s; daily time rollup rebuilt from the log in ${(r.ms / 1000).toFixed(1)} s`,
      );
    }
    lines.push(...(await measure(sqlite, 'sqlite  ')));
  } finally {
    await sqlite.destroy();
    if (!keep) fs.rmSync(dir, { recursive: true, force: true });
  }
  // BENCH_REPORT_ENGINES=sqlite skips PostgreSQL.
  if (process.env.BENCH_REPORT_ENGINES === 'sqlite') return lines;
  // BENCH_PG_DB names the database (one of your own beside other users); with BENCH_REPORT_KEEP
  // it is kept too and reused when it holds the seeded calls.
  const pgDb = process.env.BENCH_PG_DB ?? PG_DB;
  if (!keep) psql(`drop database if exists ${pgDb}`);
  if (!psql(`create database ${pgDb}`) && !keep) {
    lines.push('postgres  skipped: no server on 127.0.0.1:5432 (users postgres, root)');
    return lines;
  }
  const url = process.env.BENCH_PG_URL ?? `postgres://postgres@127.0.0.1:5432/${pgDb}`;
  const pg = createDb(url);
  try {
    await migrate(pg);
    const seeded = await pg('calls').count<Array<{ n: number | string }>>('* as n');
    const n = Number(seeded[0]?.n ?? 0);
    if (n !== calls) {
      if (n > 0) await pg.raw('truncate calls, call_events, agent_state_log, users cascade');
      const s = await timed(() => seed(pg, calls));
      const r = await timed(() => rebuildDailyRollup(pg, TZ));
      lines.push(
        `postgres  seeded ${calls} calls (+ state log, events) in ${(s.ms / 1000).toFixed(0)} s; daily time rollup rebuilt from the log in ${(r.ms / 1000).toFixed(1)} s`,
      );
    }
    lines.push(...(await measure(pg, 'postgres')));
  } finally {
    await pg.destroy();
    if (!keep) psql(`drop database if exists ${pgDb}`);
  }
  return lines;
}
