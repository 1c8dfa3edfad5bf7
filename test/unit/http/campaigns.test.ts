import request from 'supertest';
import { createAgentDirectory } from '../../../src/agents/agent-directory';
import { createLoginThrottle, createMemoryCounterStore } from '../../../src/agents/login-throttle';
import { createSessions } from '../../../src/agents/sessions';
import { createUsersRepo, type Role } from '../../../src/agents/users-repo';
import { createApp } from '../../../src/app';
import { createCallsRepo } from '../../../src/calls/calls-repo';
import { createCustomersRepo } from '../../../src/customers/customers-repo';
import { createDb, migrate, type Db } from '../../../src/db';
import {
  createCampaignsRepo,
  type CampaignsRepo,
} from '../../../src/outbound/campaigns/campaigns-repo';
import { createDncRepo } from '../../../src/outbound/dnc/dnc-repo';
import { createQueues } from '../../../src/routing/queues';
import { systemClock } from '../../../src/shared/clock';
import { silentLogger } from '../../../src/shared/logger';
import { expectResponse } from '../../support/expect-response';

/** The HTTP app with the outbound routes on an in-memory SQLite database (no call engine). */
let db: Db;
let app: ReturnType<typeof createApp>;
let campaigns: CampaignsRepo;
const onChange = jest.fn();
type U = { id: number; token: string };
let admin: U;
let sup: U;
let qa: U;
let member: U; // agent, member of queue "sales"
let outsider: U; // agent, member of no queue with members
let n = 0;

const http = () => request(app.app);
const auth = (u: U) => ({ Authorization: `Bearer ${u.token}` });

async function user(role: Role): Promise<U> {
  const users = createUsersRepo(db, systemClock);
  const username = `${role}-${++n}`;
  const u = await users.create({
    username,
    password: 'password-1',
    name: username,
    role,
    extension: null,
  });
  const res = await http().post('/api/auth/login').send({ username, password: 'password-1' });
  expectResponse(res);
  return { id: u.id, token: res.body.token as string };
}

beforeAll(async () => {
  db = createDb('sqlite::memory:');
  await migrate(db);
  const clock = systemClock;
  const users = createUsersRepo(db, clock);
  const queues = createQueues({ db, clock, defaultQueue: 'general', defaultRingTimeoutSec: 15 });
  await queues.sync([{ name: 'general' }, { name: 'sales' }]);
  campaigns = createCampaignsRepo(db, clock);
  app = createApp({
    users,
    sessions: createSessions({ db, users, clock, ttlMs: 3_600_000 }),
    loginThrottle: createLoginThrottle({
      store: createMemoryCounterStore(clock),
      clock,
      limits: { maxFailuresPerUser: 5, maxFailuresPerAddress: 50, windowMs: 900_000 },
    }),
    customers: createCustomersRepo(db, clock),
    agents: createAgentDirectory({ db, clock }),
    calls: createCallsRepo(db),
    clock,
    log: silentLogger(),
    defaultRegion: 'CN',
    version: 'test',
    health: () => Promise.resolve({ ari: true, database: true }),
    outboundDeps: {
      campaigns,
      dnc: createDncRepo(db, clock),
      queues,
      defaultRegion: 'CN',
      onChange,
    },
  });
  admin = await user('admin');
  sup = await user('supervisor');
  qa = await user('qa');
  member = await user('agent');
  outsider = await user('agent');
  const other = await user('agent');
  await queues.update('sales', { members: [member.id] });
  await queues.create('closed', { members: [other.id] });
});
afterAll(async () => {
  await new Promise<void>((r) => void app.io.close(() => r()));
  await db.destroy();
});
beforeEach(() => onChange.mockClear());

const body = (o: Record<string, unknown> = {}) => ({
  name: `Campaign ${++n}`,
  queue: 'sales',
  mode: 'preview',
  hours: { from: '09:00', to: '18:00', days: 'mon-fri' },
  timezone: 'Asia/Shanghai',
  callerId: '+861088880000',
  ...o,
});

