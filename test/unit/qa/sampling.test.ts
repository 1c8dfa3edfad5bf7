import { createDb, migrate, type Db } from '../../../src/db';
import { createQa, type Qa } from '../../../src/qa';
import { seededRandom } from '../../../src/qa/prng';
import { drawSample, sampleSize, type Candidate } from '../../../src/qa/sampling';
import { insertCall, insertComplaint, insertRecording, insertUser } from './qa-data';

const calls = (agentId: number, n: number, complaintEvery = 0): Candidate[] =>
  Array.from({ length: n }, (_, i) => ({
    callId: `a${agentId}-c${String(i).padStart(4, '0')}`,
    agentId,
    complaint: complaintEvery > 0 && i % complaintEvery === 0,
  }));

describe('seeded PRNG', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    const a = seededRandom('2026-W47');
    const b = seededRandom('2026-W47');
    const c = seededRandom('2026-W48');
    const xs = Array.from({ length: 50 }, () => a());
    expect(Array.from({ length: 50 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 50 }, () => c())).not.toEqual(xs);
    for (const x of xs) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });

  it('is roughly uniform', () => {
    const r = seededRandom('uniform');
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) buckets[Math.floor(r() * 10)]! += 1;
    for (const b of buckets) expect(Math.abs(b - 10_000)).toBeLessThan(500);
  });
});

describe('drawSample', () => {
  const big = [...calls(1, 200), ...calls(2, 150), ...calls(3, 120)];
  const opts = { seed: 'abc', perAgent: 10, complaintWeight: 1, reviewerIds: [100] };

  it('is reproducible for a seed, whatever order the candidates come in', () => {
    const first = drawSample(big, opts);
    expect(drawSample(big, opts)).toEqual(first);
    const shuffled = [...big].reverse();
    expect(drawSample(shuffled, opts)).toEqual(first);
    expect(first).toHaveLength(30);
  });

  it('gives another sample for another seed', () => {
    const a = drawSample(big, opts).map((d) => d.callId);
    const b = drawSample(big, { ...opts, seed: 'abd' }).map((d) => d.callId);
    expect(b).not.toEqual(a);
    expect(new Set(a).size).toBe(30);
  });

  it("draws per agent, an agent's draw independent of the other agents' calls", () => {
    const alone = drawSample(calls(2, 150), opts);
    expect(drawSample(big, opts).filter((d) => d.agentId === 2)).toEqual(
      alone.map((d) => ({ ...d })),
    );
  });

  it('stratifies: perAgent capped by the calls there are, percent rounded up', () => {
    const cands = [...calls(1, 10), ...calls(2, 7), ...calls(3, 3)];
    const count = (ds: ReturnType<typeof drawSample>) =>
      [1, 2, 3].map((a) => ds.filter((d) => d.agentId === a).length);
    expect(count(drawSample(cands, { ...opts, perAgent: 5 }))).toEqual([5, 5, 3]);
    expect(count(drawSample(cands, { ...opts, perAgent: undefined, percent: 25 }))).toEqual([
      3, 2, 1,
    ]);
    expect(sampleSize(100, { percent: 7 })).toBe(7);
    expect(sampleSize(10, { percent: 100 })).toBe(10);
    expect(sampleSize(0, { percent: 50 })).toBe(0);
    expect(sampleSize(3, { percent: 0.1 })).toBe(1);
  });

  it('never draws a call twice', () => {
    const ds = drawSample(calls(1, 20), { ...opts, perAgent: 20 });
    expect(new Set(ds.map((d) => d.callId)).size).toBe(20);
  });

  it('assigns reviewers round-robin over the whole sample', () => {
    const cands = [...calls(1, 4), ...calls(2, 4)];
    const ds = drawSample(cands, { ...opts, perAgent: 3, reviewerIds: [7, 8, 9] });
    expect(ds.map((d) => d.reviewerId)).toEqual([7, 8, 9, 7, 8, 9]);
    expect(ds.map((d) => d.agentId)).toEqual([1, 1, 1, 2, 2, 2]);
  });

  it('oversamples complaint calls (weight 3) — over 2000 fixed seeds, so never flaky', () => {
    // 20 calls, 4 with a complaint, 4 drawn: plain draw expects 0.8 complaint calls per sample.
    const cands = calls(1, 20, 5);
    const meanComplaints = (weight: number) => {
      let total = 0;
      for (let s = 0; s < 2000; s++)
        total += drawSample(cands, {
          seed: `seed-${s}`,
          perAgent: 4,
          complaintWeight: weight,
          reviewerIds: [1],
        }).filter((d) => cands.find((c) => c.callId === d.callId)!.complaint).length;
      return total / 2000;
    };
    const plain = meanComplaints(1);
    const weighted = meanComplaints(3);
    expect(plain).toBeGreaterThan(0.7);
    expect(plain).toBeLessThan(0.9);
    expect(weighted).toBeGreaterThan(1.5);
    expect(weighted).toBeGreaterThan(plain * 1.8);
  });
});

