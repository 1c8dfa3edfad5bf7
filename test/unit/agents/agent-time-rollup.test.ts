import { splitByDay } from '../../../src/agents/agent-time-rollup';
import { localDay, localDayWindow } from '../../../src/metrics/definitions';

const H = 3_600_000;

describe('splitByDay', () => {
  it('keeps a stretch within one day whole', () => {
    const start = Date.parse('2026-11-23T09:00:00+08:00');
    expect(splitByDay(start, start + 2 * H, 'Asia/Shanghai')).toEqual([['2026-11-23', 2 * H]]);
  });

  it('splits at local midnight, over several days', () => {
    const start = Date.parse('2026-11-23T23:00:00+08:00');
    expect(splitByDay(start, start + 26 * H, 'Asia/Shanghai')).toEqual([
      ['2026-11-23', 1 * H],
      ['2026-11-24', 24 * H],
      ['2026-11-25', 1 * H],
    ]);
  });

  it('gives a daylight-saving day its 23 or 25 hours', () => {
    // Berlin: 2026-03-29 has 23 hours, 2026-10-25 has 25.
    const spring = Date.parse('2026-03-28T22:00:00+01:00');
    expect(splitByDay(spring, spring + 26 * H, 'Europe/Berlin')).toEqual([
      ['2026-03-28', 2 * H],
      ['2026-03-29', 23 * H],
      ['2026-03-30', 1 * H],
    ]);
    const autumn = Date.parse('2026-10-24T23:00:00+02:00');
    expect(splitByDay(autumn, autumn + 27 * H, 'Europe/Berlin')).toEqual([
      ['2026-10-24', 1 * H],
      ['2026-10-25', 25 * H],
      ['2026-10-26', 1 * H],
    ]);
  });

  it('never names a day the zone skipped', () => {
    // Samoa moved across the date line: 2011-12-29 23:59 was followed by 2011-12-31 00:00.
    const start = Date.parse('2011-12-29T22:00:00-10:00');
    expect(splitByDay(start, start + 4 * H, 'Pacific/Apia')).toEqual([
      ['2011-12-29', 2 * H],
      ['2011-12-31', 2 * H],
    ]);
  });
});

describe('localDayWindow (the last day per zone remembered)', () => {
  it('answers for an instant of another day, before and after the one remembered', () => {
    const noon = Date.parse('2026-11-23T12:00:00+08:00');
    expect(localDayWindow(noon, 'Asia/Shanghai')).toEqual({
      day: '2026-11-23',
      start: Date.parse('2026-11-23T00:00:00+08:00'),
      end: Date.parse('2026-11-24T00:00:00+08:00'),
    });
    expect(localDay(noon - 12 * H - 1, 'Asia/Shanghai')).toBe('2026-11-22');
    expect(localDay(noon + 12 * H, 'Asia/Shanghai')).toBe('2026-11-24');
    expect(localDay(noon + 12 * H - 1, 'Asia/Shanghai')).toBe('2026-11-23');
    // Each zone its own: the same instant is still the 23rd in New York.
    expect(localDay(noon + 12 * H, 'America/New_York')).toBe('2026-11-23');
  });
});
