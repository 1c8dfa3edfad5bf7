/**
 * Issue 9, defect 7: agents can neither take a customer over (owner and tier decide routing:
 * supervisors and admins set them), nor list the customer base through LIKE wildcards or an
 * empty search, nor read every complaint.
 */
import { appFixture, type AppFixture } from '../../support/app-fixture';
import { expectResponse } from '../../support/expect-response';

let fx: AppFixture;
beforeAll(async () => {
  fx = await appFixture();
});
afterAll(() => fx.close());

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
type Customer = { id: number; name: string; tier: string; ownerUserId: number | null };

async function newCustomer(token: string, body: object) {
  const res = await fx.http().post('/api/customers').set(auth(token)).send(body);
  expectResponse(res);
  return res;
}

describe('owner and tier are for supervisors and admins (defect 7)', () => {
  it('refuses an agent who makes themself owner or the customer VIP; the customer is unchanged', async () => {
    const agent = await fx.user('cp-agent1', 'agent', '1301');
    const sup = await fx.user('cp-sup1', 'supervisor');
    const c = (await newCustomer(sup.token, { name: 'Li Na', phones: ['13811112222'] }))
      .body as Customer;
    for (const body of [
      { ownerUserId: agent.id, tier: 'vip' },
      { ownerUserId: agent.id },
      { tier: 'vip' },
    ]) {
      const res = await fx.http().put(`/api/customers/${c.id}`).set(auth(agent.token)).send(body);
      expectResponse(res);
      expect([res.status, res.body.error?.code]).toEqual([403, 'HOTLINE_FORBIDDEN']);
    }
    const now = (await fx.http().get(`/api/customers/${c.id}`).set(auth(agent.token)))
      .body as Customer;
    expect(now).toMatchObject({ tier: 'standard', ownerUserId: null });
  });

  it('lets an agent edit name, company, notes and numbers (sending owner and tier unchanged)', async () => {
    const agent = await fx.user('cp-agent2', 'agent', '1302');
    const sup = await fx.user('cp-sup2', 'supervisor');
    const c = (
      await newCustomer(sup.token, {
        name: 'Wang Fang',
        phones: ['13822223333'],
        tier: 'vip',
        ownerUserId: sup.id,
      })
    ).body as Customer;
    // The web form sends every field.
    const res = await fx
      .http()
      .put(`/api/customers/${c.id}`)
      .set(auth(agent.token))
      .send({
        name: 'Wang Fang (Ms)',
        company: 'Acme',
        notes: 'prefers mornings',
        phones: ['13822223333', '13822224444'],
        tier: 'vip',
        ownerUserId: sup.id,
      });
    expectResponse(res);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: 'Wang Fang (Ms)',
      company: 'Acme',
      tier: 'vip',
      ownerUserId: sup.id,
    });
  });

  it('lets a supervisor or admin set owner and tier', async () => {
    const agent = await fx.user('cp-agent3', 'agent', '1303');
    const admin = await fx.user('cp-admin3', 'admin');
    const c = (await newCustomer(agent.token, { name: 'Zhao Lei', phones: ['13833334444'] }))
      .body as Customer;
    const res = await fx
      .http()
      .put(`/api/customers/${c.id}`)
      .set(auth(admin.token))
      .send({ ownerUserId: agent.id, tier: 'vip' });
    expect([res.status, res.body.tier, res.body.ownerUserId]).toEqual([200, 'vip', agent.id]);
  });

  it('lets an agent create a standard customer without an owner, nothing else', async () => {
    const agent = await fx.user('cp-agent4', 'agent', '1304');
    const ok = await newCustomer(agent.token, {
      name: 'Sun Li',
      phones: ['13844445555'],
      tier: 'standard',
      ownerUserId: null,
    });
    expect(ok.status).toBe(201);
    for (const extra of [{ tier: 'vip' }, { ownerUserId: agent.id }]) {
      const res = await newCustomer(agent.token, {
        name: 'Sun Li',
        phones: ['13844445556'],
        ...extra,
      });
      expect([res.status, res.body.error?.code]).toEqual([403, 'HOTLINE_FORBIDDEN']);
    }
  });
});

