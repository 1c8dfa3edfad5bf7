import {
  averageHandleTimeMs,
  averageWrapUpMs,
  conversionPct,
  emptyInbound,
  followUpRatePct,
  inboundCallCounts,
  isoWeek,
  occupancyPct,
  perLoggedInHour,
  reportBuckets,
  round,
  startOfDay,
  wrapUpOf,
} from '../../../src/metrics/definitions';
import { inboundFigures } from '../../../src/reports/reports';
import { emptyInboundEvents } from '../../../src/metrics/definitions';

/** The report definitions of docs/metrics.md against figures worked out by hand. */
describe('the worked service-level example, through the report', () => {
  it('answered 1000 (860 within), abandoned 60 (20 within the threshold, 10 within 5 s)', () => {
    const c = {
      ...emptyInbound(),
      offered: 1060,
      answered: 1000,
      answeredWithinThreshold: 860,
      answeredWaitMs: 15_000_000,
      abandoned: 60,
      abandonedShort: 10,
    };
    const f = inboundFigures(c, emptyInboundEvents());
    // 860 ÷ (1000 + 60 − 10) = 860 ÷ 1050 = 81.904… → 81.9 %
    expect(f.serviceLevelPct).toBe(81.9);
    // 50 ÷ 1050 = 4.76… → 4.8 %
    expect(f.abandonRatePct).toBe(4.8);
    // 15 000 s ÷ 1000 = 15 s
    expect(f.asaMs).toBe(15_000);
    expect(f.abandonedShort).toBe(10);
  });
});

describe('wrap-up and handle time', () => {
  const limit = 60_000;
  it('runs from the end to the wrap-up saved, at most the after-call work time', () => {
    const base = { answeredAt: 1_000, endedAt: 100_000 };
    expect(wrapUpOf({ ...base, wrappedUpAt: 130_000 }, limit)).toBe(30_000);
    expect(wrapUpOf({ ...base, wrappedUpAt: 400_000 }, limit)).toBe(60_000);
    // never saved: the whole after-call work time; saved during the call: none
    expect(wrapUpOf({ ...base, wrappedUpAt: null }, limit)).toBe(60_000);
    expect(wrapUpOf({ ...base, wrappedUpAt: 50_000 }, limit)).toBe(0);
    // unanswered or still live: none
    expect(wrapUpOf({ answeredAt: null, endedAt: 5, wrappedUpAt: null }, limit)).toBe(0);
    expect(wrapUpOf({ answeredAt: 1, endedAt: null, wrappedUpAt: null }, limit)).toBe(0);
  });

  it('AHT = (talk, holds in it, + wrap-up) ÷ handled calls', () => {
    // two calls: talk 180 s (30 s of it on hold) + wrap 20 s; talk 100 s + wrap 60 s (never saved)
    const a = inboundCallCounts(
      {
        direction: 'inbound',
        queue: 'q',
        answeredAt: 10_000,
        waitMs: 10_000,
        outcome: 'answered',
        serviceLevelMet: true,
        endedAt: 190_000,
        wrappedUpAt: 210_000,
        talkMs: 180_000,
        surveyScore: 4,
      },
      { wrapUpLimitMs: limit },
    );
    const b = inboundCallCounts(
      {
        direction: 'inbound',
        queue: 'q',
        answeredAt: 30_000,
        waitMs: 30_000,
        outcome: 'answered',
        serviceLevelMet: false,
        endedAt: 130_000,
        wrappedUpAt: null,
        talkMs: 100_000,
        surveyScore: null,
      },
      { wrapUpLimitMs: limit },
    );
    const c = { ...emptyInbound() };
    for (const x of [a, b]) {
      c.handled += x.handled;
      c.handledTalkMs += x.handledTalkMs;
      c.wrapUpMs += x.wrapUpMs;
    }
    // (180 + 20 + 100 + 60) ÷ 2 = 180 s; wrap-up (20 + 60) ÷ 2 = 40 s
    expect(averageHandleTimeMs(c)).toBe(180_000);
    expect(averageWrapUpMs(c)).toBe(40_000);
    expect(a.longestWaitMs).toBe(10_000);
    expect(a.surveyScores).toEqual([0, 0, 0, 1, 0]);
  });

  it('counts the unanswered ends apart, a short abandon apart', () => {
    const call = (outcome: string, waitMs: number) =>
      inboundCallCounts(
        {
          direction: 'inbound',
          queue: 'q',
          answeredAt: null,
          waitMs,
          outcome,
          serviceLevelMet: null,
          endedAt: waitMs,
          wrappedUpAt: null,
          talkMs: 0,
          surveyScore: null,
        },
        { wrapUpLimitMs: limit, shortAbandonSec: 5 },
      );
    expect(call('no-agent', 1000)).toMatchObject({ offered: 1, noAgent: 1, abandoned: 0 });
    expect(call('closed', 1000)).toMatchObject({ offered: 1, closed: 1 });
    expect(call('callback', 1000)).toMatchObject({ callbackRequested: 1, longestWaitMs: 0 });
    expect(call('abandoned', 5000)).toMatchObject({ abandoned: 1, abandonedShort: 1 });
    expect(call('abandoned', 5001)).toMatchObject({ abandoned: 1, abandonedShort: 0 });
  });
});

