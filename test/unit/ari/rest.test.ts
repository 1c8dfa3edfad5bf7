import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { AriError, isAriNotFound } from '../../../src/ari/errors';
import { createAriRest } from '../../../src/ari/rest';
import type { AriRest } from '../../../src/ari/types';
import { silentLogger } from '../../../src/shared/logger';

interface Seen {
  method: string;
  url: URL;
  headers: http.IncomingHttpHeaders;
  body: string;
}
interface Reply {
  status: number;
  body?: unknown;
  raw?: string;
  hang?: boolean;
}

const PASSWORD = 's3cret-pw';
let server: http.Server;
let baseUrl: string;
let seen: Seen[];
let reply: (req: Seen) => Reply;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const s = {
        method: req.method ?? '',
        url: new URL(req.url ?? '/', 'http://x'),
        headers: req.headers,
        body,
      };
      seen.push(s);
      const r = reply(s);
      if (r.hang) return;
      const text = r.raw ?? (r.body === undefined ? '' : JSON.stringify(r.body));
      res.writeHead(r.status, { 'content-type': 'application/json' }).end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  seen = [];
  reply = () => ({ status: 204 });
});

const client = (over: Partial<Parameters<typeof createAriRest>[0]> = {}): AriRest =>
  createAriRest({ baseUrl, user: 'hotline', password: PASSWORD, log: silentLogger(), ...over });

async function failure(p: Promise<unknown>): Promise<AriError> {
  const err: unknown = await p.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof AriError)) throw new Error(`expected an AriError, got ${String(err)}`);
  return err;
}

