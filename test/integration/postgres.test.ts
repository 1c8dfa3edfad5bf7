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
