/**
 * Issue 9, fault test: Asterisk restarted under the running service (the sandbox's `pbx.sh
 * restart`). Every call dies with Asterisk; Hotline must close each with its record, tell the
 * agents the link was down and is back, reconnect by itself and take the next call.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { placeCall, registerPhone, startPhone } from '../support/sipp-peers';
import { waitFor } from '../support/engine-fixture';
import { teamFixture, type TeamFixture } from '../support/team-fixture';

jest.setTimeout(90_000);

let t: TeamFixture;
const statuses: string[] = [];

beforeAll(async () => {
  t = await teamFixture({
    ports: { '1002': 16222 },
    ari: { reconnectInitialMs: 200, reconnectMaxMs: 1000 },
  });
  t.team['1002']!.browser.socket.on('telephony:status', (s: { state: string }) =>
    statuses.push(s.state),
  );
});
afterAll(async () => t?.close());

it('a talking call cut by an Asterisk restart is closed with its record; the service comes back', async () => {
  const ann = t.team['1002']!;
  await t.fx.setState(ann.token, 'available');
  const call = placeCall({ from: '13800138022', to: '4000', holdMs: 20_000 });
  const callId = await waitFor(
    () => ann.browser.updates.find((u) => u.state === 'answered')?.callId,
    15_000,
    'call answered',
  );

  execFileSync('bash', [path.resolve(__dirname, '../../scripts/pbx.sh'), 'restart'], {
    stdio: 'ignore',
  });
  await call.catch(() => undefined); // the caller's SIPp sees its call die

  await waitFor(() => statuses.includes('connecting'), 10_000, 'agents told the link is down');
  await waitFor(
    async () => (await t.fx.http().get('/healthz')).body.ariState === 'open',
    20_000,
    'ARI back',
  );
  await waitFor(() => statuses[statuses.length - 1] === 'open', 5000, 'agents told it is back');
  const rec = await t.fx.ended(ann.token, callId, 20_000);
  expect(rec.outcome).toBe('answered');
  expect(rec.endedAt).not.toBeNull();
  expect(t.fx.hotline.engine.registry.size).toBe(0);
  const agent = t.fx.hotline.agents.get(ann.id);
  expect(agent?.activity).toBe('idle');

  // The phone registers again with the new Asterisk, and the next call reaches the agent.
  await t.phones.get('1002')!.stop();
  await registerPhone({ ext: '1002', contactPort: 16222 });
  t.phones.set('1002', await startPhone({ ext: '1002', port: 16222, mode: 'answer', ringMs: 200 }));
  await t.fx.setState(ann.token, 'available');
  ann.browser.pops.length = 0;
  const next = placeCall({ from: '13800138023', to: '4000', holdMs: 1000 });
  await waitFor(() => ann.browser.pops.length === 1, 15_000, 'next pop');
  await next;
});
