import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { createAri, type Ari } from '../../../src/ari';
import { AriError } from '../../../src/ari/errors';
import { silentLogger } from '../../../src/shared/logger';

interface Frame {
  type: string;
  request_id: string;
  method: string;
  uri: string;
  query_strings?: Array<{ name: string; value: string }>;
  content_type?: string;
  message_body?: string;
}

/**
 * A fake Asterisk with both transports: HTTP answers every request 200 {"via":"http"}; the event
 * WebSocket answers RESTRequest frames (when `speaksRest`, as Asterisk 22.4+ does) through
 * `answer`, or never (an older Asterisk).
 */
async function fakeAsterisk(opts: { speaksRest: boolean }) {
  const httpHits: string[] = [];
  const httpBodies: Array<{ hit: string; body: string }> = [];
  const frames: Frame[] = [];
  const sockets: WebSocket[] = [];
  const ctl = {
    answer: (f: Frame): Record<string, unknown> | null => ({
      status_code: 200,
      reason_phrase: 'OK',
      message_body: JSON.stringify({ via: 'ws', uri: f.uri }),
    }),
  };
  const wss = new WebSocketServer({ noServer: true });
  const server = http.createServer((req, res) => {
    const hit = `${req.method} ${req.url}`;
    httpHits.push(hit);
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      httpBodies.push({ hit, body });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"via":"http"}');
    });
  });
  server.on('upgrade', (req, socket, head) =>
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.push(ws);
      ws.on('message', (data) => {
        const f = JSON.parse((data as Buffer).toString('utf8')) as Frame;
        frames.push(f);
        if (!opts.speaksRest) return;
        const body = ctl.answer(f);
        if (body)
          ws.send(JSON.stringify({ type: 'RESTResponse', request_id: f.request_id, ...body }));
      });
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    httpHits,
    httpBodies,
    frames,
    ctl,
    dropSockets: () => sockets.forEach((ws) => ws.terminate()),
    async stop() {
      sockets.forEach((ws) => ws.terminate());
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function waitFor(what: string, cond: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

let fake: Awaited<ReturnType<typeof fakeAsterisk>>;
let ari: Ari;
const open = (
  f: typeof fake,
  extra: { restOverWebSocket?: boolean; timeoutMs?: number; filterEvents?: boolean } = {},
) => {
  ari = createAri({
    baseUrl: f.baseUrl,
    user: 'u',
    password: 'p',
    app: 'hotline',
    log: silentLogger(),
    timeoutMs: extra.timeoutMs ?? 1000,
    backoff: { initialMs: 20, maxMs: 50 },
    restOverWebSocket: extra.restOverWebSocket,
    // The transport's tests count every request: the event filter's own test turns it on.
    filterEvents: extra.filterEvents ?? false,
  });
  ari.events.start();
};
afterEach(async () => {
  await ari.events.close();
  await fake.stop();
});

it('sends requests over the event WebSocket once Asterisk answered the probe', async () => {
  fake = await fakeAsterisk({ speaksRest: true });
  open(fake);
  await waitFor('the probe', () => fake.frames.some((f) => f.uri === 'asterisk/ping'));
  await waitFor('the probe answered', () => ari.restVia === 'websocket');
  fake.httpHits.length = 0;
  await ari.rest.originate({
    endpoint: 'PJSIP/2001',
    app: 'hotline',
    appArgs: 'agent,c1',
    channelId: 'ch-1',
    variables: { A: '1' },
  });
  expect(fake.httpHits).toEqual([]);
  const f = fake.frames.find((x) => x.uri === 'channels')!;
  expect(f.method).toBe('POST');
  expect(f.query_strings).toEqual(
    expect.arrayContaining([
      { name: 'endpoint', value: 'PJSIP/2001' },
      { name: 'appArgs', value: 'agent,c1' },
      { name: 'channelId', value: 'ch-1' },
    ]),
  );
  expect(f.content_type).toBe('application/json');
  expect(JSON.parse(f.message_body!)).toEqual({ variables: { A: '1' } });
});

it('maps error statuses of socket answers to the same AriError kinds as HTTP', async () => {
  fake = await fakeAsterisk({ speaksRest: true });
  open(fake);
  await waitFor('the probe answered', () => ari.restVia === 'websocket');
  fake.ctl.answer = (f) =>
    f.uri.startsWith('channels/gone')
      ? {
          status_code: 404,
          reason_phrase: 'Not Found',
          message_body: '{"message":"Channel not found"}',
        }
      : { status_code: 204, reason_phrase: 'No Content' };
  const err = await ari.rest.answer('gone-1').catch((e: unknown) => e);
  expect(err).toBeInstanceOf(AriError);
  expect((err as AriError).kind).toBe('not-found');
  expect((err as AriError).message).toContain('404 Channel not found');
  await expect(ari.rest.hangup('other')).resolves.toBeUndefined();
  expect(fake.httpHits).toEqual([]);
});

it('stays on HTTP when Asterisk never answers the probe (before 20.14 / 21.9 / 22.4)', async () => {
  fake = await fakeAsterisk({ speaksRest: false });
  open(fake);
  await waitFor('the probe', () => fake.frames.some((f) => f.uri === 'asterisk/ping'));
  expect(ari.restVia).toBe('http');
  const info = await ari.rest.asteriskInfo();
  expect(info).toEqual({ via: 'http' });
  expect(fake.httpHits).toEqual(['GET /ari/asterisk/info']);
});

it('never uses the socket when restOverWebSocket is false', async () => {
  fake = await fakeAsterisk({ speaksRest: true });
  open(fake, { restOverWebSocket: false });
  await waitFor('connected', () => ari.events.state === 'open');
  await new Promise((r) => setTimeout(r, 50));
  expect(ari.restVia).toBe('http');
  expect(await ari.rest.asteriskInfo()).toEqual({ via: 'http' });
  expect(fake.frames).toEqual([]);
});

it('fails requests in flight when the socket drops, then falls back to HTTP until re-probed', async () => {
  fake = await fakeAsterisk({ speaksRest: true });
  open(fake);
  await waitFor('the probe answered', () => ari.restVia === 'websocket');
  fake.ctl.answer = (f) => (f.uri === 'asterisk/ping' ? { status_code: 200 } : null); // hang
  const inFlight = ari.rest.answer('c1').catch((e: unknown) => e);
  await waitFor('sent', () => fake.frames.some((f) => f.uri === 'channels/c1/answer'));
  fake.dropSockets();
  const err = (await inFlight) as AriError;
  expect(err).toBeInstanceOf(AriError);
  expect(err.kind).toBe('unavailable');
  expect(ari.restVia).toBe('http');
  // While reconnecting, the next request goes over HTTP (it is not lost).
  expect(await ari.rest.asteriskInfo()).toEqual({ via: 'http' });
});

it('times out an unanswered request with the configured timeout', async () => {
  fake = await fakeAsterisk({ speaksRest: true });
  open(fake, { timeoutMs: 200 });
  await waitFor('the probe answered', () => ari.restVia === 'websocket');
  fake.ctl.answer = () => null;
  const err = (await ari.rest.answer('c2').catch((e: unknown) => e)) as AriError;
  expect(err.kind).toBe('timeout');
});

it('asks Asterisk for the listened event types only, at every connect and for a new type', async () => {
  fake = await fakeAsterisk({ speaksRest: false });
  const filters = () =>
    fake.httpBodies
      .filter((b) => b.hit === 'PUT /ari/applications/hotline/eventFilter')
      .map((b) => (JSON.parse(b.body) as { allowed: Array<{ type: string }> }).allowed)
      .map((allowed) => allowed.map((a) => a.type).sort());
  open(fake, { filterEvents: true });
  ari.events.on('StasisStart', () => undefined);
  ari.events.on('ChannelDestroyed', () => undefined);
  await waitFor('the filter', () => filters().length === 1);
  // The answers of requests over the socket and a take-over pass the filter too.
  expect(filters()[0]).toEqual(
    ['ApplicationReplaced', 'ChannelDestroyed', 'RESTResponse', 'StasisStart'].sort(),
  );
  // Another listener of a type already asked for: no new request. A new type: one.
  ari.events.on('StasisStart', () => undefined);
  ari.events.on('PlaybackFinished', () => undefined);
  ari.events.on('RecordingFinished', () => undefined);
  await waitFor('the filter again', () => filters().length === 2);
  expect(filters()[1]).toContain('PlaybackFinished');
  expect(filters()[1]).toContain('RecordingFinished');
  // A reconnect sets it again (the application may have been filtered by someone else).
  fake.dropSockets();
  await waitFor('the filter after the reconnect', () => filters().length === 3);
  expect(filters()[2]).toEqual(filters()[1]);
});
