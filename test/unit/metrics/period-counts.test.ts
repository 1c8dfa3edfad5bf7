import { createCallsRepo, toCallRecord, type CallRow } from '../../../src/calls/calls-repo';
import { createDb, migrate, type Db } from '../../../src/db';
import { dayWindow, tallyCalls } from '../../../src/metrics/definitions';
import { agentCountsIn, queueCountsIn, surveyCountsIn } from '../../../src/metrics/period-counts';

/**
 * The aggregate queries against records written the way the engine writes them (open, then
 * facts through `commit`, so every field is its timeline's projection), checked against figures
 * worked out by hand and against `tallyCalls` over the same records.
 */
let db: Db;
let n = 0;
const T0 = Date.parse('2026-03-02T01:00:00Z'); // 09:00 in Shanghai
const today = dayWindow(T0, 'Asia/Shanghai');

beforeEach(async () => {
  db = createDb('sqlite::memory:');
  await migrate(db);
  await db('users').insert([
    { id: 7, username: 'ann', name: 'Ann', role: 'agent', password_hash: 'x', created_at: 0 },
    { id: 8, username: 'bob', name: 'Bob', role: 'agent', password_hash: 'x', created_at: 0 },
  ]);
});
afterEach(() => db.destroy());

interface Spec {
  queue?: string;
  direction?: 'inbound' | 'outbound';
  startedAt?: number;
  /** Answered after this many ms by agent `agentId` … */
  answerAfterMs?: number;
  agentId?: number;
  /** … then ended this many ms after the start (absent: still live). */
  endAfterMs?: number;
  outcome?: string;
  serviceLevelSec?: number;
}

async function call(spec: Spec): Promise<string> {
  const calls = createCallsRepo(db);
  const id = `call-${++n}`;
  const start = spec.startedAt ?? T0 + n * 60_000;
  const sl = spec.serviceLevelSec ?? 20;
  await calls.open(
    { id, callerNumber: '13800000000', callerE164: null, dialedNumber: '4000', channelId: id },
    { at: start, data: { queue: spec.queue ?? 'general', direction: spec.direction ?? 'inbound' } },
  );
  if (spec.answerAfterMs !== undefined)
    await calls.commit(id, {
      type: 'answered',
      at: start + spec.answerAfterMs,
      agentId: spec.agentId ?? 7,
      data: { serviceLevelSec: sl },
    });
  if (spec.endAfterMs !== undefined)
    await calls.commit(id, {
      type: 'ended',
      at: start + spec.endAfterMs,
      data: {
        outcome: spec.outcome ?? (spec.answerAfterMs !== undefined ? 'answered' : 'abandoned'),
        endedBy: 'caller',
        ...(spec.answerAfterMs === undefined ? { serviceLevelSec: sl } : {}),
      },
    });
  return id;
}

async function records() {
  const rows = await db<CallRow>('calls').select();
  return rows
    .filter((r) => Number(r.started_at) >= today.start && Number(r.started_at) < today.end)
    .map((r) => toCallRecord(r, T0 + 86_400_000));
}

describe('queueCountsIn', () => {
  it('gives the counts worked out by hand, and what tallyCalls gives for the same records', async () => {
    // general: answered after 5 s, 15 s (within 20 s) and 40 s (not); one still talking,
    // answered after 8 s; abandoned after 3 s (short) and 30 s; one no-agent; one call-back.
    await call({ answerAfterMs: 5000, endAfterMs: 65_000 });
    await call({ answerAfterMs: 15_000, endAfterMs: 100_000, agentId: 8 });
    await call({ answerAfterMs: 40_000, endAfterMs: 50_000 });
    await call({ answerAfterMs: 8000 });
    await call({ endAfterMs: 3000 });
    await call({ endAfterMs: 30_000 });
    await call({ endAfterMs: 9000, outcome: 'no-agent' });
    await call({ endAfterMs: 70_000, outcome: 'callback' });
    // vip: answered after 2 s; outbound and yesterday's calls count nowhere.
    await call({ queue: 'vip', answerAfterMs: 2000, endAfterMs: 10_000 });
    await call({ direction: 'outbound', answerAfterMs: 1000, endAfterMs: 5000 });
    await call({ startedAt: today.start - 1, answerAfterMs: 1000, endAfterMs: 5000 });

    const counts = await queueCountsIn(db, today);
    // answered 4 (5, 15, 40, 8 s), within 3, waits 68 s; abandoned 2, short 1.
    expect(counts.get('general')).toEqual({
      answered: 4,
      answeredWithinThreshold: 3,
      answeredWaitMs: 68_000,
      abandoned: 2,
      abandonedShort: 1,
    });
    expect(counts.get('vip')).toEqual({
      answered: 1,
      answeredWithinThreshold: 1,
      answeredWaitMs: 2000,
      abandoned: 0,
      abandonedShort: 0,
    });
    expect(counts).toEqual(tallyCalls(await records()));
  });

  it('reads the short-abandon threshold it is given', async () => {
    await call({ endAfterMs: 3000 });
    await call({ endAfterMs: 8000 });
    expect((await queueCountsIn(db, today, 10)).get('general')).toMatchObject({
      abandoned: 2,
      abandonedShort: 2,
    });
    expect(await queueCountsIn(db, today, 10)).toEqual(tallyCalls(await records(), 10));
  });
});

describe('agentCountsIn', () => {
  it('counts the calls each agent answered and the talk of those that ended', async () => {
    // Ann: talked 60 s and 10 s, and one live call; Bob: 85 s (outbound counts for agents).
    await call({ answerAfterMs: 5000, endAfterMs: 65_000 });
    await call({ answerAfterMs: 40_000, endAfterMs: 50_000 });
    await call({ answerAfterMs: 8000 });
    await call({ direction: 'outbound', answerAfterMs: 15_000, endAfterMs: 100_000, agentId: 8 });
    await call({ endAfterMs: 30_000 });
    const counts = await agentCountsIn(db, today);
    expect(counts.get(7)).toEqual({ calls: 3, talkMs: 70_000 });
    expect(counts.get(8)).toEqual({ calls: 1, talkMs: 85_000 });
  });
});

describe('surveyCountsIn', () => {
  it('has no responses until the survey column exists', async () => {
    expect(await surveyCountsIn(db, today)).toEqual(new Map());
  });
});
