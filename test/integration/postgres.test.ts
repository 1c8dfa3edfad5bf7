/**
 * The same migrations and repositories on PostgreSQL (the local server of these machines; set
 * TEST_POSTGRES_URL to use another). Each run gets a database of its own, dropped afterwards.
 */
import knex, { type Knex } from 'knex';
import { createUsersRepo } from '../../src/agents/users-repo';
import { createSessions } from '../../src/agents/sessions';
import { createCallsRepo, toCallRecord } from '../../src/calls/calls-repo';
import { createCustomersRepo } from '../../src/customers/customers-repo';
import { createCallerMatcher } from '../../src/customers/match-caller';
import { createDb, migrate, type Db } from '../../src/db';
import { createAgentDirectory } from '../../src/agents/agent-directory';
import { createQueues } from '../../src/routing/queues';
import { systemClock } from '../../src/shared/clock';
import { HotlineError } from '../../src/shared/errors';
import { transact } from '../../src/db/statements';
import { createCampaignsRepo } from '../../src/outbound/campaigns/campaigns-repo';
import { createDialerStore } from '../../src/outbound/dialing/dialer-store';
import { createDncRepo } from '../../src/outbound/dnc/dnc-repo';
import { insertCall } from '../unit/qa/qa-data';
import {
  campaignInput,
  contactRow,
  insertContact,
  insertUser,
} from '../unit/outbound/outbound-data';

const T0 = Date.parse('2026-11-24T02:00:00Z');

const base = process.env.TEST_POSTGRES_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
const name = `hotline_it_${process.pid}_${Date.now()}`;
let admin: Knex;
let db: Db;

beforeAll(async () => {
  admin = knex({ client: 'pg', connection: base, pool: { min: 0, max: 1 } });
  await admin.raw('CREATE DATABASE ??', [name]);
  db = createDb(base.replace(/\/[^/]*$/, `/${name}`));
  await migrate(db);
});

afterAll(async () => {
  await db?.destroy();
  await admin.raw('DROP DATABASE IF EXISTS ??', [name]);
  await admin.destroy();
});

it('runs the migrations and serves users, sessions, customers, agents and calls', async () => {
  const users = createUsersRepo(db, systemClock);
  const ann = await users.create({
    username: 'ann',
    password: 'password-1',
    name: 'Ann',
    role: 'agent',
    extension: '1001',
  });
  await expect(
    users.create({ username: 'ann', password: 'password-1', name: 'Ann 2', role: 'agent' }),
  ).rejects.toMatchObject({
    code: 'HOTLINE_USERNAME_TAKEN',
  });
  await expect(
    users.create({
      username: 'bob',
      password: 'password-1',
      name: 'Bob',
      role: 'agent',
      extension: '1001',
    }),
  ).rejects.toBeInstanceOf(HotlineError);

  const sessions = createSessions({ db, users, clock: systemClock, ttlMs: 60_000 });
  const token = await sessions.issue(ann.id);
  expect((await sessions.resolve(token))?.id).toBe(ann.id);

  const customers = createCustomersRepo(db, systemClock);
  const c = await customers.create({
    name: '王小明',
    tier: 'vip',
    ownerUserId: ann.id,
    phones: [{ e164: '+8613812345678', raw: '138 1234 5678' }],
  });
  const match = createCallerMatcher({ customers, defaultRegion: 'CN' });
  expect((await match('013812345678')).customers.map((x) => x.id)).toEqual([c.id]);

  const agents = createAgentDirectory({ db, clock: systemClock });
  await agents.load();
  await agents.setState(ann.id, 'available');
  await agents.setState(ann.id, 'break', 'lunch');
  const reloaded = createAgentDirectory({ db, clock: systemClock });
  await reloaded.load();
  expect(reloaded.get(ann.id)).toMatchObject({ state: 'break', reason: 'lunch' });

  const queues = createQueues({
    db,
    clock: systemClock,
    defaultQueue: 'general',
    defaultRingTimeoutSec: 15,
  });
  await queues.sync([
    { name: 'general', dids: ['4000'], skills: [] },
    { name: 'vip', dids: ['+86 400 800 8888'], skills: [] },
  ]);
  await queues.sync([{ name: 'general', dids: ['4000'], skills: [] }]); // idempotent
  expect(queues.forDid('4008008888').name).toBe('vip');
  expect(queues.forDid('9999').name).toBe('general');

  const calls = createCallsRepo(db);
  const started = Date.now();
  await calls.open(
    {
      id: 'call-1',
      callerNumber: '013812345678',
      callerE164: '+8613812345678',
      dialedNumber: '4000',
      channelId: 'ch-1',
    },
    { at: started, data: { queue: 'general', direction: 'inbound', customerId: c.id } },
  );
  // One transaction per fact: the record's answer and end are the events' projection.
  await calls.commit('call-1', { type: 'answered', at: started + 3000, agentId: ann.id });
  await calls.commit(
    'call-1',
    { type: 'ended', at: started + 10_000, data: { outcome: 'answered', endedBy: 'caller' } },
    { state: 'ended' },
  );
  const row = (await calls.get('call-1'))!;
  // bigint columns come back as strings from pg: the record still has numbers.
  expect(toCallRecord(row, Date.now())).toMatchObject({
    waitMs: 3000,
    talkMs: 7000,
    startedAt: new Date(started).toISOString(),
    customerId: c.id,
  });
  expect(await calls.history({ customerId: c.id }, 5)).toHaveLength(1);
  expect((await calls.events('call-1'))[0]).toMatchObject({
    type: 'started',
    data: { queue: 'general' },
  });
  expect(await calls.listOpen()).toHaveLength(0);
});

