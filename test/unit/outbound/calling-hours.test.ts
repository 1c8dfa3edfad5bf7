import {
  callableAt,
  effectiveZone,
  nextCallableAt,
  parseCallingHours,
} from '../../../src/outbound/dialing/calling-hours';

const weekdays = { from: '09:00', to: '18:00', days: 'mon-fri' };
const daily = { from: '09:00', to: '18:00' };
const utc = (iso: string) => Date.parse(`${iso}Z`);
const shanghai = (iso: string) => Date.parse(`${iso}+08:00`);
const iso = (ms: number) => new Date(ms).toISOString();

describe('callableAt', () => {
  // 2026-11-23 is a Monday.
  it.each([
    ['2026-11-23T09:00', true],
    ['2026-11-23T08:59', false],
    ['2026-11-23T17:59', true],
    ['2026-11-23T18:00', false], // `to` is exclusive
    ['2026-11-27T12:00', true], // Friday
    ['2026-11-28T12:00', false], // Saturday
    ['2026-11-29T12:00', false], // Sunday
  ])('%s Shanghai, mon-fri 09-18: %s', (t, ok) => {
    expect(callableAt(shanghai(t), weekdays, null, 'Asia/Shanghai')).toBe(ok);
  });

  it('without days every day is a calling day; several ranges can be listed', () => {
    expect(callableAt(shanghai('2026-11-29T12:00'), daily, null, 'Asia/Shanghai')).toBe(true);
    const withSat = { ...weekdays, days: 'mon-fri, sat' };
    expect(callableAt(shanghai('2026-11-28T12:00'), withSat, null, 'Asia/Shanghai')).toBe(true);
    expect(callableAt(shanghai('2026-11-29T12:00'), withSat, null, 'Asia/Shanghai')).toBe(false);
  });

  it("reads the hours on the contact's clock when its zone is known", () => {
    // Monday 10:00 in Shanghai is Sunday 18:00 in Los Angeles.
    const at = shanghai('2026-11-23T10:00');
    expect(callableAt(at, weekdays, null, 'Asia/Shanghai')).toBe(true);
    expect(callableAt(at, weekdays, 'America/Los_Angeles', 'Asia/Shanghai')).toBe(false);
    // Monday 09:30 in Los Angeles is Tuesday 01:30 in Shanghai.
    const la = Date.parse('2026-11-23T09:30-08:00');
    expect(callableAt(la, weekdays, 'America/Los_Angeles', 'Asia/Shanghai')).toBe(true);
    expect(callableAt(la, weekdays, null, 'Asia/Shanghai')).toBe(false);
  });

  it("falls back to the campaign's zone when the contact's is unknown or invalid", () => {
    expect(effectiveZone(null, 'Asia/Shanghai')).toBe('Asia/Shanghai');
    expect(effectiveZone('Mars/Olympus', 'Asia/Shanghai')).toBe('Asia/Shanghai');
    expect(effectiveZone('Europe/Paris', 'Asia/Shanghai')).toBe('Europe/Paris');
  });

  it('follows US daylight saving: 09:00 New York is 14:00Z in winter, 13:00Z in summer', () => {
    const ny = 'America/New_York';
    // Friday 2026-03-06 is EST (UTC-5); Monday 2026-03-09 is EDT (UTC-4).
    expect(callableAt(utc('2026-03-06T13:30'), weekdays, ny, 'UTC')).toBe(false);
    expect(callableAt(utc('2026-03-06T14:00'), weekdays, ny, 'UTC')).toBe(true);
    expect(callableAt(utc('2026-03-09T13:00'), weekdays, ny, 'UTC')).toBe(true);
    expect(callableAt(utc('2026-03-09T22:00'), weekdays, ny, 'UTC')).toBe(false); // 18:00 EDT
  });

  it('rejects malformed hours with a message', () => {
    expect(() => parseCallingHours({ from: '18:00', to: '09:00' })).toThrow(/range/);
    expect(() => parseCallingHours({ ...weekdays, days: 'mon-fry' })).toThrow();
    expect(() => parseCallingHours({ ...weekdays, days: ' , ' })).toThrow(/no days/);
  });

  it('remembers parsed hours by their text: absent days are not empty days', () => {
    expect(parseCallingHours(daily)).toBe(parseCallingHours({ ...daily }));
    expect(parseCallingHours(daily)[0]!.days.size).toBe(7);
    expect(() => parseCallingHours({ ...daily, days: '' })).toThrow(/no days/);
    expect(parseCallingHours(weekdays)[0]!.days.size).toBe(5);
  });
});

