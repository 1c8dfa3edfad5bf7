import type { ByteSpan } from '../../../src/recordings/byte-range';
import { createDb, migrate, type Db } from '../../../src/db';
import {
  LISTEN_SESSION_GAP_MS,
  mergeSpan,
  recordServed,
  type Served,
} from '../../../src/recordings/listen-audit';
import { createRecordingsRepo } from '../../../src/recordings/recordings-repo';
import { insertCall, insertRecording, insertUser } from '../qa/qa-data';

/** A small seeded PRNG (mulberry32), so that a failure reproduces. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('mergeSpan', () => {
  it('keeps the union sorted, disjoint and not adjacent (against a byte map, 500 cases)', () => {
    const rand = prng(9);
    for (let c = 0; c < 500; c += 1) {
      const size = 1 + Math.floor(rand() * 60);
      const bytes = new Array<boolean>(size).fill(false);
      let spans: ByteSpan[] = [];
      for (let k = 0; k < 1 + Math.floor(rand() * 8); k += 1) {
        const a = Math.floor(rand() * size);
        const b = a + Math.floor(rand() * (size - a));
        for (let i = a; i <= b; i += 1) bytes[i] = true;
        spans = mergeSpan(spans, { start: a, end: b });
      }
      const expected: ByteSpan[] = [];
      bytes.forEach((on, i) => {
        const last = expected[expected.length - 1];
        if (!on) return;
        if (last && last.end === i - 1) last.end = i;
        else expected.push({ start: i, end: i });
      });
      expect(spans).toEqual(expected);
    }
  });
});

describe('recordServed: one audit entry per listening session', () => {
  let db: Db;
  let userId: number;
  let other: number;
  let callId: string;
  let recordingId: string;
  const T0 = Date.parse('2026-11-24T10:00:00Z');

  beforeAll(async () => {
    db = createDb('sqlite::memory:');
    await migrate(db);
    userId = await insertUser(db, 'quinn', 'qa');
    other = await insertUser(db, 'sue', 'supervisor');
    callId = await insertCall(db, { agentId: null, startedAt: T0 });
    recordingId = await insertRecording(db, { callId, createdAt: T0 });
  });
  afterAll(() => db.destroy());
  beforeEach(() => db('recording_audit').delete());

  const served = (o: Partial<Served> & { span: ByteSpan | null; at: number }): Served => ({
    recordingId,
    callId,
    userId,
    action: 'listen',
    fileBytes: 1000,
    rangeHeader: null,
    ...o,
  });
  const log = () => createRecordingsRepo(db).auditLog({ limit: 100 });

  it("coalesces a player's range requests; repeats count in bytes, not in the spans", async () => {
    await recordServed(db, served({ span: { start: 0, end: 999 }, at: T0 }));
    await recordServed(db, served({ span: { start: 500, end: 999 }, at: T0 + 60_000 }));
    await recordServed(db, served({ span: { start: 0, end: 99 }, at: T0 + 120_000 }));
    const entries = await log();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      action: 'listen',
      userId,
      at: new Date(T0).toISOString(),
      lastAt: new Date(T0 + 120_000).toISOString(),
      requests: 3,
      bytes: 1000 + 500 + 100,
      ranges: [{ start: 0, end: 999 }],
      coveredBytes: 1000,
      fileBytes: 1000,
    });
  });

  it('opens a new entry after the gap, for another user, another action or another file size', async () => {
    await recordServed(db, served({ span: { start: 0, end: 9 }, at: T0 }));
    const gap = T0 + LISTEN_SESSION_GAP_MS;
    await recordServed(db, served({ span: { start: 10, end: 19 }, at: gap })); // just within
    await recordServed(db, served({ span: { start: 20, end: 29 }, at: gap * 2 - T0 + 1 }));
    await recordServed(db, served({ span: { start: 0, end: 9 }, at: gap, userId: other }));
    await recordServed(db, served({ span: { start: 0, end: 9 }, at: gap, action: 'download' }));
    await recordServed(db, served({ span: { start: 0, end: 9 }, at: gap, fileBytes: 2000 }));
    const entries = await log();
    expect(entries.map((e) => [e.userId === other ? 'other' : 'me', e.action, e.ranges])).toEqual(
      expect.arrayContaining([
        ['me', 'listen', [{ start: 0, end: 19 }]],
        ['me', 'listen', [{ start: 20, end: 29 }]],
        ['other', 'listen', [{ start: 0, end: 9 }]],
        ['me', 'download', [{ start: 0, end: 9 }]],
        ['me', 'listen', [{ start: 0, end: 9 }]],
      ]),
    );
    expect(entries).toHaveLength(5);
  });

  it('a session of scattered spans rolls over to a new entry instead of growing without end', async () => {
    for (let i = 0; i < 5; i += 1)
      await recordServed(db, served({ span: { start: i * 10, end: i * 10 }, at: T0 + i }), {
        maxSpans: 3,
      });
    const entries = await log();
    expect(entries.map((e) => e.ranges?.length).sort()).toEqual([2, 3]);
    expect(entries.reduce((n, e) => n + (e.bytes ?? 0), 0)).toBe(5);
  });

  it('loses no span when requests arrive at once', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        recordServed(db, served({ span: { start: i * 50, end: i * 50 + 49 }, at: T0 + i })),
      ),
    );
    const entries = await log();
    expect(entries.reduce((n, e) => n + (e.requests ?? 0), 0)).toBe(20);
    expect(entries.reduce((n, e) => n + (e.coveredBytes ?? 0), 0)).toBe(1000);
  });

  it('shows entries written before byte-range auditing with nulls', async () => {
    await db('recording_audit').insert({
      recording_id: recordingId,
      call_id: callId,
      user_id: userId,
      action: 'listen',
      range: 'bytes=0-',
      at: T0,
    });
    const [old] = await log();
    expect(old).toMatchObject({ lastAt: null, requests: null, bytes: null, ranges: null });
    // …and a new request does not extend such an entry (its spans are unknown).
    await recordServed(db, served({ span: { start: 0, end: 9 }, at: T0 + 1 }));
    expect(await log()).toHaveLength(2);
  });
});
