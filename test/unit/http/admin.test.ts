import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { io as connect, type Socket } from 'socket.io-client';
import type { Role } from '../../../src/agents/users-repo';
import { loadConfig } from '../../../src/config';
import { createHotline, type Hotline } from '../../../src/hotline';
import { silentLogger } from '../../../src/shared/logger';
import { expectResponse } from '../../support/expect-response';

/**
 * The whole service in-process on a temporary SQLite file, ARI never started (its URL points
 * nowhere), so that the wiring of hotline.ts (seeding, saved dispositions) is what is tested.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-admin-'));
const env = {
  DATABASE_URL: `sqlite:${path.join(dir, 'hotline.sqlite')}`,
  ARI_URL: 'http://127.0.0.1:9',
};
let hl: Hotline;
const sockets: Socket[] = [];
beforeAll(async () => {
  hl = await createHotline(loadConfig(env), silentLogger());
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await hl.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const http = () => request(hl.app);
const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
let n = 0;
async function user(role: Role, extension: string | null = null) {
  const username = `${role}-${++n}`;
  const u = await hl.users.create({
    username,
    password: 'password-1',
    name: `${username} name`,
    role,
    extension,
  });
  hl.agents.upsertUser(u);
  const res = await http().post('/api/auth/login').send({ username, password: 'password-1' });
  expectResponse(res);
  expect(res.status).toBe(200);
  return { ...u, token: res.body.token as string };
}

describe('roles', () => {
  it('refuses every admin write to an agent and a supervisor, but lets them read queues', async () => {
    const agent = await user('agent', '2001');
    const sup = await user('supervisor');
    for (const who of [agent, sup]) {
      const writes = [
        http().put(`/api/users/${agent.id}`).set(auth(who.token)).send({ name: 'X' }),
        http().post('/api/queues').set(auth(who.token)).send({ name: 'sneaky' }),
        http().put('/api/queues/general').set(auth(who.token)).send({ ringTimeoutSec: 30 }),
        http()
          .put('/api/dispositions')
          .set(auth(who.token))
          .send({ dispositions: [{ code: 'x', label: 'X' }] }),
      ];
      for (const res of await Promise.all(writes)) {
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('HOTLINE_FORBIDDEN');
      }
    }
    expect((await http().get('/api/users').set(auth(agent.token))).status).toBe(403);
    expect((await http().get('/api/users').set(auth(sup.token))).status).toBe(200);
    const queues = await http().get('/api/queues').set(auth(agent.token));
    expectResponse(queues);
    expect(queues.status).toBe(200);
    expect(queues.body.queues).toContainEqual({
      name: 'general',
      dids: [],
      ringTimeoutSec: 15,
      ownerFirstSec: 10,
      serviceLevelSec: 20,
      skills: [],
      members: [],
      hours: [],
      timezone: 'Asia/Shanghai',
      callbackOfferAfterSec: null,
      recording: 'always',
      survey: 'off',
      serviceLevelTargetPct: 80,
      maxWaitAlertSec: 60,
      openNow: true,
    });
    expect((await http().get('/api/queues')).status).toBe(401);
  });

  it('gives agents a reduced /api/agents and supervisors the full one', async () => {
    const agent = await user('agent', '2002');
    const sup = await user('supervisor');
    const reduced = await http().get('/api/agents').set(auth(agent.token));
    expectResponse(reduced);
    expect(reduced.status).toBe(200);
    const me = (reduced.body.agents as Array<Record<string, unknown>>).find(
      (a) => a.userId === agent.id,
    );
    expect(me).toEqual({
      userId: agent.id,
      name: agent.name,
      extension: '2002',
      state: 'offline',
      activity: 'idle',
    });
    const full = await http().get('/api/agents').set(auth(sup.token));
    expectResponse(full);
    const same = (full.body.agents as Array<Record<string, unknown>>).find(
      (a) => a.userId === agent.id,
    );
    expect(same).toMatchObject({ reason: null, connected: false, callId: null });
  });
});

describe('users', () => {
  it('lists users with skills and active, never a password hash', async () => {
    const admin = await user('admin');
    const created = await http()
      .post('/api/users')
      .set(auth(admin.token))
      .send({
        username: 'with-skills',
        password: 'password-1',
        name: 'Skilled',
        role: 'agent',
        skills: ['fr', 'billing'],
      });
    expectResponse(created);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ skills: ['billing', 'fr'], active: true });
    expect(hl.agents.get(created.body.id as number)?.skills).toEqual(new Set(['billing', 'fr']));
    const res = await http().get('/api/users').set(auth(admin.token));
    expectResponse(res);
    const listed = (res.body.users as Array<Record<string, unknown>>).find(
      (u) => u.id === created.body.id,
    );
    expect(Object.keys(listed!).sort()).toEqual(
      ['active', 'createdAt', 'extension', 'id', 'name', 'role', 'skills', 'username'].sort(),
    );
    expect(JSON.stringify(res.body)).not.toMatch(/scrypt|password/i);
  });

  it('updates a user: only the fields sent, the directory follows, the new password works', async () => {
    const admin = await user('admin');
    const agent = await user('agent', '2010');
    const res = await http()
      .put(`/api/users/${agent.id}`)
      .set(auth(admin.token))
      .send({ name: 'Renamed', extension: '2011', skills: ['vip'], password: 'new-password' });
    expectResponse(res);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: agent.id,
      username: agent.username,
      name: 'Renamed',
      role: 'agent',
      extension: '2011',
      skills: ['vip'],
      active: true,
      createdAt: agent.createdAt,
    });
    expect(hl.agents.get(agent.id)).toMatchObject({ name: 'Renamed', extension: '2011' });
    expect(hl.agents.get(agent.id)?.skills).toEqual(new Set(['vip']));
    const login = await http()
      .post('/api/auth/login')
      .send({ username: agent.username, password: 'new-password' });
    expectResponse(login);
    expect(login.status).toBe(200);
    const cleared = await http()
      .put(`/api/users/${agent.id}`)
      .set(auth(admin.token))
      .send({ extension: null });
    expectResponse(cleared);
    expect(cleared.body).toMatchObject({ name: 'Renamed', extension: null, skills: ['vip'] });
  });

  it('answers a taken extension, a short password, an unknown user like create does', async () => {
    const admin = await user('admin');
    const a = await user('agent', '2020');
    const b = await user('agent', '2021');
    const taken = await http()
      .put(`/api/users/${b.id}`)
      .set(auth(admin.token))
      .send({ extension: '2020' });
    expectResponse(taken);
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('HOTLINE_EXTENSION_TAKEN');
    const short = await http()
      .put(`/api/users/${a.id}`)
      .set(auth(admin.token))
      .send({ password: 'short' });
    expectResponse(short);
    expect(short.status).toBe(400);
    expect(short.body.error.details[0].path).toBe('password');
    const missing = await http()
      .put('/api/users/999999')
      .set(auth(admin.token))
      .send({ name: 'Nobody' });
    expectResponse(missing);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('HOTLINE_USER_NOT_FOUND');
  });

  it('deactivates a user: login refused, token revoked, socket closed, no more calls', async () => {
    const admin = await user('admin');
    const agent = await user('agent', '2030');
    await http()
      .put('/api/agents/me/state')
      .set(auth(agent.token))
      .send({ state: 'available' })
      .expect(200);
    // Warm the session cache: revocation must not wait for it to expire.
    expect((await http().get('/api/users/me').set(auth(agent.token))).status).toBe(200);
    await new Promise<void>((r) => hl.server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(hl.server.address() as AddressInfo).port}`;
    const socket = connect(url, {
      auth: { token: agent.token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    sockets.push(socket);
    await new Promise((r) => socket.once('agent:state', r));
    const closed = new Promise<string>((r) => socket.once('disconnect', r));

    const res = await http()
      .put(`/api/users/${agent.id}`)
      .set(auth(admin.token))
      .send({ active: false });
    expectResponse(res);
    expect(res.status).toBe(200);
    expect(res.body.active).toBe(false);
    expect(await closed).toBe('io server disconnect');
    const me = await http().get('/api/users/me').set(auth(agent.token));
    expectResponse(me);
    expect(me.status).toBe(401);
    const login = await http()
      .post('/api/auth/login')
      .send({ username: agent.username, password: 'password-1' });
    expectResponse(login);
    expect(login.status).toBe(401);
    expect(hl.agents.get(agent.id)).toBeUndefined();
    expect(hl.agents.reserve(agent.id, 'call-x')).toBe(false);
    const state = await hl
      .db('agent_states')
      .where({ user_id: agent.id })
      .first<{ state: string; reason: string }>();
    expect(state).toMatchObject({ state: 'offline', reason: 'deactivated' });

    const back = await http()
      .put(`/api/users/${agent.id}`)
      .set(auth(admin.token))
      .send({ active: true });
    expectResponse(back);
    expect(back.body.active).toBe(true);
    expect(hl.agents.get(agent.id)).toMatchObject({ state: 'offline', extension: '2030' });
    const again = await http()
      .post('/api/auth/login')
      .send({ username: agent.username, password: 'password-1' });
    expectResponse(again);
    expect(again.status).toBe(200);
  });

  it('does not let an admin deactivate or demote themselves', async () => {
    const admin = await user('admin');
    const off = await http()
      .put(`/api/users/${admin.id}`)
      .set(auth(admin.token))
      .send({ active: false });
    expectResponse(off);
    expect(off.status).toBe(400);
    expect(off.body.error.message).toMatch(/cannot deactivate yourself/);
    const demote = await http()
      .put(`/api/users/${admin.id}`)
      .set(auth(admin.token))
      .send({ role: 'agent' });
    expectResponse(demote);
    expect(demote.status).toBe(400);
    expect(demote.body.error.details[0].path).toBe('role');
    const fine = await http()
      .put(`/api/users/${admin.id}`)
      .set(auth(admin.token))
      .send({ role: 'admin', name: 'Still Admin' });
    expectResponse(fine);
    expect(fine.status).toBe(200);
    expect(fine.body).toMatchObject({ role: 'admin', active: true, name: 'Still Admin' });
    // Another admin may demote them; that ends their sessions, the next login has the new role.
    const other = await user('admin');
    await http()
      .put(`/api/users/${admin.id}`)
      .set(auth(other.token))
      .send({ role: 'supervisor' })
      .expect(200);
    expect((await http().get('/api/users/me').set(auth(admin.token))).status).toBe(401);
    const again = await http()
      .post('/api/auth/login')
      .send({ username: admin.username, password: 'password-1' });
    expect((await http().get('/api/users/me').set(auth(again.body.token))).body.role).toBe(
      'supervisor',
    );
  });
});

describe('queues', () => {
  it('creates a queue and the call engine sees it at once', async () => {
    const admin = await user('admin');
    const member = await user('agent', '2040');
    const res = await http()
      .post('/api/queues')
      .set(auth(admin.token))
      .send({
        name: 'billing',
        dids: ['+86 400 800 1234'],
        ringTimeoutSec: 20,
        skills: ['billing'],
        members: [member.id],
        hours: ['mon-fri 08:00-18:00'],
        timezone: 'Europe/Berlin',
        callbackOfferAfterSec: 60,
      });
    expectResponse(res);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: 'billing',
      dids: ['864008001234'],
      ringTimeoutSec: 20,
      ownerFirstSec: 10,
      serviceLevelSec: 20,
      skills: ['billing'],
      members: [member.id],
      hours: ['mon-fri 08:00-18:00'],
      timezone: 'Europe/Berlin',
      callbackOfferAfterSec: 60,
    });
    expect(typeof res.body.openNow).toBe('boolean');
    const q = hl.queues.get('billing')!;
    expect(q).toMatchObject({ ringTimeoutSec: 20, timezone: 'Europe/Berlin' });
    expect(q.members).toEqual(new Set([member.id]));
    expect(q.hours).toHaveLength(1);
    expect(hl.queues.forDid('4008001234').name).toBe('billing');
    const dup = await http().post('/api/queues').set(auth(admin.token)).send({ name: 'billing' });
    expectResponse(dup);
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('HOTLINE_QUEUE_NAME_TAKEN');
  });

  it('updates only the fields sent, in place, so waiting calls see it too', async () => {
    const admin = await user('admin');
    await http()
      .post('/api/queues')
      .set(auth(admin.token))
      .send({ name: 'sales', dids: ['5000'], skills: ['sales'], hours: ['sat 09:00-12:00'] })
      .expect(201);
    const held = hl.queues.get('sales')!;
    const res = await http()
      .put('/api/queues/sales')
      .set(auth(admin.token))
      .send({ ringTimeoutSec: 45, callbackOfferAfterSec: 120 });
    expectResponse(res);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      dids: ['5000'],
      skills: ['sales'],
      hours: ['sat 09:00-12:00'],
      ringTimeoutSec: 45,
      callbackOfferAfterSec: 120,
    });
    expect(hl.queues.get('sales')).toBe(held);
    expect(held).toMatchObject({ ringTimeoutSec: 45, callbackOfferAfterSec: 120 });
    expect(held.survey).toBe('off');
    const surveyed = await http()
      .put('/api/queues/sales')
      .set(auth(admin.token))
      .send({ survey: 'after-agent-hangup' });
    expectResponse(surveyed);
    expect(surveyed.body).toMatchObject({ survey: 'after-agent-hangup', ringTimeoutSec: 45 });
    expect(held.survey).toBe('after-agent-hangup');
    const badSurvey = await http()
      .put('/api/queues/sales')
      .set(auth(admin.token))
      .send({ survey: 'always' });
    expectResponse(badSurvey);
    expect(badSurvey.status).toBe(400);
    const never = await http()
      .put('/api/queues/sales')
      .set(auth(admin.token))
      .send({ callbackOfferAfterSec: null, hours: [], dids: [] });
    expectResponse(never);
    expect(never.body).toMatchObject({
      callbackOfferAfterSec: null,
      hours: [],
      dids: [],
      openNow: true,
    });
    expect(held.callbackOfferAfterSec).toBeNull();
    expect(hl.queues.forDid('5000').name).toBe('general');
    const missing = await http()
      .put('/api/queues/nope')
      .set(auth(admin.token))
      .send({ ringTimeoutSec: 30 });
    expectResponse(missing);
    expect(missing.status).toBe(404);
  });

  it('validates like the config does', async () => {
    const admin = await user('admin');
    await http()
      .post('/api/queues')
      .set(auth(admin.token))
      .send({ name: 'support', dids: ['6000'] })
      .expect(201);
    const put = (body: object) =>
      http().put('/api/queues/general').set(auth(admin.token)).send(body);

    const hours = await put({ hours: ['mon-fri 8 to 6'] });
    expect(hours.status).toBe(400);
    expect(hours.body.error).toMatchObject({ code: 'HOTLINE_VALIDATION' });
    expect(hours.body.error.details[0]).toMatchObject({ path: 'hours' });
    expect(hours.body.error.message).toMatch(/mon-fri 08:00-18:00/);

    const tz = await put({ timezone: 'Mars/Olympus' });
    expect(tz.status).toBe(400);
    expect(tz.body.error.details[0]).toEqual({ path: 'timezone', message: 'unknown time zone' });

    const did = await put({ dids: ['4000', '60-00'] });
    expect(did.status).toBe(409);
    expect(did.body.error.code).toBe('HOTLINE_DID_TAKEN');
    expect(did.body.error.message).toMatch(/queue support/);

    const member = await put({ members: [999_999] });
    expect(member.status).toBe(400);
    expect(member.body.error.details[0].path).toBe('members');

    const ring = await put({ ringTimeoutSec: 2 });
    expect(ring.status).toBe(400);
    const name = await http()
      .post('/api/queues')
      .set(auth(admin.token))
      .send({ name: 'has space' });
    expectResponse(name);
    expect(name.status).toBe(400);

    // Nothing of the refused changes stuck.
    const general = hl.queues.view('general')!;
    expect(general).toMatchObject({ dids: [], members: [], hours: [], ringTimeoutSec: 15 });
  });
});

describe('dispositions', () => {
  it('replaces the list: GET shows it and the wrap-up accepts a new code', async () => {
    const admin = await user('admin');
    const agent = await user('agent', '2050');
    const list = [
      { code: 'sold', label: 'Sold' },
      { code: 'resolved', label: 'Resolved' },
    ];
    const res = await http()
      .put('/api/dispositions')
      .set(auth(admin.token))
      .send({ dispositions: list });
    expectResponse(res);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ dispositions: list });
    expect((await http().get('/api/dispositions').set(auth(agent.token))).body).toEqual({
      dispositions: list,
    });

    const t = Date.now() - 60_000;
    await hl.calls.open(
      {
        id: 'disp-1',
        callerNumber: '13812345678',
        callerE164: '+8613812345678',
        dialedNumber: '4000',
        channelId: 'ch-disp-1',
      },
      { at: t, data: { direction: 'inbound' } },
    );
    await hl.calls.commit(
      'disp-1',
      { type: 'answered', at: t + 1000, agentId: agent.id },
      { state: 'ended' },
    );
    const old = await http()
      .put('/api/calls/disp-1/wrapup')
      .set(auth(agent.token))
      .send({ disposition: 'wrong-number' });
    expectResponse(old);
    expect(old.status).toBe(400);
    const ok = await http()
      .put('/api/calls/disp-1/wrapup')
      .set(auth(agent.token))
      .send({ disposition: 'sold' });
    expectResponse(ok);
    expect(ok.status).toBe(200);
  });

  it('refuses an empty list and duplicate codes', async () => {
    const admin = await user('admin');
    const empty = await http()
      .put('/api/dispositions')
      .set(auth(admin.token))
      .send({ dispositions: [] });
    expectResponse(empty);
    expect(empty.status).toBe(400);
    const dup = await http()
      .put('/api/dispositions')
      .set(auth(admin.token))
      .send({
        dispositions: [
          { code: 'a', label: 'A' },
          { code: 'a', label: 'Again' },
        ],
      });
    expectResponse(dup);
    expect(dup.status).toBe(400);
    expect(dup.body.error.details[0].path).toBe('dispositions.1.code');
  });
});

describe('break reasons', () => {
  it('replaces the list (admin): GET shows it, a break takes a new reason and no longer an old one', async () => {
    const admin = await user('admin');
    const agent = await user('agent', '2060');
    const refused = await http()
      .put('/api/break-reasons')
      .set(auth(agent.token))
      .send({ reasons: [{ code: 'nap', label: 'Nap' }] });
    expect(refused.status).toBe(403);
    const reasons = [
      { code: 'lunch', label: 'Lunch' },
      { code: 'coaching', label: 'Coaching' },
    ];
    const res = await http().put('/api/break-reasons').set(auth(admin.token)).send({ reasons });
    expectResponse(res);
    expect([res.status, res.body]).toEqual([200, { reasons }]);
    expect((await http().get('/api/break-reasons').set(auth(agent.token))).body).toEqual({
      reasons,
    });
    const state = (reason: string) =>
      http().put('/api/agents/me/state').set(auth(agent.token)).send({ state: 'break', reason });
    expect((await state('coaching')).status).toBe(200);
    expect((await state('training')).status).toBe(400);
    const dup = await http()
      .put('/api/break-reasons')
      .set(auth(admin.token))
      .send({ reasons: [reasons[0], reasons[0]] });
    expect([dup.status, dup.body.error.details[0].path]).toEqual([400, 'reasons.1.code']);
  });
});

describe('after a restart', () => {
  it('keeps the admin-saved queues, dispositions and break reasons over the config', async () => {
    const admin = await user('admin');
    await http()
      .put('/api/queues/general')
      .set(auth(admin.token))
      .send({ ringTimeoutSec: 33, hours: ['mon 09:00-10:00'] })
      .expect(200);
    await http()
      .put('/api/dispositions')
      .set(auth(admin.token))
      .send({ dispositions: [{ code: 'kept', label: 'Kept' }] })
      .expect(200);
    await http()
      .put('/api/break-reasons')
      .set(auth(admin.token))
      .send({ reasons: [{ code: 'kept-break', label: 'Kept' }] })
      .expect(200);
    await hl.stop();
    hl = await createHotline(loadConfig(env), silentLogger());
    expect(hl.queues.view('general')).toMatchObject({
      ringTimeoutSec: 33,
      hours: ['mon 09:00-10:00'],
    });
    expect(hl.queues.get('billing')).toBeDefined();
    const fresh = await user('agent');
    expect((await http().get('/api/dispositions').set(auth(fresh.token))).body).toEqual({
      dispositions: [{ code: 'kept', label: 'Kept' }],
    });
    expect((await http().get('/api/break-reasons').set(auth(fresh.token))).body).toEqual({
      reasons: [{ code: 'kept-break', label: 'Kept' }],
    });
    await http()
      .put('/api/agents/me/state')
      .set(auth(fresh.token))
      .send({ state: 'break', reason: 'kept-break' })
      .expect(200);
  });
});
