/**
 * Issue 9: reveals give the whole numbers and are audited; customer views, searches and exports
 * by non-agents go to the customer access audit, which admins read with filters.
 */
import { appFixture, type AppFixture } from '../../support/app-fixture';
import { expectResponse } from '../../support/expect-response';

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
type Entry = {
  userId: number;
  userName: string | null;
  role: string;
  action: string;
  customerId: number | null;
  callId: string | null;
  path: string;
  detail: string | null;
  count: number | null;
  at: string;
};

let fx: AppFixture;
let ann: { id: number; token: string };
let qa: { id: number; token: string };
let sup: { id: number; token: string };
let admin: { id: number; token: string };
let customerId: number;
const callId = 'caa-call-1';

beforeAll(async () => {
  fx = await appFixture();
  ann = await fx.user('caa-ann', 'agent', '1501');
  qa = await fx.user('caa-qa', 'qa');
  sup = await fx.user('caa-sup', 'supervisor');
  admin = await fx.user('caa-admin', 'admin');
  customerId = (
    await fx
      .http()
      .post('/api/customers')
      .set(auth(ann.token))
      .send({ name: 'Audit Au', phones: ['13812348000'] })
      .expect(201)
  ).body.id as number;
  const t = Date.now();
  await fx.calls.open(
    {
      id: callId,
      callerNumber: '+8613812348000',
      callerE164: '+8613812348000',
      dialedNumber: '4000',
      channelId: 'ch-caa',
    },
    { at: t, data: { direction: 'inbound', queue: 'general', customerId } },
  );
  await fx.calls.commit(callId, { type: 'answered', at: t + 1, agentId: ann.id });
});
afterAll(() => fx.close());

async function entries(query = ''): Promise<Entry[]> {
  const res = await fx.http().get(`/api/audit/customer-access${query}`).set(auth(admin.token));
  expectResponse(res);
  expect(res.status).toBe(200);
  return (res.body as { entries: Entry[] }).entries;
}
const newest = async () => (await entries('?limit=1'))[0];

describe('reveal', () => {
  it('gives QA the whole numbers of a call and writes the reveal with its reason', async () => {
    const res = await fx
      .http()
      .post(`/api/calls/${callId}/reveal`)
      .set(auth(qa.token))
      .send({ reason: 'customer disputes the call, ref 13812348000' });
    expectResponse(res);
    expect(res.body).toEqual({
      callId,
      customerId,
      callerNumber: '+8613812348000',
      dialedNumber: '4000',
    });
    expect(await newest()).toMatchObject({
      userId: qa.id,
      userName: 'caa-qa name',
      role: 'qa',
      action: 'reveal',
      callId,
      customerId,
      path: `POST /api/calls/${callId}/reveal`,
      detail: 'customer disputes the call, ref 138****8000',
    });
  });

  it('gives a customer’s numbers whole, without a reason too', async () => {
    for (const token of [qa.token, sup.token]) {
      const res = await fx.http().post(`/api/customers/${customerId}/reveal`).set(auth(token));
      expectResponse(res);
      expect(res.body).toEqual({
        customerId,
        phones: [{ e164: '+8613812348000', raw: '13812348000' }],
      });
      expect(await newest()).toMatchObject({ action: 'reveal', customerId, detail: null });
    }
  });

  it('is refused to agents, and a reveal of nothing is a 404 that is not audited', async () => {
    const before = (await entries()).length;
    const res = await fx.http().post(`/api/calls/${callId}/reveal`).set(auth(ann.token)).send({});
    expect([res.status, res.body.error?.code]).toEqual([403, 'HOTLINE_FORBIDDEN']);
    const missing = await fx.http().post('/api/calls/no-such-call/reveal').set(auth(qa.token));
    expect([missing.status, missing.body.error?.code]).toEqual([404, 'HOTLINE_CALL_NOT_FOUND']);
    const bad = await fx
      .http()
      .post(`/api/customers/${customerId}/reveal`)
      .set(auth(qa.token))
      .send({ reason: 'x'.repeat(501) });
    expect(bad.status).toBe(400);
    expect((await entries()).length).toBe(before);
  });
});

