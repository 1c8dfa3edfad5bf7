import { appFixture, type AppFixture } from '../../support/app-fixture';
import { expectResponse } from '../../support/expect-response';
import { projectRecord } from '../../../src/calls/project-record';

let fx: AppFixture;
beforeAll(async () => {
  fx = await appFixture();
});
afterAll(() => fx.close());

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
const DAY = 86_400_000;

async function customer(token: string, name = 'Zhang Wei') {
  const res = await fx
    .http()
    .post('/api/customers')
    .set(auth(token))
    .send({ name, phones: ['13812345678'] });
  expectResponse(res);
  return res.body as { id: number };
}

/** A finished call the agent answered, as the engine would have written it. */
async function answeredCall(id: string, agentId: number, customerId: number | null) {
  const t = Date.now() - 60_000;
  await fx.calls.open(
    {
      id,
      callerNumber: '13812345678',
      callerE164: '+8613812345678',
      dialedNumber: '4000',
      channelId: `ch-${id}`,
    },
    { at: t, data: { direction: 'inbound', customerId } },
  );
  await fx.calls.commit(id, { type: 'answered', at: t + 5000, agentId }, { state: 'talking' });
  await fx.calls.commit(
    id,
    { type: 'ended', at: t + 50_000, data: { outcome: 'answered', endedBy: 'caller' } },
    { state: 'ended' },
  );
}

