/**
 * After-call work survives the leader: a directory loaded later (the standby taking over, or a
 * restart) puts an agent whose wrap-up has not run out back in it until the same moment, and
 * not one whose wrap-up was saved or ran out.
 */
import { createAgentDirectory } from '../../../src/agents/agent-directory';
import { createUsersRepo } from '../../../src/agents/users-repo';
import { createDb, migrate, type Db } from '../../../src/db';

let db: Db;
let t = Date.UTC(2026, 11, 2, 8, 0);
const clock = { now: () => t };

beforeEach(async () => {
  jest.useFakeTimers({ now: t, doNotFake: ['setImmediate', 'nextTick'] });
  db = createDb('sqlite::memory:');
  await migrate(db);
});
afterEach(async () => {
  jest.useRealTimers();
  await db.destroy();
});

async function agentOnCall(callId: string) {
  const users = createUsersRepo(db, clock);
  const u = await users.create({
    username: `ann-${callId}`,
    password: 'password-1',
    name: 'Ann',
    role: 'agent',
    extension: '1001',
  });
  const leader = createAgentDirectory({ db, clock });
  await leader.load();
  await leader.setState(u.id, 'available');
  expect(leader.reserve(u.id, callId)).toBe(true);
  leader.onCall(u.id, callId);
  return { id: u.id, leader };
}

it('a new leader puts the agent back in the wrap-up the dead one started, until the same end', async () => {
  const { id, leader } = await agentOnCall('call-1');
  await leader.release(id, 'call-1', true, 60_000);
  expect(leader.get(id)).toMatchObject({ activity: 'wrap-up', wrapUpUntil: t + 60_000 });
  leader.stop(); // the leader dies: its timers with it

  t += 20_000;
  jest.setSystemTime(t);
  const next = createAgentDirectory({ db, clock });
  const freed: number[] = [];
  next.onFree((a) => freed.push(a.userId));
  await next.load();
  expect(next.get(id)).toMatchObject({
    activity: 'wrap-up',
    callId: 'call-1',
    wrapUpUntil: t + 40_000,
    state: 'available',
  });
  expect(next.reserve(id, 'call-2')).toBe(false); // not offered calls meanwhile

  t += 40_000;
  jest.advanceTimersByTime(40_000);
  expect(next.get(id)).toMatchObject({ activity: 'idle', callId: null, wrapUpUntil: null });
  expect(freed).toEqual([id]);
  next.stop();
});

it('a wrap-up saved (or run out) is not restored', async () => {
  const { id, leader } = await agentOnCall('call-3');
  await leader.release(id, 'call-3', true, 60_000);
  leader.endWrapUp(id, 'call-3'); // saved early
  // Its write is fire-and-forget: let it land.
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  leader.stop();
  const next = createAgentDirectory({ db, clock });
  await next.load();
  expect(next.get(id)).toMatchObject({ activity: 'idle', wrapUpUntil: null });

  // Past its end: nothing to restore either.
  await next.setState(id, 'available');
  expect(next.reserve(id, 'call-4')).toBe(true);
  next.onCall(id, 'call-4');
  await next.release(id, 'call-4', true, 10_000);
  next.stop();
  t += 11_000;
  jest.setSystemTime(t);
  const later = createAgentDirectory({ db, clock });
  await later.load();
  expect(later.get(id)).toMatchObject({ activity: 'idle' });
  later.stop();
});
