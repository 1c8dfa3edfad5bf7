import { appFixture, type AppFixture } from '../../support/app-fixture';
import { expectResponse } from '../../support/expect-response';

let fx: AppFixture;
beforeAll(async () => {
  fx = await appFixture();
});
afterAll(() => fx.close());

describe('auth', () => {
  it('logs in with the contract shape and refuses bad credentials alike', async () => {
    const admin = await fx.user('root', 'admin');
    expect(admin.token).toMatch(/^[\w-]{40,}$/);
    const ok = await fx
      .http()
      .post('/api/auth/login')
      .send({ username: 'root', password: 'password-1' });
    expectResponse(ok);
    expect(ok.status).toBe(200);
    expect(ok.body.user).toEqual({
      id: admin.id,
      username: 'root',
      name: 'root name',
      role: 'admin',
      extension: null,
    });
    const wrong = await fx
      .http()
      .post('/api/auth/login')
      .send({ username: 'root', password: 'nope' });
    expectResponse(wrong);
    const unknown = await fx
      .http()
      .post('/api/auth/login')
      .send({ username: 'ghost', password: 'nope' });
    expectResponse(unknown);
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.error.code).toBe('HOTLINE_BAD_CREDENTIALS');
  });

  it('needs a bearer token on every other route', async () => {
    for (const path of [
      '/api/calls',
      '/api/customers?phone=13812345678',
      '/api/users',
      '/api/agents/me',
    ]) {
      const res = await fx.http().get(path);
      expectResponse(res);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('HOTLINE_UNAUTHENTICATED');
    }
    const bad = await fx.http().get('/api/calls').set('Authorization', 'Bearer forged');
    expectResponse(bad);
    expect(bad.status).toBe(401);
  });

  it('revokes a token at logout', async () => {
    const u = await fx.user('leaver', 'agent');
    expect(
      (await fx.http().get('/api/users/me').set('Authorization', `Bearer ${u.token}`)).status,
    ).toBe(200);
    await fx.http().post('/api/auth/logout').set('Authorization', `Bearer ${u.token}`).expect(204);
    expect(
      (await fx.http().get('/api/users/me').set('Authorization', `Bearer ${u.token}`)).status,
    ).toBe(401);
  });

  it('answers malformed JSON with the error shape, not a stack trace', async () => {
    const res = await fx
      .http()
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"username":');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('HOTLINE_VALIDATION');
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts:\d+/);
    expectResponse(res);
  });
});

describe('users', () => {
  it('lets only an admin create users, and validates them', async () => {
    const admin = await fx.user('boss', 'admin');
    const agent = await fx.user('ann', 'agent', '1001');
    const body = {
      username: 'bob',
      password: 'long-enough',
      name: 'Bob',
      role: 'agent',
      extension: '1002',
    };
    const denied = await fx
      .http()
      .post('/api/users')
      .set('Authorization', `Bearer ${agent.token}`)
      .send(body);
    expectResponse(denied);
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('HOTLINE_FORBIDDEN');
    const created = await fx
      .http()
      .post('/api/users')
      .set('Authorization', `Bearer ${admin.token}`)
      .send(body);
    expectResponse(created);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ username: 'bob', role: 'agent', extension: '1002' });
    expect(created.body.passwordHash).toBeUndefined();
    expect(created.body.password_hash).toBeUndefined();
    const dup = await fx
      .http()
      .post('/api/users')
      .set('Authorization', `Bearer ${admin.token}`)
      .send(body);
    expectResponse(dup);
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('HOTLINE_USERNAME_TAKEN');
    const sameExt = await fx
      .http()
      .post('/api/users')
      .set('Authorization', `Bearer ${admin.token}`)
      .send({ ...body, username: 'bob2' });
    expectResponse(sameExt);
    expect(sameExt.body.error.code).toBe('HOTLINE_EXTENSION_TAKEN');
    const badRole = await fx
      .http()
      .post('/api/users')
      .set('Authorization', `Bearer ${admin.token}`)
      .send({ ...body, username: 'carl', role: 'god', extension: null });
    expectResponse(badRole);
    expect(badRole.status).toBe(400);
    expect(badRole.body.error.details[0].path).toBe('role');
  });

  it('answers an unknown /api route with HOTLINE_NOT_FOUND, a missing record with its own code', async () => {
    const admin = await fx.user('rita', 'admin', null);
    const auth = { Authorization: `Bearer ${admin.token}` };
    const route = await fx.http().get('/api/no-such-thing').set(auth);
    expect([route.status, route.body.error.code]).toEqual([404, 'HOTLINE_NOT_FOUND']);
    const user = await fx.http().put('/api/users/99999').set(auth).send({ name: 'x' });
    expect([user.status, user.body.error.code]).toEqual([404, 'HOTLINE_USER_NOT_FOUND']);
  });
});

