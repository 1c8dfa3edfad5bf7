import {
  abandonRatePct,
  averageSpeedOfAnswerMs,
  callCounts,
  dayWindow,
  emptyCounts,
  isShortAbandon,
  round,
  satisfaction,
  serviceLevelPct,
  tallyCalls,
  type CountedCall,
  type QueueCounts,
} from '../../../src/metrics/definitions';

/** Hand-computed fixtures for docs/metrics.md: every expected figure is worked out in the comment. */
describe('service level', () => {
  it('is the worked example of issue 10: 860 / (1000 + 50) = 81.9 %', () => {
    // answered 1000, 860 within the threshold; abandoned 60: 20 within the threshold (they count
    // like any abandon), 10 within 5 s (they do not count at all).
    const c: QueueCounts = {
      answered: 1000,
      answeredWithinThreshold: 860,
      answeredWaitMs: 0,
      abandoned: 60,
      abandonedShort: 10,
    };
    expect(serviceLevelPct(c)).toBeCloseTo((860 / 1050) * 100, 10);
    expect(round(serviceLevelPct(c))).toBe(81.9);
  });

  it('counts abandons after the short-abandon threshold against it, and nothing before', () => {
    // 3 answered, 2 within; 1 late abandon: 2 / 4 = 50 %.
    const base = { ...emptyCounts(), answered: 3, answeredWithinThreshold: 2 };
    expect(serviceLevelPct({ ...base, abandoned: 1 })).toBe(50);
    // The same abandon within 5 s: 2 / 3 = 66.7 %.
    expect(round(serviceLevelPct({ ...base, abandoned: 1, abandonedShort: 1 }))).toBe(66.7);
  });

  it('is 0 when only callers who hung up late count, and null when nothing counts', () => {
    expect(serviceLevelPct({ ...emptyCounts(), abandoned: 2 })).toBe(0);
    expect(serviceLevelPct(emptyCounts())).toBeNull();
    // Short abandons only: nothing counts yet.
    expect(serviceLevelPct({ ...emptyCounts(), abandoned: 3, abandonedShort: 3 })).toBeNull();
  });
});

describe('average speed of answer', () => {
  it('is the answered calls’ queue wait ÷ answered, abandons left out', () => {
    // Waits 4 s, 10 s, 31 s → 45 s / 3 = 15 s.
    const c = { ...emptyCounts(), answered: 3, answeredWaitMs: 45_000, abandoned: 7 };
    expect(averageSpeedOfAnswerMs(c)).toBe(15_000);
    expect(averageSpeedOfAnswerMs({ ...emptyCounts(), abandoned: 2 })).toBeNull();
  });
});

describe('abandon rate', () => {
  it('is late abandons ÷ (answered + late abandons)', () => {
    // 1000 answered, 60 abandoned of which 10 short: 50 / 1050 = 4.8 %.
    const c = { ...emptyCounts(), answered: 1000, abandoned: 60, abandonedShort: 10 };
    expect(round(abandonRatePct(c))).toBe(4.8);
    expect(abandonRatePct(emptyCounts())).toBeNull();
  });
});

describe('short abandon', () => {
  it('is a wait of at most the threshold (5 s by default)', () => {
    expect(isShortAbandon(5000)).toBe(true);
    expect(isShortAbandon(5001)).toBe(false);
    expect(isShortAbandon(9000, 10)).toBe(true);
  });
});

describe('satisfaction', () => {
  it('is the mean of the 1–5 scores, null without responses; the response rate of those asked', () => {
    // Scores 5, 4, 4, 2 from 5 callers asked → 15 / 4 = 3.75, 4 / 5 = 80 %.
    expect(satisfaction({ sum: 15, responses: 4, asked: 5 })).toEqual({
      average: 3.75,
      responses: 4,
      responseRate: 0.8,
    });
    expect(satisfaction({ sum: 0, responses: 0, asked: 3 })).toEqual({
      average: null,
      responses: 0,
      responseRate: 0,
    });
    expect(satisfaction({ sum: 0, responses: 0, asked: 0 })).toEqual({
      average: null,
      responses: 0,
      responseRate: null,
    });
  });
});

