/**
 * A Hotline service in its own OS process (`node --import tsx src/main.ts`, what `npm start`
 * runs), so that a test or a bench can kill -9 it: no clean stop, no lease released, the ARI
 * WebSocket cut by the kernel. The node process is the child itself (no npx in between), so
 * SIGKILL reaches the service. Its log (pino JSON) goes to `logFile`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

export interface Health {
  ok: boolean;
  ari: boolean;
  role: 'leader' | 'standby';
  epoch: number | null;
}

export interface InstanceProcess {
  id: string;
  port: number;
  url: string;
  logFile: string;
  child: ChildProcess;
  /** `GET /healthz` (null when the process does not answer). */
  health(): Promise<Health | null>;
  /** kill -9: resolves when the process is gone. */
  kill(): Promise<void>;
  /** A clean stop (SIGTERM), for the end of a test. */
  stop(): Promise<void>;
  exited(): boolean;
}

export async function getJson<T>(url: string, timeoutMs = 1000): Promise<T | null> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    return (await res.json()) as T;
  } catch {
    return null;
  }
}

/**
 * Starts one instance on 127.0.0.1:`port` with `env` (DATABASE_URL, REDIS_URL, HOTLINE_CONFIG…)
 * and resolves once `/readyz` answers ready.
 */
export async function startInstance(o: {
  id: string;
  port: number;
  env: Record<string, string>;
  logDir: string;
  readyMs?: number;
}): Promise<InstanceProcess> {
  const logFile = path.join(o.logDir, `${o.id}-${Date.now()}.log`);
  const out = fs.openSync(logFile, 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      LOG_LEVEL: 'info',
      ...o.env,
      PORT: String(o.port),
      HOTLINE_INSTANCE_ID: o.id,
      HOTLINE_ADVERTISE_URL: `http://127.0.0.1:${o.port}`,
    },
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${o.port}`;
  const inst: InstanceProcess = {
    id: o.id,
    port: o.port,
    url,
    logFile,
    child,
    health: () => getJson<Health>(`${url}/healthz`),
    exited: () => child.exitCode !== null || child.signalCode !== null,
    async kill() {
      if (!inst.exited()) child.kill('SIGKILL');
      await gone;
    },
    async stop() {
      if (inst.exited()) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(t);
    },
  };
  const deadline = Date.now() + (o.readyMs ?? 30_000);
  for (;;) {
    if (inst.exited())
      throw new Error(
        `instance ${o.id} exited at start: ${fs.readFileSync(logFile, 'utf8').slice(-1500)}`,
      );
    const r = await getJson<{ ready: boolean }>(`${url}/readyz`, 500);
    if (r?.ready) return inst;
    if (Date.now() > deadline) {
      await inst.kill();
      throw new Error(`instance ${o.id} not ready in time; log ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * After a kill -9: polls `inst` until its `/healthz` says leader with the ARI link open; the
 * milliseconds since `killedAt`.
 */
export async function waitForLeader(
  inst: InstanceProcess,
  killedAt: number,
  timeoutMs = 15_000,
): Promise<number> {
  for (;;) {
    const h = await inst.health();
    if (h?.role === 'leader' && h.ari) return Date.now() - killedAt;
    if (Date.now() - killedAt > timeoutMs)
      throw new Error(
        `${inst.id} not leader with ARI ${timeoutMs} ms after the kill: ${JSON.stringify(h)}`,
      );
    await new Promise((r) => setTimeout(r, 25));
  }
}