describe('complaints and follow-up tasks', () => {
  it('creates a complaint with a follow-up task due within 3 days, assigned to whoever logged it', async () => {
    const agent = await fx.user('cathy', 'agent', '1101');
    const c = await customer(agent.token);
    const before = Date.now();
    const res = await fx.http().post('/api/complaints').set(auth(agent.token)).send({
      customerId: c.id,
      category: 'service',
      severity: 'medium',
      description: 'Technician never came',
    });
    expectResponse(res);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      customerId: c.id,
      status: 'open',
      ownerUserId: agent.id,
      severity: 'medium',
    });
    const due = Date.parse(res.body.followUpTask.dueAt as string);
    expect(due).toBeGreaterThanOrEqual(before + 3 * DAY - 1000);
    expect(due).toBeLessThanOrEqual(Date.now() + 3 * DAY);
    expect(res.body.followUpTask).toMatchObject({
      kind: 'complaint-follow-up',
      assignedUserId: agent.id,
      complaintId: res.body.id,
      phone: '+8613812345678',
      overdue: false,
    });
    expect(fx.notified).toContainEqual({
      kind: 'task',
      id: res.body.followUpTask.id,
      userId: agent.id,
    });
    expect(fx.notified.some((n) => n.kind === 'escalate' && n.id === res.body.id)).toBe(false);
  });

  it('makes the call-back due by the promised reply time when that is sooner', async () => {
    const agent = await fx.user('dora', 'agent', '1102');
    const c = await customer(agent.token);
    const promised = new Date(Date.now() + 4 * 3600_000).toISOString();
    const res = await fx.http().post('/api/complaints').set(auth(agent.token)).send({
      customerId: c.id,
      category: 'billing',
      severity: 'low',
      description: 'Charged twice',
      promisedReplyAt: promised,
    });
    expectResponse(res);
    expect(res.body.followUpTask.dueAt).toBe(promised);
    expect(res.body.promisedReplyAt).toBe(promised);
  });

  it('escalates a high-severity complaint to supervisors at once', async () => {
    const agent = await fx.user('ed', 'agent', '1103');
    const sup = await fx.user('sup1', 'supervisor', null);
    const supSocket = fx.socket(sup.token);
    const agentSocket = fx.socket(agent.token);
    await Promise.all([
      new Promise((r) => supSocket.once('agent:state', r)),
      new Promise((r) => agentSocket.once('agent:state', r)),
    ]);
    const agentAlerts: unknown[] = [];
    agentSocket.on('supervisor:alert', (a: unknown) => agentAlerts.push(a));
    const alert = new Promise<{ kind: string; complaint: { id: number } }>((r) =>
      supSocket.once('supervisor:alert', r),
    );
    const task = new Promise<{ kind: string }>((r) => agentSocket.once('task:new', r));
    const c = await customer(agent.token);
    const res = await fx.http().post('/api/complaints').set(auth(agent.token)).send({
      customerId: c.id,
      category: 'quality',
      severity: 'high',
      description: 'Water leak not fixed',
    });
    expectResponse(res);
    expect((await alert).complaint.id).toBe(res.body.id);
    expect((await task).kind).toBe('complaint-follow-up');
    await new Promise((r) => setTimeout(r, 50));
    expect(agentAlerts).toEqual([]);
  });

  it('validates complaints', async () => {
    const agent = await fx.user('flo', 'agent', '1104');
    const c = await customer(agent.token);
    const bad = [
      { customerId: c.id, category: 'nonsense', severity: 'low', description: 'x' },
      { customerId: c.id, category: 'service', severity: 'urgent', description: 'x' },
      { customerId: c.id, category: 'service', severity: 'low', description: '   ' },
      { customerId: 999_999, category: 'service', severity: 'low', description: 'x' },
    ];
    const codes = [];
    for (const body of bad)
      codes.push(
        (await fx.http().post('/api/complaints').set(auth(agent.token)).send(body)).status,
      );
    expect(codes).toEqual([400, 400, 400, 404]);
  });

  it('shows an agent their own tasks only, highlights overdue ones, and completing one records its result', async () => {
    const a = await fx.user('gus', 'agent', '1105');
    const b = await fx.user('hal', 'agent', '1106');
    const c = await customer(a.token);
    const overdueId = await fx.tasks.create({
      kind: 'callback',
      customerId: c.id,
      phone: '+8613812345678',
      assignedUserId: a.id,
      dueAt: Date.now() - 3600_000,
      now: Date.now(),
    });
    await fx.tasks.create({
      kind: 'callback',
      customerId: c.id,
      phone: '+8613812345678',
      assignedUserId: b.id,
      dueAt: Date.now() + 3600_000,
      now: Date.now(),
    });
    const mine = await fx.http().get('/api/tasks').set(auth(a.token));
    expectResponse(mine);
    expect(
      (mine.body.tasks as Array<{ assignedUserId: number }>).map((t) => t.assignedUserId),
    ).toEqual([a.id]);
    expect(mine.body.tasks[0]).toMatchObject({
      id: overdueId,
      overdue: true,
      customerName: 'Zhang Wei',
    });
    expect(
      (
        await fx
          .http()
          .post(`/api/tasks/${overdueId}/complete`)
          .set(auth(b.token))
          .send({ result: 'reached' })
      ).status,
    ).toBe(404);
    const done = await fx
      .http()
      .post(`/api/tasks/${overdueId}/complete`)
      .set(auth(a.token))
      .send({ result: 'reached', notes: 'Called back, sorted' });
    expectResponse(done);
    expect(done.body).toMatchObject({
      status: 'done',
      result: 'reached',
      resultNotes: 'Called back, sorted',
      overdue: false,
    });
    const again = await fx
      .http()
      .post(`/api/tasks/${overdueId}/complete`)
      .set(auth(a.token))
      .send({ result: 'reached' });
    expect([again.status, again.body.error.code]).toEqual([409, 'HOTLINE_TASK_ALREADY_DONE']);
  });

  it('resolves the complaint when its follow-up is completed as resolved', async () => {
    const agent = await fx.user('ivy', 'agent', '1107');
    const c = await customer(agent.token);
    const res = await fx
      .http()
      .post('/api/complaints')
      .set(auth(agent.token))
      .send({ customerId: c.id, category: 'delay', severity: 'low', description: 'Late delivery' });
    expectResponse(res);
    await fx
      .http()
      .post(`/api/tasks/${res.body.followUpTask.id}/complete`)
      .set(auth(agent.token))
      .send({ result: 'resolved' })
      .expect(200);
    const open = await fx
      .http()
      .get('/api/complaints')
      .query({ customerId: c.id, status: 'open' })
      .set(auth(agent.token));
    expectResponse(open);
    expect(open.body.complaints).toEqual([]);
  });

  it('lets a supervisor hand a task to another agent and move its due time; agents may not', async () => {
    const ann = await fx.user('ann-r', 'agent', '1121');
    const bob = await fx.user('bob-r', 'agent', '1122');
    const sup = await fx.user('sue-r', 'supervisor', null);
    const c = await customer(ann.token);
    const created = await fx
      .http()
      .post('/api/complaints')
      .set(auth(ann.token))
      .send({ customerId: c.id, category: 'delay', severity: 'low', description: 'Late' });
    expectResponse(created);
    const taskId = created.body.followUpTask.id as number;
    const due = new Date(Date.now() + 3600_000).toISOString();
    await fx
      .http()
      .put(`/api/tasks/${taskId}`)
      .set(auth(ann.token))
      .send({ assignedUserId: bob.id })
      .expect(403);
    const moved = await fx
      .http()
      .put(`/api/tasks/${taskId}`)
      .set(auth(sup.token))
      .send({ assignedUserId: bob.id, dueAt: due });
    expectResponse(moved);
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ assignedUserId: bob.id, dueAt: due });
    const bobs = await fx.http().get('/api/tasks').set(auth(bob.token));
    expectResponse(bobs);
    expect((bobs.body.tasks as Array<{ id: number }>).map((t) => t.id)).toContain(taskId);
    const bad = await fx
      .http()
      .put(`/api/tasks/${taskId}`)
      .set(auth(sup.token))
      .send({ assignedUserId: 99999 });
    expectResponse(bad);
    expect(bad.status).toBe(400);
    expect((await fx.http().put(`/api/tasks/${taskId}`).set(auth(sup.token)).send({})).status).toBe(
      400,
    );
  });
});

