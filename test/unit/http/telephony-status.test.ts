/**
 * `telephony:status` (issue 9, defect 1): every browser learns the state of the service's link to
 * Asterisk on connect and at each change, so an agent knows why no calls come.
 */
import type { Socket } from 'socket.io-client';
import { appFixture, type AppFixture } from '../../support/app-fixture';

let fx: AppFixture;
beforeAll(async () => {
  fx = await appFixture();
});
afterAll(() => fx.close());

function statuses(s: Socket): string[] {
  const seen: string[] = [];
  s.on('telephony:status', (t: { state: string; since: string }) => {
    expect(Number.isNaN(Date.parse(t.since))).toBe(false);
    seen.push(t.state);
  });
  return seen;
}

const until = async (cond: () => boolean) => {
  const end = Date.now() + 3000;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

it('is sent on connect and at every change, to every role; an unchanged state is not repeated', async () => {
  const agent = await fx.user('tina', 'agent', '1301');
  const qa = await fx.user('quentin', 'qa');
  const a = fx.socket(agent.token);
  const q = fx.socket(qa.token);
  const seenA = statuses(a);
  const seenQ = statuses(q);
  await until(() => seenA.length === 1 && seenQ.length === 1);
  expect(seenA).toEqual(['connecting']);

  fx.gateway.telephonyStatus('open');
  fx.gateway.telephonyStatus('open');
  fx.gateway.telephonyStatus('replaced');
  await until(() => seenA.length === 3 && seenQ.length === 3);
  expect(seenA).toEqual(['connecting', 'open', 'replaced']);
  expect(seenQ).toEqual(seenA);

  // A browser that connects later gets the state as it is now.
  const late = fx.socket(agent.token);
  const seenLate = statuses(late);
  await until(() => seenLate.length === 1);
  expect(seenLate).toEqual(['replaced']);
});
