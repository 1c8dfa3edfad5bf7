/**
 * Two Hotline instances as OS processes (instance-process.ts) on one PostgreSQL database
 * (`hotline_failover_PID…`, created and dropped here) and one Redis (channels under
 * `hotline-failover-test-PID`), against the Asterisk sandbox: the first started leads. `kill()`
 * kill -9s the leader, measures the takeover (kill → the standby's /healthz says leader with
 * ARI open) and starts a fresh standby in its place, so cases can follow each other.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knex, { type Knex } from 'knex';
import { io as connect, type Socket } from 'socket.io-client';
import type { CallUpdate, ScreenPop } from '../../src/screenpop/agent-events';
import { startInstance, waitForLeader, type InstanceProcess } from './instance-process';

const base = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const ADMIN_PASSWORD = 'admin-password-1';

/** A call record as these tests read it (GET /api/calls/:id), with its timeline. */
export interface Rec {
  id: string;
  outcome: string | null;
  agentId: number | null;
  endedAt: string | null;
  endedBy: string | null;
  answeredAt: string | null;
  talkMs: number;
  waitMs: number;
  timeline: Array<{ type: string; data: unknown }>;
}

export interface Browser {
  socket: Socket;
  pops: ScreenPop[];
  updates: CallUpdate[];
}

