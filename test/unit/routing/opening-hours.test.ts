import { isOpen, isTimeZone, localTime, parseRule } from '../../../src/routing/opening-hours';

const rules = ['mon-fri 08:00-18:00', 'sat 09:00-12:00'].map(parseRule);
// 2026-11-23 is a Monday.
const shanghai = (iso: string) => Date.parse(`${iso}+08:00`);

describe('opening hours', () => {
  it.each([
    ['2026-11-23T08:00', true],
    ['2026-11-23T07:59', false],
    ['2026-11-23T17:59', true],
    ['2026-11-23T18:00', false],
    ['2026-11-27T12:00', true], // Friday
    ['2026-11-28T10:30', true], // Saturday morning
    ['2026-11-28T12:00', false],
    ['2026-11-29T10:00', false], // Sunday
  ])('%s Shanghai time is open: %s', (iso, open) => {
    expect(isOpen(rules, 'Asia/Shanghai', shanghai(iso))).toBe(open);
  });

  it('reads the clock in the queue’s time zone, not the server’s', () => {
    const at = Date.parse('2026-11-23T01:00:00Z'); // 09:00 in Shanghai, 02:00 in Berlin
    expect(isOpen(rules, 'Asia/Shanghai', at)).toBe(true);
    expect(isOpen(rules, 'Europe/Berlin', at)).toBe(false);
    expect(localTime(at, 'Asia/Shanghai')).toEqual({ day: 1, minutes: 9 * 60 });
  });

  it('answers by the minute, also across a minute, a day and a daylight-saving change', () => {
    const at = Date.parse('2026-11-23T01:00:00Z');
    expect(localTime(at + 59_999, 'Asia/Shanghai')).toEqual({ day: 1, minutes: 9 * 60 });
    expect(localTime(at + 60_000, 'Asia/Shanghai')).toEqual({ day: 1, minutes: 9 * 60 + 1 });
    expect(localTime(at - 1, 'Asia/Shanghai')).toEqual({ day: 1, minutes: 9 * 60 - 1 });
    // Kathmandu is UTC+05:45: its minutes still turn with UTC's.
    expect(localTime(Date.parse('2026-11-22T18:14:59Z'), 'Asia/Kathmandu')).toEqual({
      day: 0,
      minutes: 23 * 60 + 59,
    });
    expect(localTime(Date.parse('2026-11-22T18:15:00Z'), 'Asia/Kathmandu')).toEqual({
      day: 1,
      minutes: 0,
    });
    // Berlin falls back at 01:00 UTC on 2026-10-25: 02:59 CEST, then 02:00 CET.
    expect(localTime(Date.parse('2026-10-25T00:59:30Z'), 'Europe/Berlin').minutes).toBe(
      2 * 60 + 59,
    );
    expect(localTime(Date.parse('2026-10-25T01:00:00Z'), 'Europe/Berlin').minutes).toBe(2 * 60);
  });

  it('asks Intl once per zone and minute, also when two instants take turns (now, a retry)', () => {
    const spy = jest.spyOn(Intl.DateTimeFormat.prototype, 'formatToParts');
    try {
      const now = Date.parse('2031-03-04T05:06:07Z'); // minutes no other test asks about
      const retry = now + 30 * 60_000;
      for (let i = 0; i < 5; i += 1) {
        expect(localTime(now + i, 'Asia/Tokyo')).toEqual({ day: 2, minutes: 14 * 60 + 6 });
        expect(localTime(retry + i, 'Asia/Tokyo')).toEqual({ day: 2, minutes: 14 * 60 + 36 });
      }
      expect(spy).toHaveBeenCalledTimes(2);
      // Before 1973 offsets had seconds: not remembered by the minute.
      localTime(Date.parse('1970-06-01T00:00:00Z'), 'Africa/Monrovia');
      localTime(Date.parse('1970-06-01T00:00:00Z'), 'Africa/Monrovia');
      expect(spy).toHaveBeenCalledTimes(4);
    } finally {
      spy.mockRestore();
    }
  });

  it('is always open without rules', () => {
    expect(isOpen([], 'UTC', Date.now())).toBe(true);
  });

  it('wraps day ranges over the week end', () => {
    const r = parseRule('fri-mon 10:00-11:00');
    expect([...r.days].sort()).toEqual([0, 1, 5, 6]);
  });

  it.each([
    'monday 08:00-18:00',
    'mon-fri 18:00-08:00',
    'mon 8-18',
    'xyz 08:00-09:00',
    'mon 08:00-24:30',
  ])('refuses %p', (text) => {
    expect(() => parseRule(text)).toThrow();
  });

  it('knows time zones', () => {
    expect(isTimeZone('Asia/Shanghai')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});
