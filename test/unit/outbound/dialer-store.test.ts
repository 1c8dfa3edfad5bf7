import type { Db } from '../../../src/db';
import {
  createCampaignsRepo,
  type CampaignsRepo,
} from '../../../src/outbound/campaigns/campaigns-repo';
import { createDialerStore } from '../../../src/outbound/dialing/dialer-store';
import type { DialerStore } from '../../../src/outbound/dialing/dialer-types';
import { createDncRepo } from '../../../src/outbound/dnc/dnc-repo';
import { insertCall } from '../qa/qa-data';
import {
  campaignInput,
  contactRow,
  insertAttempt,
  insertContact,
  insertUser,
  outboundDb,
} from './outbound-data';

const T0 = Date.parse('2026-11-24T02:00:00Z');
const MIN = 60_000;
const clock = { now: () => T0 };

let db: Db;
let store: DialerStore;
let campaigns: CampaignsRepo;
let campaignId: number;
let anna: number;
let ben: number;

beforeEach(async () => {
  db = await outboundDb();
  store = createDialerStore(db, clock);
  campaigns = createCampaignsRepo(db, clock);
  anna = await insertUser(db);
  ben = await insertUser(db);
  campaignId = (await campaigns.create(campaignInput({ maxAttempts: 3 }), null)).id;
});
afterEach(() => db.destroy());

const ids = (list: Array<{ id: number }>) => list.map((c) => c.id);
const contact = (o: Omit<Parameters<typeof insertContact>[1], 'campaignId'> = {}) =>
  insertContact(db, { campaignId, ...o });

describe('claimDue: which contacts are due', () => {
  it('takes new and scheduled contacts due now, oldest due first, never past maxAttempts', async () => {
    const fresh = await contact({ createdAt: T0 - 60 * MIN });
    const retry = await contact({
      status: 'scheduled',
      attempts: 1,
      nextAttemptAt: T0 - 90 * MIN,
      createdAt: T0 - 10 * MIN,
    });
    const dueNow = await contact({ status: 'scheduled', attempts: 2, nextAttemptAt: T0 });
    await contact({ status: 'scheduled', attempts: 1, nextAttemptAt: T0 + MIN }); // not yet
    await contact({ status: 'scheduled', attempts: 3, nextAttemptAt: T0 - MIN }); // used up
    await contact({ status: 'in-progress' });
    await contact({ status: 'done', attempts: 1 });
    await contact({ status: 'dnc' });
    const claimed = await store.claimDue(campaignId, T0, 10);
    expect(ids(claimed)).toEqual([retry, fresh, dueNow]);
    expect(claimed[0]).toEqual({
      id: retry,
      campaignId,
      phone: expect.stringMatching(/^\+86/),
      timezone: null,
      fields: { firstName: 'Li' },
      attempts: 1,
      assignedUserId: null,
      ownerUserId: null,
    });
    for (const id of ids(claimed))
      expect(await contactRow(db, id)).toMatchObject({ status: 'in-progress', claimed_at: T0 });
    // Claimed contacts are not claimed again.
    expect(await store.claimDue(campaignId, T0, 10)).toEqual([]);
  });

  it('keeps a pending call-back due whatever its attempts', async () => {
    const cb = await contact({
      status: 'scheduled',
      attempts: 3,
      nextAttemptAt: T0 - MIN,
      callbackAt: T0 - MIN,
    });
    const later = await contact({
      status: 'scheduled',
      attempts: 5,
      nextAttemptAt: T0 + 30 * MIN,
      callbackAt: T0 + 30 * MIN,
    });
    expect(ids(await store.claimDue(campaignId, T0, 10))).toEqual([cb]);
    expect(ids(await store.claimDue(campaignId, T0 + 30 * MIN, 10))).toEqual([later]);
  });

  it('follows a lowered maxAttempts', async () => {
    await contact({ status: 'scheduled', attempts: 2, nextAttemptAt: T0 - MIN });
    await campaigns.update(campaignId, { maxAttempts: 2 });
    expect(await store.claimDue(campaignId, T0, 10)).toEqual([]);
  });

  it('claims at most `limit`, and nothing of another campaign or for a limit of 0', async () => {
    const other = (await campaigns.create(campaignInput(), null)).id;
    await insertContact(db, { campaignId: other });
    const a = await contact({ createdAt: 1 });
    await contact({ createdAt: 2 });
    expect(await store.claimDue(campaignId, T0, 0)).toEqual([]);
    expect(ids(await store.claimDue(campaignId, T0, 1))).toEqual([a]);
    expect(await store.claimDue(9999, T0, 5)).toEqual([]);
  });

  it('never hands one contact to two concurrent claims', async () => {
    for (let i = 0; i < 20; i++) await contact({ createdAt: i });
    const results = await Promise.all(
      Array.from({ length: 5 }, () => store.claimDue(campaignId, T0, 6)),
    );
    const all = results.flatMap(ids);
    expect(all).toHaveLength(20);
    expect(new Set(all).size).toBe(20);
  });
});