describe('ARI REST client', () => {
  it('sends basic auth under /ari and parses JSON', async () => {
    reply = () => ({ status: 200, body: { system: { version: '22.1', entity_id: 'e' } } });
    const info = await client({ baseUrl: `${baseUrl}/` }).asteriskInfo();
    expect(info.system?.version).toBe('22.1');
    expect(seen[0]!.method).toBe('GET');
    expect(seen[0]!.url.pathname).toBe('/ari/asterisk/info');
    const expected = `Basic ${Buffer.from(`hotline:${PASSWORD}`).toString('base64')}`;
    expect(seen[0]!.headers.authorization).toBe(expected);
  });

  it('URL-encodes channel and bridge ids', async () => {
    reply = () => ({ status: 200, body: { id: 'x' } });
    await client().getChannel('a/b c?d');
    await client().destroyBridge('br#1');
    expect(seen[0]!.url.pathname).toBe('/ari/channels/a%2Fb%20c%3Fd');
    expect(seen[1]!.method).toBe('DELETE');
    expect(seen[1]!.url.pathname).toBe('/ari/bridges/br%231');
  });

  it('originates with query parameters and variables in a JSON body', async () => {
    reply = () => ({ status: 200, body: { id: 'leg-1', name: 'PJSIP/1001-0001' } });
    const ch = await client().originate({
      endpoint: 'PJSIP/1001',
      app: 'hotline',
      appArgs: 'agent,call-1',
      callerId: '"Hotline" <4000>',
      timeout: 20,
      channelId: 'leg-1',
      otherChannelId: 'leg-1b',
      originator: 'caller-1',
      variables: { HotlineCall: 'call-1' },
    });
    expect(ch.id).toBe('leg-1');
    const s = seen[0]!;
    expect(s.method).toBe('POST');
    expect(s.url.pathname).toBe('/ari/channels');
    expect(Object.fromEntries(s.url.searchParams)).toEqual({
      endpoint: 'PJSIP/1001',
      app: 'hotline',
      appArgs: 'agent,call-1',
      callerId: '"Hotline" <4000>',
      timeout: '20',
      channelId: 'leg-1',
      otherChannelId: 'leg-1b',
      originator: 'caller-1',
    });
    expect(s.headers['content-type']).toBe('application/json');
    expect(JSON.parse(s.body)).toEqual({ variables: { HotlineCall: 'call-1' } });
  });

  it('originates without a body when there are no variables', async () => {
    reply = () => ({ status: 200, body: { id: 'leg-2' } });
    await client().originate({ endpoint: 'PJSIP/1002', app: 'hotline' });
    expect(seen[0]!.body).toBe('');
    expect([...seen[0]!.url.searchParams.keys()]).toEqual(['endpoint', 'app']);
  });

  it('joins repeatable parameters with commas and returns void on 204', async () => {
    reply = (s) =>
      s.url.pathname.endsWith('/play') ? { status: 201, body: { id: 'pb' } } : { status: 204 };
    const pb = await client().play('c1', ['sound:hello', 'sound:goodbye'], 'pb');
    expect(pb.id).toBe('pb');
    expect(seen[0]!.url.searchParams.get('media')).toBe('sound:hello,sound:goodbye');
    expect(seen[0]!.url.searchParams.get('playbackId')).toBe('pb');
    await expect(client().addChannel('b1', ['c1', 'c2'], 'agent')).resolves.toBeUndefined();
    expect(seen[1]!.url.pathname).toBe('/ari/bridges/b1/addChannel');
    expect(seen[1]!.url.searchParams.get('channel')).toBe('c1,c2');
    expect(seen[1]!.url.searchParams.get('role')).toBe('agent');
  });

  it('maps the other calls to the paths and parameters of the spec', async () => {
    const rest = client();
    await rest.hangup('c1', 'busy');
    await rest.startBridgeMoh('b1', 'default');
    await rest.stopBridgeMoh('b1');
    await rest.setVariable('HOTLINE_ENDED_c1');
    await rest.setChannelVar('c1', 'X', 'y');
    reply = () => ({ status: 200, body: { name: 'rec', state: 'queued' } });
    await rest.recordBridge('b1', {
      name: 'rec',
      format: 'wav',
      beep: false,
      ifExists: 'overwrite',
    });
    const calls = seen.map((s) => `${s.method} ${s.url.pathname}${s.url.search}`);
    expect(calls).toEqual([
      'DELETE /ari/channels/c1?reason=busy',
      'POST /ari/bridges/b1/moh?mohClass=default',
      'DELETE /ari/bridges/b1/moh',
      'POST /ari/asterisk/variable?variable=HOTLINE_ENDED_c1',
      'POST /ari/channels/c1/variable?variable=X&value=y',
      'POST /ari/bridges/b1/record?name=rec&format=wav&ifExists=overwrite&beep=false',
    ]);
  });

  it('stops a playback by its id (DELETE /playbacks/{id})', async () => {
    await expect(client().stopPlayback('call 1-survey')).resolves.toBeUndefined();
    expect(`${seen[0]!.method} ${seen[0]!.url.pathname}`).toBe(
      'DELETE /ari/playbacks/call%201-survey',
    );
  });

  it('reads a global variable, null when ARI says it is empty', async () => {
    reply = (s) => ({
      status: 200,
      body: { value: s.url.searchParams.get('variable') === 'SET' ? '1.5|16' : '' },
    });
    await expect(client().getVariable('SET')).resolves.toBe('1.5|16');
    await expect(client().getVariable('UNSET')).resolves.toBeNull();
  });

  it.each([
    [404, 'not-found', { message: 'Channel not found' }, 'Channel not found'],
    [409, 'conflict', { message: 'Bridge already exists' }, 'Bridge already exists'],
    [422, 'conflict', { message: 'Unknown format' }, 'Unknown format'],
    [400, 'bad-request', { message: 'Invalid reason' }, 'Invalid reason'],
    [500, 'server', { error: 'Allocation failed' }, 'Allocation failed'],
  ])('maps HTTP %i to %s with the ARI message', async (status, kind, body, text) => {
    reply = () => ({ status, body });
    const err = await failure(client().getChannel('nope'));
    expect(err).toMatchObject({ status, kind, method: 'GET', path: '/channels/nope' });
    expect(err.message).toContain(text);
    expect(isAriNotFound(err)).toBe(status === 404);
  });

  it('keeps a non-JSON error body short and readable', async () => {
    reply = () => ({ status: 503, raw: 'Service Unavailable' });
    const err = await failure(client().listChannels());
    expect(err.kind).toBe('server');
    expect(err.message).toContain('503 Service Unavailable');
  });

  it('times out a request that gets no answer', async () => {
    reply = () => ({ status: 0, hang: true });
    const err = await failure(client({ timeoutMs: 100 }).listBridges());
    expect(err).toMatchObject({ kind: 'timeout', status: null, method: 'GET', path: '/bridges' });
  });

  it('reports a refused connection as unavailable', async () => {
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const rest = client({ baseUrl: `http://127.0.0.1:${port}` });
    const err = await failure(rest.getBridge('b1'));
    expect(err).toMatchObject({ kind: 'unavailable', status: null, path: '/bridges/b1' });
    expect(isAriNotFound(err)).toBe(false);
  });

  it('logs failures at debug with method, path and status, never the password', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
    reply = () => ({ status: 404, body: { message: 'Bridge not found' } });
    await failure(client({ log }).getBridge('gone'));
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!);
    expect(entry).toMatchObject({ level: 20, method: 'GET', path: '/bridges/gone', status: 404 });
    const everything = lines.join('\n');
    expect(everything).not.toContain(PASSWORD);
    expect(everything).not.toContain(Buffer.from(`hotline:${PASSWORD}`).toString('base64'));
  });
});
