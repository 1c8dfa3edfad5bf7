import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { io as connect, type Socket } from 'socket.io-client';
import type { Role } from '../../src/agents/users-repo';
import type { CallRecord } from '../../src/calls/calls-repo';
import { loadConfig } from '../../src/config';
import { createHotline, type Hotline } from '../../src/hotline';
import type { CallUpdate, ScreenPop } from '../../src/screenpop/agent-events';
import { createLogger } from '../../src/shared/logger';
import { waitFor } from './engine-fixture';
import { preciseNow, type StageSink } from '../../src/calls/call-stages';
import { expectResponse } from './expect-response';

export { preciseNow };

export interface ReceivedPop {
  pop: ScreenPop;
  at: number;
}

/**
 * The whole service in-process against the real Asterisk sandbox: its own SQLite file, a free
 * port, the ARI app the sandbox's dialplan hands carrier calls to. `telephony` and `ari` override
 * config/default.json (e.g. a short ring timeout).
 */
export async function serviceFixture(
  overrides: {
    telephony?: Record<string, unknown>;
    ari?: Record<string, unknown>;
    stages?: StageSink;
  } = {},
) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-it-'));
  const cfgFile = path.join(dir, 'config.json');
  fs.writeFileSync(
    cfgFile,
    // Recording is off unless a test asks for it (its own tests turn it on).
    JSON.stringify({
      telephony: { recordingDefault: 'never', ...overrides.telephony },
      ari: overrides.ari ?? {},
    }),
  );
  const config = loadConfig({
    ...process.env,
    HOTLINE_CONFIG: cfgFile,
    DATABASE_URL: `sqlite:${path.join(dir, 'hotline.sqlite')}`,
    RECORDINGS_DIR: path.join(dir, 'recordings'),
  });
  const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const hotline: Hotline = await createHotline(config, log, { stages: overrides.stages });
  const port = await hotline.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}`;
  await waitFor(() => hotline.ari.events.state === 'open', 10_000, 'ARI events connected');
  const sockets: Socket[] = [];

  return {
    hotline,
    url,
    http: () => request(hotline.app),
    async agent(username: string, extension: string | null, role: Role = 'agent') {
      const u = await hotline.users.create({
        username,
        password: 'password-1',
        name: `Agent ${username}`,
        role,
        extension,
      });
      hotline.agents.upsertUser(u);
      const res = await request(hotline.app)
        .post('/api/auth/login')
        .send({ username, password: 'password-1' });
      expectResponse(res);
      return { ...u, token: res.body.token as string };
    },
    async setState(token: string, state: 'available' | 'break' | 'offline') {
      const res = await request(hotline.app)
        .put('/api/agents/me/state')
        .set('Authorization', `Bearer ${token}`)
        .send({ state })
        .expect(200);
      expectResponse(res);
    },
    /** An agent's browser: socket.io-client that acknowledges pops and records when they came. */
    async browser(token: string) {
      const socket = connect(url, { auth: { token }, transports: ['websocket'], forceNew: true });
      sockets.push(socket);
      const pops: ReceivedPop[] = [];
      const updates: CallUpdate[] = [];
      socket.on('screenpop', (pop: ScreenPop, ack?: () => void) => {
        pops.push({ pop, at: preciseNow() });
        ack?.();
      });
      socket.on('call:update', (u: CallUpdate) => updates.push(u));
      await waitFor(() => socket.connected, 5000, 'socket connected');
      return { socket, pops, updates };
    },
    async call(token: string, callId: string) {
      const res = await request(hotline.app)
        .get(`/api/calls/${callId}`)
        .set('Authorization', `Bearer ${token}`);
      expectResponse(res);
      return res.body as CallRecord & {
        timeline: Array<{ type: string; data: unknown }>;
      };
    },
    /** Waits until the call's record is closed and returns it (as the API gives it). */
    async ended(token: string, callId: string, ms = 15_000) {
      return waitFor(
        async () => {
          const c = await this.call(token, callId);
          return c.endedAt ? c : null;
        },
        ms,
        `call ${callId} closed`,
      );
    },
    async lastCallId(): Promise<string> {
      return waitFor(
        async () =>
          (
            await hotline
              .db('calls')
              .orderBy('started_at', 'desc')
              .first<{ id: string } | undefined>('id')
          )?.id,
      );
    },
    async close() {
      for (const s of sockets) s.disconnect();
      await waitFor(() => hotline.engine.registry.size === 0, 10_000, 'no live calls').catch(
        () => undefined,
      );
      await hotline.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type ServiceFixture = Awaited<ReturnType<typeof serviceFixture>>;