describe('linking an unmatched caller to the customer the agent identified', () => {
  it('refuses a complaint about a call that does not exist', async () => {
    const agent = await fx.user('kay', 'agent', '1131');
    const c = await customer(agent.token);
    const res = await fx.http().post('/api/complaints').set(auth(agent.token)).send({
      customerId: c.id,
      callId: 'no-such-call',
      category: 'delay',
      severity: 'low',
      description: 'x',
    });
    expectResponse(res);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/callId/);
  });

  it('a complaint or a wrap-up names the customer of a call that had none', async () => {
    const agent = await fx.user('lee', 'agent', '1132');
    const c = await customer(agent.token, 'Picked Customer');
    await answeredCall('link-1', agent.id, null);
    await fx
      .http()
      .post('/api/complaints')
      .set(auth(agent.token))
      .send({
        customerId: c.id,
        callId: 'link-1',
        category: 'delay',
        severity: 'low',
        description: 'x',
      })
      .expect(201);
    expect((await fx.http().get('/api/calls/link-1').set(auth(agent.token))).body.customerId).toBe(
      c.id,
    );
    // On the timeline too: the record stays its projection.
    const timeline = await fx.calls.events('link-1');
    expect(timeline.at(-1)).toMatchObject({
      type: 'customer-linked',
      agentId: agent.id,
      data: { customerId: c.id },
    });
    expect(projectRecord(timeline).customerId).toBe(c.id);

    await answeredCall('link-2', agent.id, null);
    await fx
      .http()
      .put('/api/calls/link-2/wrapup')
      .set(auth(agent.token))
      .send({ disposition: 'resolved', customerId: 424242 })
      .expect(400);
    await fx
      .http()
      .put('/api/calls/link-2/wrapup')
      .set(auth(agent.token))
      .send({ disposition: 'resolved', customerId: c.id })
      .expect(200);
    expect((await fx.http().get('/api/calls/link-2').set(auth(agent.token))).body.customerId).toBe(
      c.id,
    );
  });

  it('never re-links a call that already has its customer', async () => {
    const agent = await fx.user('mo', 'agent', '1133');
    const first = await customer(agent.token, 'First');
    const other = await customer(agent.token, 'Other');
    await answeredCall('link-3', agent.id, first.id);
    await fx
      .http()
      .put('/api/calls/link-3/wrapup')
      .set(auth(agent.token))
      .send({ disposition: 'resolved', customerId: other.id })
      .expect(200);
    expect((await fx.http().get('/api/calls/link-3').set(auth(agent.token))).body.customerId).toBe(
      first.id,
    );
  });
});

