import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { WebSocket, WebSocketServer } from 'ws';
import { backoffDelay, createAriEvents, type AriEventsClient } from '../../../src/ari/events';
import type { AriEvent, Channel } from '../../../src/ari/types';
import { silentLogger } from '../../../src/shared/logger';

/**
 * A fake Asterisk: an HTTP server whose upgrades go to a WebSocketServer, or are refused with a
 * 503 while `refuse` is set. `answerPings: false` plays a peer whose link died silently.
 */
async function fakeAsterisk(opts: { answerPings?: boolean } = {}) {
  const wss = new WebSocketServer({ noServer: true, autoPong: opts.answerPings ?? true });
  const sockets: WebSocket[] = [];
  const upgrades: Array<{ url: string; authorization: string | undefined }> = [];
  const ctl = { refuse: false, appHeld: false };
  const appChecks: string[] = [];
  // GET /ari/applications/NAME: 200 while another client holds the app, else 404.
  const server = http.createServer((req, res) => {
    if (req.url?.startsWith('/ari/applications/')) appChecks.push(req.url);
    res.writeHead(ctl.appHeld && req.url?.startsWith('/ari/applications/') ? 200 : 404).end();
  });
  server.on('upgrade', (req, socket, head) => {
    upgrades.push({ url: req.url ?? '', authorization: req.headers.authorization });
    socket.on('error', () => {}); // the client may reset a refused connection
    if (ctl.refuse) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => sockets.push(ws));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const last = () => sockets[sockets.length - 1]!;
  return {
    baseUrl,
    ctl,
    sockets,
    upgrades,
    appChecks,
    send: (data: unknown) => last().send(typeof data === 'string' ? data : JSON.stringify(data)),
    async stop() {
      for (const ws of sockets) ws.terminate();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
type Fake = Awaited<ReturnType<typeof fakeAsterisk>>;

async function waitFor(what: string, cond: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function capturingLogger() {
  const entries: Array<Record<string, unknown>> = [];
  const log = pino(
    { level: 'debug' },
    { write: (line: string) => void entries.push(JSON.parse(line)) },
  );
  return { log, entries };
}

const stasisStart = (id: string): AriEvent => ({
  type: 'StasisStart',
  application: 'hl',
  timestamp: '2025-01-01T00:00:00.000+0000',
  args: ['inbound'],
  channel: { id } as Channel,
});

let fake: Fake;
let client: AriEventsClient;

const defaults = () => ({ baseUrl: fake.baseUrl, user: 'hotline', password: 'pw' });

function start(over: Partial<Parameters<typeof createAriEvents>[0]> = {}) {
  client = createAriEvents({
    ...defaults(),
    app: 'hl test',
    log: silentLogger(),
    backoff: { initialMs: 10, maxMs: 40 },
    ...over,
  });
  const connects: boolean[] = [];
  const disconnects: string[] = [];
  client.onConnected(({ reconnect }) => connects.push(reconnect));
  client.onDisconnected(({ reason }) => disconnects.push(reason));
  client.start();
  return { connects, disconnects };
}

afterEach(async () => {
  await client.close();
  await fake.stop();
});

describe('ARI events client', () => {
  it('connects with the app, subscribeAll=false and a basic auth header', async () => {
    fake = await fakeAsterisk();
    const idle = createAriEvents({ ...defaults(), app: 'a', log: silentLogger() });
    expect(idle.state).toBe('closed');
    const { connects } = start();
    expect(client.state).toBe('connecting');
    await waitFor('connect', () => connects.length === 1);
    expect(connects).toEqual([false]);
    expect(client.state).toBe('open');
    const url = new URL(fake.upgrades[0]!.url, 'http://x');
    expect(url.pathname).toBe('/ari/events');
    expect(url.searchParams.get('app')).toBe('hl test');
    expect(url.searchParams.get('subscribeAll')).toBe('false');
    expect(fake.upgrades[0]!.authorization).toBe(
      `Basic ${Buffer.from('hotline:pw').toString('base64')}`,
    );
  });

  it('dispatches by type and to onAny, skipping malformed and unknown messages', async () => {
    fake = await fakeAsterisk();
    const { connects } = start();
    await waitFor('connect', () => connects.length === 1);
    const starts: string[] = [];
    const ends: string[] = [];
    const any: string[] = [];
    const removed = () => starts.push('removed listener called');
    client.on('StasisStart', (e) => starts.push(e.channel.id));
    client.on('StasisStart', removed);
    client.off('StasisStart', removed);
    client.on('StasisEnd', (e) => ends.push(e.channel.id));
    client.onAny((e) => any.push(e.type));
    fake.send('not json {');
    fake.send('[1, 2]');
    fake.send({ type: 5 });
    fake.send({ type: 'ChannelVarset', variable: 'X', value: '1' });
    fake.send(stasisStart('c1'));
    fake.send({ ...stasisStart('c1'), type: 'StasisEnd' });
    await waitFor('StasisEnd', () => ends.length === 1);
    expect(starts).toEqual(['c1']);
    expect(ends).toEqual(['c1']);
    expect(any).toEqual(['StasisStart', 'StasisEnd']);
    expect(connects).toEqual([false]);
  });

  it('contains a listener exception and keeps the stream going', async () => {
    fake = await fakeAsterisk();
    const { log, entries } = capturingLogger();
    const { connects } = start({ log });
    await waitFor('connect', () => connects.length === 1);
    const seen: string[] = [];
    client.on('StasisStart', (e) => {
      throw new Error(`boom ${e.channel.id}`);
    });
    client.on('StasisStart', (e) => seen.push(e.channel.id));
    fake.send(stasisStart('c1'));
    fake.send(stasisStart('c2'));
    await waitFor('both events', () => seen.length === 2);
    expect(seen).toEqual(['c1', 'c2']);
    const failures = entries.filter((e) => e.msg === 'ARI event listener failed');
    expect(failures).toHaveLength(2);
    expect(failures[0]).toMatchObject({
      level: 50,
      type: 'StasisStart',
      err: { message: 'boom c1' },
    });
    expect(client.state).toBe('open');
    expect(fake.sockets).toHaveLength(1);
  });

  it('reconnects after the server closes the socket', async () => {
    fake = await fakeAsterisk();
    const { connects, disconnects } = start();
    await waitFor('connect', () => connects.length === 1);
    fake.sockets[0]!.close(1011, 'shutting down');
    await waitFor('reconnect', () => connects.length === 2);
    expect(connects).toEqual([false, true]);
    expect(disconnects).toEqual(['shutting down']);
    expect(client.state).toBe('open');
    const got: string[] = [];
    client.on('StasisStart', (e) => got.push(e.channel.id));
    fake.send(stasisStart('after'));
    await waitFor('event on the new socket', () => got.length === 1);
  });

  it('reconnects after dropConnection()', async () => {
    fake = await fakeAsterisk();
    const { connects, disconnects } = start();
    await waitFor('connect', () => connects.length === 1);
    const states: string[] = [];
    client.onDisconnected(() => states.push(client.state));
    client.dropConnection();
    await waitFor('reconnect', () => connects.length === 2);
    expect(connects).toEqual([false, true]);
    expect(disconnects).toEqual(['dropped by dropConnection()']);
    expect(states).toEqual(['connecting']);
  });

  it('backs off exponentially, capped, and keeps retrying until the server is back', async () => {
    fake = await fakeAsterisk();
    fake.ctl.refuse = true;
    const { log, entries } = capturingLogger();
    const { connects } = start({ log, backoff: { initialMs: 5, maxMs: 40 } });
    await waitFor('8 attempts', () => fake.upgrades.length >= 8);
    fake.ctl.refuse = false;
    await waitFor('connect', () => connects.length === 1);
    expect(connects).toEqual([false]);
    const delays = entries
      .filter((e) => e.msg === 'ARI events: reconnecting')
      .map((e) => Number(e.delayMs));
    expect(delays.length).toBeGreaterThanOrEqual(7);
    // Attempt n waits between half and all of min(max, initial * 2^n): it grows, then is capped.
    delays.forEach((delay, n) => {
      const base = Math.min(40, 5 * 2 ** n);
      expect(delay).toBeGreaterThanOrEqual(Math.floor(base / 2));
      expect(delay).toBeLessThanOrEqual(base);
    });
    expect(Math.max(...delays)).toBeGreaterThanOrEqual(20);
  });

  it('computes the backoff delay with jitter of up to half', () => {
    const b = { initialMs: 250, maxMs: 10_000 };
    expect([0, 1, 2, 3].map((n) => backoffDelay(n, b, () => 1))).toEqual([250, 500, 1000, 2000]);
    expect([0, 1, 2, 3].map((n) => backoffDelay(n, b, () => 0))).toEqual([125, 250, 500, 1000]);
    expect(backoffDelay(10, b, () => 1)).toBe(10_000);
    expect(backoffDelay(10_000, b, () => 0)).toBe(5_000);
  });

  it('keeps a healthy link open: pongs answer the pings', async () => {
    fake = await fakeAsterisk();
    const { connects } = start({ pingIntervalMs: 20, pongTimeoutMs: 60 });
    await waitFor('connect', () => connects.length === 1);
    await sleep(300);
    expect(connects).toEqual([false]);
    expect(fake.sockets).toHaveLength(1);
  });

  it('detects a peer that stops answering pings and reconnects', async () => {
    fake = await fakeAsterisk({ answerPings: false });
    const { connects, disconnects } = start({ pingIntervalMs: 20, pongTimeoutMs: 60 });
    await waitFor('connect', () => connects.length === 1);
    await waitFor('reconnect', () => connects.length === 2);
    expect(connects).toEqual([false, true]);
    expect(disconnects[0]).toBe('no pong within 60 ms');
    expect(fake.upgrades.length).toBeGreaterThanOrEqual(2);
  });

  it('ApplicationReplaced: reports replaced, closes, and reconnects only once the app is free', async () => {
    fake = await fakeAsterisk();
    const { log, entries } = capturingLogger();
    const { connects, disconnects } = start({ log, replacedCheckMs: 30 });
    await waitFor('connect', () => connects.length === 1);
    fake.ctl.appHeld = true;
    fake.send({ type: 'ApplicationReplaced', application: 'hl test' });
    await waitFor('replaced', () => client.state === 'replaced');
    await waitFor('disconnected', () => disconnects.length === 1);
    expect(disconnects[0]).toMatch(/replaced/);
    expect(entries.some((e) => e.level === 50 && /ApplicationReplaced/.test(String(e.msg)))).toBe(
      true,
    );
    // Held by the other client: it keeps asking, never connects (no ping-pong).
    await waitFor('a few checks', () => fake.appChecks.length >= 3);
    expect(fake.upgrades).toHaveLength(1);
    expect(client.state).toBe('replaced');
    expect(fake.appChecks[0]).toBe('/ari/applications/hl%20test');
    // The other client went away: the application is free, Hotline connects again.
    fake.ctl.appHeld = false;
    await waitFor('reconnect', () => connects.length === 2);
    expect(connects).toEqual([false, true]);
    expect(client.state).toBe('open');
  });

  it('close() while replaced stops the checks', async () => {
    fake = await fakeAsterisk();
    const { connects } = start({ replacedCheckMs: 20 });
    await waitFor('connect', () => connects.length === 1);
    fake.ctl.appHeld = true;
    fake.send({ type: 'ApplicationReplaced', application: 'hl test' });
    await waitFor('a check', () => fake.appChecks.length >= 1);
    await client.close();
    const seen = fake.appChecks.length;
    await sleep(100);
    expect(fake.appChecks.length).toBeLessThanOrEqual(seen + 1);
    expect(client.state).toBe('closed');
  });

  it('close() resolves once closed and stops reconnecting', async () => {
    fake = await fakeAsterisk();
    const { connects, disconnects } = start();
    await waitFor('connect', () => connects.length === 1);
    await client.close();
    expect(client.state).toBe('closed');
    expect(disconnects).toHaveLength(1);
    await waitFor('server sees the close', () => fake.sockets[0]!.readyState === WebSocket.CLOSED);
    await sleep(200);
    expect(fake.upgrades).toHaveLength(1);
    expect(connects).toEqual([false]);
  });

  it('close() during backoff cancels the pending reconnect', async () => {
    fake = await fakeAsterisk();
    fake.ctl.refuse = true;
    start({ backoff: { initialMs: 50, maxMs: 50 } });
    await waitFor('first attempt', () => fake.upgrades.length === 1);
    await client.close();
    const attempts = fake.upgrades.length;
    fake.ctl.refuse = false;
    await sleep(200);
    expect(fake.upgrades).toHaveLength(attempts);
    expect(client.state).toBe('closed');
  });
});
