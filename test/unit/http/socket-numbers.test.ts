/**
 * Socket payloads that carry numbers go through the number policy (src/privacy/socket-payloads.ts):
 * the agent offered a call gets the pop's numbers whole, and a task's assignee its number; QA
 * (never offered calls in practice) would get them masked.
 */
import { once, appFixture, type AppFixture } from '../../support/app-fixture';
import type { ScreenPop, TaskPush } from '../../../src/screenpop/agent-events';

let fx: AppFixture;
beforeAll(async () => {
  fx = await appFixture();
});
afterAll(() => fx.close());

const pop = (callId: string): ScreenPop => ({
  callId,
  direction: 'outbound',
  callerNumber: '+8613812348000',
  dialedNumber: '+8613812348001',
  customer: null,
  candidates: [],
  history: [],
  openComplaints: [],
  queue: 'general',
  waitedMs: 0,
  sentAt: new Date().toISOString(),
  contact: { id: 1, fields: { name: 'Lu', mobile2: '13812348002' }, attempts: 0 },
});
const task: TaskPush = {
  id: 1,
  kind: 'callback',
  customerId: null,
  customerName: null,
  phone: '+8613812348000',
  dueAt: new Date().toISOString(),
  overdue: false,
  status: 'open',
  complaintId: null,
  note: null,
};

async function connected(token: string) {
  const s = fx.socket(token);
  await once(s, 'telephony:status');
  return s;
}

it('gives the agent on the call the pop and their task whole', async () => {
  const agent = await fx.user('sn-agent', 'agent', '1601');
  const s = await connected(agent.token);
  const got = once<ScreenPop>(s, 'screenpop');
  await fx.gateway.pop(agent.id, pop('sn-1'), 200);
  expect(await got).toMatchObject({
    callerNumber: '+8613812348000',
    dialedNumber: '+8613812348001',
    contact: { fields: { mobile2: '13812348002' } },
  });
  const pushed = once<TaskPush>(s, 'task:new');
  fx.gateway.taskAssigned(agent.id, task);
  expect((await pushed).phone).toBe('+8613812348000');
});

it('masks them for QA', async () => {
  const qa = await fx.user('sn-qa', 'qa');
  const s = await connected(qa.token);
  const got = once<ScreenPop>(s, 'screenpop');
  await fx.gateway.pop(qa.id, pop('sn-2'), 200);
  expect(await got).toMatchObject({
    callerNumber: '+86 138****8000',
    dialedNumber: '+86 138****8001',
    contact: { fields: { name: 'Lu', mobile2: '138****8002' } },
  });
  const pushed = once<TaskPush>(s, 'task:new');
  fx.gateway.taskAssigned(qa.id, task);
  expect((await pushed).phone).toBe('+86 138****8000');
});
