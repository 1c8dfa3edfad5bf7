import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AriError } from '../../../src/ari/errors';
import type { AriRest } from '../../../src/ari/types';
import { createDb, migrate, type Db } from '../../../src/db';
import { createRecordingsRepo, type RecordingsRepo } from '../../../src/recordings/recordings-repo';
import {
  createRecordingStore,
  underRoot,
  wavProblem,
} from '../../../src/recordings/store-recording';
import { silentLogger } from '../../../src/shared/logger';
import { wav as wavFile } from '../../support/wav';

let db: Db;
let recordings: RecordingsRepo;
let dir: string;
const T0 = Date.parse('2026-11-24T03:04:05Z');
/** A WAV of `ms` as Asterisk writes it; `sizes: false` = the header never finished. */
const wav = (ms: number, sizes = true) => wavFile(ms * 8, { finished: sizes });
const WAV = wav(1000); // 1 s

beforeEach(async () => {
  db = createDb('sqlite::memory:');
  await migrate(db);
  recordings = createRecordingsRepo(db);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-rec-'));
  await db('calls').insert({
    id: 'call-1',
    direction: 'inbound',
    caller_number: '1',
    dialed_number: '4000',
    state: 'ended',
    started_at: T0,
  });
  await recordings.create({ id: 'rec-1', callId: 'call-1', asteriskName: 'hotline-rec-1', at: T0 });
});
afterEach(() => db.destroy());

/**
 * Asterisk's side: fails `failures` times, then serves `file` (as it is at that moment); records
 * deletions and stops; `livePolls`: the recording is listed as live until stopped and polled that
 * many times more (Asterisk closing the file), and while live the file has no finished header.
 */
function fakeRest(failures: number, o: { file?: Buffer; livePolls?: number } = {}) {
  const deleted: string[] = [];
  const ops: string[] = [];
  let calls = 0;
  let livePolls = o.livePolls ?? 0;
  let stopped = false;
  const rest = {
    getLiveRecording(name: string) {
      ops.push('live?');
      if (livePolls > 0 && (!stopped || livePolls-- > 0))
        return Promise.resolve({ name, state: stopped ? 'done' : 'recording' });
      return Promise.reject(new AriError('not-found', 404, 'GET', '/recordings/live/x', '404'));
    },
    stopRecording() {
      ops.push('stop');
      stopped = true;
      return Promise.resolve();
    },
    async fetchStoredRecording(_name: string, dest: string) {
      ops.push('fetch');
      calls += 1;
      if (calls <= failures) throw new Error('404 Recording not found');
      // Still being written: what is on Asterisk's disk has no finished header yet.
      const file = !stopped && (o.livePolls ?? 0) > 0 ? wav(600, false) : (o.file ?? WAV);
      await fs.promises.writeFile(dest, file, { flag: 'wx' });
      const { createHash } = await import('node:crypto');
      return { bytes: file.length, sha256: createHash('sha256').update(file).digest('hex') };
    },
    deleteStoredRecording(name: string) {
      ops.push('delete');
      deleted.push(name);
      return Promise.resolve();
    },
  } as unknown as AriRest;
  return { rest, deleted, ops, calls: () => calls };
}

function store(
  rest: AriRest,
  events: Array<{ type: string }>,
  o: { attempts?: number; backoffMs?: number } = {},
) {
  return createRecordingStore({
    rest,
    recordings,
    dir,
    clock: { now: () => T0 },
    log: silentLogger(),
    event: (_callId, type) => {
      events.push({ type });
      return Promise.resolve();
    },
    attempts: o.attempts ?? 3,
    backoffMs: o.backoffMs ?? 1,
  });
}

it('retries a failed fetch, then stores, verifies and deletes from Asterisk', async () => {
  const a = fakeRest(2);
  const events: Array<{ type: string }> = [];
  await store(a.rest, events).store((await recordings.get('rec-1'))!);
  const row = (await recordings.get('rec-1'))!;
  expect(row).toMatchObject({ status: 'stored', path: '2026/11/24/rec-1.wav', duration_ms: 1000 });
  expect(fs.readFileSync(path.join(dir, row.path!))).toEqual(WAV);
  expect(a.calls()).toBe(3);
  expect(a.deleted).toEqual(['hotline-rec-1']);
  expect(events.map((e) => e.type)).toEqual(['recording-stored']);
});