describe('a call’s part of its queue’s counts', () => {
  const call = (over: Partial<CountedCall>): CountedCall => ({
    direction: 'inbound',
    queue: 'general',
    answeredAt: null,
    waitMs: 0,
    outcome: null,
    serviceLevelMet: null,
    ...over,
  });
  const at = '2026-03-02T02:00:00.000Z';

  it('classifies answered, abandoned, short abandons and the rest', () => {
    expect(callCounts(call({ answeredAt: at, waitMs: 12_000, serviceLevelMet: true }))).toEqual({
      answered: 1,
      answeredWithinThreshold: 1,
      answeredWaitMs: 12_000,
      abandoned: 0,
      abandonedShort: 0,
    });
    expect(callCounts(call({ answeredAt: at, waitMs: 25_000, serviceLevelMet: false }))).toEqual({
      ...emptyCounts(),
      answered: 1,
      answeredWaitMs: 25_000,
    });
    expect(callCounts(call({ outcome: 'abandoned', waitMs: 3000 }))).toEqual({
      ...emptyCounts(),
      abandoned: 1,
      abandonedShort: 1,
    });
    expect(callCounts(call({ outcome: 'abandoned', waitMs: 30_000 }))).toEqual({
      ...emptyCounts(),
      abandoned: 1,
    });
    // Nobody logged in, closed, a call-back, outbound, no queue: counted nowhere.
    for (const other of [
      call({ outcome: 'no-agent', waitMs: 9000 }),
      call({ outcome: 'closed' }),
      call({ outcome: 'callback', waitMs: 70_000 }),
      call({ direction: 'outbound', answeredAt: at, serviceLevelMet: true }),
      call({ queue: null, outcome: 'abandoned', waitMs: 9000 }),
    ])
      expect(callCounts(other)).toEqual(emptyCounts());
  });

  it('adds up per queue (tallyCalls)', () => {
    const calls = [
      call({ answeredAt: at, waitMs: 4000, serviceLevelMet: true }),
      call({ answeredAt: at, waitMs: 30_000, serviceLevelMet: false }),
      call({ outcome: 'abandoned', waitMs: 2000 }),
      call({ outcome: 'abandoned', waitMs: 40_000 }),
      call({ queue: 'vip', answeredAt: at, waitMs: 1000, serviceLevelMet: true }),
    ];
    const t = tallyCalls(calls);
    // general: 2 answered (1 within), waits 34 s; 2 abandoned, 1 short → SL 1 / 3 = 33.3 %.
    expect(t.get('general')).toEqual({
      answered: 2,
      answeredWithinThreshold: 1,
      answeredWaitMs: 34_000,
      abandoned: 2,
      abandonedShort: 1,
    });
    expect(round(serviceLevelPct(t.get('general')!))).toBe(33.3);
    expect(averageSpeedOfAnswerMs(t.get('general')!)).toBe(17_000);
    expect(serviceLevelPct(t.get('vip')!)).toBe(100);
  });
});

describe("the call center's day", () => {
  it('is the calendar day in the time zone, [midnight, next midnight)', () => {
    // 2026-03-02 01:30 UTC is 09:30 in Shanghai (UTC+8): the day began at 03-01 16:00 UTC.
    const at = Date.parse('2026-03-02T01:30:00Z');
    expect(dayWindow(at, 'Asia/Shanghai')).toEqual({
      start: Date.parse('2026-03-01T16:00:00Z'),
      end: Date.parse('2026-03-02T16:00:00Z'),
    });
    // The same instant in New York (UTC−5) is still 03-01.
    expect(dayWindow(at, 'America/New_York')).toEqual({
      start: Date.parse('2026-03-01T05:00:00Z'),
      end: Date.parse('2026-03-02T05:00:00Z'),
    });
    // Midnight itself belongs to the day it begins.
    const midnight = Date.parse('2026-03-01T16:00:00Z');
    expect(dayWindow(midnight, 'Asia/Shanghai').start).toBe(midnight);
    expect(dayWindow(midnight - 1, 'Asia/Shanghai').end).toBe(midnight);
  });

  it('has 23 and 25 hours on the days the clocks change', () => {
    // Berlin: summer time from 2026-03-29 02:00 (UTC+1 → +2), winter from 10-25 03:00.
    const spring = dayWindow(Date.parse('2026-03-29T12:00:00Z'), 'Europe/Berlin');
    expect(spring).toEqual({
      start: Date.parse('2026-03-28T23:00:00Z'),
      end: Date.parse('2026-03-29T22:00:00Z'),
    });
    const autumn = dayWindow(Date.parse('2026-10-25T12:00:00Z'), 'Europe/Berlin');
    expect(autumn.end - autumn.start).toBe(25 * 3_600_000);
  });
});
