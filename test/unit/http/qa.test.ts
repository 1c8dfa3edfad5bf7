import { appFixture, type AppFixture } from '../../support/app-fixture';
import { insertCall, insertComplaint, insertRecording } from '../qa/qa-data';
import { expectResponse } from '../../support/expect-response';

let fx: AppFixture;
const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
type U = Awaited<ReturnType<AppFixture['user']>>;
let qaUser: U;
let qa2: U;
let supervisor: U;
let agentA: U;
let agentB: U;
let defaultCardId: number;

const HOUR = 3_600_000;
const T0 = Date.parse('2026-11-02T08:00:00Z'); // a Monday, ISO week 2026-W45

beforeAll(async () => {
  fx = await appFixture();
  qaUser = await fx.user('quinn', 'qa');
  qa2 = await fx.user('quentin', 'qa');
  supervisor = await fx.user('sue', 'supervisor');
  agentA = await fx.user('anna', 'agent', '1201');
  agentB = await fx.user('ben', 'agent', '1202');
  defaultCardId = (await fx.qa.scorecards.getDefault())!.id;
});
afterAll(() => fx.close());

async function recordedCall(agentId: number, startedAt: number) {
  const id = await insertCall(fx.db, { agentId, startedAt });
  await insertRecording(fx.db, { callId: id, createdAt: startedAt });
  return id;
}

const fullMarks = [
  { questionId: 'greeting', value: 'yes' },
  { questionId: 'identity-check', value: 'yes' },
  { questionId: 'understanding', value: 5 },
  { questionId: 'solution', value: 5 },
  { questionId: 'courtesy', value: 5 },
  { questionId: 'no-forbidden-phrases', value: 'yes' },
  { questionId: 'closing', value: 'yes' },
];
const withAnswer = (questionId: string, value: string | number) =>
  fullMarks.map((a) => (a.questionId === questionId ? { questionId, value } : a));

describe('QA scorecards', () => {
  it('lists the default scorecard for qa, supervisor and admin; agents get 403', async () => {
    const res = await fx.http().get('/api/qa/scorecards').set(auth(supervisor.token));
    expectResponse(res);
    expect(res.status).toBe(200);
    expect(res.body.scorecards[0]).toMatchObject({
      id: defaultCardId,
      isDefault: true,
      name: 'Standard call review',
    });
    expect(res.body.scorecards[0].sections.length).toBeGreaterThan(0);
    // Agents read the forms (to see the questions of their own evaluations), never write them.
    const forAgent = await fx.http().get('/api/qa/scorecards').set(auth(agentA.token));
    expectResponse(forAgent);
    expect(forAgent.status).toBe(200);
    expect(forAgent.body.scorecards[0].id).toBe(defaultCardId);
  });

  it('creates a scorecard (qa, admin), validating it; supervisors and agents may not', async () => {
    const card = {
      name: 'Sales',
      sections: [
        {
          title: 'All',
          questions: [
            { id: 'pitch', text: 'Pitch', type: 'scale', weight: 2, scaleMax: 4 },
            { id: 'close', text: 'Close', type: 'yes-no', weight: 1, critical: true },
          ],
        },
      ],
    };
    const res = await fx.http().post('/api/qa/scorecards').set(auth(qaUser.token)).send(card);
    expectResponse(res);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'Sales', isDefault: false, sections: card.sections });
    expect(typeof res.body.createdAt).toBe('string');
    for (const token of [supervisor.token, agentA.token])
      expect((await fx.http().post('/api/qa/scorecards').set(auth(token)).send(card)).status).toBe(
        403,
      );
    const dup = await fx
      .http()
      .post('/api/qa/scorecards')
      .set(auth(qaUser.token))
      .send({
        ...card,
        sections: [
          {
            title: 'x',
            questions: [card.sections[0]!.questions[1], card.sections[0]!.questions[1]],
          },
        ],
      });
    expectResponse(dup);
    expect(dup.status).toBe(400);
    expect(dup.body.error.code).toBe('HOTLINE_VALIDATION');
    expect(dup.body.error.message).toMatch(/used twice/);
  });
});

