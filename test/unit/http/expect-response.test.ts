import { expectResponse, routeOf } from '../../support/expect-response';

describe('expectResponse', () => {
  const req = (method: string, path: string) => ({ method, path });

  it('finds the route of a concrete request, static segments first', () => {
    expect(routeOf('GET', '/api/users/me').path).toBe('/api/users/me');
    expect(routeOf('PUT', '/api/users/7').path).toBe('/api/users/{id}');
    expect(routeOf('POST', '/api/calls/c-1/recording/pause?x=1').path).toBe(
      '/api/calls/{id}/recording/{action}',
    );
    expect(() => routeOf('GET', '/api/nothing')).toThrow(/no route GET \/api\/nothing/);
  });

  it('accepts a body of the documented shape', () => {
    const body = { ok: true, ari: true, database: false };
    expect(expectResponse({ status: 200, body, req: req('GET', '/healthz') })).toEqual(body);
    expect(
      expectResponse('PUT /api/calls/{id}/wrapup', { status: 200, body: { ok: true } }),
    ).toEqual({ ok: true });
  });

  it('fails naming the zod issues, undocumented fields and statuses', () => {
    expect(() =>
      expectResponse({ status: 200, body: { ok: 'yes' }, req: req('GET', '/healthz') }),
    ).toThrow(/GET \/healthz 200: the body does not match[\s\S]*ari/);
    expect(() =>
      expectResponse('PUT /api/calls/{id}/wrapup', { status: 200, body: { ok: true, call: {} } }),
    ).toThrow(/fields not in the schema: call/);
    expect(() =>
      expectResponse('PUT /api/calls/{id}/wrapup', { status: 201, body: { ok: true } }),
    ).toThrow(/answered 201; documented: 200/);
  });

  it('checks errors against the contract error shape', () => {
    const error = { error: { code: 'HOTLINE_NOT_FOUND', message: 'no' } };
    expect(expectResponse({ status: 404, body: error, req: req('GET', '/api/calls/x') })).toEqual(
      error,
    );
    expect(() =>
      expectResponse({ status: 404, body: { message: 'no' }, req: req('GET', '/api/calls/x') }),
    ).toThrow(/does not match/);
  });
});
