import { createDb, migrate, type Db } from '../../../src/db';
import { createDailyReports, minutesOf } from '../../../src/reports/daily-report';
import { createReports } from '../../../src/reports/reports';
import { createLogger } from '../../../src/shared/logger';

/** The daily report: produced once the local time passes `reports.dailyAt`, once per day. */
let db: Db;
let now = 0;
const clock = { now: () => now };

beforeEach(async () => {
  db = createDb('sqlite::memory:');
  await migrate(db);
});
afterEach(() => db.destroy());

function daily() {
  const reports = createReports({
    db,
    clock,
    settings: () => ({
      timezone: 'Asia/Shanghai',
      shortAbandonSec: 5,
      wrapUpSec: 60,
      followUpDays: 3,
    }),
  });
  return createDailyReports({
    db,
    reports,
    clock,
    log: createLogger('silent'),
    timezone: () => 'Asia/Shanghai',
    dailyAt: '00:30',
  });
}

it('reads HH:MM', () => {
  expect(minutesOf('00:30')).toBe(30);
  expect(minutesOf('23:59')).toBe(23 * 60 + 59);
  expect(() => minutesOf('24:00')).toThrow();
});

it('produces the previous local day after 00:30 local, once', async () => {
  const d = daily();
  // 2026-03-03 00:20 in Shanghai (16:20 UTC the day before): too early.
  now = Date.parse('2026-03-02T16:20:00Z');
  expect(await d.tick()).toBeNull();
  // 00:31: the report of 2 March, once.
  now = Date.parse('2026-03-02T16:31:00Z');
  expect(await d.tick()).toBe('2026-03-02');
  expect(await d.tick()).toBeNull();
  const kept = await d.get('2026-03-02');
  expect(kept).toMatchObject({ day: '2026-03-02', timezone: 'Asia/Shanghai' });
  expect(kept?.queues).toMatchObject({ from: '2026-03-02', to: '2026-03-02', by: 'queue' });
  expect(await d.list()).toEqual([expect.objectContaining({ day: '2026-03-02' })]);
  const row = await db('daily_reports').first<{ period_start: number | string }>();
  expect(Number(row?.period_start)).toBe(Date.parse('2026-03-01T16:00:00Z'));
});
