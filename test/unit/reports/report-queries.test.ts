import { createAgentDirectory } from '../../../src/agents/agent-directory';
import { createAgentStateLog } from '../../../src/agents/state-log';
import { createCallsRepo, toCallRecord, type CallRow } from '../../../src/calls/calls-repo';
import { createDb, migrate, type Db } from '../../../src/db';
import {
  addInbound,
  emptyInbound,
  inboundCallCounts,
  reportBuckets,
} from '../../../src/metrics/definitions';
import {
  agentCallCountsBy,
  agentTimeBy,
  agentTimeFromRollup,
} from '../../../src/reports/agent-counts';
import { rebuildDailyRollup } from '../../../src/agents/agent-time-rollup';
import { inboundCountsBy } from '../../../src/reports/inbound-counts';
import { createReports } from '../../../src/reports/reports';
import { createLogger } from '../../../src/shared/logger';

/**
 * The reports' aggregate queries against records written the way the engine writes them, and
 * against the fold of definitions.ts (`inboundCallCounts`) over the same records.
 */
const TZ = 'Asia/Shanghai';
const T0 = Date.parse('2026-03-02T01:00:00Z'); // Monday 09:00 in Shanghai
const WRAP = 60_000;
let db: Db;
let n = 0;
let now = T0;
const clock = { now: () => now };

beforeEach(async () => {
  db = createDb('sqlite::memory:');
  await migrate(db);
  await db('users').insert([
    { id: 7, username: 'ann', name: 'Ann', role: 'agent', password_hash: 'x', created_at: 0 },
    { id: 8, username: 'bob', name: 'Bob', role: 'agent', password_hash: 'x', created_at: 0 },
  ]);
  now = T0;
});
afterEach(() => db.destroy());

interface Spec {
  queue?: string;
  startedAt: number;
  answerAfterMs?: number;
  agentId?: number;
  endAfterMs?: number;
  outcome?: string;
  wrapAfterEndMs?: number;
  events?: Array<{
    type: string;
    afterMs: number;
    agentId?: number;
    data?: Record<string, unknown>;
  }>;
}

async function call(spec: Spec): Promise<string> {
  const calls = createCallsRepo(db);
  const id = `call-${++n}`;
  const start = spec.startedAt;
  await calls.open(
    { id, callerNumber: '13800000000', callerE164: null, dialedNumber: '4000', channelId: id },
    { at: start, data: { queue: spec.queue ?? 'general', direction: 'inbound' } },
  );
  if (spec.answerAfterMs !== undefined)
    await calls.commit(id, {
      type: 'answered',
      at: start + spec.answerAfterMs,
      agentId: spec.agentId ?? 7,
      data: { serviceLevelSec: 20 },
    });
  for (const e of spec.events ?? [])
    await calls.commit(id, {
      type: e.type,
      at: start + e.afterMs,
      agentId: e.agentId,
      data: e.data,
    });
  if (spec.endAfterMs !== undefined)
    await calls.commit(id, {
      type: 'ended',
      at: start + spec.endAfterMs,
      data: {
        outcome: spec.outcome ?? (spec.answerAfterMs !== undefined ? 'answered' : 'abandoned'),
        endedBy: 'caller',
        ...(spec.answerAfterMs === undefined ? { serviceLevelSec: 20 } : {}),
      },
    });
  if (spec.wrapAfterEndMs !== undefined)
    await calls.commit(id, {
      type: 'wrap-up',
      at: start + spec.endAfterMs! + spec.wrapAfterEndMs,
      agentId: spec.agentId ?? 7,
      data: { disposition: 'resolved' },
    });
  return id;
}

const H = 3_600_000;

