import type { createWrapUp } from '../../../src/calls/wrap-up';
import type { Db } from '../../../src/db';
import {
  createCampaignsRepo,
  type CampaignsRepo,
} from '../../../src/outbound/campaigns/campaigns-repo';
import type { CampaignDisposition } from '../../../src/outbound/campaigns/campaign-schema';
import { createDialerStore } from '../../../src/outbound/dialing/dialer-store';
import { createDncRepo } from '../../../src/outbound/dnc/dnc-repo';
import { HotlineError } from '../../../src/shared/errors';
import {
  campaignInput,
  contactRow,
  insertAttempt,
  insertContact,
  insertUser,
  outboundDb,
} from './outbound-data';

const T0 = Date.parse('2026-11-24T02:00:00Z'); // Tuesday 10:00 in Shanghai
const MIN = 60_000;
const DAY = 86_400_000;
const clock = { now: () => T0 };

let db: Db;
let campaigns: CampaignsRepo;
let agent: number;

beforeEach(async () => {
  db = await outboundDb();
  campaigns = createCampaignsRepo(db, clock);
  agent = await insertUser(db);
});
afterEach(() => db.destroy());

const DISPOSITION = (code: string): CampaignDisposition => {
  const d = DEFAULTS.find((x) => x.code === code);
  if (!d) throw new Error(code);
  return d;
};
const DEFAULTS: CampaignDisposition[] = [
  { code: 'sale', label: 'Sale', final: true, success: true },
  { code: 'not-interested', label: 'Not interested', final: true },
  { code: 'call-back', label: 'Call back', final: false, callback: true },
  { code: 'wrong-number', label: 'Wrong number', final: true },
  { code: 'do-not-call', label: 'Do not call', final: true, dnc: true },
];

describe('campaign settings', () => {
  it('creates a draft campaign with the defaults, as the API shows it', async () => {
    const c = await campaigns.create(
      campaignInput({
        name: 'Winter offer',
        hours: { from: '09:00', to: '18:00', days: 'mon-fri' },
      }),
      agent,
    );
    expect(c).toEqual({
      id: expect.any(Number),
      name: 'Winter offer',
      queue: 'sales',
      mode: 'progressive',
      status: 'draft',
      hours: { from: '09:00', to: '18:00', days: 'mon-fri' },
      timezone: 'UTC',
      maxAttempts: 3,
      retryMinutes: { busy: 10, noAnswer: 60, failed: 30, machine: 240 },
      callerId: '+861088880000',
      script: '',
      dispositions: DEFAULTS,
      recording: 'always',
      abandonCapPct: 3,
      amd: false,
      createdAt: new Date(T0).toISOString(),
    });
    expect(await campaigns.get(c.id)).toEqual(c);
    expect(await campaigns.get(c.id + 1)).toBeNull();
  });

  it('refuses a second campaign of the same name with HOTLINE_CAMPAIGN_NAME_TAKEN', async () => {
    const first = await campaigns.create(campaignInput({ name: 'Same' }), null);
    const dup = campaigns.create(campaignInput({ name: 'Same' }), null);
    await expect(dup).rejects.toBeInstanceOf(HotlineError);
    await expect(dup).rejects.toMatchObject({ code: 'HOTLINE_CAMPAIGN_NAME_TAKEN' });
    const other = await campaigns.create(campaignInput({ name: 'Other' }), null);
    await expect(campaigns.update(other.id, { name: 'Same' })).rejects.toMatchObject({
      code: 'HOTLINE_CAMPAIGN_NAME_TAKEN',
    });
    expect((await campaigns.get(first.id))!.name).toBe('Same');
  });

  it('updates only the fields given; retryMinutes merge per outcome', async () => {
    const c = await campaigns.create(
      campaignInput({ retryMinutes: { busy: 5 }, script: 'Hello {{firstName}}', amd: true }),
      null,
    );
    expect(c.retryMinutes).toEqual({ busy: 5, noAnswer: 60, failed: 30, machine: 240 });
    const u = await campaigns.update(c.id, {
      retryMinutes: { machine: 600 },
      mode: 'predictive',
      abandonCapPct: 2.5,
    });
    expect(u).toEqual({
      ...c,
      retryMinutes: { busy: 5, noAnswer: 60, failed: 30, machine: 600 },
      mode: 'predictive',
      abandonCapPct: 2.5,
    });
    expect(await campaigns.update(9999, { mode: 'preview' })).toBeNull();
  });

  it('lists newest first, optionally of some queues; sets the status', async () => {
    const a = await campaigns.create(campaignInput({ queue: 'sales' }), null);
    const b = await campaigns.create(campaignInput({ queue: 'renewals' }), null);
    expect((await campaigns.list()).map((c) => c.id)).toEqual([b.id, a.id]);
    expect((await campaigns.list({ queues: ['sales'] })).map((c) => c.id)).toEqual([a.id]);
    expect(await campaigns.list({ queues: [] })).toEqual([]);
    expect((await campaigns.setStatus(a.id, 'running'))!.status).toBe('running');
    expect(await campaigns.dispositions(a.id)).toEqual(DEFAULTS);
    expect(await campaigns.dispositions(9999)).toBeNull();
  });

  it('join is idempotent; leave; joinedAgents and joinedBy', async () => {
    const c = await campaigns.create(campaignInput(), null);
    const other = await insertUser(db);
    await campaigns.join(c.id, agent);
    await campaigns.join(c.id, agent);
    await campaigns.join(c.id, other);
    expect((await campaigns.joinedAgents(c.id)).sort()).toEqual([agent, other].sort());
    expect(await campaigns.joinedBy(agent)).toEqual([c.id]);
    await campaigns.leave(c.id, agent);
    await campaigns.leave(c.id, agent);
    expect(await campaigns.joinedAgents(c.id)).toEqual([other]);
  });
});