describe('customer search (defect 7)', () => {
  let agent: { token: string };
  let sup: { token: string };
  beforeAll(async () => {
    agent = await fx.user('cp-agent5', 'agent', '1305');
    sup = await fx.user('cp-sup5', 'supervisor');
    for (const [name, phone] of [
      ['Alpha Trading', '13855550001'],
      ['Beta_Works', '13855550002'],
      ['100% Cotton', '13855550003'],
      ['Gamma Foods', '13855550004'],
    ] as const)
      await newCustomer(sup.token, { name, phones: [phone] });
  });
  const names = async (token: string, query: string) => {
    const res = await fx.http().get(`/api/customers?${query}`).set(auth(token));
    expectResponse(res);
    return [res.status, ((res.body.customers ?? []) as Customer[]).map((c) => c.name)] as const;
  };

  it('takes % and _ literally', async () => {
    for (const token of [agent.token, sup.token]) {
      expect(await names(token, 'q=%25%25')).toEqual([200, []]);
      expect(await names(token, 'q=__')).toEqual([200, []]);
      expect(await names(token, 'q=0%25')).toEqual([200, ['100% Cotton']]);
      expect(await names(token, 'q=a_w')).toEqual([200, ['Beta_Works']]);
      expect(await names(token, 'q=%5C%25')).toEqual([200, []]);
    }
    expect(await names(sup.token, 'q=%25')).toEqual([200, ['100% Cotton']]);
    expect(await names(sup.token, 'q=_')).toEqual([200, ['Beta_Works']]);
  });

  it('needs two characters or a number from an agent; lists everyone only to managers', async () => {
    for (const query of ['', 'q=', 'q=%25', 'q=_', 'q=a', 'q=%20%20a%20', 'limit=200'])
      expect([query, (await names(agent.token, query))[0]]).toEqual([query, 400]);
    expect(await names(agent.token, 'q=ga')).toEqual([200, ['Gamma Foods']]);
    expect(await names(agent.token, 'phone=13855550001')).toEqual([200, ['Alpha Trading']]);
    expect((await names(sup.token, ''))[1].length).toBeGreaterThanOrEqual(4);
  });
});

describe('complaints an agent reads (defect 7)', () => {
  it('are those they own or opened, of their tasks, of customers they own or are on a call with', async () => {
    const ann = await fx.user('cp-ann', 'agent', '1311');
    const bob = await fx.user('cp-bob', 'agent', '1312');
    const cy = await fx.user('cp-cy', 'agent', '1313');
    const dee = await fx.user('cp-dee', 'agent', '1314');
    const qa = await fx.user('cp-qa', 'qa');
    const sup = await fx.user('cp-sup6', 'supervisor');
    const customer = async (name: string, phone: string, ownerUserId: number | null = null) =>
      ((await newCustomer(sup.token, { name, phones: [phone], ownerUserId })).body as Customer).id;
    const open = async (token: string, customerId: number, ownerUserId?: number) => {
      const res = await fx.http().post('/api/complaints').set(auth(token)).send({
        customerId,
        category: 'service',
        severity: 'low',
        description: 'late',
        ownerUserId,
      });
      expect(res.status).toBe(201);
      return res.body as { id: number; followUpTask: { id: number } };
    };
    const seen = async (token: string, query = '') => {
      const res = await fx.http().get(`/api/complaints${query}`).set(auth(token));
      expectResponse(res);
      expect(res.status).toBe(200);
      return ((res.body.complaints ?? []) as Array<{ id: number }>).map((c) => c.id).sort();
    };
    const x = await customer('Xu', '13866660001');
    const y = await customer('Yu', '13866660002', dee.id);
    const z = await customer('Zu', '13866660003');

    const byAnn = await open(ann.token, x); // Ann opened and owns it
    const forBob = await open(sup.token, y, bob.id); // Bob owns it; Dee owns customer y
    const handed = await open(sup.token, z); // the supervisor's; its task handed to Cy
    await fx
      .http()
      .put(`/api/tasks/${handed.followUpTask.id}`)
      .set(auth(sup.token))
      .send({ assignedUserId: cy.id })
      .expect(200);

    expect(await seen(ann.token)).toEqual([byAnn.id]);
    expect(await seen(ann.token, `?customerId=${y}`)).toEqual([]);
    expect(await seen(bob.token)).toEqual([forBob.id]);
    expect(await seen(cy.token)).toEqual([handed.id]);
    expect(await seen(dee.token)).toEqual([forBob.id]);
    const all = [byAnn.id, forBob.id, handed.id].sort();
    for (const token of [qa.token, sup.token])
      expect((await seen(token)).filter((id) => all.includes(id))).toEqual(all);

    // Bob on a call with customer x sees its complaints, for as long as he is on it.
    const t = Date.now();
    await fx.calls.open(
      {
        id: 'cp-call',
        callerNumber: '13866660001',
        callerE164: '+8613866660001',
        dialedNumber: '4000',
        channelId: 'ch-cp-call',
      },
      { at: t, data: { direction: 'inbound', queue: 'general', customerId: x } },
    );
    await fx.calls.commit('cp-call', { type: 'answered', at: t + 1000, agentId: bob.id });
    fx.agents.onCall(bob.id, 'cp-call');
    expect(await seen(bob.token)).toEqual([byAnn.id, forBob.id].sort());
    expect(await seen(bob.token, `?customerId=${x}`)).toEqual([byAnn.id]);
    fx.agents.endWrapUp(bob.id, 'cp-call');
    expect(await seen(bob.token)).toEqual([forBob.id]);
  });
});
