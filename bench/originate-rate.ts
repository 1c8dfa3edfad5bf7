/**
 * The rate of originates the dialer sustains against the sandbox: a progressive campaign with
 * `lines` free telemarketers dials `n` numbers the SIPp carrier answers busy (so each line frees
 * at once and the next contact is dialed); attempts per second from start to the last recorded
 * attempt, and the service process's CPU time per originate (claim, checks, call record, ARI
 * originate, the channel's events, the outcome and its retry), and the database queries per
 * originate (`BENCH_SQL=1` prints them by statement).
 */
import { performance as perfHooks, PerformanceObserver } from 'node:perf_hooks';
import { startPhone } from '../test/support/sipp-peers';
import { serviceFixture } from '../test/support/service-fixture';
import { waitFor } from '../test/support/engine-fixture';
import { profileWindow, watchMachine } from './cpu-profile';

const eventLoopUtilization = perfHooks.eventLoopUtilization.bind(perfHooks);

export async function benchOriginateRate(n = 200, lines = 20): Promise<string[]> {
  const fx = await serviceFixture({ telephony: { externalRingSec: 15 } });
  const carrier = await startPhone({
    ext: 'carrier',
    port: 15070,
    host: '127.0.0.2',
    mode: 'carrier',
  });
  try {
    const admin = await fx.agent('admin', null, 'admin');
    const auth = { Authorization: `Bearer ${admin.token}` };
    const { body } = await fx
      .http()
      .post('/api/campaigns')
      .set(auth)
      .send({
        name: 'Originate bench',
        queue: 'general',
        mode: 'progressive',
        hours: { from: '00:00', to: '24:00' },
        timezone: 'UTC',
        callerId: '4000',
      });
    const id = body.id as number;
    // Numbers ending in 1: the carrier answers busy.
    const csv = [
      'phone',
      ...Array.from({ length: n }, (_, i) => `+86139${String(i).padStart(4, '0')}0001`),
    ];
    const imp = await fx
      .http()
      .post(`/api/campaigns/${id}/imports`)
      .query({ mapping: JSON.stringify({ phone: 'phone' }) })
      .set(auth)
      .set('Content-Type', 'text/csv')
      .send(csv.join('\n'));
    await waitFor(
      async () =>
        (await fx.http().get(`/api/imports/${imp.body.importId}`).set(auth)).body.status === 'done',
      30_000,
      'import',
    );
    for (let i = 0; i < lines; i++) {
      const a = await fx.agent(`tm${i}`, `19${String(i).padStart(2, '0')}`);
      await fx.http().post(`/api/campaigns/${id}/join`).set('Authorization', `Bearer ${a.token}`);
      await fx.setState(a.token, 'available');
    }
    let queries = 0;
    const counted: Array<{ on(e: 'query', l: (q: { sql: string }) => void): unknown }> = [
      fx.hotline.db,
    ];
    const bySql = new Map<string, number>();
    for (const db of counted)
      db.on('query', (q: { sql: string }) => {
        queries += 1;
        const k = q.sql.slice(0, 60);
        bySql.set(k, (bySql.get(k) ?? 0) + 1);
      });
    const stopProfile = await profileWindow();
    // Garbage collection's pauses on the main thread (its helper threads' work is in the CPU).
    let gcMs = 0;
    const gc = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) gcMs += e.duration;
    });
    gc.observe({ entryTypes: ['gc'] });
    const machine = watchMachine();
    const cpu0 = process.cpuUsage();
    const elu0 = eventLoopUtilization();
    const t0 = performance.now();
    await fx.http().post(`/api/campaigns/${id}/start`).set(auth);
    // Polled every 200 ms so the bench itself costs little of the CPU it measures.
    const until = Date.now() + 300_000;
    for (;;) {
      const [row] = await fx.hotline
        .db('outbound_attempts')
        .where({ campaign_id: id })
        .count<Array<{ c: number | string }>>({ c: '*' });
      if (Number(row?.c ?? 0) >= n) break;
      if (Date.now() > until) throw new Error('timed out waiting for the attempts');
      await new Promise((r) => setTimeout(r, 200));
    }
    const secs = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const elu = eventLoopUtilization(elu0);
    const queriesDuring = queries;
    const machineLine = machine.stop();
    gc.disconnect();
    await stopProfile();
    if (process.env.BENCH_SQL)
      console.log(
        [...bySql]
          .sort((a, b) => b[1] - a[1])
          .map(([k, v]) => `${v}\t${k}`)
          .join('\n'),
      );
    await fx.http().post(`/api/campaigns/${id}/stop`).set(auth);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    return [
      `${n} originates over ${lines} lines (all busy): ${secs.toFixed(1)} s, ${(n / secs).toFixed(1)} originates/s`,
      `service CPU per originate (claim → originate → events → outcome): ${(cpuMs / n).toFixed(2)} ms (event loop busy ${(elu.active / n).toFixed(2)} ms of it, GC pauses ${(gcMs / n).toFixed(2)} ms; the rest is SQLite's and libuv's threads and GC's helpers)`,
      `database queries per originate (the bench's own polling included): ${(queriesDuring / n).toFixed(1)}`,
      // The figure moves with the host: a run with much stolen CPU is not comparable.
      `meanwhile: ${machineLine}`,
    ];
  } finally {
    await carrier.stop();
    await fx.close();
  }
}