describe('stats', () => {
  it('counts contacts by progress, joined agents and the pacing ratio', async () => {
    const c = await campaigns.create(campaignInput(), null);
    const id = (o: Partial<Parameters<typeof insertContact>[1]>) =>
      insertContact(db, { campaignId: c.id, ...o });
    const answered = await id({ status: 'done', attempts: 1 });
    await id({ status: 'new' });
    const busy = await id({ status: 'scheduled', attempts: 1 });
    await id({ status: 'in-progress', attempts: 2 });
    await id({ status: 'dnc' });
    await insertAttempt(db, { campaignId: c.id, contactId: answered, outcome: 'answered', at: T0 });
    await insertAttempt(db, { campaignId: c.id, contactId: busy, outcome: 'busy', at: T0 });
    await campaigns.join(c.id, agent);
    expect(await campaigns.stats(c.id, T0)).toEqual({
      contacts: 5,
      dialed: 3,
      contacted: 1,
      remaining: 3,
      done: 2,
      abandonRate30d: 0,
      pacingRatio: 1,
      agentsOnline: 1,
    });
    campaigns.setPacingRatio(c.id, 1.8);
    expect((await campaigns.stats(c.id, T0)).pacingRatio).toBe(1.8);
    expect(campaigns.pacingRatio(c.id + 1)).toBe(1);
  });

  it('abandonRate30d: abandoned ÷ (answered + abandoned) in percent over the last 30 days', async () => {
    const c = await campaigns.create(campaignInput(), null);
    const other = await campaigns.create(campaignInput(), null);
    const contactId = await insertContact(db, { campaignId: c.id });
    const at = (outcome: string, t: number) =>
      insertAttempt(db, { campaignId: c.id, contactId, outcome, at: t });
    expect((await campaigns.stats(c.id, T0)).abandonRate30d).toBe(0);
    for (let i = 0; i < 30; i++) await at('answered', T0 - i * DAY);
    await at('abandoned', T0 - 1 * DAY);
    await at('abandoned', T0 - 29 * DAY);
    await at('no-answer', T0); // neither way
    await at('machine', T0);
    await at('abandoned', T0 - 30 * DAY); // exactly 30 days old: out of the window
    await at('abandoned', T0 - 40 * DAY);
    await at('abandoned', T0 + MIN); // the future: ignored
    const otherContact = await insertContact(db, { campaignId: other.id });
    await insertAttempt(db, {
      campaignId: other.id,
      contactId: otherContact,
      outcome: 'abandoned',
      at: T0,
    });
    // answered within (now-30d, now]: i = 0..29 → 30; abandoned 2 → 2 / 32 = 6.25 %.
    expect((await campaigns.stats(c.id, T0)).abandonRate30d).toBe(6.25);
    expect((await campaigns.stats(other.id, T0)).abandonRate30d).toBe(100);
  });
});

describe('contacts', () => {
  it('lists a campaign’s contacts by id, filtered by status, paged, with the total', async () => {
    const c = await campaigns.create(campaignInput(), null);
    const first = await insertContact(db, {
      campaignId: c.id,
      phone: '+8613800000001',
      fields: { firstName: 'Wang', visits: 3 },
      assignedUserId: agent,
      timezone: 'Asia/Shanghai',
    });
    for (let i = 0; i < 4; i++) await insertContact(db, { campaignId: c.id });
    await insertContact(db, {
      campaignId: c.id,
      status: 'scheduled',
      attempts: 1,
      nextAttemptAt: T0,
      callbackAt: T0,
      callbackUserId: agent,
    });
    const all = await campaigns.listContacts(c.id);
    expect(all.total).toBe(6);
    expect(all.contacts[0]).toEqual({
      id: first,
      campaignId: c.id,
      phone: '+8613800000001',
      region: 'CN',
      timezone: 'Asia/Shanghai',
      fields: { firstName: 'Wang', visits: '3' },
      assignedUserId: agent,
      status: 'new',
      attempts: 0,
      nextAttemptAt: null,
      lastOutcome: null,
      callbackAt: null,
      callbackUserId: null,
    });
    const scheduled = await campaigns.listContacts(c.id, { status: 'scheduled' });
    expect(scheduled.total).toBe(1);
    expect(scheduled.contacts[0]).toMatchObject({
      nextAttemptAt: new Date(T0).toISOString(),
      callbackAt: new Date(T0).toISOString(),
      callbackUserId: agent,
    });
    const page = await campaigns.listContacts(c.id, { status: 'new', offset: 2, limit: 2 });
    expect(page.total).toBe(5);
    expect(page.contacts.map((x) => x.id)).toEqual([first + 2, first + 3]);
  });
});

