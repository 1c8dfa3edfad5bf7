/**
 * Issue 9, least privilege: numbers in real answers as each role sees them (docs/privacy.md).
 * QA masked; agents whole on their own records (their calls, the customer on their call, the
 * customers they own, what they typed) and masked on the rest; supervisors and admins whole by
 * default, their own only with `privacy.fullNumberRoles` narrowed.
 */
import { appFixture, type AppFixture } from '../../support/app-fixture';
import { expectResponse } from '../../support/expect-response';

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
type Phone = { e164: string; raw: string };
type Customer = { id: number; phones: Phone[]; numbersMasked?: boolean };

let seq = 0;
/** A closed inbound call from `e164`, answered by `agentId`. */
async function call(fx: AppFixture, e164: string, agentId: number | null, customerId?: number) {
  const id = `nm-call-${++seq}`;
  const t = Date.now();
  await fx.calls.open(
    { id, callerNumber: e164, callerE164: e164, dialedNumber: '4000', channelId: `ch-${id}` },
    { at: t, data: { direction: 'inbound', queue: 'general', customerId: customerId ?? null } },
  );
  if (agentId !== null) await fx.calls.commit(id, { type: 'answered', at: t + 1, agentId });
  // A transfer out to an external number: the number is in the timeline.
  await fx.calls.commit(id, {
    type: 'transferred',
    at: t + 2,
    agentId,
    data: { mode: 'blind', target: { type: 'external', number: '+8613966667777' } },
  });
  return id;
}

async function get(fx: AppFixture, token: string, url: string) {
  const res = await fx.http().get(url).set(auth(token));
  expectResponse(res);
  expect(res.status).toBe(200);
  return res.body as Record<string, unknown>;
}

