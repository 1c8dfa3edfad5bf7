import { requestError } from '../../../src/http/request-errors';

/** The mapping of errors raised while reading a request (body-parser, raw-body, the router). */
const httpError = (status: number, fields: Record<string, unknown> = {}) =>
  Object.assign(new Error('x'), { status, statusCode: status, expose: status < 500, ...fields });

describe('requestError', () => {
  it('maps body-parser errors by type', () => {
    const code = (e: unknown) => requestError(e)?.code ?? null;
    expect(code(httpError(400, { type: 'entity.parse.failed' }))).toBe('HOTLINE_VALIDATION');
    expect(code(httpError(413, { type: 'entity.too.large' }))).toBe('HOTLINE_PAYLOAD_TOO_LARGE');
    expect(code(httpError(415, { type: 'charset.unsupported', charset: 'koi8' }))).toBe(
      'HOTLINE_UNSUPPORTED_MEDIA_TYPE',
    );
    expect(code(httpError(415, { type: 'encoding.unsupported', encoding: 'x' }))).toBe(
      'HOTLINE_UNSUPPORTED_MEDIA_TYPE',
    );
    expect(code(httpError(400, { type: 'request.size.invalid' }))).toBe('HOTLINE_VALIDATION');
    // No type (a zlib error wrapped as 400): by status.
    expect(code(httpError(400))).toBe('HOTLINE_VALIDATION');
    expect(code(httpError(413))).toBe('HOTLINE_PAYLOAD_TOO_LARGE');
  });

  it('maps the URIError of a path parameter to 400', () => {
    let thrown: unknown;
    try {
      decodeURIComponent('%ZZ');
    } catch (e) {
      thrown = e;
    }
    expect(requestError(thrown)?.status).toBe(400);
  });

  it('leaves everything else a bug (500): 5xx http errors, statuses without expose', () => {
    expect(requestError(httpError(500, { type: 'stream.encoding.set' }))).toBeNull();
    // An ARI (or other dependency) error carrying its own 404 is not the client's fault.
    expect(requestError(Object.assign(new Error('ARI 404'), { status: 404 }))).toBeNull();
    expect(requestError(new TypeError('x'))).toBeNull();
    expect(requestError('a string')).toBeNull();
    expect(requestError(null)).toBeNull();
  });
});
