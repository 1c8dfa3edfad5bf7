/**
 * The dialer survives a restart of the service (not of Asterisk): a customer still ringing when
 * the service stops is hung up by the next run, the attempt is recorded from the database, and
 * the number is not dialed a second time.
 */
import { createHotline, type Hotline } from '../../src/hotline';
import { createLogger } from '../../src/shared/logger';
import { startPhone, type Phone } from '../support/sipp-peers';
import { serviceFixture, type ServiceFixture } from '../support/service-fixture';
import { waitFor } from '../support/engine-fixture';

jest.setTimeout(90_000);

let fx: ServiceFixture;
let carrier: Phone;
let second: Hotline | null = null;

beforeAll(async () => {
  // The carrier never answers numbers ending in 2: the customer rings through the restart.
  fx = await serviceFixture({ telephony: { externalRingSec: 30 } });
  carrier = await startPhone({ ext: 'carrier', port: 15070, host: '127.0.0.2', mode: 'carrier' });
});

afterAll(async () => {
  await second?.stop();
  await carrier?.stop();
  await fx?.close();
});

it('a ringing campaign call cut by a restart is ended, counted once and not redialed', async () => {
  const admin = await fx.agent('admin', null, 'admin');
  const agent = await fx.agent('tm1015', '1015');
  const auth = { Authorization: `Bearer ${admin.token}` };
  const created = await fx
    .http()
    .post('/api/campaigns')
    .set(auth)
    .send({
      name: 'Restart',
      queue: 'general',
      mode: 'progressive',
      hours: { from: '00:00', to: '24:00' },
      timezone: 'UTC',
      callerId: '4000',
      retryMinutes: { busy: 10, noAnswer: 60, failed: 30, machine: 240 },
    })
    .expect(201);
  const id = created.body.id as number;
  const phone = '+8613966660002';
  const imp = await fx
    .http()
    .post(`/api/campaigns/${id}/imports`)
    .query({ mapping: JSON.stringify({ phone: 'phone' }) })
    .set(auth)
    .set('Content-Type', 'text/csv')
    .send(`phone\n${phone}\n`)
    .expect(202);
  await waitFor(
    async () =>
      (await fx.http().get(`/api/imports/${imp.body.importId}`).set(auth)).body.status === 'done',
    10_000,
    'import done',
  );
  await fx
    .http()
    .post(`/api/campaigns/${id}/join`)
    .set('Authorization', `Bearer ${agent.token}`)
    .expect(200);
  await fx.setState(agent.token, 'available');
  const before = (await carrier.invites()).filter((i) => i.toUser.endsWith('13966660002'));
  expect(before).toHaveLength(0);
  await fx.http().post(`/api/campaigns/${id}/start`).set(auth).expect(200);
  await waitFor(
    async () => (await carrier.invites()).some((i) => i.toUser.endsWith('13966660002')),
    15_000,
    'customer dialed',
  );
  const callId = await fx.lastCallId();
  const channelId = `${callId}-c`;
  // Still ringing in Asterisk when the service goes away.
  await fx.hotline.ari.rest.getChannel(channelId);
  await fx.hotline.stop();

  second = await createHotline(fx.hotline.config, createLogger('silent'));
  await second.listen(0, '127.0.0.1');
  await waitFor(() => second!.ari.events.state === 'open', 10_000, 'ARI connected again');

  const row = await waitFor(
    async () => {
      const r = await second!
        .db('calls')
        .where({ id: callId })
        .first<{ ended_at: number | null; outcome: string; hangup_cause: string }>();
      return r?.ended_at ? r : null;
    },
    15_000,
    'call closed by the new run',
  );
  expect(row).toMatchObject({ outcome: 'failed', hangup_cause: 'service restarted' });
  await expect(second.ari.rest.getChannel(channelId)).rejects.toThrow();
  const contact = await waitFor(
    async () => {
      const c = await second!
        .db('campaign_contacts')
        .where({ campaign_id: id })
        .first<{ status: string; attempts: number; last_outcome: string | null }>();
      return c?.status === 'scheduled' ? c : null;
    },
    15_000,
    'contact settled',
  );
  expect(contact).toMatchObject({ attempts: 1, last_outcome: 'failed' });
  expect(await second.db('outbound_attempts').where({ call_id: callId })).toHaveLength(1);
  // The new run does not dial the number again (its retry is 30 min away).
  await new Promise((r) => setTimeout(r, 3000));
  const after = (await carrier.invites()).filter((i) => i.toUser.endsWith('13966660002'));
  expect(after).toHaveLength(1);
});
