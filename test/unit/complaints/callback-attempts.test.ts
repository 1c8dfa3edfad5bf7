import { createDb, migrate, type Db } from '../../../src/db';
import { createTasksRepo, type TasksRepo } from '../../../src/complaints/tasks-repo';

let db: Db;
let tasks: TasksRepo;
const T0 = Date.parse('2026-11-24T02:00:00Z');
const MIN = 60_000;

beforeEach(async () => {
  db = createDb('sqlite::memory:');
  await migrate(db);
  tasks = createTasksRepo(db);
});
afterEach(() => db.destroy());

const callback = (o: { dueAt?: number; queue?: string | null; phone?: string | null } = {}) =>
  tasks.create({
    kind: 'callback',
    customerId: null,
    phone: o.phone === undefined ? '+8613955550000' : o.phone,
    queue: o.queue === undefined ? 'general' : o.queue,
    assignedUserId: null,
    dueAt: o.dueAt ?? T0,
    now: T0,
  });

describe('queued call-backs', () => {
  it('lists only open call-backs that are due, have a queue and a number, oldest first', async () => {
    const later = await callback({ dueAt: T0 + 10 * MIN });
    const second = await callback({ dueAt: T0 - MIN });
    const first = await callback({ dueAt: T0 - 5 * MIN });
    await callback({ queue: null });
    await callback({ phone: null });
    await tasks.create({
      kind: 'complaint-follow-up',
      customerId: null,
      phone: '+8613955550000',
      queue: 'general',
      assignedUserId: null,
      dueAt: T0 - MIN,
      now: T0,
    });
    expect((await tasks.dueCallbacks(T0, 10)).map((t) => t.id)).toEqual([first, second]);
    expect((await tasks.dueCallbacks(T0 + 10 * MIN, 10)).map((t) => t.id)).toContain(later);
  });

  it('retries after the delay, then gives up after the last attempt', async () => {
    const id = await callback();
    const attempt = (at: number, reached = false) =>
      tasks.recordAttempt(id, { reached, at, retryMs: 15 * MIN, maxAttempts: 3, callId: 'c' });
    expect(await attempt(T0)).toBe(1);
    expect(await tasks.dueCallbacks(T0 + 14 * MIN, 10)).toEqual([]);
    expect((await tasks.dueCallbacks(T0 + 15 * MIN, 10)).map((t) => t.id)).toEqual([id]);
    expect(await attempt(T0 + 15 * MIN)).toBe(2);
    expect(await attempt(T0 + 30 * MIN)).toBe(3);
    const done = await tasks.get(id, T0 + 30 * MIN);
    expect(done).toMatchObject({ status: 'done', result: 'no-answer' });
    expect(await tasks.dueCallbacks(T0 + 60 * MIN, 10)).toEqual([]);
  });

  it('is done as reached when the customer answers', async () => {
    const id = await callback();
    await tasks.recordAttempt(id, {
      reached: true,
      at: T0,
      retryMs: MIN,
      maxAttempts: 3,
      callId: 'c',
    });
    expect(await tasks.get(id, T0)).toMatchObject({ status: 'done', result: 'reached' });
  });
});
