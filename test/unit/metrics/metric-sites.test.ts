/**
 * The operational metrics are told at the sites where things happen (src/metrics/sink.ts): the
 * engine and the dialer driven through the fake ARI, a sink that keeps what it was told. (The
 * prom-client side, GET /metrics, is prometheus.test.ts; the import counters are tested there.)
 */
import type { MetricsSink } from '../../../src/metrics/sink';
import { engineFixture, useEngineFakeTimers } from '../../support/engine-fixture';
import { campaignInput, insertContact } from '../outbound/outbound-data';

type Fx = Awaited<ReturnType<typeof engineFixture>>;
let fx: Fx;
let told: string[];

function sink(): MetricsSink {
  return {
    popAckMissed: () => told.push('pop-ack-missed'),
    recordingFailed: (stage) => told.push(`recording-failed:${stage}`),
    dialerOriginate: (mode) => told.push(`originate:${mode}`),
    dialerOutcome: (outcome) => told.push(`outcome:${outcome}`),
    importRows: () => told.push('import'),
  };
}

beforeEach(() => {
  told = [];
  useEngineFakeTimers();
});
afterEach(async () => {
  await fx.close();
  jest.useRealTimers();
});

const callIdOf = (appArgs: string | undefined) => appArgs!.split(',')[1]!;

it('the dialer counts each originate by mode and each attempt by outcome', async () => {
  fx = await engineFixture({ dialer: true, metrics: sink() });
  const ann = await fx.agent('ann', '1001');
  const c = await fx.campaigns.create(
    campaignInput({ queue: 'general', mode: 'progressive', maxAttempts: 3 }),
    null,
  );
  await fx.campaigns.join(c.id, ann.id);
  await insertContact(fx.db, { campaignId: c.id, phone: '+8613800000001' });
  await fx.campaigns.setStatus(c.id, 'running');
  fx.dialer.start();
  fx.dialer.changed();
  const dial = await fx.until(
    () => fx.ari.originates().find((o) => o.endpoint.endsWith('@carrier')),
    'customer dialed',
  );
  expect(told).toEqual(['originate:progressive']);
  fx.ari.agentLegDestroyed(dial.channelId!, 17, 'User busy');
  await fx.ended(callIdOf(dial.appArgs));
  await fx.until(() => told.includes('outcome:busy'), 'outcome told');
  expect(told).toEqual(['originate:progressive', 'outcome:busy']);
});

it('a recording that does not start is counted at the start stage', async () => {
  fx = await engineFixture({
    metrics: sink(),
    telephony: { recordingDefault: 'always', recordingConsentMessage: '' },
  });
  await fx.agent('ann', '1001');
  fx.ari.failNext('recordBridge', new Error('bridge gone'));
  fx.ari.inbound('caller-1', '13900001111');
  const ring = await fx.until(() => fx.ari.originates()[0], 'Ann rung');
  fx.ari.answers(ring.channelId!);
  await fx.until(() => told.includes('recording-failed:start'), 'recording failure told');
  expect(told).toEqual(['recording-failed:start']);
  // The timeline's write is queued on the call: wait for it rather than read at once.
  const callId = callIdOf(ring.appArgs);
  await fx.until(
    async () => (await fx.calls.events(callId)).some((e) => e.type === 'recording-failed'),
    'recording-failed on the timeline',
  );
});