describe('claimDue: owners', () => {
  let annaCallback: number;
  let annaAssigned: number;
  let benAssigned: number;
  let unowned: number;
  let reassigned: number;
  beforeEach(async () => {
    unowned = await contact({ createdAt: 1 });
    annaAssigned = await contact({ assignedUserId: anna, createdAt: 2 });
    benAssigned = await contact({ assignedUserId: ben, createdAt: 3 });
    annaCallback = await contact({
      status: 'scheduled',
      attempts: 1,
      assignedUserId: ben,
      callbackAt: T0 - MIN,
      callbackUserId: anna,
      nextAttemptAt: T0 - MIN,
    });
    // Assigned to Anna at import, but Ben promised the call-back: it is Ben's now.
    reassigned = await contact({
      status: 'scheduled',
      attempts: 1,
      assignedUserId: anna,
      callbackAt: T0 - 2 * MIN,
      callbackUserId: ben,
      nextAttemptAt: T0 - 2 * MIN,
    });
  });

  it('without a filter takes unowned contacts only', async () => {
    expect(ids(await store.claimDue(campaignId, T0, 10))).toEqual([unowned]);
  });

  it('forUser: their call-backs, then their assigned contacts, then unowned ones', async () => {
    const claimed = await store.claimDue(campaignId, T0, 10, { forUser: anna });
    expect(ids(claimed)).toEqual([annaCallback, annaAssigned, unowned]);
    expect(claimed.map((c) => c.ownerUserId)).toEqual([anna, anna, null]);
    expect(claimed[0]!.assignedUserId).toBe(ben);
  });

  it('forUser with a limit of 1 gives the call-back first', async () => {
    expect(ids(await store.claimDue(campaignId, T0, 1, { forUser: anna }))).toEqual([annaCallback]);
    expect(ids(await store.claimDue(campaignId, T0, 1, { forUser: ben }))).toEqual([reassigned]);
  });

  it('owners: unowned ones or owned by one of them, oldest due first', async () => {
    const claimed = await store.claimDue(campaignId, T0, 10, { owners: [ben] });
    expect(ids(claimed)).toEqual([unowned, benAssigned, reassigned]);
    expect(ids(await store.claimDue(campaignId, T0, 10, { owners: [] }))).toEqual([]);
  });

  it('a call-back whose agent is gone is anyone’s', async () => {
    await db('campaign_contacts').where({ id: annaCallback }).update({ callback_user_id: null });
    expect(ids(await store.claimDue(campaignId, T0, 10))).toEqual([unowned, annaCallback]);
  });
});