async function seed() {
  // Monday (day 1): general answered after 5 s (talk 60 s, wrap-up 20 s), after 40 s by Bob
  // (talk 100 s, wrap-up never saved = 60 s, one transfer), abandoned after 3 s and 30 s,
  // no-agent; sales: answered after 10 s, still live.
  await call({
    startedAt: T0,
    answerAfterMs: 5000,
    endAfterMs: 65_000,
    wrapAfterEndMs: 20_000,
    events: [{ type: 'survey-answered', afterMs: 64_000, data: { score: 4 } }],
  });
  await call({
    startedAt: T0 + H,
    answerAfterMs: 40_000,
    agentId: 8,
    endAfterMs: 140_000,
    events: [
      // A 12 s hold inside the talk.
      { type: 'held', afterMs: 50_000, agentId: 8 },
      { type: 'resumed', afterMs: 62_000, agentId: 8 },
      { type: 'transferred', afterMs: 130_000, agentId: 8 },
    ],
  });
  await call({ startedAt: T0 + 2 * H, endAfterMs: 3000 });
  await call({ startedAt: T0 + 3 * H, endAfterMs: 30_000 });
  await call({ startedAt: T0 + 4 * H, endAfterMs: 8000, outcome: 'no-agent' });
  await call({ queue: 'sales', startedAt: T0 + 5 * H, answerAfterMs: 10_000 });
  // Tuesday (day 2): general answered after 25 s (talk 35 s, wrap-up 200 s → 60 s), by Bob.
  await call({
    startedAt: T0 + 24 * H,
    answerAfterMs: 25_000,
    agentId: 8,
    endAfterMs: 60_000,
    wrapAfterEndMs: 200_000,
  });
}

describe('inboundCountsBy', () => {
  it('gives the hand-worked counts per day and queue, and what the fold gives', async () => {
    await seed();
    now = T0 + 3 * 24 * H;
    const buckets = reportBuckets('2026-03-02', '2026-03-03', 'day', TZ);
    const rows = await inboundCountsBy(
      db,
      buckets,
      'queue',
      {},
      {
        shortAbandonSec: 5,
        wrapUpLimitMs: WRAP,
      },
    );
    const get = (b: number, k: string) => rows.find((r) => r.bucket === b && r.key === k)?.counts;
    expect(get(0, 'general')).toEqual({
      ...emptyInbound(),
      offered: 5,
      answered: 2,
      answeredWithinThreshold: 1,
      answeredWaitMs: 45_000,
      abandoned: 2,
      abandonedShort: 1,
      longestWaitMs: 40_000,
      handled: 2,
      handledTalkMs: 160_000,
      handledHoldMs: 12_000,
      wrapUpMs: 80_000,
      noAgent: 1,
      surveyScores: [0, 0, 0, 1, 0],
    });
    expect(get(0, 'sales')).toMatchObject({ offered: 1, answered: 1, handled: 0, wrapUpMs: 0 });
    expect(get(1, 'general')).toMatchObject({ offered: 1, handled: 1, wrapUpMs: 60_000 });

    // The same from the records through the definitions.
    const records = (await db<CallRow>('calls').select()).map((r) => toCallRecord(r, now));
    for (const [b, bucket] of buckets.entries()) {
      const fold = new Map<string, ReturnType<typeof emptyInbound>>();
      for (const r of records) {
        const at = Date.parse(r.startedAt);
        if (at < bucket.start || at >= bucket.end || !r.queue) continue;
        const c = inboundCallCounts(
          {
            ...r,
            endedAt: r.endedAt ? Date.parse(r.endedAt) : null,
            wrappedUpAt: r.wrappedUpAt ? Date.parse(r.wrappedUpAt) : null,
            answeredAt: r.answeredAt ? Date.parse(r.answeredAt) : null,
          },
          { shortAbandonSec: 5, wrapUpLimitMs: WRAP },
        );
        addInbound(fold.get(r.queue) ?? fold.set(r.queue, emptyInbound()).get(r.queue)!, c);
      }
      for (const [queue, counts] of fold) expect(get(b, queue)).toEqual(counts);
    }
  });

  it('reports per agent with names, transfers, and the total of the rows', async () => {
    await seed();
    now = T0 + 3 * 24 * H;
    const reports = createReports({
      db,
      clock,
      settings: () => ({ timezone: TZ, shortAbandonSec: 5, wrapUpSec: 60, followUpDays: 3 }),
    });
    const r = await reports.inbound(
      { from: '2026-03-02', to: '2026-03-03', granularity: 'total', by: 'agent' },
      {},
    );
    expect(r.rows.map((x) => [x.name, x.answered, x.transfersOut])).toEqual([
      ['Ann', 2, 0],
      ['Bob', 2, 1],
    ]);
    // Bob: (100 + 60) + (35 + 60) over 2 handled = 127.5 s
    expect(r.rows[1]!.ahtMs).toBe(127_500);
    // Bob's 12 s hold, over his 2 handled calls (inside the talk, so not added to AHT again).
    expect(r.rows[1]!.avgHoldMs).toBe(6000);
    const byQueue = await reports.inbound(
      { from: '2026-03-02', to: '2026-03-02', granularity: 'day', by: 'queue' },
      { queue: 'general' },
    );
    // 1 within ÷ (2 answered + 1 late abandon) = 33.3 %
    expect(byQueue.total).toMatchObject({ offered: 5, serviceLevelPct: 33.3, abandonedShort: 1 });
    expect(byQueue.total.transfersOut).toBe(1);
  });
});