describe('customers', () => {
  it('creates a customer and finds it by any form of its number', async () => {
    const agent = await fx.user('cara', 'agent', '1003');
    const sup = await fx.user('cara-sup', 'supervisor');
    const auth = { Authorization: `Bearer ${agent.token}` };
    // Tier and owner: a supervisor's (or admin's) to set.
    const res = await fx
      .http()
      .post('/api/customers')
      .set({ Authorization: `Bearer ${sup.token}` })
      .send({
        name: '王小明',
        company: 'ACME',
        tier: 'vip',
        phones: ['138 1234 5678', '+86 10 8765 4321'],
        ownerUserId: agent.id,
      });
    expectResponse(res);
    expect(res.status).toBe(201);
    expect((res.body.phones as Array<{ e164: string }>).map((p) => p.e164)).toEqual([
      '+8613812345678',
      '+861087654321',
    ]);
    for (const form of [
      '+8613812345678',
      '013812345678',
      '008613812345678',
      '138-1234-5678',
      '8613812345678',
    ]) {
      const found = await fx.http().get('/api/customers').query({ phone: form }).set(auth);
      expectResponse(found);
      expect(found.status).toBe(200);
      expect((found.body.customers as Array<{ id: number }>).map((c) => c.id)).toEqual([
        res.body.id,
      ]);
    }
  });

  it('refuses a bad number naming which one', async () => {
    const agent = await fx.user('dan', 'agent');
    const res = await fx
      .http()
      .post('/api/customers')
      .set('Authorization', `Bearer ${agent.token}`)
      .send({ name: 'X', phones: ['13812345678', 'call me'] });
    expectResponse(res);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'HOTLINE_BAD_PHONE_NUMBER',
      details: { path: 'phones.1' },
    });
    const noPhones = await fx
      .http()
      .post('/api/customers')
      .set('Authorization', `Bearer ${agent.token}`)
      .send({ name: 'X', phones: [] });
    expectResponse(noPhones);
    expect(noPhones.status).toBe(400);
  });

  it('keeps QA staff from editing customers', async () => {
    const qa = await fx.user('quinn', 'qa');
    const res = await fx
      .http()
      .post('/api/customers')
      .set('Authorization', `Bearer ${qa.token}`)
      .send({ name: 'X', phones: ['13812345678'] });
    expectResponse(res);
    expect(res.status).toBe(403);
  });
});

describe('agent activity', () => {
  it('pushes offered, on-call and wrap-up to the agent as they happen', async () => {
    const agent = await fx.user('act', 'agent', '1041');
    await fx.agents.setState(agent.id, 'available');
    const socket = fx.socket(agent.token);
    await new Promise((r) => socket.once('agent:state', r)); // the state at connect
    const next = () =>
      new Promise<{ activity: string; wrapUpUntil: string | null }>((resolve) =>
        socket.once('agent:state', resolve),
      );
    let pushed = next();
    expect(fx.agents.reserve(agent.id, 'act-call')).toBe(true);
    expect((await pushed).activity).toBe('offered');
    pushed = next();
    fx.agents.onCall(agent.id, 'act-call');
    expect((await pushed).activity).toBe('on-call');
    pushed = next();
    await fx.agents.release(agent.id, 'act-call', true, 30_000);
    const wrap = await pushed;
    expect(wrap.activity).toBe('wrap-up');
    const me = await fx.http().get('/api/agents/me').set('Authorization', `Bearer ${agent.token}`);
    expectResponse(me);
    expect(me.body).toMatchObject({ activity: 'wrap-up', wrapUpUntil: wrap.wrapUpUntil });
    fx.agents.endWrapUp(agent.id, 'act-call');
  });
});

