import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import request from 'supertest';
import { WebSocketServer, type WebSocket } from 'ws';
import { createAriEvents } from '../../../src/ari/events';
import type { WallSnapshot } from '../../../src/api/wall';
import { metricsRoutes } from '../../../src/http/routes/metrics';
import { errorHandler } from '../../../src/http/middleware';
import { addressMatcher, isAddressRule, sameToken } from '../../../src/metrics/access';
import { createPrometheusMetrics } from '../../../src/metrics/prometheus';
import { silentLogger } from '../../../src/shared/logger';
import { waitFor } from '../../support/engine-fixture';
import { asAri, fakeAri, type FakeAri } from '../../support/fake-ari';
import { hotlineFixture, type HotlineFixture } from '../../support/hotline-fixture';
import { parsePromText, value } from '../../support/prom-text';

/**
 * GET /metrics (src/metrics/prometheus.ts, src/http/routes/metrics.ts): the whole service
 * in-process with the fake ARI driving the real engine, scraped over HTTP as Prometheus would;
 * the ARI link gauge across a dropped WebSocket with the real event client; the access rules.
 */
jest.setTimeout(20_000);

const TOKEN = 'metrics-token-0123456789';
const emptyWall: WallSnapshot = {
  seq: 0,
  at: new Date(0).toISOString(),
  day: { start: new Date(0).toISOString(), end: new Date(0).toISOString(), timezone: 'UTC' },
  queues: [],
  calls: [],
  agents: [],
};