describe('agentCallCountsBy', () => {
  it('gives the hand-worked counts per agent, and over the range as one period the sum of its days', async () => {
    await seed();
    now = T0 + 3 * 24 * H;
    const days = reportBuckets('2026-03-02', '2026-03-03', 'day', TZ);
    const whole = [{ label: 'range', start: days[0]!.start, end: days[1]!.end }];
    const opts = { wrapUpLimitMs: WRAP };
    const byDay = await agentCallCountsBy(db, days, {}, opts);
    const total = await agentCallCountsBy(db, whole, {}, opts);
    const get = (rows: typeof total, b: number, k: string) =>
      rows.find((r) => r.bucket === b && r.key === k)?.counts;
    // Ann: the general call (talk 60 s, wrap-up 20 s, a 4) and the live sales call.
    expect(get(total, 0, '7')).toMatchObject({
      calls: 2,
      handled: 1,
      talkMs: 60_000,
      wrapUpMs: 20_000,
      survey: { sum: 4, responses: 1, asked: 0 },
    });
    // Bob: 100 s + 35 s talk, a 12 s hold, wrap-up 60 s (never saved) + 60 s (capped), a transfer.
    expect(get(total, 0, '8')).toMatchObject({
      calls: 2,
      handled: 2,
      talkMs: 135_000,
      holdMs: 12_000,
      wrapUpMs: 120_000,
      transfersOut: 1,
    });
    for (const key of ['7', '8']) {
      const sum = { calls: 0, handled: 0, talkMs: 0, holdMs: 0, wrapUpMs: 0, transfersOut: 0 };
      for (const b of [0, 1]) {
        const c = get(byDay, b, key);
        for (const k of Object.keys(sum) as Array<keyof typeof sum>) sum[k] += c?.[k] ?? 0;
      }
      expect(get(total, 0, key)).toMatchObject(sum);
    }
    // A queue filter (its column is not in the index the unfiltered sums read): the same sums of
    // that queue's calls, by day and as one period.
    for (const b of [days, whole]) {
      const general = await agentCallCountsBy(db, b, { queue: 'general' }, opts);
      const ann = general.filter((r) => r.key === '7');
      expect(ann.map((r) => r.counts.calls)).toEqual([1]);
      const bob = general.filter((r) => r.key === '8').map((r) => r.counts);
      expect(bob.reduce((n, c) => n + c.wrapUpMs, 0)).toBe(120_000);
    }
  });
});

