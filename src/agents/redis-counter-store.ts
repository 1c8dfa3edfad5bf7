import type { RedisClient } from '../screenpop/redis-adapter';
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import type { CounterStore } from './login-throttle';

/** INCR, and a window (PEXPIRE) on the key's first hit; the count and the window's rest (PTTL). */
const INCR = `local c = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {c, ttl}`;
/** A refund: one back, never below zero, nothing once the window has ended (key gone). */
const DECR = `local c = tonumber(redis.call('GET', KEYS[1]) or '0')
if c > 0 then redis.call('DECR', KEYS[1]) end
return 0`;

/**
 * The login throttle's counters in Redis, so that every instance behind a load balancer counts
 * the same failures (an attacker spreading guesses over instances gets one allowance, not one per
 * instance). Each operation is one Lua script: atomic across instances. While Redis is not
 * connected (not configured yet, or down) the counters fall back to `fallback`, this instance's
 * memory: logins keep working, throttled per instance as before, and that is logged once per
 * outage.
 */
export function createRedisCounterStore(opts: {
  client: () => RedisClient | null;
  /** Prefix of every key (the cluster's Redis key, e.g. `hotline:throttle`). */
  prefix: string;
  fallback: CounterStore;
  clock: Clock;
  log: Logger;
}): CounterStore {
  const { fallback } = opts;
  let degraded = false;
  const ready = (): RedisClient | null => {
    const c = opts.client();
    return c?.isReady ? c : null;
  };
  async function tryRedis<T>(
    run: (c: RedisClient, key: string) => Promise<T>,
    key: string,
    orElse: () => Promise<T>,
  ): Promise<T> {
    const c = ready();
    if (c)
      try {
        const v = await run(c, `${opts.prefix}:${key}`);
        if (degraded) opts.log.info('login throttle counts in Redis again');
        degraded = false;
        return v;
      } catch (err) {
        if (!degraded) opts.log.warn({ err }, 'login throttle: Redis failed, counting in memory');
        degraded = true;
      }
    return orElse();
  }
  return {
    incr: (key, windowMs) =>
      tryRedis(
        async (c, k) => {
          const [count, ttl] = (await c.eval(INCR, {
            keys: [k],
            arguments: [String(windowMs)],
          })) as [number, number];
          return { count: Number(count), resetAt: opts.clock.now() + Number(ttl) };
        },
        key,
        () => fallback.incr(key, windowMs),
      ),
    decr: (key) =>
      tryRedis(
        async (c, k) => {
          await c.eval(DECR, { keys: [k] });
        },
        key,
        () => fallback.decr(key),
      ),
    clear: (key) =>
      tryRedis(
        async (c, k) => {
          await c.del(k);
        },
        key,
        () => fallback.clear(key),
      ),
  };
}
