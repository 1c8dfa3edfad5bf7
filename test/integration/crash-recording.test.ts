/**
 * Issue 9, defect 2, against the real sandbox: the service is killed (-9, a child process) during
 * a recorded call, the caller hangs up while it is down, and the next run settles the call. Before
 * the fix the stored WAV had a zero-length header and held 6.1 of 7.7 s, Asterisk's copy was
 * deleted, and the call showed it stored and checksummed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import { createUsersRepo } from '../../src/agents/users-repo';
import { loadConfig } from '../../src/config';
import { createDb, migrate } from '../../src/db';
import { createHotline, type Hotline } from '../../src/hotline';
import { wavProblem } from '../../src/recordings/store-recording';
import { systemClock } from '../../src/shared/clock';
import { createLogger } from '../../src/shared/logger';
import {
  freePort,
  killAllSipp,
  placeCall,
  registerPhone,
  startPhone,
  type Phone,
} from '../support/sipp-peers';
import { waitFor } from '../support/engine-fixture';

jest.setTimeout(90_000);

const EXT = '1001';
const PHONE_PORT = 16221;
let dir: string;
let env: NodeJS.ProcessEnv;
let child: ChildProcess | null = null;
let second: Hotline | null = null;
let phone: Phone | null = null;
let socket: Socket | null = null;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-crash-'));
  const cfgFile = path.join(dir, 'config.json');
  fs.writeFileSync(
    cfgFile,
    JSON.stringify({
      // No consent prompt: the recording starts at the answer, so its length is the test's.
      telephony: { recordingDefault: 'always', recordingConsentMessage: '', wrapUpSec: 0 },
    }),
  );
  env = {
    ...process.env,
    HOTLINE_CONFIG: cfgFile,
    DATABASE_URL: `sqlite:${path.join(dir, 'hotline.sqlite')}`,
    RECORDINGS_DIR: path.join(dir, 'recordings'),
    PORT: String(await freePort()),
    LOG_LEVEL: 'warn',
  };
  // The agent exists before the first run starts.
  const db = createDb(env.DATABASE_URL!);
  await migrate(db);
  await createUsersRepo(db, systemClock).create({
    username: 'crash1001',
    password: 'password-1',
    name: 'Crash Agent',
    role: 'agent',
    extension: EXT,
  });
  await db.destroy();
  await registerPhone({ ext: EXT, contactPort: PHONE_PORT });
  phone = await startPhone({ ext: EXT, port: PHONE_PORT, mode: 'answer', ringMs: 200 });
});

afterAll(async () => {
  socket?.disconnect();
  child?.kill('SIGKILL');
  await second?.stop();
  await phone?.stop();
  killAllSipp();
  fs.rmSync(dir, { recursive: true, force: true });
});

const base = () => `http://127.0.0.1:${env.PORT}`;

it('kill -9 during a recorded call: the next run stores a complete file or says why, never a damaged one', async () => {
  child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitFor(
    async () => (await fetch(`${base()}/healthz`).catch(() => null))?.status === 200,
    30_000,
    'first run up',
  );
  const login = await fetch(`${base()}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'crash1001', password: 'password-1' }),
  });
  const { token } = (await login.json()) as { token: string };
  socket = connect(base(), { auth: { token }, transports: ['websocket'], forceNew: true });
  socket.on('screenpop', (_pop: unknown, ack?: () => void) => ack?.());
  await waitFor(() => socket!.connected, 5000, 'socket');
  await fetch(`${base()}/api/agents/me/state`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ state: 'available' }),
  });

  // The caller talks 7 s, then hangs up; the service dies 3 s into the call.
  const call = placeCall({ from: '13800138021', to: '4000', holdMs: 7000, audio: true });
  const db = createDb(env.DATABASE_URL!);
  const rec = await waitFor(
    async () =>
      (await db('recordings').first<{ id: string; asterisk_name: string; status: string }>()) ??
      null,
    15_000,
    'recording started',
  );
  await new Promise((r) => setTimeout(r, 3000));
  child.kill('SIGKILL');
  await new Promise((r) => child!.once('exit', r));
  child = null;
  await db.destroy();
  socket.disconnect();
  await call; // the caller hung up while the service was down

  second = await createHotline(
    loadConfig(env),
    createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
  );
  await second.listen(0, '127.0.0.1');
  const row = await waitFor(
    async () => {
      const r = await second!.db('recordings').where({ id: rec.id }).first<{
        status: string;
        path: string | null;
        error: string | null;
        duration_ms: number | null;
        ended_at: number | null;
      }>();
      return r && (r.status === 'stored' || r.status === 'error') ? r : null;
    },
    40_000,
    'recording settled by the second run',
  );
  const callRow = await second
    .db('calls')
    .first<{ id: string; ended_at: number | null; answered_at: number }>();
  expect(callRow?.ended_at).not.toBeNull();
  // The recording has its end, and the call's legs are gone from Asterisk (nobody left bridged).
  expect(row.ended_at).not.toBeNull();
  await expect(second.ari.rest.getBridge(`hotline-${callRow.id}`)).rejects.toThrow(/404/);
  if (row.status === 'stored') {
    const file = path.join(env.RECORDINGS_DIR!, row.path!);
    const bytes = fs.readFileSync(file);
    expect(wavProblem(bytes.subarray(0, 512), bytes.length)).toBeNull();
    // It holds the whole talk (7 s), not the part written before the crash.
    expect(row.duration_ms).toBeGreaterThan(6500);
  } else {
    expect(row.error).toBeTruthy();
    // Kept in Asterisk for a person to look at.
    await expect(
      second.ari.rest.fetchStoredRecording(rec.asterisk_name, path.join(dir, 'kept.wav')),
    ).resolves.toBeTruthy();
  }
});