describe('agent state and health', () => {
  it('sets my state and pushes it to my sockets', async () => {
    const agent = await fx.user('eve', 'agent', '1004');
    const socket = fx.socket(agent.token);
    const first = await new Promise<{ state: string }>((resolve) =>
      socket.once('agent:state', resolve),
    );
    expect(first.state).toBe('offline');
    const pushed = new Promise<{ state: string; reason: string }>((resolve) =>
      socket.once('agent:state', resolve),
    );
    const res = await fx
      .http()
      .put('/api/agents/me/state')
      .set('Authorization', `Bearer ${agent.token}`)
      .send({ state: 'break', reason: 'lunch' });
    expectResponse(res);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: 'break', reason: 'lunch', connected: true });
    expect(await pushed).toMatchObject({ state: 'break', reason: 'lunch' });
    const bad = await fx
      .http()
      .put('/api/agents/me/state')
      .set('Authorization', `Bearer ${agent.token}`)
      .send({ state: 'asleep' });
    expectResponse(bad);
    expect(bad.status).toBe(400);
  });

  it('refuses a socket.io connection with a bad token', async () => {
    const socket = fx.socket('not-a-token');
    const err = await new Promise<Error & { data?: { code: string } }>((resolve) =>
      socket.once('connect_error', resolve),
    );
    expect(err.message).toMatch(/HOTLINE_UNAUTHENTICATED/);
    expect(err.data?.code).toBe('HOTLINE_UNAUTHENTICATED');
    expect(socket.connected).toBe(false);
  });

  it('says in /healthz whether ARI and the database are up', async () => {
    fx.health.ari = true;
    expect((await fx.http().get('/healthz')).body).toEqual({ ok: true, ari: true, database: true });
    fx.health.ari = false;
    const down = await fx.http().get('/healthz');
    expectResponse(down);
    expect(down.status).toBe(503);
    expect(down.body.ari).toBe(false);
  });

  it('says in /healthz whether it leads; a standby needs no ARI link and is healthy', async () => {
    try {
      Object.assign(fx.health, { ari: false, role: 'standby', epoch: null, redis: true });
      const standby = await fx.http().get('/healthz');
      expectResponse(standby);
      expect(standby.status).toBe(200);
      expect(standby.body).toEqual({
        ok: true,
        ari: false,
        database: true,
        role: 'standby',
        epoch: null,
        redis: true,
      });
      // A leader without its ARI link is not healthy; neither is anyone without the database.
      Object.assign(fx.health, { role: 'leader', epoch: 4 });
      expect((await fx.http().get('/healthz')).status).toBe(503);
      Object.assign(fx.health, { ari: true });
      expect((await fx.http().get('/healthz')).body).toMatchObject({ ok: true, epoch: 4 });
      Object.assign(fx.health, { role: 'standby', ari: false, database: false });
      expect((await fx.http().get('/healthz')).status).toBe(503);
    } finally {
      Object.assign(fx.health, { ari: true, database: true });
      for (const k of ['role', 'epoch', 'redis'] as const) delete fx.health[k];
    }
  });

  it('is ready (/readyz) when the database and, if configured, Redis answer: leader or standby', async () => {
    try {
      const plain = await fx.http().get('/readyz');
      expectResponse(plain);
      expect([plain.status, plain.body]).toEqual([200, { ready: true, database: true }]);
      Object.assign(fx.health, { ari: false, role: 'standby', epoch: null, redis: true });
      const standby = await fx.http().get('/readyz');
      expect([standby.status, standby.body]).toEqual([
        200,
        { ready: true, database: true, redis: true, role: 'standby' },
      ]);
      expect(standby.headers['cache-control']).toMatch(/no-store/);
      fx.health.redis = false;
      const noRedis = await fx.http().get('/readyz');
      expectResponse(noRedis);
      expect([noRedis.status, noRedis.body.ready]).toEqual([503, false]);
      Object.assign(fx.health, { redis: true, database: false });
      expect((await fx.http().get('/readyz')).status).toBe(503);
    } finally {
      Object.assign(fx.health, { ari: true, database: true });
      for (const k of ['role', 'epoch', 'redis'] as const) delete fx.health[k];
    }
  });

  it('publishes an OpenAPI description naming the contract routes', async () => {
    const res = await fx.http().get('/api/openapi.json');
    expectResponse(res);
    expect(res.status).toBe(200);
    for (const p of [
      '/api/auth/login',
      '/api/users',
      '/api/customers',
      '/api/agents/me/state',
      '/api/calls',
      '/api/calls/{id}',
      '/api/calls/{id}/transfer',
      '/api/calls/{id}/transfer/complete',
      '/api/calls/{id}/wrapup',
      '/api/complaints',
      '/api/tasks/{id}',
      '/api/queues/{name}',
    ]) {
      expect(res.body.paths).toHaveProperty([p]);
    }
    expect(
      res.body.paths['/api/customers'].post.requestBody.content['application/json'].schema.required,
    ).toContain('phones');
    expect(
      res.body.paths['/api/calls/{id}/transfer'].post.requestBody.content['application/json'].schema
        .required,
    ).toEqual(['mode', 'target']);
  });
});

