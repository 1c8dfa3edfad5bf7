import { createSessions, type Revocation } from '../../../src/agents/sessions';
import { createUsersRepo } from '../../../src/agents/users-repo';
import { createDb, migrate, type Db } from '../../../src/db';

const MIN = 60_000;
let db: Db;
let t = Date.UTC(2026, 0, 5, 8, 0);
const clock = { now: () => t };

beforeAll(async () => {
  db = createDb('sqlite::memory:');
  await migrate(db);
});
afterAll(() => db.destroy());

let n = 0;
async function setup(opts: { idleMs?: number; ttlMs?: number } = {}) {
  const users = createUsersRepo(db, clock);
  const sessions = createSessions({
    db,
    users,
    clock,
    ttlMs: opts.ttlMs ?? 12 * 60 * MIN,
    idleMs: opts.idleMs ?? 30 * MIN,
  });
  const revoked: Revocation[] = [];
  sessions.onRevoked((r) => revoked.push(r));
  const u = await users.create({
    username: `s-${++n}`,
    password: 'password-1',
    name: 'S',
    role: 'agent',
  });
  return { users, sessions, revoked, u };
}

describe('sessions', () => {
  it('end after the idle time without use, and use keeps them going', async () => {
    const { sessions, u } = await setup();
    const token = await sessions.issue(u.id);
    t += 29 * MIN;
    expect((await sessions.resolve(token))?.id).toBe(u.id); // used: the idle time starts again
    t += 29 * MIN;
    expect((await sessions.resolve(token))?.id).toBe(u.id);
    t += 31 * MIN;
    expect(await sessions.resolve(token)).toBeNull();
    // and stays ended when used again
    expect(await sessions.resolve(token)).toBeNull();
  });

  it('are kept alive by connected sockets (keepAlive), but not past their lifetime', async () => {
    const { sessions, u } = await setup({ ttlMs: 2 * 60 * MIN });
    const token = await sessions.issue(u.id);
    const id = (await sessions.session(token))!.id;
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(id).not.toContain(token);
    for (let i = 0; i < 6; i++) {
      t += 15 * MIN;
      expect([...(await sessions.keepAlive([id, 'f'.repeat(64)]))]).toEqual([id]);
    }
    expect((await sessions.check(id))?.user.id).toBe(u.id); // 90 min, never idle for 30
    t += 31 * MIN;
    expect([...(await sessions.keepAlive([id]))]).toEqual([]); // 121 min: past the 2 h lifetime
    expect(await sessions.resolve(token)).toBeNull();
  });

  it('write use at most about once a minute', async () => {
    const { sessions, u } = await setup();
    const token = await sessions.issue(u.id);
    const seen = async () =>
      Number((await db('sessions').where('user_id', u.id).first('last_seen_at')).last_seen_at);
    const issuedAt = t;
    t += 10_000;
    await sessions.resolve(token);
    expect(await seen()).toBe(issuedAt);
    t += 60_000;
    await sessions.resolve(token);
    expect(await seen()).toBe(t);
  });

  it('revokeUser ends every session of the user but the one kept, and says so', async () => {
    const { sessions, revoked, u } = await setup();
    const [a, b, c] = [
      await sessions.issue(u.id),
      await sessions.issue(u.id),
      await sessions.issue(u.id),
    ];
    for (const x of [a, b, c]) expect(await sessions.resolve(x)).not.toBeNull(); // cached
    await sessions.revokeUser(u.id, { reason: 'password-changed', keep: b });
    expect(await sessions.resolve(a)).toBeNull();
    expect((await sessions.resolve(b))?.id).toBe(u.id);
    expect(await sessions.resolve(c)).toBeNull();
    const keep = (await sessions.session(b))!.id;
    expect(revoked).toEqual([{ kind: 'user', userId: u.id, keep, reason: 'password-changed' }]);
    await sessions.revokeUser(u.id, { reason: 'role-changed' });
    expect(await sessions.resolve(b)).toBeNull();
    await sessions.revoke(a);
    expect(revoked.at(-1)).toMatchObject({ kind: 'session', reason: 'logout' });
  });

  it('refuse a deactivated user at once, cache or not', async () => {
    const { sessions, users, u } = await setup();
    const token = await sessions.issue(u.id);
    expect(await sessions.resolve(token)).not.toBeNull();
    await users.update(u.id, { active: false });
    await sessions.revokeUser(u.id, { reason: 'deactivated' });
    expect(await sessions.resolve(token)).toBeNull();
  });

  it('drop the rows of ended sessions at the next login', async () => {
    const { sessions, u } = await setup();
    await sessions.issue(u.id);
    t += 31 * MIN;
    await sessions.issue(u.id);
    expect(await db('sessions').where('user_id', u.id).count({ n: '*' })).toEqual([{ n: 1 }]);
  });
});