async function created(o: Record<string, unknown> = {}) {
  const res = await http().post('/api/campaigns').set(auth(sup)).send(body(o));
  expectResponse(res);
  expect(res.status).toBe(201);
  return res.body as { id: number; name: string; status: string };
}

describe('campaign management', () => {
  it('creates a campaign (supervisor, admin) with the spec defaults', async () => {
    const res = await http()
      .post('/api/campaigns')
      .set(auth(admin))
      .send(body({ name: 'Winter', script: 'Hello {{firstName}}' }));
    expectResponse(res);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(Number),
      name: 'Winter',
      queue: 'sales',
      mode: 'preview',
      status: 'draft',
      hours: { from: '09:00', to: '18:00', days: 'mon-fri' },
      timezone: 'Asia/Shanghai',
      maxAttempts: 3,
      retryMinutes: { busy: 10, noAnswer: 60, failed: 30, machine: 240 },
      callerId: '+861088880000',
      script: 'Hello {{firstName}}',
      dispositions: [
        { code: 'sale', label: 'Sale', final: true, success: true },
        { code: 'not-interested', label: 'Not interested', final: true },
        { code: 'call-back', label: 'Call back', final: false, callback: true },
        { code: 'wrong-number', label: 'Wrong number', final: true },
        { code: 'do-not-call', label: 'Do not call', final: true, dnc: true },
      ],
      recording: 'always',
      abandonCapPct: 3,
      amd: false,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
    });
    const dup = await http()
      .post('/api/campaigns')
      .set(auth(sup))
      .send(body({ name: 'Winter' }));
    expectResponse(dup);
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('HOTLINE_CAMPAIGN_NAME_TAKEN');
  });

  it('refuses agents and qa, and unauthenticated requests', async () => {
    for (const who of [member, qa]) {
      const res = await http().post('/api/campaigns').set(auth(who)).send(body());
      expectResponse(res);
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('HOTLINE_FORBIDDEN');
    }
    expect((await http().post('/api/campaigns').send(body())).status).toBe(401);
    const c = await created();
    for (const path of ['start', 'pause', 'stop'])
      expect((await http().post(`/api/campaigns/${c.id}/${path}`).set(auth(member))).status).toBe(
        403,
      );
    expect(
      (await http().put(`/api/campaigns/${c.id}`).set(auth(member)).send({ mode: 'predictive' }))
        .status,
    ).toBe(403);
    expect((await http().get(`/api/campaigns/${c.id}/contacts`).set(auth(member))).status).toBe(
      403,
    );
    expect((await http().get('/api/campaigns').set(auth(qa))).status).toBe(403);
  });

  it('validates the body with the contract’s error shape', async () => {
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ mode: 'robotic' }, 'mode'],
      [{ hours: { from: '18:00', to: '09:00' } }, 'hours'],
      [{ hours: { from: '9', to: '18:00' } }, 'hours.from'],
      [{ timezone: 'Mars/Olympus' }, 'timezone'],
      [{ queue: 'nope' }, 'queue'],
      [{ maxAttempts: 0 }, 'maxAttempts'],
      [{ callerId: 'anonymous' }, 'callerId'],
      [{ retryMinutes: { busy: -1 } }, 'retryMinutes.busy'],
      [{ recording: 'sometimes' }, 'recording'],
      [{ abandonCapPct: 101 }, 'abandonCapPct'],
      [
        {
          dispositions: [
            { code: 'a', label: 'A', final: true },
            { code: 'a', label: 'B', final: true },
          ],
        },
        'dispositions.1.code',
      ],
      [{ dispositions: [] }, 'dispositions'],
    ];
    for (const [o, path] of bad) {
      const res = await http().post('/api/campaigns').set(auth(sup)).send(body(o));
      expectResponse(res);
      expect([res.status, res.body.error.code]).toEqual([400, 'HOTLINE_VALIDATION']);
      expect(res.body.error.message).toMatch(new RegExp(`^${path.replace(/\./g, '\\.')}`));
    }
    const missing = await http().post('/api/campaigns').set(auth(sup)).send({ name: 'x' });
    expectResponse(missing);
    expect(missing.status).toBe(400);
  });

  it('updates only the fields sent', async () => {
    const c = await created({ retryMinutes: { busy: 5 } });
    const res = await http()
      .put(`/api/campaigns/${c.id}`)
      .set(auth(sup))
      .send({ retryMinutes: { machine: 480 }, mode: 'predictive', amd: true });
    expectResponse(res);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: c.id,
      name: c.name,
      mode: 'predictive',
      amd: true,
      maxAttempts: 3,
      retryMinutes: { busy: 5, noAnswer: 60, failed: 30, machine: 480 },
    });
    expect((await http().put(`/api/campaigns/${c.id}`).set(auth(sup)).send({})).status).toBe(400);
    expect(
      (await http().put(`/api/campaigns/${c.id}`).set(auth(sup)).send({ queue: 'nope' })).status,
    ).toBe(400);
    expect(
      (await http().put('/api/campaigns/99999').set(auth(sup)).send({ amd: true })).status,
    ).toBe(404);
  });

  it('start, pause, stop: returns the campaign; each tells the dialer (it reads campaigns again)', async () => {
    const c = await created();
    const pause = await http().post(`/api/campaigns/${c.id}/pause`).set(auth(sup));
    expectResponse(pause);
    expect([pause.status, pause.body.error.code]).toEqual([409, 'HOTLINE_CAMPAIGN_NOT_RUNNING']);
    const start = await http().post(`/api/campaigns/${c.id}/start`).set(auth(sup));
    expectResponse(start);
    expect([start.status, start.body.status]).toEqual([200, 'running']);
    expect(onChange).toHaveBeenCalledTimes(1);
    const paused = await http().post(`/api/campaigns/${c.id}/pause`).set(auth(admin));
    expectResponse(paused);
    expect([paused.status, paused.body.status]).toEqual([200, 'paused']);
    const stopped = await http().post(`/api/campaigns/${c.id}/stop`).set(auth(admin));
    expectResponse(stopped);
    expect([stopped.status, stopped.body.status]).toEqual([200, 'stopped']);
    // The refused pause changed nothing; start, pause and stop each did.
    expect(onChange).toHaveBeenCalledTimes(3);
    expect((await http().post('/api/campaigns/99999/start').set(auth(sup))).status).toBe(404);
  });

  it('shows a campaign with its stats', async () => {
    const c = await created();
    const res = await http().get(`/api/campaigns/${c.id}`).set(auth(sup));
    expectResponse(res);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: c.id, name: c.name, status: 'draft' });
    expect(res.body.stats).toEqual({
      contacts: 0,
      dialed: 0,
      contacted: 0,
      remaining: 0,
      done: 0,
      abandonRate30d: 0,
      pacingRatio: 1,
      agentsOnline: 0,
    });
    expect((await http().get('/api/campaigns/99999').set(auth(sup))).status).toBe(404);
    expect((await http().get('/api/campaigns/abc').set(auth(sup))).status).toBe(400);
  });

  it('lists contacts (supervisor, admin) with status, offset and limit', async () => {
    const c = await created();
    for (let i = 0; i < 3; i++)
      await db('campaign_contacts').insert({
        campaign_id: c.id,
        phone: `+86138000000${i}0`,
        fields: JSON.stringify({ firstName: `F${i}` }),
        status: i === 2 ? 'done' : 'new',
        attempts: i === 2 ? 1 : 0,
        created_at: 0,
        updated_at: 0,
      });
    const res = await http()
      .get(`/api/campaigns/${c.id}/contacts?status=new&offset=1&limit=5`)
      .set(auth(admin));
    expectResponse(res);
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(2);
    expect(res.body.contacts).toHaveLength(1);
    expect(res.body.contacts[0]).toMatchObject({
      campaignId: c.id,
      phone: '+8613800000010',
      fields: { firstName: 'F1' },
      status: 'new',
    });
    const bad = await http().get(`/api/campaigns/${c.id}/contacts?status=odd`).set(auth(admin));
    expectResponse(bad);
    expect(bad.status).toBe(400);
    const stats = await http().get(`/api/campaigns/${c.id}`).set(auth(sup));
    expectResponse(stats);
    expect(stats.body.stats).toMatchObject({ contacts: 3, dialed: 1, remaining: 2, done: 1 });
  });
});

