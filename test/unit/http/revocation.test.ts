import type { Socket } from 'socket.io-client';
import { appFixture, once, type AppFixture } from '../../support/app-fixture';
import { expectResponse } from '../../support/expect-response';

/**
 * Issue 9, defect 4: a session that ends (logout, password or role change, deactivation, idle
 * time) ends for every token and socket it should, and a live desktop is not logged out idle.
 */
const MIN = 60_000;
let t = Date.now();
const authClock = { now: () => t };
let fx: AppFixture;
beforeAll(async () => {
  fx = await appFixture({ authClock, idleMs: 30 * MIN });
});
afterAll(() => fx.close());

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const me = (token: string) => fx.http().get('/api/users/me').set(bearer(token));

/** A connected socket, after the state it gets at connect. */
async function connected(token: string): Promise<Socket> {
  const s = fx.socket(token);
  await once(s, 'agent:state');
  return s;
}

/**
 * The socket is told why its session ended, then disconnected by the server (call it before
 * what ends the session: the event may arrive before the HTTP answer).
 */
async function ended(s: Socket, reason: string) {
  const [told, why] = await Promise.all([
    once<{ reason: string }>(s, 'session:ended'),
    once<string>(s, 'disconnect'),
  ]);
  expect(told).toEqual({ reason });
  expect(why).toBe('io server disconnect');
}

async function login(username: string) {
  const res = await fx.http().post('/api/auth/login').send({ username, password: 'password-1' });
  expect(res.status).toBe(200);
  return res.body.token as string;
}

describe('logout', () => {
  it("ends the token and the sockets opened with it, not the user's other sessions", async () => {
    const agent = await fx.user('out-1', 'agent', '1101');
    const other = await login('out-1'); // the same agent in a second browser
    const socket = await connected(agent.token);
    const otherSocket = await connected(other);
    const closed = ended(socket, 'logout');
    await fx.http().post('/api/auth/logout').set(bearer(agent.token)).expect(204);
    await closed;
    expect((await me(agent.token)).status).toBe(401);
    expect((await me(other)).status).toBe(200);
    expect(otherSocket.connected).toBe(true);
    // The same socket cannot come back with the revoked token.
    const again = fx.socket(agent.token);
    expect((await once<Error>(again, 'connect_error')).message).toMatch(/HOTLINE_UNAUTHENTICATED/);
  });
});

describe('a socket whose session ended elsewhere', () => {
  it('cannot set the agent state (every event is checked against the session)', async () => {
    const agent = await fx.user('out-2', 'agent', '1102');
    const socket = await connected(agent.token);
    // Revoked behind this instance's back (as another instance would, without our listener).
    await fx.db('sessions').where({ user_id: agent.id }).delete();
    t += 16_000; // past the in-process cache
    const closed = ended(socket, 'expired');
    socket.emit('agent:state', { state: 'available' }, () => undefined);
    await closed;
    expect(fx.agents.get(agent.id)?.state).toBe('offline');
  });
});

describe('an admin changing a user', () => {
  async function admin() {
    const a = await fx.user(`adm-${Math.random().toString(36).slice(2, 8)}`, 'admin');
    return a;
  }

  it('ends every session and socket of a user whose password an admin changes', async () => {
    const boss = await admin();
    const agent = await fx.user('pw-1', 'agent', '1103');
    const second = await login('pw-1');
    const socket = await connected(agent.token);
    const closed = ended(socket, 'password-changed');
    const res = await fx
      .http()
      .put(`/api/users/${agent.id}`)
      .set(bearer(boss.token))
      .send({ password: 'brand-new-pw' });
    expectResponse(res);
    expect(res.status).toBe(200);
    await closed;
    expect((await me(agent.token)).status).toBe(401);
    expect((await me(second)).status).toBe(401);
    expect((await me(boss.token)).status).toBe(200);
    const fresh = await fx
      .http()
      .post('/api/auth/login')
      .send({ username: 'pw-1', password: 'brand-new-pw' });
    expect(fresh.status).toBe(200);
  });

  it('keeps the session that changed its own password, and ends the others', async () => {
    const boss = await admin();
    const elsewhere = await login(boss.username);
    const here = fx.socket(boss.token);
    const there = fx.socket(elsewhere);
    await Promise.all([once(here, 'connect'), once(there, 'connect')]);
    const closed = ended(there, 'password-changed');
    await fx
      .http()
      .put(`/api/users/${boss.id}`)
      .set(bearer(boss.token))
      .send({ password: 'my-new-password' })
      .expect(200);
    await closed;
    expect((await me(elsewhere)).status).toBe(401);
    expect((await me(boss.token)).status).toBe(200);
    expect(here.connected).toBe(true);
  });

  it('ends every session and socket of a user whose role changes', async () => {
    const boss = await admin();
    const sup = await fx.user('role-1', 'supervisor');
    const socket = fx.socket(sup.token);
    await once(socket, 'connect');
    const closed = ended(socket, 'role-changed');
    await fx
      .http()
      .put(`/api/users/${sup.id}`)
      .set(bearer(boss.token))
      .send({ role: 'agent' })
      .expect(200);
    await closed;
    expect((await me(sup.token)).status).toBe(401);
    // A change that is not the role nor the password leaves sessions alone.
    const token = await login('role-1');
    await fx
      .http()
      .put(`/api/users/${sup.id}`)
      .set(bearer(boss.token))
      .send({ name: 'Renamed', role: 'agent' })
      .expect(200);
    expect((await me(token)).body).toMatchObject({ name: 'Renamed', role: 'agent' });
  });

  it('ends every session and socket of a user who is deactivated', async () => {
    const boss = await admin();
    const agent = await fx.user('off-1', 'agent', '1104');
    const second = await login('off-1');
    const sockets = [await connected(agent.token), await connected(second)];
    const closed = Promise.all(sockets.map((s) => ended(s, 'deactivated')));
    await fx
      .http()
      .put(`/api/users/${agent.id}`)
      .set(bearer(boss.token))
      .send({ active: false })
      .expect(200);
    await closed;
    expect((await me(agent.token)).status).toBe(401);
    expect((await me(second)).status).toBe(401);
  });
});

describe('idle sessions', () => {
  it('end after auth.idleTimeoutMin without use; a connected desktop keeps its session', async () => {
    const agent = await fx.user('idle-1', 'agent', '1105');
    const desk = await login('idle-1'); // the desktop: a socket open all shift
    const stale = await login('idle-1'); // a tab closed at lunch
    const socket = await connected(desk);
    for (let i = 0; i < 5; i++) {
      t += 10 * MIN; // 50 minutes with no request at all (the fixture's sessions last 1 h)
      await fx.gateway.sweepSessions(); // the heartbeat sweep (every minute in service)
    }
    expect(socket.connected).toBe(true);
    expect((await me(desk)).status).toBe(200);
    expect((await me(stale)).status).toBe(401);
    expect((await me(agent.token)).status).toBe(401);
    // Requests count as use too.
    const busy = await login('idle-1');
    for (let i = 0; i < 2; i++) {
      t += 25 * MIN;
      expect((await me(busy)).status).toBe(200);
    }
  });

  it('closes the sockets of a session that ended while they were connected', async () => {
    const agent = await fx.user('idle-2', 'agent', '1106');
    const socket = await connected(agent.token);
    await fx
      .db('sessions')
      .where({ user_id: agent.id })
      .update({ expires_at: t - 1 }); // lifetime over
    const closed = ended(socket, 'expired');
    await fx.gateway.sweepSessions();
    await closed;
  });
});
