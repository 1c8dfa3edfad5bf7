import { isIPv6 } from 'node:net';
import type { Clock } from '../shared/clock';

/**
 * Counters that live for a window from their first hit: what the login throttle needs from a
 * store. Every operation is async and atomic per key so that Redis can hold them when several
 * instances serve logins (`INCR` + `PEXPIRE … NX` + `PTTL`, `DECR`, `DEL`); today they are in
 * memory, one set per instance.
 */
export interface CounterStore {
  /** Adds one to the key's count (a new window of `windowMs` if none is running). */
  incr(key: string, windowMs: number): Promise<{ count: number; resetAt: number }>;
  /** Takes one back (a refund), never below zero; nothing if the window has ended. */
  decr(key: string): Promise<void>;
  clear(key: string): Promise<void>;
}

/** In-process counters; at most `maxKeys` of them (the oldest go first when full). */
export function createMemoryCounterStore(clock: Clock, maxKeys = 100_000): CounterStore {
  const counters = new Map<string, { count: number; resetAt: number }>();
  const sweep = (now: number) => {
    for (const [k, c] of counters) if (c.resetAt <= now) counters.delete(k);
    for (const k of counters.keys()) {
      if (counters.size < maxKeys) break;
      counters.delete(k);
    }
  };
  return {
    incr(key, windowMs) {
      const now = clock.now();
      let c = counters.get(key);
      if (!c || c.resetAt <= now) {
        if (c) counters.delete(key);
        if (counters.size >= maxKeys) sweep(now);
        c = { count: 0, resetAt: now + windowMs };
        counters.set(key, c);
      }
      c.count += 1;
      return Promise.resolve({ count: c.count, resetAt: c.resetAt });
    },
    decr(key) {
      const c = counters.get(key);
      if (c && c.resetAt > clock.now()) c.count = Math.max(0, c.count - 1);
      return Promise.resolve();
    },
    clear(key) {
      counters.delete(key);
      return Promise.resolve();
    },
  };
}

/**
 * The address a login counts against: IPv4 as is (also when mapped into IPv6), IPv6 by its /64,
 * which one subscriber usually holds whole.
 */
export function addressKey(ip: string | undefined): string {
  if (!ip) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (!isIPv6(ip) || ip.includes('.')) return ip;
  const [head = '', tail] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

export interface LoginLimits {
  /** Failed logins for one username within the window before it is refused. */
  maxFailuresPerUser: number;
  /** Failed logins from one address (any usernames) within the window before it is refused. */
  maxFailuresPerAddress: number;
  windowMs: number;
}

/**
 * Throttles password guessing per username and per address. An attempt takes a slot from both
 * counters *before* the password is checked (so that parallel guesses cannot all slip in before
 * the first failure is counted); a successful login gives the address its slot back and clears
 * the username's counter. Once a counter is over its limit, every attempt is refused until its
 * window ends, the right password included, and the refused attempts do not extend it.
 * Usernames count whether they exist or not (folded to lower case), so a refusal tells nothing.
 */
export function createLoginThrottle(deps: {
  store: CounterStore;
  clock: Clock;
  limits: LoginLimits;
}) {
  const { store, limits } = deps;
  const userKey = (username: string) => `login:user:${username.trim().toLowerCase()}`;
  const addrKey = (address: string) => `login:addr:${address}`;
  const wait = (resetAt: number) => Math.max(1, resetAt - deps.clock.now());

  return {
    /** Takes a slot for this attempt: `{ok: true}`, or how long until the next may be made. */
    async attempt(
      username: string,
      address: string,
    ): Promise<{ ok: true } | { ok: false; retryAfterMs: number }> {
      const u = await store.incr(userKey(username), limits.windowMs);
      if (u.count > limits.maxFailuresPerUser) return { ok: false, retryAfterMs: wait(u.resetAt) };
      const a = await store.incr(addrKey(address), limits.windowMs);
      if (a.count > limits.maxFailuresPerAddress) {
        await store.decr(userKey(username));
        return { ok: false, retryAfterMs: wait(a.resetAt) };
      }
      return { ok: true };
    },
    /** The attempt logged in: it was not a failure. */
    async succeeded(username: string, address: string): Promise<void> {
      await store.clear(userKey(username));
      await store.decr(addrKey(address));
    },
    /** An admin set a new password: the username's failures no longer matter. */
    async clearUser(username: string): Promise<void> {
      await store.clear(userKey(username));
    },
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
