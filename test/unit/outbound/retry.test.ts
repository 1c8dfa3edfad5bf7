import {
  afterDisposition,
  callbackAt,
  nextAttempt,
  retryDelayMinutes,
  type RetryInput,
} from '../../../src/outbound/dialing/retry';

const shanghai = (iso: string) => Date.parse(`${iso}+08:00`);
const MIN = 60_000;
// Monday 2026-11-23, 10:00 Shanghai.
const base: RetryInput = {
  outcome: 'busy',
  attempts: 1,
  maxAttempts: 3,
  retryMinutes: { busy: 10, noAnswer: 60, failed: 30, machine: 240 },
  now: shanghai('2026-11-23T10:00'),
  hours: { from: '09:00', to: '18:00', days: 'mon-fri' },
  contactTz: null,
  campaignTz: 'Asia/Shanghai',
};

describe('nextAttempt', () => {
  it.each([
    ['busy', 10],
    ['no-answer', 60],
    ['failed', 30],
    ['machine', 240],
    ['abandoned', 60], // not served: retried soon, with the no-answer delay
  ] as const)('%s is retried after %i minutes', (outcome, minutes) => {
    expect(nextAttempt({ ...base, outcome })).toEqual({
      final: false,
      at: base.now + minutes * MIN,
    });
  });

  it('an answered call is final (its disposition decides any call-back)', () => {
    expect(nextAttempt({ ...base, outcome: 'answered' })).toEqual({
      final: true,
      reason: 'answered',
    });
    expect(retryDelayMinutes('answered', base.retryMinutes)).toBeNull();
  });

  it('is final once maxAttempts attempts were made, whatever the outcome', () => {
    for (const outcome of ['busy', 'no-answer', 'failed', 'machine', 'abandoned'] as const) {
      expect(nextAttempt({ ...base, outcome, attempts: 3 })).toEqual({
        final: true,
        reason: 'max-attempts',
      });
    }
    expect(nextAttempt({ ...base, attempts: 2 }).final).toBe(false);
  });

  it('moves the retry into calling hours', () => {
    // Busy at 17:55 + 10 min = 18:05 → Tuesday 09:00.
    const late = nextAttempt({ ...base, now: shanghai('2026-11-23T17:55') });
    expect(late).toEqual({ final: false, at: shanghai('2026-11-24T09:00') });
    // Machine on Friday 15:00 + 4 h = 19:00 → Monday 09:00.
    const fri = nextAttempt({ ...base, outcome: 'machine', now: shanghai('2026-11-27T15:00') });
    expect(fri).toEqual({ final: false, at: shanghai('2026-11-30T09:00') });
  });

  it("uses the contact's zone for the hours", () => {
    // 10:00 Shanghai + 10 min = Sunday 18:10 in Los Angeles → Monday 09:00 PST = 17:00Z.
    const r = nextAttempt({ ...base, contactTz: 'America/Los_Angeles' });
    expect(r).toEqual({ final: false, at: Date.parse('2026-11-23T17:00:00Z') });
  });
});

describe('callbackAt', () => {
  const ctx = { now: base.now, hours: base.hours, contactTz: null, campaignTz: 'Asia/Shanghai' };

  it('keeps a requested time within hours', () => {
    const at = shanghai('2026-11-24T15:30');
    expect(callbackAt({ ...ctx, requested: at })).toBe(at);
  });

  it('moves a time outside hours to the next opening, and a past time to now', () => {
    expect(callbackAt({ ...ctx, requested: shanghai('2026-11-24T20:00') })).toBe(
      shanghai('2026-11-25T09:00'),
    );
    expect(callbackAt({ ...ctx, requested: base.now - 3600_000 })).toBe(base.now);
  });

  it('without a time calls back after the default delay', () => {
    expect(callbackAt({ ...ctx })).toBe(base.now + 60 * MIN);
    expect(callbackAt({ ...ctx, requested: null, defaultMinutes: 30 })).toBe(base.now + 30 * MIN);
  });
});

describe('afterDisposition', () => {
  const d = (over: object) => ({ code: 'x', final: true, ...over });

  it('do-not-call and final dispositions end the contact', () => {
    expect(afterDisposition({ ...base, disposition: d({ dnc: true }) })).toEqual({
      final: true,
      reason: 'dnc',
    });
    expect(afterDisposition({ ...base, disposition: d({}) })).toEqual({
      final: true,
      reason: 'disposition',
    });
  });

  it('call-back schedules the contact even past maxAttempts', () => {
    const at = shanghai('2026-11-24T11:00');
    expect(
      afterDisposition({
        ...base,
        attempts: 3,
        disposition: d({ final: false, callback: true }),
        requestedCallbackAt: at,
      }),
    ).toEqual({ final: false, callback: true, at });
  });

  it('a non-final disposition without call-back is retried like a no-answer', () => {
    expect(afterDisposition({ ...base, disposition: d({ final: false }) })).toEqual({
      final: false,
      callback: false,
      at: base.now + 60 * MIN,
    });
    expect(afterDisposition({ ...base, attempts: 3, disposition: d({ final: false }) })).toEqual({
      final: true,
      reason: 'max-attempts',
    });
  });
});