it("the call path's own statements (db/statements.ts) on PostgreSQL: an attempt's outcome, do-not-call, a fact judged by the timeline", async () => {
  const clock = { now: () => T0 };
  const store = createDialerStore(db, clock);
  const campaigns = createCampaignsRepo(db, clock);
  const anna = await insertUser(db);
  const campaignId = (await campaigns.create(campaignInput({ maxAttempts: 3 }), null)).id;
  const reached = await insertContact(db, { campaignId });
  const settled = await insertContact(db, { campaignId });
  expect((await store.claimDue(campaignId, T0, 2)).map((c) => c.id)).toEqual([reached, settled]);
  const callId = await insertCall(db, { agentId: anna, startedAt: T0, talkMs: 42_000 });
  await store.recordOutcome(reached, {
    callId,
    outcome: 'answered',
    at: T0 + 1000,
    nextAttemptAt: null,
  });
  // A wrap-up settled the other contact before its hang-up reached the dialer: its fate stays.
  await campaigns.applyDisposition({
    campaignId,
    contactId: settled,
    disposition: { code: 'call-back', label: 'Call back', final: false, callback: true },
    callbackAt: T0 + 3_600_000,
    userId: anna,
    now: T0,
  });
  await store.recordOutcome(settled, {
    callId: 'no-such-call',
    outcome: 'busy',
    at: T0 + 2000,
    nextAttemptAt: T0 + 600_000,
  });
  expect(await contactRow(db, reached)).toMatchObject({ status: 'done', attempts: 1 });
  expect(await contactRow(db, settled)).toMatchObject({
    status: 'scheduled',
    attempts: 1,
    last_outcome: 'busy',
  });
  expect(Number((await contactRow(db, settled)).next_attempt_at)).toBe(T0 + 3_600_000);
  expect(await store.recentAttempts(campaignId, T0)).toEqual([
    { at: T0 + 1000, outcome: 'answered', talkMs: 42_000 },
    { at: T0 + 2000, outcome: 'busy', talkMs: 0 },
  ]);

  await createDncRepo(db, clock).add({ phone: '+8613900000001', campaignId, userId: anna });
  expect(await store.isBlocked('+8613900000001', campaignId)).toBe(true);
  expect(await store.isBlocked('+8613900000001', campaignId + 1)).toBe(false);

  // Opened by one repository, ended by another (a new leader): judged by the timeline it reads.
  await createCallsRepo(db).open(
    { id: 'call-2', callerNumber: '4000', callerE164: null, dialedNumber: '4000', channelId: 'c2' },
    { at: T0, data: { queue: 'general', direction: 'inbound' } },
  );
  const other = createCallsRepo(db);
  await other.commit('call-2', { type: 'answered', at: T0 + 2000, agentId: anna });
  await expect(
    transact(db, async (s) => {
      await other.commit('call-2', { type: 'legal-hold', at: T0 + 3000 }, {}, s);
      throw new Error('rolled back');
    }),
  ).rejects.toThrow('rolled back');
  await other.commit('call-2', { type: 'ended', at: T0 + 9000, data: { outcome: 'answered' } });
  expect(toCallRecord((await other.get('call-2'))!, T0)).toMatchObject({
    waitMs: 2000,
    talkMs: 7000,
    legalHold: false,
  });
});