describe('drawSample: oversample.lowSatisfaction', () => {
  // 20 calls of one agent; 3 scored 1-2 by their callers.
  const cands = calls(1, 20).map((c, i) => ({ ...c, lowSatisfaction: i % 7 === 3 }));
  const low = cands.filter((c) => c.lowSatisfaction).map((c) => c.callId);
  const opts = { perAgent: 5, complaintWeight: 1, reviewerIds: [1] };

  it('draws the calls scored 1-2 first, whatever the seed', () => {
    for (let s = 0; s < 300; s++) {
      const drawn = drawSample(cands, { ...opts, seed: `s${s}`, lowSatisfactionFirst: true });
      expect(drawn).toHaveLength(5);
      expect(
        drawn
          .slice(0, 3)
          .map((d) => d.callId)
          .sort(),
      ).toEqual([...low].sort());
    }
  });

  it('fills the rest from the other calls, reproducibly; a sample smaller than the low calls holds only them', () => {
    const a = drawSample(cands, { ...opts, seed: 'x', lowSatisfactionFirst: true });
    expect(
      drawSample([...cands].reverse(), { ...opts, seed: 'x', lowSatisfactionFirst: true }),
    ).toEqual(a);
    expect(new Set(a.map((d) => d.callId)).size).toBe(5);
    const two = drawSample(cands, { ...opts, perAgent: 2, seed: 'x', lowSatisfactionFirst: true });
    expect(two.every((d) => low.includes(d.callId))).toBe(true);
  });

  it('changes nothing without the option (the same draw as before the survey existed)', () => {
    for (const seed of ['a', 'b', 'c'])
      expect(drawSample(cands, { ...opts, seed })).toEqual(
        drawSample(calls(1, 20), { ...opts, seed }),
      );
  });
});

