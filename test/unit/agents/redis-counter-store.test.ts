/**
 * The login throttle's counters in the machine's Redis (127.0.0.1:6379, TEST_REDIS_URL): two
 * instances' throttles share one allowance, refunds and clears reach both, a window ends by
 * Redis's own expiry, and with Redis gone each instance counts in its own memory again.
 */
import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import pino from 'pino';
import { createLoginThrottle, createMemoryCounterStore } from '../../../src/agents/login-throttle';
import { createRedisCounterStore } from '../../../src/agents/redis-counter-store';
import type { RedisClient } from '../../../src/screenpop/redis-adapter';

const url = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `hotline-test-throttle-${randomBytes(4).toString('hex')}`;
const clock = { now: () => Date.now() };
const log = pino({ level: 'silent' });
const limits = { maxFailuresPerUser: 3, maxFailuresPerAddress: 5, windowMs: 60_000 };
let client: RedisClient;
let up = true;

const instance = (windowMs = limits.windowMs) =>
  createLoginThrottle({
    store: createRedisCounterStore({
      client: () => (up ? client : null),
      prefix,
      fallback: createMemoryCounterStore(clock),
      clock,
      log,
    }),
    clock,
    limits: { ...limits, windowMs },
  });

beforeAll(async () => {
  client = createClient({ url });
  await client.connect();
});
afterAll(async () => {
  for (const k of await client.keys(`${prefix}:*`)) await client.del(k);
  await client.quit();
});
beforeEach(() => {
  up = true;
});

it('counts the failures on every instance against one allowance', async () => {
  const [a, b] = [instance(), instance()];
  expect((await a.attempt('ann', '10.1.0.1')).ok).toBe(true);
  expect((await b.attempt('ann', '10.1.0.2')).ok).toBe(true);
  expect((await a.attempt('ann', '10.1.0.3')).ok).toBe(true);
  const refused = await b.attempt('ANN', '10.1.0.4');
  expect(refused.ok).toBe(false);
  if (!refused.ok) expect(refused.retryAfterMs).toBeGreaterThan(59_000);
  // A login on one instance clears the username for all.
  await a.succeeded('ann', '10.1.0.1');
  expect((await b.attempt('ann', '10.1.0.4')).ok).toBe(true);
  expect(Number(await client.get(`${prefix}:login:user:ann`))).toBe(1);
});

it('takes parallel guesses over two instances one at a time (atomic scripts)', async () => {
  const [a, b] = [instance(), instance()];
  const results = await Promise.all(
    Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).attempt('carl', '10.1.1.1')),
  );
  expect(results.filter((r) => r.ok)).toHaveLength(3);
});

it('gives an address its slot back on a login, never below zero', async () => {
  const a = instance();
  await a.succeeded('dora', '10.1.2.1'); // a refund with no count
  expect(await client.get(`${prefix}:login:addr:10.1.2.1`)).toBeNull();
  for (let i = 0; i < 5; i++) expect((await a.attempt(`u${i}`, '10.1.2.1')).ok).toBe(true);
  await a.succeeded('u0', '10.1.2.1');
  expect((await instance().attempt('u9', '10.1.2.1')).ok).toBe(true);
  expect((await instance().attempt('u8', '10.1.2.1')).ok).toBe(false);
});

it('ends a window by Redis expiry', async () => {
  const a = instance(300);
  for (let i = 0; i < 3; i++) await a.attempt('eve', '10.1.3.1');
  expect((await a.attempt('eve', '10.1.3.1')).ok).toBe(false);
  const ttl = await client.pTTL(`${prefix}:login:user:eve`);
  expect(ttl).toBeGreaterThan(0);
  expect(ttl).toBeLessThanOrEqual(300);
  await new Promise((r) => setTimeout(r, 400));
  expect((await a.attempt('eve', '10.1.3.1')).ok).toBe(true);
});

it('counts in memory, per instance, while Redis is not there', async () => {
  const [a, b] = [instance(), instance()];
  up = false;
  for (let i = 0; i < 3; i++) expect((await a.attempt('finn', '10.1.4.1')).ok).toBe(true);
  expect((await a.attempt('finn', '10.1.4.1')).ok).toBe(false);
  expect((await b.attempt('finn', '10.1.4.1')).ok).toBe(true);
  expect(await client.get(`${prefix}:login:user:finn`)).toBeNull();
});