describe('GET /metrics on the service', () => {
  let fx: HotlineFixture;
  let ari: FakeAri;
  beforeAll(async () => {
    ari = fakeAri();
    fx = await hotlineFixture({ ari: asAri(ari), env: { HOTLINE_METRICS_TOKEN: TOKEN } });
  });
  afterAll(() => fx.close());

  const scrape = async () => {
    const res = await fx.send({
      method: 'GET',
      path: '/metrics',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(res.status).toBe(200);
    return { ...parsePromText(res.text), res };
  };

  it('refuses a scraper without the token (401) or with a wrong one (403)', async () => {
    const none = await fx.send({ method: 'GET', path: '/metrics', headers: {} });
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="metrics"');
    expect(none.body).toMatchObject({ error: { code: 'HOTLINE_UNAUTHENTICATED' } });
    const wrong = await fx.send({
      method: 'GET',
      path: '/metrics',
      headers: { authorization: `Bearer ${TOKEN}x` },
    });
    expect(wrong.status).toBe(403);
    expect(wrong.body).toMatchObject({ error: { code: 'HOTLINE_FORBIDDEN' } });
    // A user's session token is not the metrics token.
    const admin = await fx.user('metrics-admin', 'admin');
    const session = await fx.send({
      method: 'GET',
      path: '/metrics',
      headers: { authorization: `Bearer ${admin.token}` },
    });
    expect(session.status).toBe(403);
    expect(none.text + wrong.text + session.text).not.toContain('hotline_');
  });

  it('answers the Prometheus text format: process metrics and every hotline_ family, typed', async () => {
    const { res, types, samples } = await scrape();
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(Object.fromEntries([...types].filter(([n]) => n.startsWith('hotline_')))).toEqual({
      hotline_calls_waiting: 'gauge',
      hotline_agents: 'gauge',
      hotline_calls_live: 'gauge',
      hotline_ari_link_up: 'gauge',
      hotline_leader: 'gauge',
      hotline_ari_event_lag_seconds: 'histogram',
      hotline_pop_latency_seconds: 'histogram',
      hotline_pop_acks_missed_total: 'counter',
      hotline_recordings_failed_total: 'counter',
      hotline_dialer_originates_total: 'counter',
      hotline_dialer_outcomes_total: 'counter',
      hotline_import_rows_total: 'counter',
    });
    expect(types.get('process_cpu_seconds_total')).toBe('counter');
    expect(value(samples, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(value(samples, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(value(samples, 'hotline_ari_link_up')).toBe(1);
    expect(value(samples, 'hotline_leader')).toBe(1); // one instance: it leads
    expect(value(samples, 'hotline_calls_waiting', { queue: 'general' })).toBe(0);
    expect(value(samples, 'hotline_dialer_outcomes_total', { outcome: 'machine' })).toBe(0);
    expect(value(samples, 'hotline_import_rows_total', { result: 'dnc' })).toBe(0);
    // The registry is the service's own: prom-client's global one holds nothing of it.
    const { register } = await import('prom-client');
    expect(register.getSingleMetric('hotline_calls_live')).toBeUndefined();
  });

  it('moves with an inbound call: waiting, live, agents by state, pop latency, missed ack', async () => {
    const agent = await fx.user('ann', 'agent', '1001');
    await fx.hotline.agents.setState(agent.id, 'available');
    // The wall's model is the source: it flushes within its coalescing delay (20 ms).
    const before = await waitFor(
      async () => {
        const s = (await scrape()).samples;
        return value(s, 'hotline_agents', { state: 'available' }) === 1 ? s : null;
      },
      3000,
      'the agent available',
    );
    expect(value(before, 'hotline_pop_latency_seconds_count')).toBe(0);
    expect(value(before, 'hotline_calls_live', { direction: 'inbound' })).toBe(0);
    const lagEvents = value(before, 'hotline_ari_event_lag_seconds_count')!;

    ari.inbound('caller-1', '013812345678');
    const orig = await waitFor(() => ari.originates()[0], 3000, 'agent rung');
    const callId = orig.appArgs!.split(',')[1]!;
    const ringing = await waitFor(
      async () => {
        const s = (await scrape()).samples;
        return value(s, 'hotline_agents', { state: 'offered' }) === 1 ? s : null;
      },
      3000,
      'the agent offered',
    );
    expect(value(ringing, 'hotline_calls_waiting', { queue: 'general' })).toBe(1); // ringing waits
    expect(value(ringing, 'hotline_calls_live', { direction: 'inbound' })).toBe(1);
    expect(value(ringing, 'hotline_agents', { state: 'available' })).toBe(0);
    expect(value(ringing, 'hotline_pop_latency_seconds_count')).toBe(1);
    const popSeconds = value(ringing, 'hotline_pop_latency_seconds_sum')!;
    expect(popSeconds).toBeGreaterThan(0);
    expect(popSeconds).toBeLessThan(2);
    expect(value(ringing, 'hotline_pop_latency_seconds_bucket', { le: '+Inf' })).toBe(1);
    // No browser of the agent was connected to acknowledge the pop.
    expect(value(ringing, 'hotline_pop_acks_missed_total')).toBe(1);
    expect(value(ringing, 'hotline_ari_event_lag_seconds_count')).toBe(lagEvents + 1);

    ari.agentAnswers(orig.channelId!, callId);
    const talking = await waitFor(
      async () => {
        const s = (await scrape()).samples;
        return value(s, 'hotline_agents', { state: 'on-call' }) === 1 ? s : null;
      },
      3000,
      'the agent on the call',
    );
    expect(value(talking, 'hotline_calls_waiting', { queue: 'general' })).toBe(0);
    expect(value(talking, 'hotline_calls_live', { direction: 'inbound' })).toBe(1);

    ari.hangupFromFar('caller-1');
    const after = await waitFor(
      async () => {
        const s = (await scrape()).samples;
        return value(s, 'hotline_calls_live', { direction: 'inbound' }) === 0 ? s : null;
      },
      3000,
      'the call over',
    );
    expect(value(after, 'hotline_pop_latency_seconds_count')).toBe(1);
    // No caller's number in any label or value name.
    const { res } = await scrape();
    expect(res.text).not.toMatch(/13812345678|5678/);
  });

  it('measures the ARI event lag from the event timestamp', async () => {
    const lagOf = async () => {
      const s = (await scrape()).samples;
      return {
        count: value(s, 'hotline_ari_event_lag_seconds_count')!,
        sum: value(s, 'hotline_ari_event_lag_seconds_sum')!,
        le1: value(s, 'hotline_ari_event_lag_seconds_bucket', { le: '1' })!,
        le25: value(s, 'hotline_ari_event_lag_seconds_bucket', { le: '2.5' })!,
      };
    };
    const was = await lagOf();
    // As Asterisk writes it (+0000), two seconds ago.
    const twoSecondsAgo = new Date(Date.now() - 2000).toISOString().replace('Z', '+0000');
    ari.emit({
      type: 'PlaybackFinished',
      application: 'hotline',
      timestamp: twoSecondsAgo,
      playback: { id: 'nobody', media_uri: '', target_uri: '', language: 'en', state: 'done' },
    });
    const now = await lagOf();
    expect(now.count).toBe(was.count + 1);
    expect(now.le1).toBe(was.le1);
    expect(now.le25).toBe(was.le25 + 1);
    // Seconds summed in floating point: 2 s can come out as 1.9999999999999998.
    expect(now.sum - was.sum).toBeGreaterThanOrEqual(2 - 1e-9);
    expect(now.sum - was.sum).toBeLessThan(2.5);
  });
});

describe('hotline_ari_link_up across a dropped WebSocket (the real event client)', () => {
  it('is 1 while the link is open, 0 once it drops, 1 again after the reconnect', async () => {
    const wss = new WebSocketServer({ noServer: true });
    const sockets: WebSocket[] = [];
    const server = http.createServer((_req, res) => res.writeHead(404).end());
    server.on('upgrade', (req, socket, head) =>
      wss.handleUpgrade(req, socket, head, (ws) => sockets.push(ws)),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const events = createAriEvents({
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      user: 'u',
      password: 'p',
      app: 'hotline',
      log: silentLogger(),
      backoff: { initialMs: 200, maxMs: 200 },
    });
    const metrics = createPrometheusMetrics({
      wall: () => ({ snapshot: () => emptyWall }),
      ariState: () => events.state,
    });
    const up = async () =>
      value(parsePromText(await metrics.text()).samples, 'hotline_ari_link_up');
    try {
      expect(await up()).toBe(0); // not started
      events.start();
      await waitFor(() => events.state === 'open', 3000, 'connected');
      expect(await up()).toBe(1);
      sockets[0]!.terminate(); // the network dies under the link
      await waitFor(() => events.state !== 'open', 3000, 'dropped');
      expect(await up()).toBe(0);
      await waitFor(() => sockets.length === 2 && events.state === 'open', 3000, 'reconnected');
      expect(await up()).toBe(1);
    } finally {
      await events.close();
      for (const ws of sockets) ws.terminate();
      await new Promise((r) => server.close(r));
    }
  });
});

describe('who may scrape (metrics.token, metrics.allowFrom)', () => {
  const metrics = createPrometheusMetrics({
    wall: () => ({ snapshot: () => emptyWall }),
    ariState: () => 'open',
  });
  const appWith = (token?: string, allowFrom?: string[]) => {
    const app = express();
    app.use(metricsRoutes({ metrics, token, allowFrom }));
    app.use(errorHandler(silentLogger()));
    return app;
  };

  it('is off (404) with neither a token nor addresses configured', async () => {
    const res = await request(appWith()).get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: { code: 'HOTLINE_NOT_FOUND' } });
  });

  it('lets an allowed address in without a token, and refuses others (403)', async () => {
    const local = await request(appWith(undefined, ['127.0.0.1'])).get('/metrics');
    expect(local.status).toBe(200);
    expect(value(parsePromText(local.text).samples, 'hotline_ari_link_up')).toBe(1);
    const elsewhere = await request(appWith(undefined, ['10.0.0.0/8'])).get('/metrics');
    expect(elsewhere.status).toBe(403);
    // Not allowed by address, but the token is good.
    const both = await request(appWith(TOKEN, ['10.0.0.0/8']))
      .get('/metrics')
      .set('Authorization', `Bearer ${TOKEN}`);
    expect(both.status).toBe(200);
  });

  it('reads addresses and subnets, IPv4-mapped IPv6 included; compares tokens exactly', () => {
    expect(['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8'].every(isAddressRule)).toBe(true);
    expect(['localhost', '10.0.0.0/33', '1.2.3.4/x', ''].some(isAddressRule)).toBe(false);
    const allowed = addressMatcher(['127.0.0.1', '10.0.0.0/8', '::1']);
    expect(['127.0.0.1', '::ffff:127.0.0.1', '10.9.8.7', '::1'].map(allowed)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['127.0.0.2', '11.0.0.1', undefined, 'junk'].map(allowed)).toEqual([
      false,
      false,
      false,
      false,
    ]);
    expect(sameToken(TOKEN, TOKEN)).toBe(true);
    expect(sameToken(`${TOKEN} `, TOKEN)).toBe(false);
    expect(sameToken('', TOKEN)).toBe(false);
  });

  it('times a pop from StasisStart without the wait for a free agent, once per call', async () => {
    const m = createPrometheusMetrics({
      wall: () => ({ snapshot: () => emptyWall }),
      ariState: () => 'open',
    });
    // 10 ms to match the caller, 5 s in the queue, 20 ms to build and send the pop: 30 ms.
    m.stage('c1', 'stasis', 1000);
    m.stage('c1', 'lookup', 1010);
    m.stage('c1', 'agent', 6010);
    m.stage('c1', 'pop-emitted', 6030);
    m.stage('c1', 'pop-emitted', 9000); // a second offer's pop: not the call's first
    m.stage('c2', 'pop-emitted', 9000); // no StasisStart seen (an outbound pop): not counted
    const s = parsePromText(await m.text()).samples;
    expect(value(s, 'hotline_pop_latency_seconds_count')).toBe(1);
    expect(value(s, 'hotline_pop_latency_seconds_sum')).toBeCloseTo(0.03, 6);
    expect(value(s, 'hotline_pop_latency_seconds_bucket', { le: '0.025' })).toBe(0);
    expect(value(s, 'hotline_pop_latency_seconds_bucket', { le: '0.05' })).toBe(1);
  });

  it('keeps two instances apart (a registry each)', async () => {
    const other = createPrometheusMetrics({
      wall: () => ({ snapshot: () => emptyWall }),
      ariState: () => 'closed',
    });
    other.sink.popAckMissed();
    other.sink.importRows({ accepted: 5, rejected: 3, duplicates: 1, dnc: 2 });
    const a = parsePromText(await metrics.text()).samples;
    const b = parsePromText(await other.text()).samples;
    expect(value(a, 'hotline_pop_acks_missed_total')).toBe(0);
    expect(value(b, 'hotline_pop_acks_missed_total')).toBe(1);
    expect(value(b, 'hotline_ari_link_up')).toBe(0);
    // Disjoint results adding up to the rows: 3 accepted, 2 dnc, 1 duplicate, 2 invalid.
    expect(
      ['accepted', 'dnc', 'duplicate', 'invalid'].map((result) =>
        value(b, 'hotline_import_rows_total', { result }),
      ),
    ).toEqual([3, 2, 1, 2]);
  });
});