describe('views, searches and exports', () => {
  it('writes a QA or supervisor view of a customer or a call, not an agent’s', async () => {
    const before = (await entries()).length;
    await fx.http().get(`/api/customers/${customerId}`).set(auth(ann.token)).expect(200);
    await fx.http().get(`/api/calls/${callId}`).set(auth(ann.token)).expect(200);
    expect((await entries()).length).toBe(before);

    await fx.http().get(`/api/customers/${customerId}`).set(auth(qa.token)).expect(200);
    expect(await newest()).toMatchObject({
      userId: qa.id,
      action: 'view',
      customerId,
      callId: null,
      path: `GET /api/customers/${customerId}`,
      count: 1,
    });
    await fx.http().get(`/api/calls/${callId}`).set(auth(sup.token)).expect(200);
    expect(await newest()).toMatchObject({
      userId: sup.id,
      role: 'supervisor',
      action: 'view',
      callId,
      customerId,
    });
  });

  it('writes a search with its terms, numbers masked, and the count', async () => {
    await fx.http().get('/api/customers?phone=13812348000').set(auth(qa.token)).expect(200);
    expect(await newest()).toMatchObject({
      action: 'search',
      path: 'GET /api/customers',
      detail: 'phone=138****8000',
      count: 1,
    });
    await fx.http().get('/api/customers?q=Nobody%20here').set(auth(sup.token)).expect(200);
    expect(await newest()).toMatchObject({ action: 'search', detail: 'q=Nobody here', count: 0 });
  });

  it('does not write a supervisor’s read of their own call', async () => {
    const t = Date.now();
    await fx.calls.open(
      {
        id: 'caa-own',
        callerNumber: '+8613812348000',
        callerE164: '+8613812348000',
        dialedNumber: '4000',
        channelId: 'ch-caa-own',
      },
      { at: t, data: { direction: 'inbound', queue: 'general', customerId } },
    );
    await fx.calls.commit('caa-own', { type: 'answered', at: t + 1, agentId: sup.id });
    const before = (await entries()).length;
    await fx.http().get('/api/calls/caa-own').set(auth(sup.token)).expect(200);
    expect((await entries()).length).toBe(before);
  });
});

describe('GET /api/audit/customer-access', () => {
  it('is for admins only', async () => {
    for (const token of [ann.token, qa.token, sup.token]) {
      const res = await fx.http().get('/api/audit/customer-access').set(auth(token));
      expect([res.status, res.body.error?.code]).toEqual([403, 'HOTLINE_FORBIDDEN']);
    }
  });

  it('filters by user, customer, call, action and time, newest first, with paging', async () => {
    const all = await entries();
    expect(all.length).toBeGreaterThanOrEqual(7);
    const times = all.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect((await entries(`?userId=${qa.id}`)).every((e) => e.userId === qa.id)).toBe(true);
    expect((await entries(`?userId=${qa.id}`)).length).toBeGreaterThanOrEqual(4);
    const reveals = await entries('?action=reveal');
    expect(reveals.map((e) => e.action)).toEqual(['reveal', 'reveal', 'reveal']);
    expect((await entries(`?callId=${callId}`)).every((e) => e.callId === callId)).toBe(true);
    const ofCustomer = await entries(`?customerId=${customerId}`);
    expect(ofCustomer.every((e) => e.customerId === customerId)).toBe(true);
    expect(new Set(ofCustomer.map((e) => e.action))).toEqual(new Set(['reveal', 'view', 'search']));
    const future = new Date(Date.now() + 60_000).toISOString();
    expect(await entries(`?from=${encodeURIComponent(future)}`)).toEqual([]);
    expect((await entries(`?to=${encodeURIComponent(future)}`)).length).toBe(all.length);
    const page = await entries('?limit=2&offset=1');
    expect(page).toEqual(all.slice(1, 3));
    const bad = await fx
      .http()
      .get('/api/audit/customer-access?action=delete')
      .set(auth(admin.token));
    expect([bad.status, bad.body.error?.code]).toEqual([400, 'HOTLINE_VALIDATION']);
  });

  it('is not itself written to the audit', async () => {
    const n = (await entries()).length;
    expect((await entries()).length).toBe(n);
  });
});
