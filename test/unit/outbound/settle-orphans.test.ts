import type { Db } from '../../../src/db';
import { createCampaignsRepo } from '../../../src/outbound/campaigns/campaigns-repo';
import { createDialerStore } from '../../../src/outbound/dialing/dialer-store';
import type { DialerStore } from '../../../src/outbound/dialing/dialer-types';
import { settleOrphans } from '../../../src/outbound/dialing/settle-orphans';
import { insertCall } from '../qa/qa-data';
import { campaignInput, contactRow, insertContact, outboundDb } from './outbound-data';

/**
 * A restart of the service: contacts the earlier run left in progress are settled from the
 * database alone — no attempt lost, nothing dialed twice.
 */
const T0 = Date.parse('2026-11-24T02:00:00Z');
const MIN = 60_000;
let now = T0;
const clock = { now: () => now };

let db: Db;
let store: DialerStore;
let campaignId: number;

beforeEach(async () => {
  now = T0;
  db = await outboundDb();
  store = createDialerStore(db, clock);
  const campaigns = createCampaignsRepo(db, clock);
  campaignId = (
    await campaigns.create(
      campaignInput({
        maxAttempts: 3,
        retryMinutes: { busy: 10, noAnswer: 60, failed: 30, machine: 240 },
      }),
      null,
    )
  ).id;
  await campaigns.setStatus(campaignId, 'running');
});
afterEach(() => db.destroy());

/** A call placed for the contact by the earlier run; `ended` false = still up in Asterisk. */
async function callFor(contactId: number, o: { outcome: string | null; ended: boolean }) {
  const id = await insertCall(db, { agentId: null, startedAt: T0 + 1000, direction: 'outbound' });
  await db('calls')
    .where({ id })
    .update({
      contact_id: contactId,
      campaign_id: campaignId,
      outcome: o.outcome,
      ended_at: o.ended ? T0 + 20_000 : null,
      state: o.ended ? 'ended' : 'talking',
    });
  return id;
}

it('releases the never dialed, records the ended, keeps the live one in progress', async () => {
  const neverDialed = await insertContact(db, { campaignId });
  const wasBusy = await insertContact(db, { campaignId });
  const closedByReconcile = await insertContact(db, { campaignId });
  const talking = await insertContact(db, { campaignId });
  // The earlier run claimed all four at T0 and dialed three of them.
  expect(await store.claimDue(campaignId, T0, 10)).toHaveLength(4);
  await callFor(wasBusy, { outcome: 'busy', ended: true });
  await callFor(closedByReconcile, { outcome: 'failed', ended: true });
  const liveCall = await callFor(talking, { outcome: null, ended: false });

  now = T0 + 5 * MIN; // the service comes back
  const startedAt = now;
  expect(await settleOrphans(store, startedAt, now)).toEqual({
    orphans: 4,
    released: 1,
    recorded: 2,
    live: 1,
  });
  expect(await contactRow(db, neverDialed)).toMatchObject({ status: 'new', attempts: 0 });
  expect(await contactRow(db, wasBusy)).toMatchObject({
    status: 'scheduled',
    attempts: 1,
    last_outcome: 'busy',
    next_attempt_at: now + 10 * MIN,
  });
  expect(await contactRow(db, closedByReconcile)).toMatchObject({
    status: 'scheduled',
    attempts: 1,
    last_outcome: 'failed',
    next_attempt_at: now + 30 * MIN,
  });
  expect(await contactRow(db, talking)).toMatchObject({ status: 'in-progress', attempts: 0 });
  // Nothing of the live contact can be claimed again: no double dial.
  const claimed = await store.claimDue(campaignId, now, 10);
  expect(claimed.map((c) => c.id)).toEqual([neverDialed]);

  // The talking call ends later: the next pass records it; a third pass finds nothing.
  await db('calls')
    .where({ id: liveCall })
    .update({ outcome: 'answered', ended_at: now + MIN, state: 'ended' });
  now += 2 * MIN;
  expect(await settleOrphans(store, startedAt, now)).toMatchObject({ recorded: 1, live: 0 });
  expect(await contactRow(db, talking)).toMatchObject({
    status: 'done',
    attempts: 1,
    last_outcome: 'answered',
  });
  expect(await settleOrphans(store, startedAt, now)).toMatchObject({ orphans: 0 });
  expect(await db('outbound_attempts').count<Array<{ n: number }>>({ n: '*' })).toEqual([{ n: 3 }]);
});

it('leaves alone the contacts this run claimed', async () => {
  await insertContact(db, { campaignId });
  const startedAt = T0 - MIN;
  await store.claimDue(campaignId, T0, 1);
  expect(await settleOrphans(store, startedAt, T0)).toMatchObject({ orphans: 0 });
});