describe('QA sampling, queue and evaluations', () => {
  let sampleCalls: string[];
  let jobId: number;

  it('agents may not sample', async () => {
    const res = await fx
      .http()
      .post('/api/qa/samples')
      .set(auth(agentA.token))
      .send({
        from: new Date(T0).toISOString(),
        to: new Date(T0 + HOUR).toISOString(),
        perAgent: 1,
        reviewerIds: [qaUser.id],
      });
    expectResponse(res);
    expect(res.status).toBe(403);
  });

  it('validates the sampling request', async () => {
    const base = {
      from: new Date(T0).toISOString(),
      to: new Date(T0 + 30 * 24 * HOUR).toISOString(),
      reviewerIds: [qaUser.id],
    };
    const send = (body: object) =>
      fx.http().post('/api/qa/samples').set(auth(qaUser.token)).send(body);
    expect((await send(base)).status).toBe(400); // neither perAgent nor percent
    expect((await send({ ...base, perAgent: 2, percent: 10 })).status).toBe(400);
    expect((await send({ ...base, perAgent: 2, reviewerIds: [] })).status).toBe(400);
    const agentReviewer = await send({ ...base, perAgent: 2, reviewerIds: [agentA.id] });
    expect(agentReviewer.status).toBe(400);
    expect(agentReviewer.body.error.message).toMatch(/reviewerIds/);
    expect((await send({ ...base, perAgent: 2, to: base.from })).status).toBe(400);
    expect((await send({ ...base, perAgent: 2, scorecardId: 9999 })).status).toBe(400);
  });

  it('draws a reproducible sample, assigns reviewers round-robin and fills their queues', async () => {
    sampleCalls = [];
    for (let i = 0; i < 6; i++) sampleCalls.push(await recordedCall(agentA.id, T0 + i * HOUR));
    for (let i = 0; i < 4; i++)
      sampleCalls.push(await recordedCall(agentB.id, T0 + (10 + i) * HOUR));
    await insertComplaint(fx.db, sampleCalls[0]!);
    const body = {
      from: new Date(T0).toISOString(),
      to: new Date(T0 + 24 * HOUR).toISOString(),
      perAgent: 2,
      seed: 'week-45',
      oversample: { complaints: true, lowSatisfaction: true },
      reviewerIds: [qaUser.id, qa2.id],
    };
    const res = await fx.http().post('/api/qa/samples').set(auth(supervisor.token)).send(body);
    expectResponse(res);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ seed: 'week-45', createdBy: supervisor.id });
    expect(res.body.params).toMatchObject({
      perAgent: 2,
      seed: 'week-45',
      scorecardId: defaultCardId,
    });
    const items = res.body.items as Array<{
      agentId: number;
      reviewerId: number;
      agentName: string;
      status: string;
    }>;
    expect(items).toHaveLength(4);
    expect(items.map((i) => i.agentId)).toEqual([agentA.id, agentA.id, agentB.id, agentB.id]);
    expect(items.map((i) => i.reviewerId)).toEqual([qaUser.id, qa2.id, qaUser.id, qa2.id]);
    expect(items[0]!.agentName).toBe('anna name');
    expect(items.every((i) => i.status === 'pending')).toBe(true);
    jobId = res.body.id;

    const again = await fx.http().post('/api/qa/samples').set(auth(qaUser.token)).send(body);
    expectResponse(again);
    expect(again.body.items).toEqual(res.body.items);

    const list = await fx.http().get('/api/qa/samples').set(auth(qaUser.token));
    expectResponse(list);
    expect(list.status).toBe(200);
    expect(list.body.samples[0]).not.toHaveProperty('items');
    expect((list.body.samples as Array<{ id: number }>).map((s) => s.id)).toContain(jobId);
    const one = await fx.http().get(`/api/qa/samples/${jobId}`).set(auth(qaUser.token));
    expectResponse(one);
    expect(one.body.items).toEqual(items);
    expect((await fx.http().get('/api/qa/samples/99999').set(auth(qaUser.token))).status).toBe(404);
    expect((await fx.http().get('/api/qa/samples').set(auth(agentA.token))).status).toBe(403);

    const queue = await fx.http().get('/api/qa/queue').set(auth(qaUser.token));
    expectResponse(queue);
    expect(queue.status).toBe(200);
    // the same calls were drawn twice (two jobs, same seed): shown once
    expect(queue.body.items).toHaveLength(2);
    expect(queue.body.items[0]).toMatchObject({
      sampleId: jobId,
      agentId: agentA.id,
      agentName: 'anna name',
      talkMs: 120_000,
      queue: 'support',
      scorecardId: defaultCardId,
      recording: { durationMs: 110_000 },
    });
    expect(typeof queue.body.items[0].recording.id).toBe('string');
    expect(queue.body.items[0].startedAt).toMatch(/^2026-11-02T/);
    expect((await fx.http().get('/api/qa/queue').set(auth(agentA.token))).status).toBe(403);
  });

  let evaluationId: number;

  it('validates an evaluation against its form', async () => {
    const callId = (await fx.http().get('/api/qa/queue').set(auth(qaUser.token))).body.items[0]
      .callId as string;
    const send = (body: object) =>
      fx.http().post('/api/qa/evaluations').set(auth(qaUser.token)).send(body);
    const naNotAllowed = await send({
      callId,
      scorecardId: defaultCardId,
      answers: withAnswer('greeting', 'na'),
    });
    expect(naNotAllowed.status).toBe(400);
    expect(naNotAllowed.body.error).toMatchObject({ code: 'HOTLINE_VALIDATION' });
    expect(naNotAllowed.body.error.message).toMatch(/greeting cannot be N\/A/);
    const missing = await send({ callId, scorecardId: defaultCardId, answers: fullMarks.slice(1) });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details).toContainEqual({
      path: 'answers',
      message: 'question greeting is not answered',
    });
    expect(
      (await send({ callId, scorecardId: defaultCardId, answers: withAnswer('courtesy', 9) }))
        .status,
    ).toBe(400);
    expect((await send({ callId, scorecardId: 9999, answers: fullMarks })).status).toBe(400);
    expect(
      (await send({ callId: 'nope', scorecardId: defaultCardId, answers: fullMarks })).status,
    ).toBe(404);
    expect((await send({ callId, scorecardId: defaultCardId })).status).toBe(400);
    const asAgent = await fx
      .http()
      .post('/api/qa/evaluations')
      .set(auth(agentA.token))
      .send({ callId, scorecardId: defaultCardId, answers: fullMarks });
    expectResponse(asAgent);
    expect(asAgent.status).toBe(403);
  });

  it('scores on the server, marks the item done, and allows one per call and reviewer', async () => {
    const item = (await fx.http().get('/api/qa/queue').set(auth(qaUser.token))).body.items[0];
    const res = await fx
      .http()
      .post('/api/qa/evaluations')
      .set(auth(qaUser.token))
      .send({
        callId: item.callId,
        scorecardId: defaultCardId,
        answers: withAnswer('identity-check', 'na'),
        comments: [{ atMs: 12_000, text: 'Good greeting' }],
        summary: 'Solid call',
      });
    expectResponse(res);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      callId: item.callId,
      agentId: agentA.id,
      reviewerId: qaUser.id,
      reviewerName: 'quinn name',
      scorecardId: defaultCardId,
      score: 100,
      criticalFailed: false,
      comments: [{ atMs: 12_000, text: 'Good greeting' }],
      summary: 'Solid call',
      agentResponse: null,
      agentComment: null,
    });
    expect(res.body.answers).toContainEqual({ questionId: 'identity-check', value: 'na' });
    evaluationId = res.body.id;

    const job = await fx.http().get(`/api/qa/samples/${jobId}`).set(auth(qaUser.token));
    expectResponse(job);
    expect(
      (job.body.items as Array<{ callId: string; status: string }>).find(
        (i) => i.callId === item.callId,
      )!.status,
    ).toBe('done');
    const queue = await fx.http().get('/api/qa/queue').set(auth(qaUser.token));
    expectResponse(queue);
    expect((queue.body.items as Array<{ callId: string }>).map((i) => i.callId)).not.toContain(
      item.callId,
    );

    const twice = await fx
      .http()
      .post('/api/qa/evaluations')
      .set(auth(qaUser.token))
      .send({ callId: item.callId, scorecardId: defaultCardId, answers: fullMarks });
    expectResponse(twice);
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('HOTLINE_ALREADY_EVALUATED');

    // another reviewer may evaluate the same call (calibration); a critical fail scores 0
    const other = await fx
      .http()
      .post('/api/qa/evaluations')
      .set(auth(supervisor.token))
      .send({
        callId: item.callId,
        scorecardId: defaultCardId,
        answers: withAnswer('no-forbidden-phrases', 'no'),
      });
    expectResponse(other);
    expect(other.status).toBe(201);
    expect(other.body).toMatchObject({ score: 0, criticalFailed: true });
  });

  it('shows agents their own evaluations only', async () => {
    const callB = (
      (await fx.http().get('/api/qa/queue').set(auth(qaUser.token))).body.items as Array<{
        agentId: number;
        callId: string;
      }>
    ).find((i) => i.agentId === agentB.id)!.callId;
    const evB = await fx
      .http()
      .post('/api/qa/evaluations')
      .set(auth(qaUser.token))
      .send({ callId: callB, scorecardId: defaultCardId, answers: withAnswer('solution', 3) });
    expectResponse(evB);
    expect(evB.status).toBe(201);
    expect(evB.body.score).toBe(87.5); // solution 0.5 × 25 of 100 weight points

    const mine = await fx
      .http()
      .get(`/api/qa/evaluations?agentId=${agentB.id}`)
      .set(auth(agentA.token));
    expectResponse(mine);
    expect(mine.status).toBe(200);
    expect(mine.body.evaluations.length).toBe(2);
    expect(
      (mine.body.evaluations as Array<{ agentId: number }>).every((e) => e.agentId === agentA.id),
    ).toBe(true);
    expect(
      (await fx.http().get(`/api/qa/evaluations/${evB.body.id}`).set(auth(agentA.token))).status,
    ).toBe(403);
    expect(
      (await fx.http().get(`/api/qa/evaluations/${evaluationId}`).set(auth(agentA.token))).status,
    ).toBe(200);
    expect((await fx.http().get('/api/qa/evaluations/99999').set(auth(qaUser.token))).status).toBe(
      404,
    );

    const all = await fx.http().get('/api/qa/evaluations').set(auth(supervisor.token));
    expectResponse(all);
    expect(all.body.evaluations.length).toBe(3);
    const filtered = await fx
      .http()
      .get(`/api/qa/evaluations?agentId=${agentB.id}`)
      .set(auth(supervisor.token));
    expectResponse(filtered);
    expect((filtered.body.evaluations as Array<{ id: number }>).map((e) => e.id)).toEqual([
      evB.body.id,
    ]);
    const future = await fx
      .http()
      .get('/api/qa/evaluations?from=2099-01-01T00:00:00Z')
      .set(auth(supervisor.token));
    expectResponse(future);
    expect(future.body.evaluations).toEqual([]);
  });

  it('lets the evaluated agent acknowledge or dispute, once', async () => {
    const byOther = await fx
      .http()
      .post(`/api/qa/evaluations/${evaluationId}/respond`)
      .set(auth(agentB.token))
      .send({ response: 'acknowledged' });
    expectResponse(byOther);
    expect(byOther.status).toBe(403);
    const bad = await fx
      .http()
      .post(`/api/qa/evaluations/${evaluationId}/respond`)
      .set(auth(agentA.token))
      .send({ response: 'maybe' });
    expectResponse(bad);
    expect(bad.status).toBe(400);
    const res = await fx
      .http()
      .post(`/api/qa/evaluations/${evaluationId}/respond`)
      .set(auth(agentA.token))
      .send({ response: 'disputed', comment: 'The caller asked me to skip it' });
    expectResponse(res);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: evaluationId,
      agentResponse: 'disputed',
      agentComment: 'The caller asked me to skip it',
    });
    const again = await fx
      .http()
      .post(`/api/qa/evaluations/${evaluationId}/respond`)
      .set(auth(agentA.token))
      .send({ response: 'acknowledged' });
    expectResponse(again);
    expect([again.status, again.body.error.code]).toEqual([
      409,
      'HOTLINE_EVALUATION_ALREADY_RESPONDED',
    ]);
  });
});