describe('agent and complaint figures', () => {
  it('occupancy = handle ÷ (handle + idle)', () => {
    // 3 h on calls and wrap-up, 1 h available and free: 75 %
    expect(occupancyPct({ handleMs: 3 * 3_600_000, idleMs: 3_600_000 })).toBe(75);
    expect(occupancyPct({ handleMs: 0, idleMs: 0 })).toBeNull();
  });
  it('calls per logged-in hour', () => {
    // 30 calls in 7.5 h logged in: 4 per hour
    expect(perLoggedInHour(30, 7.5 * 3_600_000)).toBe(4);
    expect(perLoggedInHour(3, 0)).toBeNull();
  });
  it('follow-up rate counts only complaints that are due', () => {
    // 10 opened, 7 already due (6 followed up in time + 1 past its 3 days), 3 not due yet
    expect(round(followUpRatePct({ opened: 10, followedUpInTime: 6, due: 7 }))).toBe(85.7);
    expect(followUpRatePct({ opened: 2, followedUpInTime: 0, due: 0 })).toBeNull();
  });
  it('conversion = contacts with a success disposition ÷ contacts reached', () => {
    expect(conversionPct({ reached: 40, converted: 6 })).toBe(15);
    expect(conversionPct({ reached: 0, converted: 0 })).toBeNull();
  });
});

describe('report periods in the call center time zone', () => {
  it('names ISO weeks: the week of the year’s first Thursday is week 1', () => {
    expect(isoWeek('2026-01-01')).toBe('2026-W01'); // a Thursday
    expect(isoWeek('2027-01-01')).toBe('2026-W53'); // a Friday: the last week of 2026
    expect(isoWeek('2024-12-30')).toBe('2025-W01'); // a Monday
    expect(isoWeek('2026-03-08')).toBe('2026-W10'); // a Sunday
  });

  it('cuts days at local midnight (Shanghai, UTC+8)', () => {
    const days = reportBuckets('2026-03-01', '2026-03-03', 'day', 'Asia/Shanghai');
    expect(days.map((d) => d.label)).toEqual(['2026-03-01', '2026-03-02', '2026-03-03']);
    expect(new Date(days[0]!.start).toISOString()).toBe('2026-02-28T16:00:00.000Z');
    expect(days[2]!.end - days[0]!.start).toBe(3 * 86_400_000);
  });

  it('weeks and months are cut by the range; DST days have 23 or 25 hours', () => {
    const weeks = reportBuckets('2026-03-01', '2026-03-10', 'week', 'Asia/Shanghai');
    expect(weeks.map((w) => w.label)).toEqual(['2026-W09', '2026-W10', '2026-W11']);
    expect(weeks[0]!.end - weeks[0]!.start).toBe(86_400_000); // only Sunday 1 March
    const months = reportBuckets('2026-01-15', '2026-03-02', 'month', 'UTC');
    expect(months.map((m) => m.label)).toEqual(['2026-01', '2026-02', '2026-03']);
    const hours = reportBuckets('2026-03-08', '2026-03-08', 'hour', 'America/New_York');
    expect(hours).toHaveLength(23);
    expect(hours[2]!.label).toBe('2026-03-08T03');
    const day = startOfDay('2026-11-01', 'America/New_York');
    expect(startOfDay('2026-11-02', 'America/New_York') - day).toBe(25 * 3_600_000);
  });
});
