/**
 * calls.commit: a fact is one event on the timeline and the record's fields it determines, in
 * one transaction; the record stays the timeline's projection (src/calls/project-record.ts).
 */
import { createDb, migrate, type Db } from '../../../src/db';
import { createCallsRepo, toCallRecord, type CallsRepo } from '../../../src/calls/calls-repo';
import { PROJECTED_FIELDS, projectRecord } from '../../../src/calls/project-record';
import { statementsOn, transact } from '../../../src/db/statements';

let db: Db;
let calls: CallsRepo;
const t = Date.parse('2026-03-02T09:00:00.000Z');

beforeEach(async () => {
  db = createDb('sqlite::memory:');
  await migrate(db);
  calls = createCallsRepo(db);
  // Agents 1, 3 and 7 (the record's agent is a user).
  for (const id of [1, 3, 7])
    await db('users').insert({
      id,
      username: `u${id}`,
      name: `User ${id}`,
      role: 'agent',
      password_hash: 'x',
      created_at: t,
    });
  await calls.open(
    {
      id: 'c1',
      callerNumber: '13900001111',
      callerE164: '+8613900001111',
      dialedNumber: '4000',
      channelId: 'ch-1',
    },
    { at: t, data: { direction: 'inbound', queue: 'general' } },
  );
});
afterEach(() => db.destroy());

async function expectProjected(id = 'c1') {
  const record = toCallRecord((await calls.get(id))!, t + 3_600_000);
  const projected = projectRecord(await calls.events(id), { now: t + 3_600_000 });
  expect(Object.fromEntries(PROJECTED_FIELDS.map((f) => [f, record[f]]))).toEqual(projected);
  return record;
}

/** Every statement knex sends, so a test can count transactions. */
function statements(): string[] {
  const sent: string[] = [];
  db.on('query', (q: { sql: string }) =>
    sent.push(q.sql.trim().split(/\s+/)[0]!.toUpperCase().replace(/;$/, '')),
  );
  return sent;
}

describe('calls.commit', () => {
  it('opens the record from its started event', async () => {
    expect(await expectProjected()).toMatchObject({
      direction: 'inbound',
      queue: 'general',
      state: 'new',
      startedAt: new Date(t).toISOString(),
      callerNumber: '+8613900001111',
    });
    expect((await calls.events('c1')).map((e) => e.type)).toEqual(['started']);
  });

  it('writes the fields each event determines, plus the state it is given', async () => {
    await calls.commit(
      'c1',
      { type: 'queued', at: t + 100, data: { customers: [] } },
      {
        state: 'queued',
        priority: 1,
      },
    );
    await calls.commit('c1', { type: 'offered', at: t + 200, agentId: 7, data: { attempt: 1 } });
    await calls.commit(
      'c1',
      { type: 'answered', at: t + 5000, agentId: 7, data: { serviceLevelSec: 20 } },
      { state: 'talking' },
    );
    expect(await expectProjected()).toMatchObject({
      state: 'talking',
      agentId: 7,
      answeredAt: new Date(t + 5000).toISOString(),
      serviceLevelMet: true,
      vip: true,
      endedAt: null,
    });
    await calls.commit(
      'c1',
      { type: 'ended', at: t + 65_000, data: { outcome: 'answered', endedBy: 'caller' } },
      { state: 'ended' },
    );
    expect(await expectProjected()).toMatchObject({
      state: 'ended',
      outcome: 'answered',
      endedBy: 'caller',
      waitMs: 5000,
      talkMs: 60_000,
    });
  });

  it('an unanswered end: no agent, and the service level judged from the timeline', async () => {
    await calls.commit('c1', { type: 'offered', at: t + 100, agentId: 7 });
    await calls.commit(
      'c1',
      {
        type: 'ended',
        at: t + 30_000,
        data: { outcome: 'abandoned', endedBy: 'caller', serviceLevelSec: 20 },
      },
      { state: 'ended' },
    );
    expect(await expectProjected()).toMatchObject({
      agentId: null,
      serviceLevelMet: false,
      waitMs: 30_000,
      talkMs: 0,
    });
  });

  it('one statement for a fact that changes nothing on the record; one transaction otherwise', async () => {
    const sent = statements();
    await calls.commit('c1', { type: 'offered', at: t + 100, agentId: 7 });
    expect(sent).toEqual(['INSERT']);
    sent.length = 0;
    await calls.commit(
      'c1',
      { type: 'queued', at: t + 200, data: { customers: [] } },
      {
        state: 'queued',
      },
    );
    expect(sent[0]).toBe('BEGIN');
    expect(sent.at(-1)).toBe('COMMIT');
    expect(sent.slice(1, -1).sort()).toEqual(['INSERT', 'UPDATE']);
  });

  it("inside the caller's transaction (the call path's or knex's), it rolls back with it", async () => {
    await expect(
      transact(db, async (s) => {
        await calls.commit('c1', { type: 'legal-hold', at: t + 100, agentId: 1 }, {}, s);
        throw new Error('the rest failed');
      }),
    ).rejects.toThrow('the rest failed');
    await expect(
      db.transaction(async (trx) => {
        await calls.commit(
          'c1',
          { type: 'legal-hold', at: t + 100, agentId: 1 },
          {},
          statementsOn(trx),
        );
        throw new Error('the rest failed');
      }),
    ).rejects.toThrow('the rest failed');
    expect(await calls.events('c1')).toHaveLength(1);
    expect((await expectProjected()).legalHold).toBe(false);
    // …and with it, it is written.
    await transact(db, (s) =>
      calls.commit('c1', { type: 'legal-hold', at: t + 100, agentId: 1 }, {}, s),
    );
    expect((await expectProjected()).legalHold).toBe(true);
  });

  it('a timeline from before the started event projects from the row', async () => {
    await db('call_events').where({ call_id: 'c1' }).del();
    await calls.commit('c1', { type: 'answered', at: t + 4000, agentId: 3 }, { state: 'talking' });
    await calls.commit('c1', { type: 'ended', at: t + 10_000, data: { outcome: 'answered' } });
    expect(toCallRecord((await calls.get('c1'))!, t)).toMatchObject({
      agentId: 3,
      waitMs: 4000,
      talkMs: 6000,
      queue: 'general',
    });
  });

  it('amend sets a field with no event (the documented exceptions only)', async () => {
    await calls.amend('c1', { hangupCause: 'Normal Clearing', hangupCauseCode: 16 });
    expect(toCallRecord((await calls.get('c1'))!, t)).toMatchObject({
      hangupCause: 'Normal Clearing',
      hangupCauseCode: 16,
    });
    expect(await calls.events('c1')).toHaveLength(1);
  });
});
