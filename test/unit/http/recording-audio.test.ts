/**
 * Playback and its audit without Asterisk (issue 9, defect 3): a stored recording is a row and a
 * file under a temporary RECORDINGS_DIR. Every response that carries audio bytes is in the audit,
 * whatever the Range header says; a player's range requests are one entry per session.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { appFixture, type AppFixture } from '../../support/app-fixture';
import { expectResponse } from '../../support/expect-response';
import { insertCall, insertRecording } from '../qa/qa-data';

const SIZE = 100_000;
let dir: string;
let fx: AppFixture;
type U = Awaited<ReturnType<AppFixture['user']>>;
let qa: U;
let admin: U;
let agent: U;
let recId: string;
let audio: Buffer;
const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

interface Entry {
  userId: number;
  action: string;
  requests: number;
  bytes: number;
  ranges: Array<{ start: number; end: number }>;
  coveredBytes: number;
  fileBytes: number;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-rec-'));
  fx = await appFixture({ recordingsDir: dir });
  qa = await fx.user('quinn', 'qa');
  admin = await fx.user('ada', 'admin');
  agent = await fx.user('anna', 'agent', '1201');
  const callId = await insertCall(fx.db, { agentId: agent.id, startedAt: Date.now() - 3_600_000 });
  recId = await insertRecording(fx.db, { callId, createdAt: Date.now() - 3_600_000 });
  await fx.calls.appendEvent(callId, Date.now() - 3_500_000, 'answered', undefined, agent.id);
  // Bytes that say where they are, so that a wrong span shows.
  audio = Buffer.alloc(SIZE);
  for (let i = 0; i < SIZE; i += 1) audio[i] = (i * 7 + (i >> 8)) & 0xff;
  const file = path.join(dir, '2026/11/24', `${recId}.wav`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, audio);
  await fx
    .db('recordings')
    .where({ id: recId })
    .update({ bytes: SIZE, sha256: createHash('sha256').update(audio).digest('hex') });
});
afterAll(async () => {
  await fx.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => fx.db('recording_audit').delete());

const url = () => `/api/recordings/${recId}/audio`;
const get = (range?: string, token = qa.token) => {
  const req = fx.http().get(url()).set(auth(token)).buffer(true);
  return range === undefined ? req : req.set('Range', range);
};
async function entries(token = admin.token): Promise<Entry[]> {
  const res = await fx
    .http()
    .get('/api/recordings/audit')
    .query({ recordingId: recId })
    .set(auth(token));
  expectResponse(res);
  expect(res.status).toBe(200);
  return res.body.entries as Entry[];
}
const body = (res: { body: unknown }) => res.body as Buffer;

describe('GET /api/recordings/:id/audio audits every byte it serves', () => {
  // The probe's headers: each fetched (nearly) the whole file with no audit entry.
  it.each([
    ['bytes=00-', 206, 0, SIZE - 1],
    ['bytes=-90924', 206, SIZE - 90924, SIZE - 1],
    ['bytes=1-', 206, 1, SIZE - 1],
    ['bytes=a-b', 200, 0, SIZE - 1],
  ])('%s → %i, and the audit has the span', async (range, status, start, end) => {
    const res = await get(range);
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^audio\/wav/);
    expect(Number(res.headers['content-length'])).toBe(end - start + 1);
    expect(body(res).equals(audio.subarray(start, end + 1))).toBe(true);
    if (status === 206) expect(res.headers['content-range']).toBe(`bytes ${start}-${end}/${SIZE}`);
    const [entry, ...more] = await entries();
    expect(more).toEqual([]);
    expect(entry).toMatchObject({
      userId: qa.id,
      action: 'listen',
      requests: 1,
      bytes: end - start + 1,
      ranges: [{ start, end }],
      fileBytes: SIZE,
    });
  });

  it('answers an unsatisfiable range with 416 and Content-Range: bytes */size, not 404 audio', async () => {
    for (const range of [`bytes=${SIZE}-`, 'bytes=200000-300000', 'bytes=-0']) {
      const res = await get(range);
      expectResponse(res);
      expect(res.status).toBe(416);
      expect(res.headers['content-range']).toBe(`bytes */${SIZE}`);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body.error.code).toBe('HOTLINE_RANGE_NOT_SATISFIABLE');
    }
    expect(await entries()).toEqual([]); // no audio left
  });

  it("coalesces a player's many range requests into one entry with the spans and total bytes", async () => {
    const spans: Array<[number, number]> = [
      [0, 65535],
      [65536, SIZE - 1],
      [30_000, 39_999], // a seek back
      [0, 99],
    ];
    for (const [a, b] of spans) expect((await get(`bytes=${a}-${b}`)).status).toBe(206);
    const [entry, ...more] = await entries();
    expect(more).toEqual([]);
    expect(entry).toMatchObject({
      requests: 4,
      bytes: spans.reduce((n, [a, b]) => n + b - a + 1, 0),
      ranges: [{ start: 0, end: SIZE - 1 }],
      coveredBytes: SIZE,
    });
  });

  it('a download is its own entry; another user has their own; a stale session a new one', async () => {
    await get();
    const dl = await fx.http().get(`${url()}?download=1`).set(auth(qa.token)).buffer(true);
    expect(dl.headers['content-disposition']).toMatch(/attachment/);
    await get('bytes=0-9', admin.token);
    expect((await get(undefined, agent.token)).status).toBe(200); // her own call
    const stranger = await fx.user('ben', 'agent', '1202');
    expect((await get(undefined, stranger.token)).status).toBe(404); // not his    // The session's last request was long ago: the next request opens a new one.
    await fx
      .db('recording_audit')
      .where({ user_id: qa.id, action: 'listen' })
      .update({ last_at: 1 });
    await get('bytes=10-19');
    const got = (await entries()).map((e) => `${e.userId}:${e.action}:${e.bytes}`).sort();
    expect(got).toEqual(
      [
        `${qa.id}:listen:${SIZE}`,
        `${qa.id}:listen:10`,
        `${qa.id}:download:${SIZE}`,
        `${admin.id}:listen:10`,
        `${agent.id}:listen:${SIZE}`,
      ].sort(),
    );
  });

  it('ignores malformed, foreign-unit and multi-span ranges the same way: 200, the whole file, audited', async () => {
    for (const range of ['bytes=a-b', 'bytes=1x-', 'bytes 0-1', 'items=0-1', 'bytes=0-9,20-29']) {
      const res = await get(range);
      expect([range, res.status, Number(res.headers['content-length'])]).toEqual([
        range,
        200,
        SIZE,
      ]);
      expect(res.headers['content-range']).toBeUndefined();
    }
    const [entry] = await entries();
    expect(entry).toMatchObject({ requests: 5, bytes: 5 * SIZE, coveredBytes: SIZE });
  });

  it('honours If-Range with the ETag (the SHA-256), else sends the whole file', async () => {
    const first = await get();
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
    const same = await get('bytes=10-19').set('If-Range', etag);
    expect(same.status).toBe(206);
    const changed = await get('bytes=10-19').set('If-Range', '"something-else"');
    expect(changed.status).toBe(200);
    const [entry] = await entries();
    expect(entry).toMatchObject({ requests: 3, bytes: SIZE + 10 + SIZE });
  });

  it('HEAD answers the headers, sends no audio and is not a listen', async () => {
    const res = await fx.http().head(url()).set(auth(qa.token)).set('Range', 'bytes=0-9');
    expect(res.status).toBe(206);
    expect(res.headers['content-length']).toBe('10');
    expect(await entries()).toEqual([]);
  });

  it('serves nothing unaudited: 300 seeded random Range headers, bytes sent = bytes audited', async () => {
    let seed = 20261124;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const pos = () => String(rand(4) === 0 ? SIZE + rand(1000) : rand(SIZE));
    const forms = [
      () => `bytes=${pos()}-`,
      () => `bytes=${pos()}-${pos()}`,
      () => `bytes=-${pos()}`,
      () => `bytes=0${pos()}-`,
      () => `bytes=${pos()}-${pos()},${pos()}-${pos()}`,
      () => `bytes=${pos()}-x`,
      () => `BYTES=${pos()}-`,
      () => `bytes=${pos()} - ${pos()}`,
      () => `bytes=--${pos()}`,
      () => `pages=${pos()}-`,
    ];
    let sent = 0;
    const seen = new Array<boolean>(SIZE).fill(false);
    const statuses = new Map<number, number>();
    for (let i = 0; i < 300; i += 1) {
      const range = forms[rand(forms.length)]!();
      const res = await get(range);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      expect([range, [200, 206, 416].includes(res.status)]).toEqual([range, true]);
      if (res.status === 416) continue;
      const n = body(res).length;
      expect(Number(res.headers['content-length'])).toBe(n);
      const start =
        res.status === 206
          ? Number(/bytes (\d+)-/.exec(res.headers['content-range'] as string)![1])
          : 0;
      expect(body(res).equals(audio.subarray(start, start + n))).toBe(true);
      for (let b = start; b < start + n; b += 1) seen[b] = true;
      sent += n;
    }
    const all = await entries();
    expect(all.reduce((n, e) => n + e.bytes, 0)).toBe(sent);
    const audited = new Array<boolean>(SIZE).fill(false);
    for (const e of all)
      for (const s of e.ranges) for (let b = s.start; b <= s.end; b += 1) audited[b] = true;
    expect(audited).toEqual(seen);
    // 300 requests of one user within minutes: a handful of entries, not 300.
    expect(all.length).toBeLessThan(10);
    expect(statuses.get(206)).toBeGreaterThan(50);
    expect(statuses.get(416)).toBeGreaterThan(5);
  });

  it('the audit API is for supervisors and admins only, and shows the new fields', async () => {
    await get('bytes=0-9');
    expect((await fx.http().get('/api/recordings/audit').set(auth(qa.token))).status).toBe(403);
    const [e] = await entries();
    expect(e).toMatchObject({ ranges: [{ start: 0, end: 9 }], coveredBytes: 10 });
  });
});