describe('QA results', () => {
  it('aggregates per agent with an ISO-week trend', async () => {
    // results live on submitted_at: move the evaluations into two known weeks
    const evs = await fx
      .db('qa_evaluations')
      .select<Array<{ id: number; agent_id: number; score: number }>>('id', 'agent_id', 'score');
    const a = evs.filter((e) => e.agent_id === agentA.id);
    expect(a).toHaveLength(2); // 100 and a critical fail 0
    await fx
      .db('qa_evaluations')
      .where({ id: a[0]!.id })
      .update({ submitted_at: Date.parse('2026-11-08T23:00:00Z') }); // Sun W45
    await fx
      .db('qa_evaluations')
      .where({ id: a[1]!.id })
      .update({ submitted_at: Date.parse('2026-11-09T01:00:00Z') }); // Mon W46
    const b = evs.find((e) => e.agent_id === agentB.id)!;
    await fx
      .db('qa_evaluations')
      .where({ id: b.id })
      .update({ submitted_at: Date.parse('2026-11-10T10:00:00Z') });

    const res = await fx
      .http()
      .get('/api/qa/results?from=2026-11-01T00:00:00Z&to=2026-11-30T00:00:00Z')
      .set(auth(supervisor.token));
    expectResponse(res);
    expect(res.status).toBe(200);
    const scoreOf = (id: number) => evs.find((e) => e.id === id)!.score;
    expect(res.body.agents).toEqual([
      {
        agentId: agentA.id,
        agentName: 'anna name',
        evaluations: 2,
        averageScore: 50,
        criticalFails: 1,
        weeks: [
          { week: '2026-W45', evaluations: 1, averageScore: scoreOf(a[0]!.id) },
          { week: '2026-W46', evaluations: 1, averageScore: scoreOf(a[1]!.id) },
        ],
      },
      {
        agentId: agentB.id,
        agentName: 'ben name',
        evaluations: 1,
        averageScore: 87.5,
        criticalFails: 0,
        weeks: [{ week: '2026-W46', evaluations: 1, averageScore: 87.5 }],
      },
    ]);
    const narrow = await fx
      .http()
      .get('/api/qa/results?from=2026-11-09T00:00:00Z&to=2026-11-10T00:00:00Z')
      .set(auth(qaUser.token));
    expectResponse(narrow);
    expect(narrow.body.agents).toHaveLength(1);
    expect(narrow.body.agents[0]).toMatchObject({ agentId: agentA.id, evaluations: 1 });
    expect((await fx.http().get('/api/qa/results').set(auth(agentA.token))).status).toBe(403);
    expect(
      (
        await fx
          .http()
          .get('/api/qa/results?from=2026-11-10T00:00:00Z&to=2026-11-09T00:00:00Z')
          .set(auth(qaUser.token))
      ).status,
    ).toBe(400);
  });
});
