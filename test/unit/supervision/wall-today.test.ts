import { createDb, migrate, type Db } from '../../../src/db';
import { silentLogger } from '../../../src/shared/logger';
import { createTodayFigures } from '../../../src/supervision/wall-today';

/** Today's figures: recomputed from the calls table at most once per interval, and each new day. */
let db: Db;
let now: number;
const T0 = Date.parse('2026-03-02T15:59:59Z'); // 23:59:59 in Shanghai

beforeEach(async () => {
  db = createDb('sqlite::memory:');
  await migrate(db);
  now = T0;
});
afterEach(() => db.destroy());

const settle = (ms = 0) => new Promise((r) => setTimeout(r, ms));

function abandoned(id: string, startedAt: number) {
  return db('calls').insert({
    id,
    direction: 'inbound',
    caller_number: '139',
    dialed_number: '4000',
    queue: 'general',
    state: 'ended',
    started_at: startedAt,
    ended_at: startedAt + 30_000,
    wait_ms: 30_000,
    talk_ms: 0,
    outcome: 'abandoned',
  });
}

it('recomputes at most once per interval however often it is told, and once more after', async () => {
  let changes = 0;
  const today = createTodayFigures({
    db,
    clock: { now: () => now },
    timezone: 'Asia/Shanghai',
    shortAbandonSec: 5,
    log: silentLogger(),
    onChange: () => (changes += 1),
    minIntervalMs: 200,
  });
  await today.load();
  expect(changes).toBe(1);
  expect(today.current().queues.size).toBe(0);
  await abandoned('a1', T0 - 60_000);
  for (let i = 0; i < 50; i++) today.invalidate();
  await settle(20);
  expect(changes).toBe(1); // within the interval of the load: waits for its end
  await settle(300);
  expect(changes).toBe(2);
  expect(today.current().queues.get('general')).toMatchObject({ abandoned: 1 });
  await settle(300);
  expect(changes).toBe(2); // nothing more was asked
  today.stop();
});

it('starts a new day at local midnight with only that day’s calls', async () => {
  const today = createTodayFigures({
    db,
    clock: { now: () => now },
    timezone: 'Asia/Shanghai',
    shortAbandonSec: 5,
    log: silentLogger(),
    onChange: () => undefined,
    minIntervalMs: 10,
  });
  await abandoned('yesterday', T0 - 60_000);
  await today.load();
  expect(today.current().queues.get('general')?.abandoned).toBe(1);
  expect(today.current().day.end).toBe(T0 + 1000);
  now = T0 + 1000; // 00:00:00 the next day
  today.checkDay(now);
  await settle(50);
  expect(today.current().day.start).toBe(T0 + 1000);
  expect(today.current().queues.size).toBe(0);
  today.stop();
});