describe('telemarketers', () => {
  it('an agent lists only the campaigns of queues they are a member of', async () => {
    const sales = await created();
    const closed = await created({ queue: 'closed' });
    const general = await created({ queue: 'general' }); // no members: everyone's
    const mine = await http().get('/api/campaigns').set(auth(member));
    expectResponse(mine);
    expect(mine.status).toBe(200);
    const ids = (mine.body.campaigns as Array<{ id: number }>).map((c) => c.id);
    expect(ids).toEqual(expect.arrayContaining([sales.id, general.id]));
    expect(ids).not.toContain(closed.id);
    const theirs = await http().get('/api/campaigns').set(auth(outsider));
    expectResponse(theirs);
    const outsiderIds = (theirs.body.campaigns as Array<{ id: number }>).map((c) => c.id);
    expect(outsiderIds).toContain(general.id);
    expect(outsiderIds).not.toContain(sales.id);
    const all = await http().get('/api/campaigns').set(auth(sup));
    expectResponse(all);
    expect((all.body.campaigns as Array<{ id: number }>).map((c) => c.id)).toEqual(
      expect.arrayContaining([sales.id, closed.id, general.id]),
    );
    expect((await http().get(`/api/campaigns/${sales.id}`).set(auth(member))).status).toBe(200);
    expect((await http().get(`/api/campaigns/${sales.id}`).set(auth(outsider))).status).toBe(403);
  });

  it('a member joins and leaves; a non-member may not join; supervisors may', async () => {
    const c = await created();
    const join = await http().post(`/api/campaigns/${c.id}/join`).set(auth(member));
    expectResponse(join);
    expect(join.status).toBe(200);
    expect(join.body).toEqual({ campaignId: c.id, joined: true });
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(await campaigns.joinedAgents(c.id)).toEqual([member.id]);
    const list = await http().get('/api/campaigns').set(auth(member));
    expectResponse(list);
    expect(list.body.joined).toContain(c.id);
    const again = await http().post(`/api/campaigns/${c.id}/join`).set(auth(member));
    expectResponse(again);
    expect(again.status).toBe(200);

    const refused = await http().post(`/api/campaigns/${c.id}/join`).set(auth(outsider));
    expectResponse(refused);
    expect([refused.status, refused.body.error.code]).toEqual([403, 'HOTLINE_FORBIDDEN']);
    expect((await http().post(`/api/campaigns/${c.id}/join`).set(auth(qa))).status).toBe(403);
    expect((await http().post(`/api/campaigns/${c.id}/join`).set(auth(sup))).status).toBe(200);
    const stats = await http().get(`/api/campaigns/${c.id}`).set(auth(sup));
    expectResponse(stats);
    expect(stats.body.stats.agentsOnline).toBe(2);

    const leave = await http().post(`/api/campaigns/${c.id}/leave`).set(auth(member));
    expectResponse(leave);
    expect(leave.status).toBe(200);
    expect(leave.body).toEqual({ campaignId: c.id, joined: false });
    expect(await campaigns.joinedAgents(c.id)).toEqual([sup.id]);
    expect((await http().post('/api/campaigns/99999/join').set(auth(member))).status).toBe(404);
    // Leaving is for whoever may join (issue 9, defect 10): not qa.
    const qaLeave = await http().post(`/api/campaigns/${c.id}/leave`).set(auth(qa));
    expectResponse(qaLeave);
    expect([qaLeave.status, qaLeave.body.error?.code]).toEqual([403, 'HOTLINE_FORBIDDEN']);
  });
});

