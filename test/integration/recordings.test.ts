/**
 * Recordings against the real sandbox: a SIPp caller that talks (RTP tone), an agent phone that
 * answers; the call's bridge is recorded, the WAV fetched from Asterisk, stored in a dated layout,
 * checksummed, linked, and removed from Asterisk's spool; pause/resume; playback with ranges and
 * roles; the audit trail.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { placeCall } from '../support/sipp-peers';
import { teamFixture, type TeamFixture } from '../support/team-fixture';
import { waitFor } from '../support/engine-fixture';

jest.setTimeout(60_000);

let t: TeamFixture;
let qa: Awaited<ReturnType<TeamFixture['fx']['agent']>>;

beforeAll(async () => {
  t = await teamFixture({
    ports: { '1011': 16311, '1012': 16312 },
    telephony: { recordingDefault: 'always' },
  });
  qa = await t.fx.agent('quinn', null, 'qa');
});

afterAll(() => t?.close());
beforeEach(() => t.reset());

type Rec = { id: string; status: string; durationMs: number; bytes: number; sha256: string };

async function storedRecording(
  callId: string,
): Promise<{ call: Record<string, unknown>; rec: Rec }> {
  return waitFor(
    async () => {
      const call = (await t.fx.http().get(`/api/calls/${callId}`).set(auth(t.admin.token)))
        .body as Record<string, unknown> & { recordings: Rec[] };
      const rec = call.recordings[0];
      return rec && rec.status !== 'recording' && rec.status !== 'fetching' ? { call, rec } : null;
    },
    20_000,
    'recording stored',
  );
}

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
const dir = () => t.fx.hotline.config.recordingsDir;

/** Root mean square of 16-bit PCM samples after the 44-byte header: is there sound at all? */
function rms(file: string): number {
  const pcm = fs.readFileSync(file).subarray(44);
  let sum = 0;
  const n = Math.floor(pcm.length / 2);
  for (let i = 0; i < n; i += 1) sum += pcm.readInt16LE(i * 2) ** 2;
  return Math.sqrt(sum / Math.max(1, n));
}

async function answeredCall(from: string, holdMs: number) {
  const ann = t.team['1011']!;
  await t.fx.setState(ann.token, 'available');
  const call = placeCall({ from, to: '4000', holdMs, audio: true });
  const popped = await waitFor(() => ann.browser.pops[0], 10_000, 'pop');
  await waitFor(() => ann.browser.updates.some((u) => u.state === 'answered'), 10_000, 'answered');
  return { callId: popped.pop.callId, call, ann };
}

it('records the call, stores a checksummed WAV of about its length, and clears Asterisk', async () => {
  const { callId, call } = await answeredCall('13966660001', 5000);
  await call;
  const { call: record, rec } = await storedRecording(callId);
  expect(rec.status).toBe('stored');
  expect(record.recording).toEqual({ id: rec.id, durationMs: rec.durationMs });
  const ended = await t.fx.ended(t.admin.token, callId);
  // The bridge is recorded from the answer: about the talk time (±1.5 s).
  expect(Math.abs(rec.durationMs - ended.talkMs)).toBeLessThan(1500);
  const day = new Date(ended.startedAt).toISOString().slice(0, 10).split('-');
  const file = path.join(dir(), day[0]!, day[1]!, day[2]!, `${rec.id}.wav`);
  const bytes = fs.readFileSync(file);
  expect(bytes.length).toBe(rec.bytes);
  expect(bytes.subarray(0, 4).toString()).toBe('RIFF');
  expect(createHash('sha256').update(bytes).digest('hex')).toBe(rec.sha256);
  expect(rms(file)).toBeGreaterThan(500); // the caller's tone, not silence
  // Deleted from Asterisk's spool once the copy was verified.
  await expect(
    t.fx.hotline.ari.rest.fetchStoredRecording(`hotline-${rec.id}`, path.join(dir(), 'x.wav')),
  ).rejects.toMatchObject({ status: 404 });
  const types = (record.timeline as Array<{ type: string }>).map((e) => e.type);
  expect(types).toEqual(expect.arrayContaining(['recording-started', 'recording-stored']));
});