describe('with the default policy (supervisors and admins see numbers whole)', () => {
  let fx: AppFixture;
  let ann: { id: number; token: string };
  let bob: { id: number; token: string };
  let qa: { id: number; token: string };
  let sup: { id: number; token: string };
  let admin: { id: number; token: string };
  let annsCall: string;
  let customer: Customer;
  beforeAll(async () => {
    fx = await appFixture();
    ann = await fx.user('nm-ann', 'agent', '1401');
    bob = await fx.user('nm-bob', 'agent', '1402');
    qa = await fx.user('nm-qa', 'qa');
    sup = await fx.user('nm-sup', 'supervisor');
    admin = await fx.user('nm-admin', 'admin');
    const res = await fx
      .http()
      .post('/api/customers')
      .set(auth(sup.token))
      .send({ name: 'Masked Ma', phones: ['13812348000', '+8613812349000'] });
    customer = res.body as Customer;
    annsCall = await call(fx, '+8613812348000', ann.id, customer.id);
  });
  afterAll(() => fx.close());

  it('masks call records for QA, list, detail and timeline, and says so', async () => {
    const list = await get(fx, qa.token, `/api/calls?customerId=${customer.id}`);
    const rec = (list.calls as Array<Record<string, unknown>>)[0]!;
    expect(rec).toMatchObject({
      id: annsCall,
      callerNumber: '+86 138****8000',
      dialedNumber: '****',
      numbersMasked: true,
    });
    const detail = await get(fx, qa.token, `/api/calls/${annsCall}`);
    expect(detail).toMatchObject({ callerNumber: '+86 138****8000', numbersMasked: true });
    expect(JSON.stringify(detail.timeline)).toContain('+86 139****7777');
    expect(JSON.stringify(detail)).not.toMatch(/13812348000|13966667777/);
  });

  it('masks customers for QA (by id, by name), and shows back a number QA searched for', async () => {
    const one = (await get(fx, qa.token, `/api/customers/${customer.id}`)) as Customer;
    expect(one.phones).toEqual([
      { e164: '+86 138****8000', raw: '138****8000' },
      { e164: '+86 138****9000', raw: '+86 138****9000' },
    ]);
    expect(one.numbersMasked).toBe(true);
    const byName = await get(fx, qa.token, '/api/customers?q=Masked');
    expect(JSON.stringify(byName)).not.toMatch(/1381234[89]000/);
    // The number QA typed is theirs already; the customer's other number stays masked.
    const byPhone = await get(fx, qa.token, '/api/customers?phone=138%201234%208000');
    expect(byPhone.e164).toBe('+8613812348000');
    expect((byPhone.customers as Customer[])[0]!.phones).toEqual([
      { e164: '+8613812348000', raw: '13812348000' },
      { e164: '+86 138****9000', raw: '+86 138****9000' },
    ]);
  });

  it('shows the agent their own call whole; refuses them the calls of others as before', async () => {
    const mine = await get(fx, ann.token, `/api/calls/${annsCall}`);
    expect(mine).toMatchObject({ callerNumber: '+8613812348000' });
    expect(mine.numbersMasked).toBeUndefined();
    expect(JSON.stringify(mine.timeline)).toContain('+8613966667777');
    const res = await fx.http().get(`/api/calls/${annsCall}`).set(auth(bob.token));
    expect(res.status).toBe(404);
  });

  it('masks a customer an agent finds by name, unless they own it or are on a call with it', async () => {
    const found = async (token: string) =>
      ((await get(fx, token, '/api/customers?q=Masked')).customers as Customer[])[0]!;
    expect((await found(bob.token)).phones[0]!.e164).toBe('+86 138****8000');
    expect((await found(bob.token)).numbersMasked).toBe(true);
    // On a call from the customer's number: theirs while the call lasts.
    const live = await call(fx, '+8613812349000', null);
    fx.agents.onCall(bob.id, live);
    expect((await found(bob.token)).phones.map((p) => p.e164)).toEqual([
      '+8613812348000',
      '+8613812349000',
    ]);
    expect((await get(fx, bob.token, `/api/customers/${customer.id}`)).numbersMasked).toBe(
      undefined,
    );
    fx.agents.endWrapUp(bob.id, live);
    expect((await found(bob.token)).phones[0]!.e164).toBe('+86 138****8000');
    // Offered a call whose record is not written yet: the customer on the pop is theirs.
    fx.agents.onCall(bob.id, 'nm-not-written');
    await fx.gateway.pop(
      bob.id,
      {
        callId: 'nm-not-written',
        direction: 'inbound',
        callerNumber: '+8613812348000',
        dialedNumber: '4000',
        customer: {
          id: customer.id,
          name: 'Masked Ma',
          company: null,
          tier: 'standard',
          owner: null,
        },
        candidates: [],
        history: [],
        openComplaints: [],
        queue: 'general',
        waitedMs: 0,
        sentAt: new Date().toISOString(),
      },
      0,
    );
    expect((await found(bob.token)).phones[0]!.e164).toBe('+8613812348000');
    fx.gateway.update(bob.id, { callId: 'nm-not-written', state: 'ended', at: '' });
    fx.agents.endWrapUp(bob.id, 'nm-not-written');
    expect((await found(bob.token)).phones[0]!.e164).toBe('+86 138****8000');
    // The account owner sees their customer whole.
    await fx
      .http()
      .put(`/api/customers/${customer.id}`)
      .set(auth(sup.token))
      .send({ ownerUserId: bob.id })
      .expect(200);
    expect((await found(bob.token)).phones[0]!.e164).toBe('+8613812348000');
    await fx
      .http()
      .put(`/api/customers/${customer.id}`)
      .set(auth(sup.token))
      .send({ ownerUserId: null })
      .expect(200);
  });

  it('answers an agent who creates a customer with the numbers they sent', async () => {
    const res = await fx
      .http()
      .post('/api/customers')
      .set(auth(bob.token))
      .send({ name: 'Typed Tang', phones: ['13855556666'] });
    expect(res.status).toBe(201);
    expect((res.body as Customer).phones).toEqual([{ e164: '+8613855556666', raw: '13855556666' }]);
  });

  it('keeps a stored number an agent sends back masked (the edit form shows what it got)', async () => {
    const c = ((await get(fx, ann.token, '/api/customers?q=Masked')).customers as Customer[])[0]!;
    const shown = c.phones.map((p) => p.raw);
    expect(shown).toEqual(['138****8000', '+86 138****9000']);
    const res = await fx
      .http()
      .put(`/api/customers/${c.id}`)
      .set(auth(ann.token))
      .send({ name: 'Masked Ma', phones: [...shown, '13877778888'] });
    expectResponse(res);
    expect(res.status).toBe(200);
    const stored = await fx.customers.get(c.id);
    expect(stored!.phones).toEqual([
      { e164: '+8613812348000', raw: '13812348000' },
      { e164: '+8613812349000', raw: '+8613812349000' },
      { e164: '+8613877778888', raw: '13877778888' },
    ]);
    await fx
      .http()
      .put(`/api/customers/${c.id}`)
      .set(auth(sup.token))
      .send({ phones: ['13812348000', '+8613812349000'] })
      .expect(200);
  });

  it('shows supervisors and admins every number whole', async () => {
    for (const token of [sup.token, admin.token]) {
      const detail = await get(fx, token, `/api/calls/${annsCall}`);
      expect(detail).toMatchObject({ callerNumber: '+8613812348000', dialedNumber: '4000' });
      expect(detail.numbersMasked).toBeUndefined();
      const c = (await get(fx, token, `/api/customers/${customer.id}`)) as Customer;
      expect(c.phones[0]!.e164).toBe('+8613812348000');
    }
  });

  it('shows an agent their own tasks whole', async () => {
    const res = await fx.http().post('/api/complaints').set(auth(sup.token)).send({
      customerId: customer.id,
      category: 'service',
      severity: 'low',
      description: 'late',
      ownerUserId: ann.id,
    });
    expect(res.status).toBe(201);
    const tasks = (await get(fx, ann.token, '/api/tasks')).tasks as Array<{ phone: string }>;
    expect(tasks.map((t) => t.phone)).toContain('+8613812348000');
  });
});