export async function failoverCluster(o: {
  /** Two ports in 7600–7699: the instances alternate between them. */
  ports: [number, number];
  name: string;
  config?: Record<string, unknown>;
}) {
  const dbName = `hotline_failover_${o.name}_${process.pid}`;
  const admin = knex({ client: 'pg', connection: base, pool: { min: 0, max: 1 } });
  await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [dbName]);
  await admin.raw('CREATE DATABASE ??', [dbName]);
  const databaseUrl = base.replace(/\/[^/]*$/, `/${dbName}`);
  const db: Knex = knex({ client: 'pg', connection: databaseUrl, pool: { min: 0, max: 2 } });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-failover-'));
  const cfgFile = path.join(dir, 'config.json');
  fs.writeFileSync(cfgFile, JSON.stringify(o.config ?? {}));
  const env = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    HOTLINE_REDIS_KEY: `hotline-failover-test-${process.pid}`,
    HOTLINE_CONFIG: cfgFile,
    HOTLINE_ADMIN_PASSWORD: ADMIN_PASSWORD,
    RECORDINGS_DIR: path.join(dir, 'recordings'),
    // FAILOVER_LOG_LEVEL=debug (with KEEP_FAILOVER_LOGS=1) to see what an instance did.
    ...(process.env.FAILOVER_LOG_LEVEL ? { LOG_LEVEL: process.env.FAILOVER_LOG_LEVEL } : {}),
  };
  let n = 0;
  const start = (port: number) => startInstance({ id: `inst${(n += 1)}`, port, env, logDir: dir });
  // One after the other: the first runs the migrations and takes the lease.
  let leader: InstanceProcess = await start(o.ports[0]);
  for (let i = 0; (await leader.health())?.ari !== true; i += 1) {
    if (i > 200) throw new Error('first instance never led with ARI open');
    await new Promise((r) => setTimeout(r, 50));
  }
  let standby: InstanceProcess = await start(o.ports[1]);
  const sockets: Socket[] = [];

  async function api<T = unknown>(
    inst: InstanceProcess,
    method: string,
    p: string,
    token?: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> {
    const res = await fetch(`${inst.url}${p}`, {
      method,
      headers: {
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed as T };
  }

  async function login(inst: InstanceProcess, username: string, password: string) {
    const r = await api<{ token: string }>(inst, 'POST', '/api/auth/login', undefined, {
      username,
      password,
    });
    if (r.status !== 200)
      throw new Error(`login ${username}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.token;
  }

  const adminToken = await login(standby, 'admin', ADMIN_PASSWORD);

  const cluster = {
    db,
    dir,
    get leader() {
      return leader;
    },
    get standby() {
      return standby;
    },
    adminToken,
    api,
    login,
    /** The call's record, read from whichever instance leads now. */
    async record(callId: string): Promise<Rec | undefined> {
      return (await api<Rec>(leader, 'GET', `/api/calls/${callId}`, adminToken)).body;
    },
    /** The call's record once it is closed (within `ms`). */
    async ended(callId: string, ms = 20_000): Promise<Rec> {
      const until = Date.now() + ms;
      for (;;) {
        const r = (await api<Rec>(leader, 'GET', `/api/calls/${callId}`, adminToken)).body;
        if (r?.endedAt) return r;
        if (Date.now() > until) throw new Error(`call ${callId} not closed within ${ms} ms`);
        await new Promise((done) => setTimeout(done, 100));
      }
    },
    /** A user with `extension` created through the standby (forwarded to the leader). */
    async agent(username: string, extension: string | null, role = 'agent') {
      const r = await api<{ id: number }>(standby, 'POST', '/api/users', adminToken, {
        username,
        password: 'password-1',
        name: `Agent ${username}`,
        role,
        extension,
      });
      if (r.status !== 201)
        throw new Error(`create ${username}: ${r.status} ${JSON.stringify(r.body)}`);
      return { id: r.body.id, token: await login(standby, username, 'password-1') };
    },
    /**
     * A progressive campaign made through the standby (all week, all day, Asia/Shanghai, caller
     * ID 4000) with `numbers` imported (waited for), joined by `agentToken`, who is available.
     * Not started: the test starts it when its case is ready.
     */
    async campaign(
      o: { name: string; maxAttempts: number; retryMinutes: Record<string, number> },
      numbers: readonly string[],
      agentToken: string,
    ): Promise<number> {
      const created = await api<{ id: number }>(standby, 'POST', '/api/campaigns', adminToken, {
        name: o.name,
        queue: 'general',
        mode: 'progressive',
        hours: { from: '00:00', to: '24:00', days: 'sun-sat' },
        timezone: 'Asia/Shanghai',
        maxAttempts: o.maxAttempts,
        retryMinutes: o.retryMinutes,
        callerId: '4000',
      });
      if (created.status !== 201) throw new Error(`campaign: ${created.status}`);
      const id = created.body.id;
      const mapping = encodeURIComponent(JSON.stringify({ phone: 'phone' }));
      const imp = await fetch(`${standby.url}/api/campaigns/${id}/imports?mapping=${mapping}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'text/csv' },
        body: `phone\n${numbers.join('\n')}\n`,
      });
      if (imp.status !== 202) throw new Error(`import: ${imp.status}`);
      const { importId } = (await imp.json()) as { importId: number };
      for (let i = 0; ; i += 1) {
        const r = await api<{ status: string }>(
          standby,
          'GET',
          `/api/imports/${importId}`,
          adminToken,
        );
        if (r.body.status === 'done') break;
        if (i > 200) throw new Error('import not done within 20 s');
        await new Promise((done) => setTimeout(done, 100));
      }
      const joined = await api(standby, 'POST', `/api/campaigns/${id}/join`, agentToken);
      if (joined.status !== 200) throw new Error(`join: ${joined.status}`);
      const state = await api(standby, 'PUT', '/api/agents/me/state', agentToken, {
        state: 'available',
      });
      if (state.status !== 200) throw new Error(`available: ${state.status}`);
      return id;
    },
    /** An agent's browser, connected to the standby: acknowledges pops, keeps the updates. */
    async browser(token: string, inst: InstanceProcess = standby): Promise<Browser> {
      const socket = connect(inst.url, {
        auth: { token },
        transports: ['websocket'],
        forceNew: true,
      });
      sockets.push(socket);
      const b: Browser = { socket, pops: [], updates: [] };
      socket.on('screenpop', (pop: ScreenPop, ack?: () => void) => {
        b.pops.push(pop);
        if (typeof ack === 'function') ack();
      });
      socket.on('call:update', (u: CallUpdate) => b.updates.push(u));
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('socket did not connect')), 5000);
        socket.once('connect', () => {
          clearTimeout(t);
          resolve();
        });
      });
      return b;
    },
    setState(inst: InstanceProcess, token: string, state: 'available' | 'break' | 'offline') {
      return api(inst, 'PUT', '/api/agents/me/state', token, { state });
    },
    /**
     * kill -9 of the leader; resolves with the takeover time (ms, kill → the old standby's
     * /healthz leader with ARI open). The old standby is the leader afterwards; a new standby is
     * started by `replaceStandby()`.
     */
    async kill(): Promise<number> {
      const killedAt = Date.now();
      await leader.kill();
      const ms = await waitForLeader(standby, killedAt);
      leader = standby;
      standby = null as unknown as InstanceProcess;
      return ms;
    },
    /** kill -9 of the standby (the leader goes on); `replaceStandby()` starts another. */
    async killStandby(): Promise<void> {
      await standby.kill();
      standby = null as unknown as InstanceProcess;
    },
    /** A fresh standby on the port the killed leader used. */
    async replaceStandby(): Promise<InstanceProcess> {
      const port = leader.port === o.ports[0] ? o.ports[1] : o.ports[0];
      standby = await start(port);
      return standby;
    },
    async close() {
      for (const s of sockets) s.disconnect();
      await Promise.all([leader?.stop(), standby?.stop()].filter(Boolean));
      await db.destroy();
      await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [dbName]);
      await admin.destroy();
      if (!process.env.KEEP_FAILOVER_LOGS) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return cluster;
}

export type FailoverCluster = Awaited<ReturnType<typeof failoverCluster>>;
