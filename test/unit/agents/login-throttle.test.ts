import {
  addressKey,
  createLoginThrottle,
  createMemoryCounterStore,
} from '../../../src/agents/login-throttle';

const MIN = 60_000;
let t = 1_000_000;
const clock = { now: () => t };
const limits = { maxFailuresPerUser: 3, maxFailuresPerAddress: 5, windowMs: 15 * MIN };
const throttle = () =>
  createLoginThrottle({ store: createMemoryCounterStore(clock), clock, limits });

describe('the login throttle', () => {
  it('refuses a username after N failures until the window ends, the right password included', async () => {
    const th = throttle();
    for (let i = 0; i < 3; i++) expect(await th.attempt('ann', '10.0.0.1')).toEqual({ ok: true });
    t += 5 * MIN;
    expect(await th.attempt('ann', '10.0.0.2')).toEqual({ ok: false, retryAfterMs: 10 * MIN });
    // Refused attempts do not move the end of the lockout.
    t += 9 * MIN;
    expect(await th.attempt('ANN ', '10.0.0.3')).toEqual({ ok: false, retryAfterMs: 1 * MIN });
    t += 1 * MIN;
    expect(await th.attempt('ann', '10.0.0.1')).toEqual({ ok: true });
  });

  it('forgets a username’s failures when it logs in, and when an admin sets a password', async () => {
    const th = throttle();
    for (let i = 0; i < 3; i++) await th.attempt('bob', '10.0.1.1');
    await th.succeeded('bob', '10.0.1.1');
    for (let i = 0; i < 3; i++) expect((await th.attempt('bob', '10.0.1.2')).ok).toBe(true);
    expect((await th.attempt('bob', '10.0.1.3')).ok).toBe(false);
    await th.clearUser('bob');
    expect((await th.attempt('bob', '10.0.1.3')).ok).toBe(true);
  });

  it('refuses an address after N failures over any usernames; logins give their slot back', async () => {
    const th = throttle();
    for (let i = 0; i < 4; i++) expect((await th.attempt(`u${i}`, '10.0.2.1')).ok).toBe(true);
    // A shared address (a call center behind NAT): successful logins do not use it up.
    for (let i = 0; i < 20; i++) {
      expect((await th.attempt(`agent${i}`, '10.0.2.1')).ok).toBe(true);
      await th.succeeded(`agent${i}`, '10.0.2.1');
    }
    expect((await th.attempt('u4', '10.0.2.1')).ok).toBe(true); // the 5th failure
    const refused = await th.attempt('someone-else', '10.0.2.1');
    expect(refused.ok).toBe(false);
    // A refusal for the address takes nothing from the username elsewhere.
    for (let i = 0; i < 3; i++)
      expect((await th.attempt('someone-else', '10.0.2.9')).ok).toBe(true);
    expect((await th.attempt('fresh', '10.0.2.2')).ok).toBe(true);
  });

  it('counts attempts before the password is checked, so parallel guesses cannot slip in', async () => {
    const th = throttle();
    const results = await Promise.all(
      Array.from({ length: 50 }, () => th.attempt('carl', '10.0.3.1')),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(3);
  });

  it('keeps at most maxKeys counters, dropping ended ones first, then the oldest', async () => {
    const store = createMemoryCounterStore(clock, 3);
    await store.incr('a', MIN);
    await store.incr('b', 10 * MIN);
    t += 2 * MIN; // a has ended
    await store.incr('c', MIN);
    await store.incr('d', MIN); // full: a goes
    expect((await store.incr('b', MIN)).count).toBe(2);
    await store.incr('e', MIN); // full, none ended: the oldest (b) goes
    expect((await store.incr('b', MIN)).count).toBe(1);
    await store.decr('b');
    await store.decr('b');
    expect((await store.incr('b', MIN)).count).toBe(1); // never below zero
  });
});

describe('addressKey', () => {
  it('keys IPv4 by address and IPv6 by its /64', () => {
    expect(addressKey('203.0.113.9')).toBe('203.0.113.9');
    expect(addressKey('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(addressKey('2001:db8:0:1:aaaa::1')).toBe('2001:db8:0:1::/64');
    expect(addressKey('2001:0db8:0000:0001:ffff:1:2:3')).toBe('2001:db8:0:1::/64');
    expect(addressKey('2001:db8::7')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey(undefined)).toBe('unknown');
  });
});
