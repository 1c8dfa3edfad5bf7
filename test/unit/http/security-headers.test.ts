import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  hotlineFixture,
  type HotlineFixture,
  type RawResponse,
} from '../../support/hotline-fixture';

/**
 * Issue 9, defect 9: security headers on every response (a CSP the web app satisfies, nosniff,
 * no framing, no referrer) and `Cache-Control: no-store` on every /api answer, which carry
 * personal data or a token.
 */
const root = path.resolve(__dirname, '../../..');
const webDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-web-'));
// What `npm run build:web` writes (web/dist/index.html): one module script, one stylesheet.
fs.writeFileSync(
  path.join(webDir, 'index.html'),
  '<!doctype html><html><head><meta charset="utf-8"><title>Hotline</title>' +
    '<script type="module" crossorigin src="/assets/index-x.js"></script>' +
    '<link rel="stylesheet" crossorigin href="/assets/index-x.css"></head>' +
    '<body><div id="root"></div></body></html>',
);

let fx: HotlineFixture;
let token: string;
let customerId: number;
beforeAll(async () => {
  fx = await hotlineFixture({ webDir });
  token = (await fx.user('root', 'admin')).token;
  const created = await fx.send({
    method: 'POST',
    path: '/api/customers',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Anna Li', phones: ['13800138000'] }),
  });
  customerId = (created.body as { id: number }).id;
});
afterAll(async () => {
  await fx.close();
  fs.rmSync(webDir, { recursive: true, force: true });
});

/** The CSP header as directive → sources. */
function csp(res: RawResponse): Record<string, string[]> {
  const header = res.headers['content-security-policy'];
  expect(typeof header).toBe('string');
  return Object.fromEntries(
    String(header)
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

function expectSecurityHeaders(res: RawResponse) {
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['x-frame-options']).toBe('DENY');
  expect(res.headers['referrer-policy']).toBe('no-referrer');
  expect(res.headers['x-powered-by']).toBeUndefined();
  const policy = csp(res);
  expect(policy['default-src']).toEqual(["'self'"]);
  expect(policy['script-src']).toEqual(["'self'"]);
  expect(policy['style-src']).toEqual(["'self'"]);
  expect(policy['object-src']).toEqual(["'none'"]);
  expect(policy['frame-ancestors']).toEqual(["'none'"]);
  expect(policy['base-uri']).toEqual(["'self'"]);
  // Nothing that would let an injected script run, and nothing that breaks plain HTTP on a LAN.
  expect(String(res.headers['content-security-policy'])).not.toMatch(
    /unsafe-inline|unsafe-eval|upgrade-insecure-requests|\*/,
  );
  return policy;
}

describe('security headers', () => {
  it('the web app page: CSP, nosniff, no framing, no referrer', async () => {
    const page = await fx.send({ method: 'GET', path: '/', headers: {} });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const policy = expectSecurityHeaders(page);
    // socket.io's WebSocket to the page's own host, recordings from blob: URLs.
    expect(policy['connect-src']).toEqual([
      "'self'",
      `ws://127.0.0.1:${fx.port}`,
      `wss://127.0.0.1:${fx.port}`,
    ]);
    expect(policy['media-src']).toEqual(["'self'", 'blob:']);
    expect(policy['img-src']).toEqual(["'self'", 'data:', 'blob:']);
    expect(policy['font-src']).toEqual(["'self'", 'data:']);
  });

  it('a Host header that is not a plain host adds nothing to the policy (and is no 500)', async () => {
    for (const host of ["evil.example; script-src 'unsafe-inline'", 'a b', 'x,y', 'ä.example']) {
      const res = await fx.send({ method: 'GET', path: '/', headers: { host } });
      expect(res.status).toBe(200);
      expect(csp(res)['connect-src']).toEqual(["'self'"]);
      expect(csp(res)['script-src']).toEqual(["'self'"]);
    }
  });

  it('API answers, errors and health too', async () => {
    for (const p of ['/api/openapi.json', '/api/calls', '/healthz', '/api/nope'])
      expectSecurityHeaders(await fx.send({ method: 'GET', path: p, headers: {} }));
  });
});

describe('Cache-Control: no-store on /api', () => {
  const auth = () => ({ authorization: `Bearer ${token}` });

  it('on personal data, on the login answer (a token), on errors', async () => {
    const answers = [
      await fx.send({ method: 'GET', path: `/api/customers/${customerId}`, headers: auth() }),
      await fx.send({ method: 'GET', path: '/api/customers?phone=13800138000', headers: auth() }),
      await fx.send({ method: 'GET', path: '/api/users', headers: auth() }),
      await fx.login('root', 'password-1'),
      await fx.send({ method: 'GET', path: '/api/calls', headers: {} }),
      await fx.send({ method: 'GET', path: '/api/customers/%', headers: auth() }),
      await fx.send({ method: 'GET', path: '/api/nope', headers: auth() }),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 401, 400, 404]);
    for (const a of answers) expect(a.headers['cache-control']).toBe('no-store');
  });

  it("on socket.io's long-polling answers too (they bypass express), with nosniff", async () => {
    const res = await fx.send({
      method: 'GET',
      path: '/socket.io/?EIO=4&transport=polling',
      headers: {},
    });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('not on the web app, which the browser may revalidate', async () => {
    const page = await fx.send({ method: 'GET', path: '/', headers: {} });
    expect(page.headers['cache-control']).not.toMatch(/no-store/);
  });
});

describe('the web app satisfies the policy', () => {
  const read = (p: string) => fs.readFileSync(path.join(root, p), 'utf8');
  const sources = (dir: string): string[] =>
    fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) return sources(p);
      return /\.(tsx?|css)$/.test(e.name) ? [p] : [];
    });

  /** What script-src/style-src 'self' refuses in an HTML page. */
  function inlineIn(html: string): string[] {
    const found: string[] = [];
    for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi))
      if (!/\bsrc=/.test(m[1]!) || m[2]!.trim()) found.push(`inline script ${m[0].slice(0, 60)}`);
    if (/<style\b/i.test(html)) found.push('a <style> element');
    if (/\sstyle=/i.test(html)) found.push('a style attribute');
    if (/\son[a-z]+=/i.test(html)) found.push('an inline event handler');
    for (const m of html.matchAll(/\s(?:src|href)="([^"]*)"/gi))
      if (/^(?:[a-z]+:)?\/\//i.test(m[1]!)) found.push(`another origin: ${m[1]}`);
    return found;
  }

  it('web/index.html (and web/dist/index.html when built) has no inline script or style', () => {
    expect(inlineIn(read('web/index.html'))).toEqual([]);
    if (fs.existsSync(path.join(root, 'web/dist/index.html')))
      expect(inlineIn(read('web/dist/index.html'))).toEqual([]);
  });

  it('web/src evaluates no strings, writes no markup, and loads nothing from elsewhere', () => {
    const offending = sources('web/src').flatMap((f) => {
      const text = read(f);
      return [
        /\beval\(/,
        /\bnew Function\(/,
        /dangerouslySetInnerHTML/,
        /\.innerHTML\s*=/,
        /setAttribute\(\s*['"`]style/,
        /\bimport\(\s*['"`]https?:/,
        /url\(\s*['"]?(?:https?:)?\/\//,
        /@import\s+url\(\s*['"]?https?:/,
        /\bfetch\(\s*['"`]https?:/,
        /\bio\(\s*['"`](?:https?|wss?):/,
      ]
        .filter((re) => re.test(text))
        .map((re) => `${f}: ${re.source}`);
    });
    expect(offending).toEqual([]);
  });
});
