import { createDb, migrate, type Db } from '../../../src/db';
import { createQueues } from '../../../src/routing/queues';
import { systemClock } from '../../../src/shared/clock';

let db: Db;
beforeEach(async () => {
  db = createDb('sqlite::memory:');
  await migrate(db);
});
afterEach(() => db.destroy());

const queuesOn = (d: Db) =>
  createQueues({
    db: d,
    clock: systemClock,
    defaultQueue: 'general',
    defaultRingTimeoutSec: 15,
    defaultTimezone: 'Asia/Shanghai',
  });

describe('queues: the config seeds the database', () => {
  it('inserts a new queue with every setting, hours and DIDs included', async () => {
    const queues = queuesOn(db);
    await queues.sync([
      { name: 'general', dids: ['4000'] },
      {
        name: 'vip',
        dids: ['+86 400 800 8888'],
        ringTimeoutSec: 25,
        skills: ['vip'],
        hours: ['mon-fri 08:00-18:00'],
        timezone: 'Europe/Berlin',
        callbackOfferAfterSec: 90,
      },
    ]);
    // A second instance reads it all from the database alone.
    const other = queuesOn(db);
    await other.reload();
    expect(other.view('vip')).toMatchObject({
      dids: ['864008008888'],
      ringTimeoutSec: 25,
      skills: ['vip'],
      hours: ['mon-fri 08:00-18:00'],
      timezone: 'Europe/Berlin',
      callbackOfferAfterSec: 90,
    });
    expect(other.get('vip')!.hours).toHaveLength(1);
    expect(other.forDid('4008008888').name).toBe('vip');
    expect(other.view('general')).toMatchObject({ timezone: 'Asia/Shanghai', hours: [] });
  });

  it("does not overwrite an admin's change when the config changes", async () => {
    const queues = queuesOn(db);
    await queues.sync([{ name: 'general', dids: ['4000'], ringTimeoutSec: 20 }]);
    await queues.update('general', { ringTimeoutSec: 40, hours: ['sat 09:00-12:00'] });
    expect(queues.get('general')!.ringTimeoutSec).toBe(40);

    const restarted = queuesOn(db);
    await restarted.sync([
      { name: 'general', dids: ['4000', '4001'], ringTimeoutSec: 30, hours: [] },
      { name: 'new', dids: ['4001', '5000'] },
    ]);
    expect(restarted.view('general')).toMatchObject({
      ringTimeoutSec: 40,
      hours: ['sat 09:00-12:00'],
      dids: ['4000'],
    });
    // The new queue is seeded; a DID given to it that is free goes with it.
    expect(restarted.view('new')!.dids).toEqual(['4001', '5000']);
    // ...and one that another queue already has stays there.
    await restarted.sync([{ name: 'third', dids: ['5000', '6000'] }]);
    expect(restarted.view('third')!.dids).toEqual(['6000']);
    expect(restarted.forDid('5000').name).toBe('new');
  });

  it('gives a queue from before the admin API its config hours once', async () => {
    const [row] = await db('queues')
      .insert({ name: 'general', ring_timeout_sec: 20, created_at: Date.now() })
      .returning<Array<{ id: number }>>('id');
    await db('queue_dids').insert({ did: '4000', queue_id: row!.id });
    const queues = queuesOn(db);
    const config = {
      name: 'general',
      dids: ['4000'],
      hours: ['mon-fri 09:00-17:00'],
      timezone: 'UTC',
      callbackOfferAfterSec: 30,
    };
    await queues.sync([config]);
    expect(queues.view('general')).toMatchObject({
      ringTimeoutSec: 20,
      hours: ['mon-fri 09:00-17:00'],
      timezone: 'UTC',
      callbackOfferAfterSec: 30,
    });
    await queues.update('general', { hours: [] });
    await queues.sync([config]);
    expect(queues.view('general')!.hours).toEqual([]);
  });
});

describe('queues: admin changes', () => {
  it('checks DIDs and members, and changes nothing when refused', async () => {
    const queues = queuesOn(db);
    await queues.sync([
      { name: 'general', dids: ['4000'] },
      { name: 'vip', dids: ['8888'] },
    ]);
    await expect(queues.update('general', { dids: ['8888'] })).rejects.toMatchObject({
      code: 'HOTLINE_DID_TAKEN',
      message: 'DID 8888 belongs to queue vip',
    });
    await expect(queues.create('sales', { dids: ['4000'] })).rejects.toMatchObject({
      code: 'HOTLINE_DID_TAKEN',
    });
    expect(queues.get('sales')).toBeUndefined();
    expect(await db('queues').where({ name: 'sales' }).first()).toBeUndefined();
    await expect(
      queues.update('general', { ringTimeoutSec: 50, members: [42] }),
    ).rejects.toMatchObject({ code: 'HOTLINE_VALIDATION' });
    expect(queues.get('general')!.ringTimeoutSec).toBe(15);
    await queues.reload();
    expect(queues.get('general')!.ringTimeoutSec).toBe(15);
    await expect(queues.update('nope', {})).rejects.toMatchObject({
      code: 'HOTLINE_QUEUE_NOT_FOUND',
    });
  });

  it('serves() follows a members and skills change at once', async () => {
    const queues = queuesOn(db);
    await queues.sync([{ name: 'general' }]);
    const [u] = await db('users')
      .insert({
        username: 'ann',
        name: 'Ann',
        role: 'agent',
        password_hash: 'x',
        disabled: false,
        created_at: Date.now(),
      })
      .returning<Array<{ id: number }>>('id');
    const q = queues.get('general')!;
    const ann = { userId: u!.id, skills: new Set<string>() };
    const bob = { userId: u!.id + 1, skills: new Set<string>() };
    expect(queues.serves(q, bob)).toBe(true);
    await queues.update('general', { members: [u!.id] });
    expect(queues.serves(q, ann)).toBe(true);
    expect(queues.serves(q, bob)).toBe(false);
    await queues.update('general', { skills: ['fr'] });
    expect(queues.serves(q, ann)).toBe(false);
  });
});

describe('queues: the supervisor wall thresholds', () => {
  it('seeds, changes and reads them back; unset = the call center defaults', async () => {
    const queues = createQueues({
      db,
      clock: systemClock,
      defaultQueue: 'general',
      defaultRingTimeoutSec: 15,
      defaultServiceLevelTargetPct: 85,
      defaultMaxWaitAlertSec: 45,
    });
    await queues.sync([
      { name: 'general', dids: [] },
      { name: 'vip', dids: [], serviceLevelTargetPct: 95, maxWaitAlertSec: 20 },
    ]);
    expect(queues.view('general')).toMatchObject({
      serviceLevelTargetPct: 85,
      maxWaitAlertSec: 45,
    });
    expect(queues.view('vip')).toMatchObject({ serviceLevelTargetPct: 95, maxWaitAlertSec: 20 });
    await queues.update('general', { maxWaitAlertSec: 90 });
    expect(queues.get('general')).toMatchObject({ serviceLevelTargetPct: 85, maxWaitAlertSec: 90 });
    // Without defaults of its own: 80 % and 60 s (src/metrics/definitions.ts).
    const plain = queuesOn(db);
    await plain.reload();
    expect(plain.view('general')).toMatchObject({ serviceLevelTargetPct: 80, maxWaitAlertSec: 90 });
  });
});
