/**
 * The service's own ARI client, the same 500 REST requests (GET /asterisk/variable, 32 at a time)
 * over HTTP (`fetch`) and over the event WebSocket (ARI REST over WebSocket, Asterisk 22.4+):
 * service CPU per request and latency. Its own application name: never the running `hotline`.
 */
import { randomUUID } from 'node:crypto';
import { createAri } from '../src/ari';
import { silentLogger } from '../src/shared/logger';
import { percentiles, row } from './stats';

const waitFor = async (what: string, cond: () => boolean) => {
  const until = Date.now() + 10_000;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

export async function benchAriTransport(n: number): Promise<string[]> {
  const lines: string[] = [];
  for (const overWs of [false, true]) {
    const ari = createAri({
      baseUrl: process.env.ARI_URL ?? 'http://127.0.0.1:18088',
      user: process.env.ARI_USER ?? 'hotline',
      password: process.env.ARI_PASSWORD ?? 'hotline',
      app: `hotline-bench-ari-${randomUUID().slice(0, 8)}`,
      log: silentLogger(),
      restOverWebSocket: overWs,
    });
    ari.events.start();
    await waitFor('events connected', () => ari.events.state === 'open');
    if (overWs) await waitFor('REST over the socket', () => ari.restVia === 'websocket');
    const round = async () => {
      const lat: number[] = [];
      let next = 0;
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: 32 }, async () => {
          while (next < n) {
            next += 1;
            const t = performance.now();
            await ari.rest.getVariable('HOTLINE_BENCH_UNSET');
            lat.push(performance.now() - t);
          }
        }),
      );
      const cpu = process.cpuUsage(cpu0);
      return { lat, wallMs: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000 };
    };
    await round(); // warm-up
    const r = await round();
    lines.push(
      row(`${n} requests over ${ari.restVia}`, percentiles(r.lat)) +
        `  wall ${r.wallMs.toFixed(0)} ms, service CPU ${(r.cpuMs / n).toFixed(3)} ms/request`,
    );
    await ari.events.close();
  }
  return lines;
}