it('gives up after the last attempt: status error with the reason, on the timeline, kept in Asterisk', async () => {
  const a = fakeRest(99);
  const events: Array<{ type: string }> = [];
  await store(a.rest, events).store((await recordings.get('rec-1'))!);
  expect(await recordings.get('rec-1')).toMatchObject({
    status: 'error',
    error: '404 Recording not found',
    attempts: 3,
  });
  expect(events.map((e) => e.type)).toEqual(['recording-failed']);
  expect(a.deleted).toEqual([]);
  expect(
    fs.readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith('.wav')),
  ).toEqual([]);
});

it('never resolves a stored path outside the recordings folder', () => {
  expect(underRoot('/data/rec', '2026/11/24/a.wav')).toBe('/data/rec/2026/11/24/a.wav');
  expect(underRoot('/data/rec', '../../etc/passwd')).toBeNull();
  expect(underRoot('/data/rec', '/etc/passwd')).toBeNull();
});

it('never stores a file whose WAV header Asterisk did not finish: error with the reason, kept in Asterisk', async () => {
  const a = fakeRest(0, { file: wav(7700, false) });
  const events: Array<{ type: string }> = [];
  await store(a.rest, events).store((await recordings.get('rec-1'))!);
  const row = (await recordings.get('rec-1'))!;
  expect(row.status).toBe('error');
  expect(row.error).toMatch(/WAV header not finished/);
  expect(row.sha256).toBeNull();
  expect(a.deleted).toEqual([]);
  expect(events.map((e) => e.type)).toEqual(['recording-failed']);
  expect(fs.readdirSync(dir, { recursive: true }).filter((f) => /\.wav/.test(String(f)))).toEqual(
    [],
  );
});

it('stops a recording Asterisk is still writing and copies it only once it is closed', async () => {
  const a = fakeRest(0, { livePolls: 2 });
  const events: Array<{ type: string }> = [];
  await store(a.rest, events).store((await recordings.get('rec-1'))!);
  expect(await recordings.get('rec-1')).toMatchObject({ status: 'stored', duration_ms: 1000 });
  // stop first, then poll until no longer live, then fetch, then delete.
  expect(a.ops.indexOf('stop')).toBeLessThan(a.ops.indexOf('fetch'));
  expect(a.ops.slice(a.ops.indexOf('fetch') - 1)).toEqual(['live?', 'fetch', 'delete']);
});

it('reads WAV headers: finished, unfinished, truncated, not a WAV', () => {
  expect(wavProblem(WAV.subarray(0, 64), WAV.length)).toBeNull();
  expect(wavProblem(wav(100, false), 44 + 1600)).toMatch(/not finished/);
  // The header says 1 s, the file holds less: cut off.
  expect(wavProblem(WAV.subarray(0, 64), WAV.length - 3200)).toMatch(/not finished/);
  expect(wavProblem(Buffer.from('hello world, this is not a wave file at all....'), 400)).toBe(
    'not a WAV file',
  );
  expect(wavProblem(WAV, 40)).toMatch(/empty/);
});

it('stop() cuts the backoff short, waits for the attempt under way and leaves the row for the next start', async () => {
  const a = fakeRest(99);
  const events: Array<{ type: string }> = [];
  // Without stop() the second attempt would come a minute later.
  const s = store(a.rest, events, { attempts: 5, backoffMs: 60_000 });
  let settled = false;
  const storing = s.store((await recordings.get('rec-1'))!).then(() => (settled = true));
  while (a.calls() < 1) await new Promise((r) => setImmediate(r));
  await s.stop();
  expect(settled).toBe(true);
  await storing;
  expect(a.calls()).toBe(1);
  // Not given up: `fetching` is what recordings.unfinished() hands to the next start.
  expect(await recordings.get('rec-1')).toMatchObject({ status: 'fetching', attempts: 1 });
  expect((await recordings.unfinished()).map((r) => r.id)).toEqual(['rec-1']);
  expect(events).toEqual([]);
  // After stop nothing new starts.
  await s.store((await recordings.get('rec-1'))!);
  expect(a.calls()).toBe(1);
});