describe('nextCallableAt', () => {
  it('is now when now is callable', () => {
    const at = shanghai('2026-11-23T10:00') + 12_345;
    expect(nextCallableAt(at, weekdays, null, 'Asia/Shanghai')).toBe(at);
  });

  it('is the opening of the same day before hours, the next day after hours', () => {
    expect(
      iso(nextCallableAt(shanghai('2026-11-23T07:10:30'), weekdays, null, 'Asia/Shanghai')),
    ).toBe(iso(shanghai('2026-11-23T09:00')));
    expect(iso(nextCallableAt(shanghai('2026-11-23T18:00'), weekdays, null, 'Asia/Shanghai'))).toBe(
      iso(shanghai('2026-11-24T09:00')),
    );
    expect(
      iso(nextCallableAt(shanghai('2026-11-23T08:59:59'), weekdays, null, 'Asia/Shanghai')),
    ).toBe(iso(shanghai('2026-11-23T09:00')));
  });

  it('skips the weekend: Friday evening → Monday 09:00', () => {
    expect(iso(nextCallableAt(shanghai('2026-11-27T18:30'), weekdays, null, 'Asia/Shanghai'))).toBe(
      iso(shanghai('2026-11-30T09:00')),
    );
    expect(iso(nextCallableAt(shanghai('2026-11-29T23:59'), weekdays, null, 'Asia/Shanghai'))).toBe(
      iso(shanghai('2026-11-30T09:00')),
    );
  });

  it('skips a weekend that contains the US spring-forward change', () => {
    // Friday 2026-03-06 18:30 EST → Monday 2026-03-09 09:00 EDT = 13:00Z (not 14:00Z).
    expect(iso(nextCallableAt(utc('2026-03-06T23:30'), weekdays, 'America/New_York', 'UTC'))).toBe(
      '2026-03-09T13:00:00.000Z',
    );
  });

  it('lands on 09:00 local on the change days themselves', () => {
    const ny = 'America/New_York';
    // Saturday 18:30 EST → Sunday 2026-03-08 09:00 EDT.
    expect(iso(nextCallableAt(utc('2026-03-07T23:30'), daily, ny, 'UTC'))).toBe(
      '2026-03-08T13:00:00.000Z',
    );
    // Saturday 2026-10-31 18:30 EDT → Sunday 2026-11-01 09:00 EST.
    expect(iso(nextCallableAt(utc('2026-10-31T22:30'), daily, ny, 'UTC'))).toBe(
      '2026-11-01T14:00:00.000Z',
    );
  });

  it('opens at the first minute that exists when the opening falls in a DST gap', () => {
    // 02:30 does not exist in New York on 2026-03-08 (02:00 EST → 03:00 EDT).
    const night = { from: '02:30', to: '05:00' };
    expect(iso(nextCallableAt(utc('2026-03-08T01:00'), night, 'America/New_York', 'UTC'))).toBe(
      '2026-03-08T07:00:00.000Z',
    );
  });

  it('uses the contact zone: a Shanghai campaign calling Los Angeles waits for LA morning', () => {
    // Monday 10:00 Shanghai = Sunday 18:00 LA → Monday 09:00 PST = 17:00Z.
    expect(
      iso(
        nextCallableAt(
          shanghai('2026-11-23T10:00'),
          weekdays,
          'America/Los_Angeles',
          'Asia/Shanghai',
        ),
      ),
    ).toBe('2026-11-23T17:00:00.000Z');
  });

  it('always returns a callable moment', () => {
    const ny = 'America/New_York';
    for (let t = utc('2026-03-05T00:00'); t < utc('2026-03-12T00:00'); t += 37 * 60_000) {
      const next = nextCallableAt(t, weekdays, ny, 'UTC');
      expect(next).toBeGreaterThanOrEqual(t);
      expect(callableAt(next, weekdays, ny, 'UTC')).toBe(true);
      // And nothing callable was skipped: a minute earlier was either before t or not callable.
      if (next - 60_000 >= t) expect(callableAt(next - 60_000, weekdays, ny, 'UTC')).toBe(false);
    }
  });
});