describe('the agent state log and agentTimeBy', () => {
  it('logs stretches and clips them to the periods', async () => {
    const agents = createAgentDirectory({ db, clock, breakReasons: [{ code: 'lunch' }] });
    await agents.load();
    const log = createAgentStateLog({
      db,
      agents,
      clock,
      log: createLogger('silent'),
      timezone: () => TZ,
    });
    await log.start();
    // Monday 09:00 available; 11:00 a call to 11:30, wrap-up to 11:31; 12:00 lunch to 13:00;
    // available until Tuesday 01:00 (crosses local midnight), offline.
    await agents.setState(7, 'available');
    now = T0 + 2 * H;
    expect(agents.reserve(7, 'c1')).toBe(true);
    agents.onCall(7, 'c1');
    now = T0 + 2.5 * H;
    await agents.release(7, 'c1', true, 60_000);
    now = T0 + 2.5 * H + 60_000;
    agents.endWrapUp(7, 'c1');
    now = T0 + 3 * H;
    await agents.choose(7, 'break', 'lunch');
    now = T0 + 4 * H;
    await agents.setState(7, 'available');
    now = T0 + 16 * H;
    await agents.setState(7, 'offline');
    await log.flush();
    agents.stop();

    const buckets = reportBuckets('2026-03-02', '2026-03-03', 'day', TZ);
    const rows = await agentTimeBy(db, buckets, {}, now);
    const mon = rows.find((r) => r.bucket === 0 && r.key === '7')!.counts;
    const tue = rows.find((r) => r.bucket === 1 && r.key === '7')!.counts;
    // Monday 09:00 → midnight = 15 h logged in: 1 h break, 31 min on call + wrap-up
    expect(mon.loggedInMs).toBe(15 * H);
    expect(mon.byState).toEqual({ available: 14 * H, break: H, 'break:lunch': H });
    expect(mon.handleMs).toBe(31 * 60_000);
    expect(mon.idleMs).toBe(14 * H - 31 * 60_000);
    // Tuesday: midnight → 01:00 available
    expect(tue).toMatchObject({ loggedInMs: H, idleMs: H, handleMs: 0 });
    // One bucket over both days: the sum.
    const total = await agentTimeBy(
      db,
      [{ label: 'all', start: buckets[0]!.start, end: buckets[1]!.end }],
      {},
      now,
    );
    expect(total[0]!.counts.loggedInMs).toBe(16 * H);

    // The daily rollup written as the stretches ended gives the same as the state log, by
    // day and over the range, and so does one rebuilt from the log.
    const sorted = (x: Awaited<ReturnType<typeof agentTimeBy>>) =>
      [...x].sort((a, b) => a.bucket - b.bucket || a.key.localeCompare(b.key));
    const weeks = reportBuckets('2026-03-01', '2026-03-10', 'week', TZ);
    const range = [{ label: 'range', start: weeks[0]!.start, end: weeks[weeks.length - 1]!.end }];
    for (const b of [buckets, weeks, range]) {
      const raw = sorted(await agentTimeBy(db, b, {}, now));
      expect(sorted(await agentTimeFromRollup(db, b, {}, now, TZ))).toEqual(raw);
      await rebuildDailyRollup(db, TZ);
      expect(sorted(await agentTimeFromRollup(db, b, {}, now, TZ))).toEqual(raw);
    }
    expect(await db('agent_time_daily').count({ n: '*' })).toEqual([{ n: 5 }]);
  });

  it('counts a stretch still open from the log, up to now', async () => {
    const agents = createAgentDirectory({ db, clock, breakReasons: [] });
    await agents.load();
    const log = createAgentStateLog({
      db,
      agents,
      clock,
      log: createLogger('silent'),
      timezone: () => TZ,
    });
    await log.start();
    await agents.setState(8, 'available');
    now = T0 + 2 * H;
    await log.flush();
    agents.stop();
    const buckets = reportBuckets('2026-03-02', '2026-03-02', 'day', TZ);
    const rolled = await agentTimeFromRollup(db, buckets, {}, now, TZ);
    expect(rolled).toEqual(await agentTimeBy(db, buckets, {}, now));
    expect(rolled[0]!.counts).toMatchObject({ loggedInMs: 2 * H, idleMs: 2 * H });
  });
});