it('pauses and resumes: the pause is on the timeline and missing from the file', async () => {
  const { callId, call, ann } = await answeredCall('13966660002', 7000);
  await t.post(`/api/calls/${callId}/recording/pause`, ann.token).expect(204);
  await new Promise((r) => setTimeout(r, 2500));
  await t.post(`/api/calls/${callId}/recording/resume`, ann.token).expect(204);
  await call;
  const { call: record, rec } = await storedRecording(callId);
  const ended = await t.fx.ended(t.admin.token, callId);
  expect(rec.durationMs).toBeLessThan(ended.talkMs - 1500);
  const types = (record.timeline as Array<{ type: string }>).map((e) => e.type);
  expect(types.indexOf('recording-paused')).toBeGreaterThan(types.indexOf('recording-started'));
  expect(types.indexOf('recording-resumed')).toBeGreaterThan(types.indexOf('recording-paused'));
});

it('keeps one recording through a transfer', async () => {
  const { callId, call, ann } = await answeredCall('13966660003', 7000);
  const bob = t.team['1012']!;
  await t.fx.setState(bob.token, 'available');
  await t
    .post(`/api/calls/${callId}/transfer`, ann.token, {
      mode: 'blind',
      target: { type: 'agent', userId: bob.id },
    })
    .expect(202);
  await call;
  const { call: record, rec } = await storedRecording(callId);
  expect(record.recordings).toHaveLength(1);
  expect(record.agentId).toBe(bob.id);
  const ended = await t.fx.ended(t.admin.token, callId);
  expect(Math.abs(rec.durationMs - ended.talkMs)).toBeLessThan(1500);
});

it('plays back with range requests to allowed roles only, and audits every listen', async () => {
  const { callId, call, ann } = await answeredCall('13966660004', 3000);
  await call;
  const { rec } = await storedRecording(callId);
  const url = `/api/recordings/${rec.id}/audio`;
  const bob = t.team['1012']!;
  expect((await t.fx.http().get(url).set(auth(bob.token))).status).toBe(404); // not his call
  expect((await t.fx.http().get(url)).status).toBe(401);
  const full = await t.fx.http().get(url).set(auth(qa.token)).buffer(true);
  expect(full.status).toBe(200);
  expect(full.headers['content-type']).toMatch(/audio\/wav/);
  expect(full.headers['accept-ranges']).toBe('bytes');
  expect(Number(full.headers['content-length'])).toBe(rec.bytes);
  const part = await t.fx.http().get(url).set(auth(qa.token)).set('Range', 'bytes=100-199');
  expect(part.status).toBe(206);
  expect(part.headers['content-range']).toBe(`bytes 100-199/${rec.bytes}`);
  expect(Number(part.headers['content-length'])).toBe(100);
  expect((await t.fx.http().get(url).set(auth(ann.token))).status).toBe(200); // her own call
  const dl = await t.fx.http().get(`${url}?download=1`).set(auth(qa.token));
  expect(dl.headers['content-disposition']).toMatch(/attachment/);
  const audit = await t.fx
    .http()
    .get('/api/recordings/audit')
    .query({ recordingId: rec.id })
    .set(auth(t.admin.token));
  // qa listen, ann listen, qa download; the mid-file range request joins qa's listening session.
  expect(
    (audit.body.entries as Array<{ userId: number; action: string }>)
      .map((e) => `${e.userId}:${e.action}`)
      .sort(),
  ).toEqual([`${qa.id}:download`, `${qa.id}:listen`, `${ann.id}:listen`].sort());
  expect((await t.fx.http().get('/api/recordings/audit').set(auth(qa.token))).status).toBe(403);
});