describe('outcomes and releases', () => {
  it('records an attempt with the call’s talk time and schedules the next one', async () => {
    const id = await contact({ callbackAt: T0 - MIN, callbackUserId: anna });
    await store.claimDue(campaignId, T0, 1, { forUser: anna });
    const callId = await insertCall(db, {
      agentId: anna,
      startedAt: T0,
      talkMs: 42_000,
      direction: 'outbound',
    });
    await store.recordOutcome(id, {
      callId,
      outcome: 'answered',
      at: T0 + MIN,
      nextAttemptAt: null,
    });
    expect(await contactRow(db, id)).toMatchObject({
      status: 'done',
      attempts: 1,
      last_outcome: 'answered',
      next_attempt_at: null,
      callback_at: null,
      callback_user_id: null,
      claimed_at: null,
    });
    const id2 = await contact();
    await store.claimDue(campaignId, T0, 1);
    await store.recordOutcome(id2, {
      callId: 'no-such-call',
      outcome: 'busy',
      at: T0 + 2 * MIN,
      nextAttemptAt: T0 + 12 * MIN,
    });
    expect(await contactRow(db, id2)).toMatchObject({
      status: 'scheduled',
      attempts: 1,
      last_outcome: 'busy',
      next_attempt_at: T0 + 12 * MIN,
    });
    expect(await store.recentAttempts(campaignId, T0)).toEqual([
      { at: T0 + MIN, outcome: 'answered', talkMs: 42_000 },
      { at: T0 + 2 * MIN, outcome: 'busy', talkMs: 0 },
    ]);
    const rows = await db('outbound_attempts').orderBy('id').select('call_id', 'contact_id');
    expect(rows).toEqual([
      { call_id: callId, contact_id: id },
      { call_id: null, contact_id: id2 },
    ]);
  });

  it('an attempt whose contact a wrap-up already settled counts, the wrap-up’s decision stays', async () => {
    const id = await contact();
    await store.claimDue(campaignId, T0, 1);
    // The agent saved a call-back before the hang-up reached the dialer.
    await campaigns.applyDisposition({
      campaignId,
      contactId: id,
      disposition: { code: 'call-back', label: 'Call back', final: false, callback: true },
      callbackAt: T0 + 60 * MIN,
      userId: anna,
      now: T0,
    });
    await store.recordOutcome(id, {
      callId: 'x',
      outcome: 'answered',
      at: T0 + MIN,
      nextAttemptAt: null,
    });
    expect(await contactRow(db, id)).toMatchObject({
      status: 'scheduled',
      attempts: 1,
      last_outcome: 'answered',
      next_attempt_at: T0 + 60 * MIN,
      callback_at: T0 + 60 * MIN,
      callback_user_id: anna,
    });
  });

  it('recentAttempts reads from `since` on, of that campaign only', async () => {
    const id = await contact();
    await insertAttempt(db, { campaignId, contactId: id, outcome: 'busy', at: T0 - 2 * MIN });
    await insertAttempt(db, { campaignId, contactId: id, outcome: 'abandoned', at: T0 - MIN });
    expect(await store.recentAttempts(campaignId, T0 - MIN)).toEqual([
      { at: T0 - MIN, outcome: 'abandoned', talkMs: 0 },
    ]);
    expect(await store.recentAttempts(campaignId + 1, 0)).toEqual([]);
  });

  it('release puts a contact back: new when never dialed, else scheduled, optionally later', async () => {
    const never = await contact();
    const dialed = await contact({ status: 'scheduled', attempts: 1, nextAttemptAt: T0 - MIN });
    await store.claimDue(campaignId, T0, 10);
    await store.release(never);
    await store.release(dialed, T0 + 15 * MIN);
    expect(await contactRow(db, never)).toMatchObject({
      status: 'new',
      next_attempt_at: null,
      claimed_at: null,
    });
    expect(await contactRow(db, dialed)).toMatchObject({
      status: 'scheduled',
      next_attempt_at: T0 + 15 * MIN,
    });
    expect(ids(await store.claimDue(campaignId, T0, 10))).toEqual([never]);
  });

  it('release never revives a finished contact', async () => {
    const done = await contact({ status: 'done', attempts: 3 });
    const dnc = await contact({ status: 'dnc' });
    await store.release(done);
    await store.release(dnc);
    expect((await contactRow(db, done)).status).toBe('done');
    expect((await contactRow(db, dnc)).status).toBe('dnc');
  });

  it('releaseStale puts every in-progress contact back and counts them', async () => {
    const a = await contact();
    const b = await contact({ status: 'scheduled', attempts: 2, nextAttemptAt: T0 - MIN });
    const other = (await campaigns.create(campaignInput(), null)).id;
    const c = await insertContact(db, { campaignId: other });
    await contact({ status: 'done' });
    await store.claimDue(campaignId, T0, 10);
    await store.claimDue(other, T0, 10);
    expect(await store.releaseStale()).toBe(3);
    expect((await contactRow(db, a)).status).toBe('new');
    expect((await contactRow(db, b)).status).toBe('scheduled');
    expect((await contactRow(db, c)).status).toBe('new');
    expect(await store.releaseStale()).toBe(0);
  });

  it('markDnc ends the contact; a number put on the list during a call stays dnc', async () => {
    const id = await contact();
    await store.claimDue(campaignId, T0, 1);
    await store.markDnc(id);
    expect(await contactRow(db, id)).toMatchObject({ status: 'dnc', claimed_at: null });
    await store.recordOutcome(id, {
      callId: 'x',
      outcome: 'no-answer',
      at: T0,
      nextAttemptAt: T0 + 60 * MIN,
    });
    expect(await contactRow(db, id)).toMatchObject({ status: 'dnc', attempts: 1 });
  });
});

