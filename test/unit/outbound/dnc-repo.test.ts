import type { Db } from '../../../src/db';
import { createCampaignsRepo } from '../../../src/outbound/campaigns/campaigns-repo';
import { createDncRepo, type DncRepo } from '../../../src/outbound/dnc/dnc-repo';
import { campaignInput, insertUser, outboundDb } from './outbound-data';

const T0 = Date.parse('2026-11-24T02:00:00Z');
let now = T0;
const clock = { now: () => now };

let db: Db;
let dnc: DncRepo;
let campaignId: number;
let otherId: number;
let sup: number;

beforeEach(async () => {
  now = T0;
  db = await outboundDb();
  dnc = createDncRepo(db, clock);
  const campaigns = createCampaignsRepo(db, clock);
  campaignId = (await campaigns.create(campaignInput(), null)).id;
  otherId = (await campaigns.create(campaignInput(), null)).id;
  sup = await insertUser(db, 'supervisor');
});
afterEach(() => db.destroy());

const PHONE = '+8613800001111';

describe('do-not-call list', () => {
  it('adds global and per-campaign entries; adding the same scope twice keeps one', async () => {
    const global = await dnc.add({ phone: PHONE, campaignId: null, reason: 'asked', userId: sup });
    expect(global).toEqual({
      id: expect.any(Number),
      phone: PHONE,
      campaignId: null,
      reason: 'asked',
      addedBy: sup,
      createdAt: new Date(T0).toISOString(),
    });
    now += 1000;
    expect(await dnc.add({ phone: PHONE, campaignId: null, userId: null })).toEqual(global);
    const scoped = await dnc.add({ phone: PHONE, campaignId, userId: sup });
    expect(scoped).toMatchObject({ campaignId, reason: null });
    expect((await dnc.list()).map((e) => e.id)).toEqual([scoped.id, global.id]);
    expect(await dnc.list({ campaignId: null })).toEqual([global]);
    expect(await dnc.list({ campaignId })).toEqual([scoped]);
    expect(await dnc.list({ phone: '+8613800002222' })).toEqual([]);
    expect(await dnc.list({ limit: 1, offset: 1 })).toEqual([global]);
  });

  it('isBlocked: globally or for that campaign', async () => {
    await dnc.add({ phone: PHONE, campaignId, userId: sup });
    expect(await dnc.isBlocked(PHONE, campaignId)).toBe(true);
    expect(await dnc.isBlocked(PHONE, otherId)).toBe(false);
    await dnc.add({ phone: PHONE, campaignId: null, userId: sup });
    expect(await dnc.isBlocked(PHONE, otherId)).toBe(true);
  });

  it('blockedAmong: which of many numbers are listed, globally or for that campaign', async () => {
    await dnc.add({ phone: PHONE, campaignId, userId: sup });
    await dnc.add({ phone: '+8613800000002', campaignId: null, userId: sup });
    // 600 numbers: two queries of at most 512, the second padded to a power of two.
    const many = Array.from({ length: 600 }, (_, i) => `+86139${String(i).padStart(8, '0')}`);
    many.push('+8613900000599', '+8613800000002', PHONE); // a repeat and the two listed
    expect(await dnc.blockedAmong(many, campaignId)).toEqual(new Set([PHONE, '+8613800000002']));
    expect(await dnc.blockedAmong(many, otherId)).toEqual(new Set(['+8613800000002']));
    expect(await dnc.blockedAmong([], campaignId)).toEqual(new Set());
  });

  it('removes the entry of one scope only', async () => {
    await dnc.add({ phone: PHONE, campaignId: null, userId: sup });
    await dnc.add({ phone: PHONE, campaignId, userId: sup });
    expect(await dnc.remove(PHONE, otherId)).toBe(0);
    expect(await dnc.remove(PHONE, null)).toBe(1);
    expect(await dnc.isBlocked(PHONE, otherId)).toBe(false);
    expect(await dnc.isBlocked(PHONE, campaignId)).toBe(true);
    expect(await dnc.remove(PHONE, campaignId)).toBe(1);
    expect(await dnc.list()).toEqual([]);
  });
});