describe('screen-pop delivery', () => {
  const pop = (callId: string) => ({
    callId,
    direction: 'inbound' as const,
    callerNumber: '+8613812345678',
    dialedNumber: '4000',
    customer: null,
    candidates: [],
    history: [],
    openComplaints: [],
    queue: 'general',
    waitedMs: 0,
    sentAt: new Date().toISOString(),
  });

  it('waits for the browser to acknowledge the pop, and reports when nobody did', async () => {
    const agent = await fx.user('pia', 'agent', '1010');
    expect(await fx.gateway.pop(agent.id, pop('c-none'), 50)).toEqual({ acked: false });
    const socket = fx.socket(agent.token);
    await new Promise((r) => socket.once('agent:state', r));
    socket.on('screenpop', (_p: unknown, ack: () => void) => ack());
    expect(await fx.gateway.pop(agent.id, pop('c-ack'), 1000)).toEqual({ acked: true });
  });

  it('delivers the pop of a live call to a browser that reconnects, until the call ends for the agent', async () => {
    const agent = await fx.user('rex', 'agent', '1011');
    void fx.gateway.pop(agent.id, pop('c-live'), 10); // the browser is away (reconnecting)
    fx.gateway.update(agent.id, {
      callId: 'c-live',
      state: 'answered',
      at: new Date().toISOString(),
    });
    const socket = fx.socket(agent.token);
    const [received, update] = await Promise.all([
      new Promise<{ callId: string }>((r) => socket.once('screenpop', r)),
      new Promise<{ state: string }>((r) => socket.once('call:update', r)),
    ]);
    expect(received.callId).toBe('c-live');
    expect(update.state).toBe('answered');
    socket.disconnect();

    fx.gateway.update(agent.id, { callId: 'c-live', state: 'ended', at: new Date().toISOString() });
    const later = fx.socket(agent.token);
    const got: string[] = [];
    later.on('screenpop', (p: { callId: string }) => got.push(p.callId));
    await new Promise((r) => later.once('agent:state', r));
    await new Promise((r) => setTimeout(r, 100));
    expect(got).toEqual([]);
  });

  it("never sends one agent's pop to another agent", async () => {
    const a = await fx.user('sam', 'agent', '1012');
    const b = await fx.user('tia', 'agent', '1013');
    const sb = fx.socket(b.token);
    const got: string[] = [];
    sb.on('screenpop', (p: { callId: string }) => got.push(p.callId));
    await new Promise((r) => sb.once('agent:state', r));
    await fx.gateway.pop(a.id, pop('c-for-a'), 50);
    await new Promise((r) => setTimeout(r, 100));
    expect(got).toEqual([]);
  });
});