describe('campaigns and do-not-call as the dialer reads them', () => {
  it('lists running campaigns only, as DialCampaigns', async () => {
    expect(await store.runningCampaigns()).toEqual([]);
    await campaigns.setStatus(campaignId, 'running');
    const other = await campaigns.create(campaignInput({ mode: 'preview' }), null);
    await campaigns.setStatus(other.id, 'paused');
    const [c, ...rest] = await store.runningCampaigns();
    expect(rest).toEqual([]);
    expect(c).toEqual({
      id: campaignId,
      name: expect.any(String),
      queue: 'sales',
      mode: 'progressive',
      hours: { from: '00:00', to: '24:00' },
      timezone: 'UTC',
      maxAttempts: 3,
      retryMinutes: { busy: 10, noAnswer: 60, failed: 30, machine: 240 },
      callerId: '+861088880000',
      script: '',
      dispositions: expect.arrayContaining([
        { code: 'sale', label: 'Sale', final: true, success: true },
      ]),
      abandonCapPct: 3,
      recording: 'always',
      amd: false,
    });
  });

  it('joinedAgents in join order', async () => {
    await campaigns.join(campaignId, ben);
    clock.now = () => T0 + 1;
    await campaigns.join(campaignId, anna);
    clock.now = () => T0;
    expect(await store.joinedAgents(campaignId)).toEqual([ben, anna]);
  });

  it('isBlocked: global or this campaign’s list, not another campaign’s', async () => {
    const dnc = createDncRepo(db, clock);
    const other = (await campaigns.create(campaignInput(), null)).id;
    await dnc.add({ phone: '+8613800000001', campaignId: null, userId: null });
    await dnc.add({ phone: '+8613800000002', campaignId, userId: anna });
    await dnc.add({ phone: '+8613800000003', campaignId: other, userId: anna });
    expect(await store.isBlocked('+8613800000001', campaignId)).toBe(true);
    expect(await store.isBlocked('+8613800000002', campaignId)).toBe(true);
    expect(await store.isBlocked('+8613800000003', campaignId)).toBe(false);
    expect(await store.isBlocked('+8613800000004', campaignId)).toBe(false);
  });
});