describe('sampling from the database', () => {
  let db: Db;
  let qa: Qa;
  let reviewer: number;
  let agentA: number;
  let agentB: number;
  const T0 = Date.parse('2026-11-16T00:00:00Z');
  const HOUR = 3_600_000;

  beforeAll(async () => {
    db = createDb('sqlite::memory:');
    await migrate(db);
    qa = createQa(db, { now: () => T0 + 10 * 24 * HOUR });
    await qa.scorecards.ensureDefault();
    reviewer = await insertUser(db, 'rita', 'qa');
    agentA = await insertUser(db, 'alice', 'agent');
    agentB = await insertUser(db, 'bob', 'agent');
  });
  afterAll(() => db.destroy());

  it('draws only recorded, unevaluated calls in the period that match the filters', async () => {
    const recorded = async (agentId: number, h: number, extra: object = {}) => {
      const id = await insertCall(db, { agentId, startedAt: T0 + h * HOUR, ...extra });
      await insertRecording(db, { callId: id, createdAt: T0 + h * HOUR });
      return id;
    };
    const good = [await recorded(agentA, 1), await recorded(agentA, 2), await recorded(agentB, 3)];
    const complaintCall = await recorded(agentB, 4);
    await insertComplaint(db, complaintCall);
    // not eligible:
    await insertCall(db, { agentId: agentA, startedAt: T0 + 5 * HOUR }); // no recording
    const failed = await insertCall(db, { agentId: agentA, startedAt: T0 + 6 * HOUR });
    await insertRecording(db, { callId: failed, createdAt: T0, status: 'error', path: null });
    const evaluated = await recorded(agentA, 7);
    await db('qa_evaluations').insert({
      call_id: evaluated,
      agent_id: agentA,
      reviewer_id: reviewer,
      answers: '[]',
      comments: '[]',
      score: 50,
      critical_failed: false,
      submitted_at: T0,
      created_at: T0,
    });
    await recorded(agentA, -5); // before the period
    await recorded(agentA, 8, { queue: 'sales' });
    await recorded(agentA, 9, { talkMs: 3000 });
    await recorded(agentA, 10, { direction: 'outbound' });
    await recorded(agentA, 11, { outcome: 'abandoned' });

    const params = {
      from: new Date(T0).toISOString(),
      to: new Date(T0 + 7 * 24 * HOUR).toISOString(),
      perAgent: 50,
      reviewerIds: [reviewer],
      filters: {
        queue: 'support',
        direction: 'inbound' as const,
        minDurationSec: 60,
        outcome: 'answered',
      },
    };
    const cands = await qa.samples.candidates(params);
    expect(cands.map((c) => c.callId).sort()).toEqual([...good, complaintCall].sort());
    expect(cands.find((c) => c.callId === complaintCall)!.complaint).toBe(true);
    expect(cands.filter((c) => c.complaint)).toHaveLength(1);

    const onlyB = await qa.samples.candidates({ ...params, filters: { agentIds: [agentB] } });
    expect(new Set(onlyB.map((c) => c.agentId))).toEqual(new Set([agentB]));

    const job = await qa.samples.create({ ...params, seed: 'fixed' }, reviewer);
    const again = await qa.samples.create({ ...params, seed: 'fixed' }, reviewer);
    expect(again.items).toEqual(job.items);
    expect(job.seed).toBe('fixed');
    expect(job.params).toMatchObject({ seed: 'fixed', perAgent: 50 });
    expect(job.items!.map((i) => i.callId).sort()).toEqual([...good, complaintCall].sort());
    expect(job.items![0]).toMatchObject({
      agentId: agentA,
      agentName: 'alice name',
      reviewerId: reviewer,
      status: 'pending',
    });

    const generated = await qa.samples.create({ ...params, seed: undefined }, reviewer);
    expect(generated.seed).toMatch(/^[0-9a-f]{24}$/);
  });

  it('oversample.lowSatisfaction: the calls scored 1-2 drawn first, from the stored scores', async () => {
    const agentC = await insertUser(db, 'cyd', 'agent');
    const recorded = async (h: number, surveyScore: number | null) => {
      const id = await insertCall(db, { agentId: agentC, startedAt: T0 + h * HOUR, surveyScore });
      await insertRecording(db, { callId: id, createdAt: T0 + h * HOUR });
      return id;
    };
    const scores = [5, 4, null, 1, 3, null, 2, 5, null, 4];
    const ids: string[] = [];
    for (const [i, score] of scores.entries()) ids.push(await recorded(20 + i, score));
    const lowIds = ids.filter((_, i) => scores[i] === 1 || scores[i] === 2);
    const params = {
      from: new Date(T0).toISOString(),
      to: new Date(T0 + 7 * 24 * HOUR).toISOString(),
      perAgent: 3,
      reviewerIds: [reviewer],
      filters: { agentIds: [agentC] },
    };
    const cands = await qa.samples.candidates(params);
    expect(
      cands
        .filter((c) => c.lowSatisfaction)
        .map((c) => c.callId)
        .sort(),
    ).toEqual([...lowIds].sort());
    for (const seed of ['w1', 'w2', 'w3', 'w4']) {
      const job = await qa.samples.create(
        { ...params, seed, oversample: { lowSatisfaction: true } },
        reviewer,
      );
      const drawn = job.items!.map((i) => i.callId);
      expect(drawn).toHaveLength(3);
      expect(drawn.slice(0, 2).sort()).toEqual([...lowIds].sort());
    }
    // The reviewer's queue shows the caller's score.
    const queue = await qa.samples.queue(reviewer);
    const item = queue.find((i) => i.callId === lowIds[0]);
    expect(item?.surveyScore).toBe(1);
    expect(
      queue
        .filter((i) => !lowIds.includes(i.callId))
        .every((i) => i.surveyScore !== 1 && i.surveyScore !== 2),
    ).toBe(true);
  });
});
