import * as passwords from '../../../src/agents/passwords';
import { appFixture, type AppFixture } from '../../support/app-fixture';
import { expectResponse } from '../../support/expect-response';

/**
 * Issue 9, defect 5: logins are throttled per username and per address, and an unknown username
 * costs the same password hash as a known one.
 */
const MIN = 60_000;
let t = Date.now();
const authClock = { now: () => t };
let fx: AppFixture;
beforeAll(async () => {
  fx = await appFixture({
    authClock,
    loginLimits: { maxFailuresPerUser: 5, maxFailuresPerAddress: 12, windowMs: 15 * MIN },
  });
});
afterAll(() => fx.close());
afterEach(() => jest.restoreAllMocks());

let from = 0;
/** Each test from its own address (the app trusts X-Forwarded-For from loopback only). */
const address = () => `198.51.100.${++from}`;
const login = (username: string, password: string, ip: string) =>
  fx.http().post('/api/auth/login').set('X-Forwarded-For', ip).send({ username, password });

describe('login throttling', () => {
  it('answers 429 with Retry-After after 5 failures, the right password too, until the window ends', async () => {
    await fx.user('guessed', 'agent');
    const ip = address();
    for (let i = 0; i < 5; i++) expect((await login('guessed', `wrong-${i}`, ip)).status).toBe(401);
    t += 5 * MIN;
    const locked = await login('guessed', 'password-1', address()); // from anywhere
    expectResponse(locked);
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('HOTLINE_TOO_MANY_LOGIN_ATTEMPTS');
    expect(locked.headers['retry-after']).toBe(String(10 * 60));
    expect(locked.body.error.details).toEqual({ retryAfterSec: 600 });
    t += 10 * MIN;
    expect((await login('guessed', 'password-1', ip)).status).toBe(200);
  });

  it('locks an unknown username exactly like a known one', async () => {
    await fx.user('known', 'agent');
    const ip = address();
    const answers = async (username: string) => {
      const out: Array<[number, unknown]> = [];
      for (let i = 0; i < 6; i++) {
        const res = await login(username, 'nope-nope', ip);
        out.push([res.status, res.body]);
      }
      return out;
    };
    expect(await answers('nobody-here')).toEqual(await answers('known'));
  });

  it('lets a login reset its username’s failures', async () => {
    await fx.user('typo', 'agent');
    const ip = address();
    for (let i = 0; i < 4; i++) await login('typo', 'wrong-pass', ip);
    expect((await login('typo', 'password-1', ip)).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await login('typo', 'wrong-pass', ip)).status).toBe(401);
    expect((await login('typo', 'password-1', ip)).status).toBe(429);
  });

  it('answers 429 to an address after 12 failures over any usernames, not to others', async () => {
    await fx.user('bystander', 'agent');
    const ip = address();
    for (let i = 0; i < 12; i++) expect((await login(`spray-${i}`, 'x', ip)).status).toBe(401);
    const refused = await login('bystander', 'password-1', ip);
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe(String(15 * 60));
    expect((await login('bystander', 'password-1', address())).status).toBe(200);
  });

  it('does not count the logins of a shared address (a call center behind one NAT)', async () => {
    const ip = address();
    for (let i = 0; i < 14; i++) {
      await fx.users.create({
        username: `nat-${i}`,
        password: 'password-1',
        name: 'N',
        role: 'agent',
      });
      expect((await login(`nat-${i}`, 'password-1', ip)).status).toBe(200);
    }
    expect((await login('nat-0', 'wrong-pass', ip)).status).toBe(401);
  }, 20_000);

  it('checks at most 5 passwords of 50 parallel guesses; the right one after them is refused', async () => {
    await fx.user('burst', 'agent');
    const verify = jest.spyOn(passwords, 'verifyPassword');
    const ip = address();
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => login('burst', `bad-${i}`, address())),
    );
    expect(verify).toHaveBeenCalledTimes(5);
    expect(answers.filter((a) => a.status === 401)).toHaveLength(5);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(45);
    expect((await login('burst', 'password-1', ip)).status).toBe(429);
    expect(verify).toHaveBeenCalledTimes(5);
  });
});

describe('login timing', () => {
  it('hashes the password of an unknown or deactivated user like a known one', async () => {
    const gone = await fx.user('deactivated', 'agent');
    await fx.users.update(gone.id, { active: false });
    await fx.user('present', 'agent');
    const verify = jest.spyOn(passwords, 'verifyPassword');
    const hashes: string[] = [];
    for (const username of ['present', 'no-such-user', 'deactivated']) {
      verify.mockClear();
      const res = await login(username, 'password-1', address());
      expect([username, res.status === 401 || res.status === 200]).toEqual([username, true]);
      expect([username, verify.mock.calls.length]).toEqual([username, 1]);
      hashes.push(verify.mock.calls[0]![1]);
    }
    // The unknown user's check ran against a real scrypt hash of the same cost.
    const [known, unknown] = hashes.map((h) => h.split('$'));
    expect(unknown![0]).toBe('scrypt');
    expect(unknown![2]!.length).toBe(known![2]!.length);
    expect(await passwords.verifyPassword('password-1', hashes[1]!)).toBe(false);
  });
});
