/**
 * The survey's figures (src/calls/survey-stats.ts): callers asked, scores given, average and
 * response rate over calls started in a period, per queue and overall; calls recorded through
 * the calls repository as the engine records them.
 */
import { createCallsRepo } from '../../../src/calls/calls-repo';
import { createSurveyStats } from '../../../src/calls/survey-stats';
import { createDb, migrate, type Db } from '../../../src/db';

let db: Db;
const T0 = Date.parse('2026-12-02T00:00:00Z');
const MIN = 60_000;

beforeAll(async () => {
  db = createDb('sqlite::memory:');
  await migrate(db);
  const calls = createCallsRepo(db);
  let n = 0;
  /** A call of `queue` started at T0 + `min` minutes; surveyed when `score` is not undefined. */
  const call = async (queue: string, min: number, score?: number | null) => {
    const id = `c${++n}`;
    const at = T0 + min * MIN;
    await calls.open(
      { id, callerNumber: '1380000', callerE164: null, dialedNumber: '4000', channelId: id },
      { at, data: { direction: 'inbound', queue } },
    );
    await calls.commit(id, { type: 'answered', at: at + 5000, agentId: null });
    if (score !== undefined) {
      await calls.commit(id, { type: 'survey-started', at: at + 60_000 }, { state: 'surveying' });
      await calls.commit(
        id,
        score === null
          ? { type: 'survey-unanswered', at: at + 70_000, data: { reason: 'no-answer' } }
          : { type: 'survey-answered', at: at + 65_000, data: { score } },
      );
    }
    await calls.commit(id, { type: 'ended', at: at + 80_000, data: { outcome: 'answered' } });
  };
  await call('general', 10, 5);
  await call('general', 20, 2);
  await call('general', 30, null);
  await call('general', 40); // not asked (the caller hung up first, or no survey)
  await call('billing', 50, 4);
  await call('general', -10, 1); // the day before
  await call('general', 24 * 60 + 1, 1); // the day after
});
afterAll(() => db.destroy());

it("gives the period's asked, answered, average score and response rate, per queue and overall", async () => {
  const day = await createSurveyStats(db).between(T0, T0 + 24 * 60 * MIN);
  expect(day).toEqual({
    asked: 4,
    answered: 3,
    averageScore: 3.67,
    responseRate: 0.75,
    queues: [
      { queue: 'billing', asked: 1, answered: 1, averageScore: 4, responseRate: 1 },
      { queue: 'general', asked: 3, answered: 2, averageScore: 3.5, responseRate: 0.667 },
    ],
  });
});

it('says nothing is known when nobody was asked', async () => {
  const none = await createSurveyStats(db).between(T0 - 100 * MIN, T0 - 20 * MIN);
  expect(none).toEqual({
    asked: 0,
    answered: 0,
    averageScore: null,
    responseRate: null,
    queues: [],
  });
});
