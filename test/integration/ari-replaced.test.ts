/**
 * Issue 9, defect 1: a second client of Hotline's ARI application (as a second Hotline would be)
 * against the real sandbox. Before the fix Hotline logged "ApplicationReplaced … skipped", said
 * `ari: true` in /healthz, and every inbound call was declined until a restart.
 */
import WebSocket from 'ws';
import { placeCall } from '../support/sipp-peers';
import { waitFor } from '../support/engine-fixture';
import { teamFixture, type TeamFixture } from '../support/team-fixture';

jest.setTimeout(60_000);

let t: TeamFixture;
const statuses: string[] = [];

beforeAll(async () => {
  t = await teamFixture({ ports: { '1003': 16213 }, ari: { replacedCheckMs: 250 } });
  t.team['1003']!.browser.socket.on('telephony:status', (s: { state: string }) =>
    statuses.push(s.state),
  );
});
afterAll(async () => t?.close());

const health = async () => (await t.fx.http().get('/healthz')).body as Record<string, unknown>;

it('reports a second client of the application, and takes calls again once it is gone', async () => {
  const ann = t.team['1003']!;
  await t.fx.setState(ann.token, 'available');
  expect((await health()).ariState).toBe('open');

  const url = `${t.fx.hotline.config.ari.url.replace(/^http/, 'ws')}/ari/events?app=${t.fx.hotline.config.ari.app}`;
  const intruder = new WebSocket(url, {
    headers: {
      Authorization: `Basic ${Buffer.from(`${t.fx.hotline.config.ari.user}:${t.fx.hotline.config.ari.password}`).toString('base64')}`,
    },
  });
  await new Promise((resolve, reject) => intruder.once('open', resolve).once('error', reject));
  await waitFor(async () => (await health()).ariState === 'replaced', 5000, 'replaced reported');
  const res = await t.fx.http().get('/healthz');
  expect(res.status).toBe(503);
  expect(res.body).toMatchObject({ ok: false, ari: false, ariState: 'replaced' });
  await waitFor(() => statuses.includes('replaced'), 5000, 'agents told');

  // While the other client holds it, Hotline does not take it back (no ping-pong).
  await new Promise((r) => setTimeout(r, 1000));
  expect((await health()).ariState).toBe('replaced');

  intruder.close();
  await waitFor(async () => (await health()).ariState === 'open', 10_000, 'link back');
  await waitFor(() => statuses[statuses.length - 1] === 'open', 5000, 'agents told it is back');

  // And a call reaches the agent again.
  const call = placeCall({ from: '13800138003', to: '4000', holdMs: 1500 });
  await waitFor(() => ann.browser.pops.length === 1, 15_000, 'pop after the link came back');
  expect(ann.browser.pops[0]!.pop.callerNumber).toBe('+8613800138003');
  await call;
});
