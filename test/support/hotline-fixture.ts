import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { Role } from '../../src/agents/users-repo';
import type { Ari } from '../../src/ari';
import { loadConfig } from '../../src/config';
import { createHotline, type Hotline } from '../../src/hotline';
import { createLogger } from '../../src/shared/logger';

/** A log line as pino writes it (only the fields the tests read). */
export interface LogLine {
  level: number;
  msg?: string;
  err?: { type?: string; message?: string; stack?: string };
  [key: string]: unknown;
}

/**
 * The whole composition root (src/hotline.ts) on an in-memory SQLite database: every route of
 * the route table is mounted on its real capability, as in production. ARI points at a closed
 * port and is never started (no ARI WebSocket, no dialer loop): routes that would need a live
 * call find none (or, with `ari`, the fake ARI drives the engine). The web server listens on a free loopback port; `log` holds what it logged at
 * warn and above.
 */
export async function hotlineFixture(
  opts: {
    webDir?: string;
    /** An ARI for the engine (the fake ARI: `asAri(fakeAri())`), so that calls can be driven. */
    ari?: Ari;
    wall?: NonNullable<Parameters<typeof createHotline>[2]>['wall'];
    /** More environment for loadConfig (e.g. HOTLINE_METRICS_TOKEN). */
    env?: Record<string, string>;
    /** The loopback port to listen on (default: a free one). */
    port?: number;
  } = {},
) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-unit-'));
  const config = loadConfig({
    DATABASE_URL: 'sqlite::memory:',
    RECORDINGS_DIR: path.join(dir, 'recordings'),
    ARI_URL: 'http://127.0.0.1:9',
    ...opts.env,
  });
  const log: LogLine[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n'))
        if (line.trim()) log.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  const hotline: Hotline = await createHotline(config, createLogger('warn', sink), {
    webDir: opts.webDir,
    ari: opts.ari,
    wall: opts.wall,
  });
  await new Promise<void>((r) => hotline.server.listen(opts.port ?? 0, '127.0.0.1', r));
  const { port } = hotline.server.address() as AddressInfo;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

  /** One request over a keep-alive connection, every byte as given (no client-side checks). */
  function send(req: RawRequest): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      const r = http.request(
        {
          host: '127.0.0.1',
          port,
          agent,
          method: req.method,
          path: req.path,
          // A body always with its length (Node would send a GET's body with neither a length
          // nor chunking, and the server would read it as the next request).
          headers:
            req.body === undefined || 'content-length' in req.headers
              ? req.headers
              : { ...req.headers, 'content-length': String(Buffer.byteLength(req.body)) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let body: unknown = undefined;
            if (/^application\/json\b/.test(res.headers['content-type'] ?? ''))
              try {
                body = JSON.parse(text);
              } catch {
                body = undefined;
              }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body });
          });
          res.on('error', reject);
        },
      );
      r.on('error', reject);
      r.end(req.body);
    });
  }

  async function login(username: string, password: string): Promise<RawResponse> {
    return send({
      method: 'POST',
      path: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
  }

  return {
    hotline,
    config,
    log,
    port,
    url: `http://127.0.0.1:${port}`,
    send,
    /** A user with that role, logged in over HTTP as a browser would. */
    async user(username: string, role: Role, extension: string | null = null) {
      const password = 'password-1';
      const u = await hotline.users.create({
        username,
        password,
        name: `${username} name`,
        role,
        extension,
      });
      hotline.agents.upsertUser(u);
      const res = await login(username, password);
      if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${res.text}`);
      return { ...u, password, token: (res.body as { token: string }).token };
    },
    login,
    async close() {
      agent.destroy();
      await hotline.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface RawRequest {
  method: string;
  /** Sent as is: percent-encoding and all (Node refuses only control characters and spaces). */
  path: string;
  headers: Record<string, string>;
  body?: Buffer | string;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The parsed body when the response says it is JSON. */
  body: unknown;
}

export type HotlineFixture = Awaited<ReturnType<typeof hotlineFixture>>;