describe('applyDisposition', () => {
  let campaignId: number;
  let contactId: number;
  beforeEach(async () => {
    campaignId = (
      await campaigns.create(
        campaignInput({
          hours: { from: '09:00', to: '18:00', days: 'mon-fri' },
          timezone: 'Asia/Shanghai',
          dispositions: [
            ...DEFAULTS,
            { code: 'left-message', label: 'Left a message', final: false },
          ],
        }),
        null,
      )
    ).id;
    // Answered on its first attempt: recordOutcome has made it done.
    contactId = await insertContact(db, {
      campaignId,
      phone: '+8613800000009',
      status: 'done',
      attempts: 1,
    });
  });
  const apply = (code: string, callbackAt: number | null = null, now = T0) =>
    campaigns.applyDisposition({
      campaignId,
      contactId,
      disposition:
        code === 'left-message'
          ? { code, label: 'Left a message', final: false }
          : DISPOSITION(code),
      callbackAt,
      userId: agent,
      now,
    });

  it('a final disposition ends the contact', async () => {
    await apply('sale');
    expect(await contactRow(db, contactId)).toMatchObject({
      status: 'done',
      last_disposition: 'sale',
      next_attempt_at: null,
    });
  });

  it('do-not-call adds the number to the campaign’s list and ends the contact', async () => {
    await apply('do-not-call');
    expect(await contactRow(db, contactId)).toMatchObject({
      status: 'dnc',
      last_disposition: 'do-not-call',
    });
    const dnc = createDncRepo(db, clock);
    expect(await dnc.list()).toEqual([
      {
        id: expect.any(Number),
        phone: '+8613800000009',
        campaignId,
        reason: 'disposition do-not-call',
        addedBy: agent,
        createdAt: new Date(T0).toISOString(),
      },
    ]);
    expect(await dnc.isBlocked('+8613800000009', campaignId)).toBe(true);
  });

  it('call-back schedules the contact for this agent at that time, whatever its attempts', async () => {
    await db('campaign_contacts').where({ id: contactId }).update({ attempts: 3 });
    const at = T0 + 2 * 60 * MIN; // 12:00 in Shanghai
    await apply('call-back', at);
    expect(await contactRow(db, contactId)).toMatchObject({
      status: 'scheduled',
      next_attempt_at: at,
      callback_at: at,
      callback_user_id: agent,
      last_disposition: 'call-back',
    });
    const store = createDialerStore(db, clock);
    expect(await store.claimDue(campaignId, at - MIN, 5, { forUser: agent })).toEqual([]);
    expect(await store.claimDue(campaignId, at, 5)).toEqual([]); // not unowned
    const [claimed] = await store.claimDue(campaignId, at, 5, { forUser: agent });
    expect(claimed).toMatchObject({ id: contactId, ownerUserId: agent, attempts: 3 });
  });

  it('a call-back asked for outside calling hours is moved into them', async () => {
    const night = Date.parse('2026-11-24T14:00:00Z'); // 22:00 in Shanghai
    await apply('call-back', night);
    expect((await contactRow(db, contactId)).next_attempt_at).toBe(
      Date.parse('2026-11-25T01:00:00Z'), // 09:00 the next morning
    );
  });

  it('a non-final disposition is retried like a no-answer, or ends at maxAttempts', async () => {
    await apply('left-message');
    expect(await contactRow(db, contactId)).toMatchObject({
      status: 'scheduled',
      next_attempt_at: T0 + 60 * MIN,
      callback_at: null,
      last_disposition: 'left-message',
    });
    await db('campaign_contacts').where({ id: contactId }).update({ attempts: 3 });
    await apply('left-message');
    expect(await contactRow(db, contactId)).toMatchObject({
      status: 'done',
      next_attempt_at: null,
    });
  });

  it('plugs into the wrap-up’s campaign hook as it is', async () => {
    const hook: NonNullable<Parameters<typeof createWrapUp>[0]['campaign']> = {
      dispositions: campaigns.dispositions,
      applied: campaigns.applyDisposition,
    };
    expect((await hook.dispositions(campaignId))?.map((d) => d.code)).toContain('left-message');
    await hook.applied({
      campaignId,
      contactId,
      disposition: DISPOSITION('wrong-number'),
      callbackAt: null,
      userId: agent,
    });
    expect(await contactRow(db, contactId)).toMatchObject({
      status: 'done',
      last_disposition: 'wrong-number',
    });
  });

  it('leaves a contact of another campaign alone', async () => {
    const other = (await campaigns.create(campaignInput(), null)).id;
    await campaigns.applyDisposition({
      campaignId: other,
      contactId,
      disposition: DISPOSITION('do-not-call'),
      callbackAt: null,
      userId: agent,
    });
    expect((await contactRow(db, contactId)).status).toBe('done');
    expect(await createDncRepo(db).list()).toEqual([]);
  });
});