describe('wrap-up', () => {
  it('stores disposition and notes, creates the follow-up, and ends after-call work', async () => {
    const agent = await fx.user('jan', 'agent', '1108');
    const c = await customer(agent.token);
    await answeredCall('call-w1', agent.id, c.id);
    // As if the engine had given Jan this call and it just ended.
    await fx.agents.setState(agent.id, 'available');
    fx.agents.reserve(agent.id, 'call-w1');
    fx.agents.onCall(agent.id, 'call-w1');
    await fx.agents.release(agent.id, 'call-w1', true, 60_000);
    expect(fx.agents.get(agent.id)).toMatchObject({ activity: 'wrap-up' });
    const due = new Date(Date.now() + DAY).toISOString();
    const res = await fx
      .http()
      .put('/api/calls/call-w1/wrapup')
      .set(auth(agent.token))
      .send({
        disposition: 'follow-up',
        notes: 'Wants a quote',
        followUp: { dueAt: due, note: 'Send quote' },
      });
    expectResponse(res);
    expect(res.status).toBe(200);
    expect(fx.agents.get(agent.id)).toMatchObject({ activity: 'idle', wrapUpUntil: null });
    const call = await fx.http().get('/api/calls/call-w1').set(auth(agent.token));
    expectResponse(call);
    expect(call.body).toMatchObject({ disposition: 'follow-up', notes: 'Wants a quote' });
    expect((call.body.timeline as Array<{ type: string }>).map((e) => e.type)).toContain('wrap-up');
    const tasks = await fx.http().get('/api/tasks').set(auth(agent.token));
    expectResponse(tasks);
    expect(tasks.body.tasks).toContainEqual(
      expect.objectContaining({
        kind: 'follow-up',
        dueAt: due,
        note: 'Send quote',
        callId: 'call-w1',
      }),
    );
  });

  it('refuses an unknown disposition and a call the agent did not answer', async () => {
    const a = await fx.user('kim', 'agent', '1109');
    const b = await fx.user('lou', 'agent', '1110');
    await answeredCall('call-w2', a.id, null);
    const bad = await fx
      .http()
      .put('/api/calls/call-w2/wrapup')
      .set(auth(a.token))
      .send({ disposition: 'made-up' });
    expectResponse(bad);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual({ path: 'disposition' });
    expect(
      (
        await fx
          .http()
          .put('/api/calls/call-w2/wrapup')
          .set(auth(b.token))
          .send({ disposition: 'resolved' })
      ).status,
    ).toBe(404);
  });

  it('serves the configured lists', async () => {
    const a = await fx.user('max', 'agent', '1111');
    const d = await fx.http().get('/api/dispositions').set(auth(a.token));
    expectResponse(d);
    expect((d.body.dispositions as Array<{ code: string }>).map((x) => x.code)).toContain(
      'resolved',
    );
    const r = await fx.http().get('/api/break-reasons').set(auth(a.token));
    expectResponse(r);
    expect((r.body.reasons as Array<{ code: string }>).map((x) => x.code)).toEqual(
      expect.arrayContaining(['lunch', 'training', 'after-call-work']),
    );
    const cats = await fx.http().get('/api/complaint-categories').set(auth(a.token));
    expectResponse(cats);
    expect(cats.body.categories.length).toBeGreaterThan(2);
  });
});

describe('customer edit', () => {
  it('edits fields and replaces numbers', async () => {
    const a = await fx.user('ned', 'agent', '1112');
    const c = await customer(a.token, 'Old Name');
    const res = await fx
      .http()
      .put(`/api/customers/${c.id}`)
      .set(auth(a.token))
      .send({ name: 'New Name', tier: 'standard', phones: ['+86 139 0000 1111'] });
    expectResponse(res);
    expect(res.body).toMatchObject({
      name: 'New Name',
      tier: 'standard',
      phones: [{ e164: '+8613900001111', raw: '+86 139 0000 1111' }],
    });
    const found = await fx
      .http()
      .get('/api/customers')
      .query({ phone: '13900001111' })
      .set(auth(a.token));
    expectResponse(found);
    expect((found.body.customers as Array<{ id: number }>).map((x) => x.id)).toContain(c.id);
    expect(
      (await fx.http().put('/api/customers/999999').set(auth(a.token)).send({ name: 'x' })).status,
    ).toBe(404);
    expect(
      (
        await fx
          .http()
          .put(`/api/customers/${c.id}`)
          .set(auth(a.token))
          .send({ phones: ['nope'] })
      ).status,
    ).toBe(400);
  });
});
