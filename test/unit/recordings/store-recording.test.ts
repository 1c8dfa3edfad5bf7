import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AriRest } from '../../../src/ari/types';
import { createDb, migrate, type Db } from '../../../src/db';
import { createRecordingsRepo, type RecordingsRepo } from '../../../src/recordings/recordings-repo';
import { createRecordingStore, underRoot } from '../../../src/recordings/store-recording';
import { silentLogger } from '../../../src/shared/logger';

let db: Db;
let recordings: RecordingsRepo;
let dir: string;
const T0 = Date.parse('2026-11-24T03:04:05Z');
const WAV = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(40), Buffer.alloc(16_000, 7)]); // 1 s

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

/** Asterisk's side: fails `failures` times, then serves WAV; records deletions. */
function fakeRest(failures: number) {
  const deleted: string[] = [];
  let calls = 0;
  const rest = {
    async fetchStoredRecording(_name: string, dest: string) {
      calls += 1;
      if (calls <= failures) throw new Error('404 Recording not found');
      await fs.promises.writeFile(dest, WAV, { flag: 'wx' });
      const { createHash } = await import('node:crypto');
      return { bytes: WAV.length, sha256: createHash('sha256').update(WAV).digest('hex') };
    },
    deleteStoredRecording(name: string) {
      deleted.push(name);
      return Promise.resolve();
    },
  } as unknown as AriRest;
  return { rest, deleted, calls: () => calls };
}

function store(rest: AriRest, events: Array<{ type: string }>) {
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
    attempts: 3,
    backoffMs: 1,
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