describe('do-not-call', () => {
  const phones = (b: { numbers: Array<{ phone: string }> }) => b.numbers.map((e) => e.phone);
  it('adds, lists and removes numbers (normalised), global or per campaign', async () => {
    const c = await created();
    const add = await http()
      .post('/api/dnc')
      .set(auth(sup))
      .send({ phone: '138 0013 8000', reason: 'asked on the phone' });
    expectResponse(add);
    expect(add.status).toBe(201);
    expect(add.body).toMatchObject({
      phone: '+8613800138000',
      campaignId: null,
      reason: 'asked on the phone',
      addedBy: sup.id,
    });
    const scoped = await http()
      .post('/api/dnc')
      .set(auth(admin))
      .send({ phone: '+86 139 0000 0000', campaignId: c.id });
    expectResponse(scoped);
    expect(scoped.status).toBe(201);
    expect(scoped.body).toMatchObject({ phone: '+8613900000000', campaignId: c.id, reason: null });

    const all = await http().get('/api/dnc').set(auth(sup));
    expectResponse(all);
    expect(all.status).toBe(200);
    expect(phones(all.body)).toEqual(expect.arrayContaining(['+8613800138000', '+8613900000000']));
    const global = await http().get('/api/dnc?campaignId=global').set(auth(sup));
    expectResponse(global);
    expect(phones(global.body)).toEqual(['+8613800138000']);
    const byPhone = await http().get('/api/dnc?phone=13900000000').set(auth(sup));
    expectResponse(byPhone);
    expect(byPhone.body.numbers).toEqual([scoped.body]);

    // Global delete leaves the campaign's entry alone.
    const wrongScope = await http()
      .delete('/api/dnc')
      .set(auth(sup))
      .send({ phone: '13900000000' });
    expectResponse(wrongScope);
    expect(wrongScope.status).toBe(404);
    const del = await http()
      .delete('/api/dnc')
      .set(auth(sup))
      .send({ phone: '13900000000', campaignId: c.id });
    expectResponse(del);
    expect(del.status).toBe(204);
    const byQuery = await http().delete('/api/dnc?phone=13800138000').set(auth(sup));
    expectResponse(byQuery);
    expect(byQuery.status).toBe(204);
    expect((await http().get('/api/dnc?phone=13800138000').set(auth(sup))).body.numbers).toEqual(
      [],
    );
  });

  it('refuses a bad phone, an unknown campaign, agents and qa', async () => {
    const bad = await http().post('/api/dnc').set(auth(sup)).send({ phone: 'call me' });
    expectResponse(bad);
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({
      error: {
        code: 'HOTLINE_BAD_PHONE_NUMBER',
        message: 'phone: "call me" is not a phone number',
        details: { path: 'phone' },
      },
    });
    const short = await http().post('/api/dnc').set(auth(sup)).send({ phone: '123' });
    expectResponse(short);
    expect(short.body.error.code).toBe('HOTLINE_BAD_PHONE_NUMBER');
    const noPhone = await http().post('/api/dnc').set(auth(sup)).send({});
    expectResponse(noPhone);
    expect([noPhone.status, noPhone.body.error.code]).toEqual([400, 'HOTLINE_VALIDATION']);
    const unknown = await http()
      .post('/api/dnc')
      .set(auth(sup))
      .send({ phone: '13800138000', campaignId: 99999 });
    expectResponse(unknown);
    expect([unknown.status, unknown.body.error.code]).toEqual([400, 'HOTLINE_VALIDATION']);
    for (const who of [member, qa]) {
      expect((await http().get('/api/dnc').set(auth(who))).status).toBe(403);
      expect(
        (await http().post('/api/dnc').set(auth(who)).send({ phone: '13800138000' })).status,
      ).toBe(403);
      expect(
        (await http().delete('/api/dnc').set(auth(who)).send({ phone: '13800138000' })).status,
      ).toBe(403);
    }
  });
});

describe('openapi', () => {
  it('describes the outbound routes', async () => {
    const res = await http().get('/api/openapi.json');
    expectResponse(res);
    for (const p of [
      '/api/campaigns',
      '/api/campaigns/{id}',
      '/api/campaigns/{id}/start',
      '/api/campaigns/{id}/join',
      '/api/campaigns/{id}/contacts',
      '/api/dnc',
    ])
      expect(res.body.paths[p]).toBeDefined();
    expect(res.body.components.schemas.Campaign).toBeDefined();
  });
});
