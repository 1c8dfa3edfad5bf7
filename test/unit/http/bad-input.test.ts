import zlib from 'node:zlib';
import { errorSchema } from '../../../src/api/common';
import {
  hotlineFixture,
  type HotlineFixture,
  type RawRequest,
} from '../../support/hotline-fixture';
import { insertCampaign } from '../outbound/import-data';

/**
 * Issue 9, defect 8: requests the service cannot read (a path that is not valid percent-encoding,
 * a charset or content encoding it cannot decode, a body that does not inflate) are the client's
 * fault: 400 or 415 with a catalogued code in the contract's error shape, never a 500 and never
 * a stack trace in the log.
 */
let fx: HotlineFixture;
let token: string;
let campaignId: number;
beforeAll(async () => {
  fx = await hotlineFixture();
  token = (await fx.user('root', 'admin')).token;
  campaignId = await insertCampaign(fx.hotline.db, 'Spring');
});
afterAll(() => fx.close());

const auth = () => ({ authorization: `Bearer ${token}` });
const json = JSON.stringify({ name: 'Anna', phones: ['13800138000'] });

async function expectError(req: RawRequest, status: number, code: string) {
  const logged = fx.log.length;
  const res = await fx.send(req);
  expect({
    status: res.status,
    code: (res.body as { error?: { code?: string } }).error?.code,
  }).toEqual({ status, code });
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(errorSchema.safeParse(res.body).success).toBe(true);
  expect(res.text).not.toMatch(/\n\s+at /);
  // The client's mistake is not logged as a failure of the service.
  expect(fx.log.slice(logged).filter((l) => l.level >= 50)).toEqual([]);
  return res.body as { error: { code: string; message: string; details?: unknown } };
}

describe('a path that is not valid percent-encoding', () => {
  it.each(['/api/customers/%', '/api/calls/%ZZ', '/api/calls/%E0%A4%A', '/api/users/%C0%AF'])(
    'GET %s → 400 HOTLINE_VALIDATION',
    async (path) => {
      const body = await expectError(
        { method: 'GET', path, headers: auth() },
        400,
        'HOTLINE_VALIDATION',
      );
      expect(body.error.message).toMatch(/percent-encoding/);
    },
  );

  it('is 401 without a token, like any other request', async () => {
    await expectError(
      { method: 'PUT', path: '/api/customers/%', headers: { 'content-type': 'application/json' } },
      401,
      'HOTLINE_UNAUTHENTICATED',
    );
  });
});

describe('a JSON body the service cannot decode', () => {
  const post = (headers: Record<string, string>, body: Buffer | string = json): RawRequest => ({
    method: 'POST',
    path: '/api/customers',
    headers: { ...auth(), ...headers },
    body,
  });

  it.each(['latin9', 'x-nonexistent', 'iso-8859-1'])(
    'charset=%s → 415 HOTLINE_UNSUPPORTED_MEDIA_TYPE',
    async (charset) => {
      const body = await expectError(
        post({ 'content-type': `application/json; charset=${charset}` }),
        415,
        'HOTLINE_UNSUPPORTED_MEDIA_TYPE',
      );
      expect(body.error.details).toEqual({ charset });
    },
  );

  it.each(['bogus', 'gzip, bogus', 'compress'])(
    'Content-Encoding: %s → 415 HOTLINE_UNSUPPORTED_MEDIA_TYPE',
    async (encoding) => {
      const body = await expectError(
        post({ 'content-type': 'application/json', 'content-encoding': encoding }),
        415,
        'HOTLINE_UNSUPPORTED_MEDIA_TYPE',
      );
      expect(body.error.details).toEqual({ encoding });
    },
  );

  it('a gzip body that does not inflate → 400 HOTLINE_VALIDATION', async () => {
    await expectError(
      post({ 'content-type': 'application/json', 'content-encoding': 'gzip' }, 'not gzip at all'),
      400,
      'HOTLINE_VALIDATION',
    );
  });

  it('still reads a body it can decode: gzip, and charset=utf-8', async () => {
    const gz = await fx.send(
      post({ 'content-type': 'application/json', 'content-encoding': 'gzip' }, zlib.gzipSync(json)),
    );
    expect(gz.status).toBe(201);
    const utf8 = await fx.send(post({ 'content-type': 'application/json; charset=UTF-8' }));
    expect(utf8.status).toBe(201);
  });

  it('malformed JSON stays 400 HOTLINE_VALIDATION, over the limit 413', async () => {
    await expectError(
      post({ 'content-type': 'application/json' }, '{"name":'),
      400,
      'HOTLINE_VALIDATION',
    );
    await expectError(
      post({ 'content-type': 'application/json' }, JSON.stringify({ name: 'x'.repeat(300_000) })),
      413,
      'HOTLINE_PAYLOAD_TOO_LARGE',
    );
  });
});

describe('a CSV import the service cannot decode', () => {
  const csv = 'Name,Mobile\r\nAnna,13800138000\r\n';
  const mapping = encodeURIComponent(JSON.stringify({ phone: 'Mobile', firstName: 'Name' }));
  const importing = (headers: Record<string, string>, body: Buffer | string = csv): RawRequest => ({
    method: 'POST',
    path: `/api/campaigns/${campaignId}/imports?mapping=${mapping}`,
    headers: { ...auth(), ...headers },
    body,
  });

  it('text/csv; charset=x-nonexistent → 415 HOTLINE_UNSUPPORTED_MEDIA_TYPE', async () => {
    const body = await expectError(
      importing({ 'content-type': 'text/csv; charset=x-nonexistent' }),
      415,
      'HOTLINE_UNSUPPORTED_MEDIA_TYPE',
    );
    expect(body.error.details).toEqual({ charset: 'x-nonexistent' });
  });

  it('Content-Encoding: bogus → 415, a broken deflate body → 400', async () => {
    await expectError(
      importing({ 'content-type': 'text/csv', 'content-encoding': 'bogus' }),
      415,
      'HOTLINE_UNSUPPORTED_MEDIA_TYPE',
    );
    await expectError(
      importing({ 'content-type': 'text/csv', 'content-encoding': 'deflate' }, 'no'),
      400,
      'HOTLINE_VALIDATION',
    );
  });

  it('a CSV in a charset it knows (gbk) is imported', async () => {
    const res = await fx.send(
      importing(
        { 'content-type': 'text/csv; charset=gbk' },
        Buffer.from([
          ...Buffer.from('Name,Mobile\r\n'),
          0xd5,
          0xc5,
          ...Buffer.from(',13800138000\r\n'),
        ]),
      ),
    );
    expect(res.status).toBe(202);
    const id = (res.body as { importId: number }).importId;
    for (;;) {
      const report = await fx.send({ method: 'GET', path: `/api/imports/${id}`, headers: auth() });
      const { status, accepted } = report.body as { status: string; accepted: number };
      if (status === 'running') continue;
      expect({ status, accepted }).toEqual({ status: 'done', accepted: 1 });
      break;
    }
  });
});

describe('a method or path the service does not serve', () => {
  it.each([
    ['PUT', '/healthz'],
    ['DELETE', '/api/openapi.json'],
    ['GET', '/no-such-file.txt'],
    ['POST', '/'],
  ])(
    '%s %s → 404 HOTLINE_NOT_FOUND in the contract shape, not an HTML page',
    async (method, path) => {
      await expectError({ method, path, headers: auth() }, 404, 'HOTLINE_NOT_FOUND');
    },
  );
});
