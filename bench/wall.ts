/**
 * The supervisor wall under a burst: the whole service in-process (createHotline on a SQLite
 * file) with the fake ARI driving the real engine, 500 agents with a socket.io client each
 * (acknowledging their pops) and 20 supervisor walls. 100 callers arrive at once, are offered,
 * answered and hung up; for every fact the engine commits, the time until the delta carrying it
 * reached each wall; the CPU of each flush; the size of a snapshot and of the deltas.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import type { WallDelta } from '../src/api/wall';
import { hashPassword } from '../src/agents/passwords';
import { preciseNow } from '../src/calls/call-stages';
import { loadConfig } from '../src/config';
import { createHotline } from '../src/hotline';
import { createLogger } from '../src/shared/logger';
import { waitFor } from '../test/support/engine-fixture';
import { asAri, fakeAri } from '../test/support/fake-ari';
import { percentiles, row } from './stats';

export async function benchWall(opts: { agents: number; walls: number; calls: number }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-wall-bench-'));
  const cfgFile = path.join(dir, 'config.json');
  fs.writeFileSync(cfgFile, JSON.stringify({ telephony: { recordingDefault: 'never' } }));
  const config = loadConfig({
    HOTLINE_CONFIG: cfgFile,
    DATABASE_URL: `sqlite:${path.join(dir, 'hotline.sqlite')}`,
    RECORDINGS_DIR: path.join(dir, 'recordings'),
  });
  const ari = fakeAri();
  const flushes: Array<{ seq: number; at: number; cpuMicros: number; bytes: number }> = [];
  const hotline = await createHotline(config, createLogger('warn'), {
    ari: asAri(ari),
    wall: {
      onDelta: (d: WallDelta, s) =>
        flushes.push({
          seq: d.seq,
          at: preciseNow(),
          cpuMicros: s.cpuMicros,
          bytes: Buffer.byteLength(JSON.stringify(d)),
        }),
    },
  });
  const port = await hotline.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}`;
  const sockets: Socket[] = [];
  const lines: string[] = [];
  try {
    // Users straight into the database (one password hash for all), sessions issued directly.
    const hash = await hashPassword('bench-password');
    const now = Date.now();
    const rows = [
      ...Array.from({ length: opts.agents }, (_, i) => ({
        username: `wall-agent-${i}`,
        name: `Agent ${String(i).padStart(3, '0')}`,
        role: 'agent',
        extension: String(3000 + i),
      })),
      ...Array.from({ length: opts.walls }, (_, i) => ({
        username: `wall-sup-${i}`,
        name: `Supervisor ${i}`,
        role: 'supervisor',
        extension: null,
      })),
    ].map((u) => ({ ...u, password_hash: hash, disabled: false, created_at: now }));
    for (let i = 0; i < rows.length; i += 200)
      await hotline.db('users').insert(rows.slice(i, i + 200));
    await hotline.agents.load();
    const users = await hotline
      .db('users')
      .select<Array<{ id: number; role: string }>>('id', 'role');
    const agentIds = users.filter((u) => u.role === 'agent').map((u) => u.id);
    const supIds = users.filter((u) => u.role === 'supervisor').map((u) => u.id);
    for (const id of agentIds) await hotline.agents.setState(id, 'available');

    const byId = new Map(
      (
        await hotline.db('users').select<Array<{ id: number; username: string }>>('id', 'username')
      ).map((u) => [u.id, u.username] as const),
    );
    /** Logs the user in over HTTP, as a browser does, and opens their socket. */
    const open = async (userId: number, listen: (s: Socket) => void) => {
      const res = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: byId.get(userId), password: 'bench-password' }),
      });
      const { token } = (await res.json()) as { token: string };
      const s = connect(url, { auth: { token }, transports: ['websocket'], forceNew: true });
      listen(s);
      sockets.push(s);
      return s;
    };
    for (let i = 0; i < agentIds.length; i += 50) {
      const batch = await Promise.all(
        agentIds
          .slice(i, i + 50)
          .map((id) => open(id, (s) => s.on('screenpop', (_pop, ack?: () => void) => ack?.()))),
      );
      await waitFor(() => batch.every((s) => s.connected), 20_000, 'agent sockets');
    }
    // The walls: the time each delta arrived, and whether a snapshot ever came again.
    const received = supIds.map(() => new Map<number, number>());
    const snapshots = supIds.map(() => 0);
    const wire = supIds.map(() => 0);
    const walls = await Promise.all(
      supIds.map((id, i) =>
        open(id, (w) => {
          w.on('wall:snapshot', () => (snapshots[i]! += 1));
          w.on('wall:delta', (d: WallDelta) => {
            received[i]!.set(d.seq, preciseNow());
            wire[i]! += Buffer.byteLength(JSON.stringify(d));
          });
        }),
      ),
    );
    await waitFor(() => walls.every((w) => w.connected), 20_000, 'wall sockets');
    await waitFor(() => snapshots.every((n) => n === 1), 20_000, 'first snapshots');
    await new Promise((r) => setTimeout(r, 1500)); // presence and the tick settle
    const idle = Buffer.byteLength(JSON.stringify(hotline.wall.snapshot('supervisor')));

    // Every fact the engine commits, when it was committed.
    const facts: Array<{ type: string; at: number }> = [];
    const ctx = hotline.engine.ctx;
    const observe = ctx.observe!;
    ctx.observe = (c) => {
      facts.push({ type: c.fact.type, at: preciseNow() });
      observe(c);
    };
    const firstSeq = hotline.wall.seq + 1;
    flushes.length = 0;
    const cpu0 = process.cpuUsage();
    const t0 = preciseNow();

    // The burst: every caller at once; each agent leg answers as soon as it is rung.
    const answered = new Set<string>();
    for (let i = 0; i < opts.calls; i += 1)
      ari.inbound(`wall-caller-${i}`, `1390000${String(i).padStart(4, '0')}`);
    await waitFor(
      () => {
        for (const o of ari.originates()) {
          const callId = o.appArgs?.split(',')[1];
          if (!callId || answered.has(callId) || !o.channelId) continue;
          answered.add(callId);
          ari.agentAnswers(o.channelId, callId);
        }
        return answered.size >= opts.calls;
      },
      60_000,
      'every call offered and answered',
    );
    await waitFor(
      () =>
        hotline.engine.registry.all().filter((s) => s.state === 'talking').length === opts.calls,
      30_000,
      'every call talking',
    );
    await new Promise((r) => setTimeout(r, 300));
    const peak = Buffer.byteLength(JSON.stringify(hotline.wall.snapshot('supervisor')));
    for (let i = 0; i < opts.calls; i += 1) ari.hangupFromFar(`wall-caller-${i}`);
    await waitFor(() => hotline.engine.registry.size === 0, 30_000, 'every call ended');
    await waitFor(
      () => hotline.wall.snapshot('supervisor').queues[0]?.today.answered === opts.calls,
      10_000,
      "today's figures",
    );
    const lastSeq = hotline.wall.seq;
    await waitFor(
      () => received.every((m) => m.has(lastSeq)),
      10_000,
      'the last delta on every wall',
    );
    const elapsed = preciseNow() - t0;
    const cpu = process.cpuUsage(cpu0);
    ctx.observe = observe;

    // Fact → the first delta flushed after it → its arrival on each wall.
    const latencies: number[] = [];
    const sorted = [...flushes].sort((a, b) => a.at - b.at);
    for (const f of facts) {
      const flush = sorted.find((x) => x.at >= f.at);
      if (!flush) continue;
      for (const m of received) {
        const at = m.get(flush.seq);
        if (at !== undefined) latencies.push(at - f.at);
      }
    }
    const deltas = lastSeq - firstSeq + 1;
    const cpus = flushes.map((f) => f.cpuMicros / 1000);
    const sizes = flushes.map((f) => f.bytes);
    const kb = (b: number) => `${(b / 1024).toFixed(1)} KiB`;
    lines.push(
      `${opts.agents} agents and ${opts.walls} walls connected; ${opts.calls} callers at once, ` +
        `offered, answered and hung up: ${facts.length} engine facts, ${deltas} deltas in ` +
        `${(elapsed / 1000).toFixed(1)} s`,
    );
    lines.push(row('event → delta on every wall', percentiles(latencies)));
    lines.push(row('wall CPU per delta (build, diff, emit)', percentiles(cpus)));
    const mean = cpus.reduce((a, b) => a + b, 0) / Math.max(1, cpus.length);
    lines.push(
      `  mean ${mean.toFixed(2)} ms of CPU per delta; the whole process (service and its ` +
        `${opts.agents + opts.walls} in-process clients) used ` +
        `${((cpu.user + cpu.system) / 1000).toFixed(0)} ms of CPU for the burst`,
    );
    const sp = percentiles(sizes);
    lines.push(
      `snapshot: ${kb(idle)} (${opts.agents} agents, no call), ${kb(peak)} with ${opts.calls} live calls; ` +
        `delta p50 ${kb(sp.p50)}, p99 ${kb(sp.p99)}, max ${kb(sp.max)}`,
    );
    const snapshotsDuring = snapshots.reduce((a, n) => a + n - 1, 0);
    lines.push(
      `on the wire per wall: ${kb(wire[0]!)} of deltas for the burst (${deltas} deltas, ` +
        `${(wire[0]! / peak).toFixed(1)}× one snapshot); snapshots sent during the burst: ${snapshotsDuring}`,
    );
  } finally {
    for (const s of sockets) s.disconnect();
    await hotline.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return lines;
}