describe('with supervisors on demand (privacy.fullNumberRoles: ["admin"])', () => {
  let fx: AppFixture;
  beforeAll(async () => {
    fx = await appFixture({ fullNumberRoles: ['admin'] });
  });
  afterAll(() => fx.close());

  it('masks other people’s records for supervisors, not their own; admins see them whole', async () => {
    const sup = await fx.user('od-sup', 'supervisor', '1901');
    const ann = await fx.user('od-ann', 'agent', '1403');
    const admin = await fx.user('od-admin', 'admin');
    const c = (
      await fx
        .http()
        .post('/api/customers')
        .set(auth(admin.token))
        .send({ name: 'On Demand', phones: ['13812340001'] })
    ).body as Customer;
    const others = await call(fx, '+8613812340001', ann.id, c.id);
    const own = await call(fx, '+8613812340001', sup.id, c.id);
    expect(await get(fx, sup.token, `/api/calls/${others}`)).toMatchObject({
      callerNumber: '+86 138****0001',
      numbersMasked: true,
    });
    expect(await get(fx, sup.token, `/api/calls/${own}`)).toMatchObject({
      callerNumber: '+8613812340001',
    });
    expect(await get(fx, admin.token, `/api/calls/${others}`)).toMatchObject({
      callerNumber: '+8613812340001',
    });
    // A task of Ann's: masked to the supervisor, whole to Ann.
    await fx
      .http()
      .post('/api/complaints')
      .set(auth(admin.token))
      .send({
        customerId: c.id,
        category: 'service',
        severity: 'low',
        description: 'x',
        ownerUserId: ann.id,
      })
      .expect(201);
    const phones = async (token: string) =>
      ((await get(fx, token, '/api/tasks')).tasks as Array<{ phone: string | null }>).map(
        (t) => t.phone,
      );
    expect(await phones(sup.token)).toEqual(['+86 138****0001']);
    expect(await phones(ann.token)).toEqual(['+8613812340001']);
  });
});
