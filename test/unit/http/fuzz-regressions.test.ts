import { hotlineFixture, type HotlineFixture } from '../../support/hotline-fixture';

/**
 * What the fuzzer (fuzz.test.ts) found, each as the smallest request it shrank to: it must stay
 * a 4xx in the contract's shape.
 */
let fx: HotlineFixture;
let token: string;
let customerId: number;
beforeAll(async () => {
  fx = await hotlineFixture();
  token = (await fx.user('root', 'admin')).token;
  const created = await fx.send({
    method: 'POST',
    path: '/api/customers',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Anna Li', phones: ['13800138000'] }),
  });
  customerId = (created.body as { id: number }).id;
});
afterAll(() => fx.close());

const post = (path: string, body: unknown) =>
  fx.send({
    method: 'POST',
    path,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('found by the fuzzer', () => {
  it('POST /api/complaints with an ownerUserId that is no user: 400, not a foreign-key 500 (FUZZ_SEED=1)', async () => {
    const res = await post('/api/complaints', {
      customerId,
      category: 'service',
      severity: 'low',
      description: '!',
      ownerUserId: 64,
    });
    expect({ status: res.status, body: res.body }).toEqual({
      status: 400,
      body: {
        error: {
          code: 'HOTLINE_VALIDATION',
          message: 'ownerUserId: no user 64',
          details: [{ path: 'ownerUserId', message: 'no user 64' }],
        },
      },
    });
    expect(fx.log.filter((l) => l.level >= 50)).toEqual([]);
  });
});
