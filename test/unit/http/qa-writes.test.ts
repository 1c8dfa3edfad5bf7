/**
 * Issue 9, defect 6: QA reviews calls; it does not work them. QA may not complete someone's
 * call-back task, write a call's disposition, or use the call controls, and sees no one else's
 * tasks (they carry customers' phone numbers). Supervisors and admins still may.
 */
import { appFixture, type AppFixture } from '../../support/app-fixture';
import { expectResponse } from '../../support/expect-response';

let fx: AppFixture;
beforeAll(async () => {
  fx = await appFixture();
});
afterAll(() => fx.close());

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

/** A finished call the agent answered, as the engine would have written it. */
async function answeredCall(id: string, agentId: number) {
  const t = Date.now() - 60_000;
  await fx.calls.open(
    {
      id,
      callerNumber: '13812345678',
      callerE164: '+8613812345678',
      dialedNumber: '4000',
      channelId: `ch-${id}`,
    },
    { at: t, data: { direction: 'inbound', queue: 'general' } },
  );
  await fx.calls.commit(id, { type: 'answered', at: t + 5000, agentId });
  await fx.calls.commit(
    id,
    { type: 'ended', at: t + 50_000, data: { outcome: 'answered', endedBy: 'caller' } },
    { state: 'ended' },
  );
}

const taskOf = (assignedUserId: number) =>
  fx.tasks.create({
    kind: 'callback',
    customerId: null,
    phone: '+8613812345678',
    assignedUserId,
    dueAt: Date.now() + 3600_000,
    now: Date.now(),
  });

describe('QA does not work calls (defect 6)', () => {
  it("may not complete an agent's call-back task; a supervisor may", async () => {
    const agent = await fx.user('qa-w-agent1', 'agent', '1201');
    const qa = await fx.user('qa-w-qa1', 'qa');
    const sup = await fx.user('qa-w-sup1', 'supervisor');
    const id = await taskOf(agent.id);
    const asQa = await fx
      .http()
      .post(`/api/tasks/${id}/complete`)
      .set(auth(qa.token))
      .send({ result: 'reached' });
    expectResponse(asQa);
    expect([asQa.status, asQa.body.error?.code]).toEqual([403, 'HOTLINE_FORBIDDEN']);
    expect((await fx.tasks.get(id, Date.now()))?.status).toBe('open');
    const asSup = await fx
      .http()
      .post(`/api/tasks/${id}/complete`)
      .set(auth(sup.token))
      .send({ result: 'reached' });
    expect(asSup.status).toBe(200);
  });

  it("may not write the disposition of an agent's call; a supervisor may", async () => {
    const agent = await fx.user('qa-w-agent2', 'agent', '1202');
    const qa = await fx.user('qa-w-qa2', 'qa');
    const sup = await fx.user('qa-w-sup2', 'supervisor');
    await answeredCall('qa-w-call', agent.id);
    const mine = await fx
      .http()
      .put('/api/calls/qa-w-call/wrapup')
      .set(auth(agent.token))
      .send({ disposition: 'resolved', notes: 'fixed on the phone' });
    expect(mine.status).toBe(200);
    const asQa = await fx
      .http()
      .put('/api/calls/qa-w-call/wrapup')
      .set(auth(qa.token))
      .send({ disposition: 'other', notes: 'overwritten' });
    expectResponse(asQa);
    expect([asQa.status, asQa.body.error?.code]).toEqual([403, 'HOTLINE_FORBIDDEN']);
    expect(await fx.calls.get('qa-w-call')).toMatchObject({
      disposition: 'resolved',
      notes: 'fixed on the phone',
    });
    const asSup = await fx
      .http()
      .put('/api/calls/qa-w-call/wrapup')
      .set(auth(sup.token))
      .send({ disposition: 'resolved', notes: 'checked' });
    expect(asSup.status).toBe(200);
  });

  it('may not hold, hang up, transfer or record a call', async () => {
    const qa = await fx.user('qa-w-qa3', 'qa');
    for (const [path, body] of [
      ['hold', undefined],
      ['resume', undefined],
      ['hangup', undefined],
      ['transfer', { mode: 'blind', target: { type: 'queue', name: 'general' } }],
      ['transfer/complete', undefined],
      ['transfer/cancel', undefined],
      ['recording/pause', undefined],
    ] as const) {
      const res = await fx
        .http()
        .post(`/api/calls/qa-w-call/${path}`)
        .set(auth(qa.token))
        .send(body ?? {});
      expect([path, res.status]).toEqual([path, 403]);
    }
  });

  it("sees its own tasks only, never the phone numbers of everyone's", async () => {
    const agent = await fx.user('qa-w-agent4', 'agent', '1204');
    const qa = await fx.user('qa-w-qa4', 'qa');
    const sup = await fx.user('qa-w-sup4', 'supervisor');
    const id = await taskOf(agent.id);
    for (const query of ['', '?status=open', '?mine=1']) {
      const res = await fx.http().get(`/api/tasks${query}`).set(auth(qa.token));
      expectResponse(res);
      expect([query, res.status, res.body.tasks]).toEqual([query, 200, []]);
    }
    const all = await fx.http().get('/api/tasks').set(auth(sup.token));
    expect((all.body.tasks as Array<{ id: number }>).map((t) => t.id)).toContain(id);
  });
});
