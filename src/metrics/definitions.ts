/**
 * The call center's figures, defined once: docs/metrics.md says the same in words. The supervisor
 * wall uses them now and the reports will; pure functions of counts, so that a database aggregate
 * (src/metrics/today.ts) and a fold of call records (`tallyCalls`) give the same answer.
 */

/** A caller who hangs up within this many seconds is not counted against the service level. */
export const DEFAULT_SHORT_ABANDON_SEC = 5;
/** The service level a queue aims at, % (a queue's `serviceLevelTargetPct`). */
export const DEFAULT_SERVICE_LEVEL_TARGET_PCT = 80;
/** A caller waiting longer than this turns the queue's tile red (a queue's `maxWaitAlertSec`). */
export const DEFAULT_MAX_WAIT_ALERT_SEC = 60;

/** What one queue's period is made of: the counts behind service level and ASA. */
export interface QueueCounts {
  /** Inbound calls an agent answered. */
  answered: number;
  /** Of those, answered within the queue's service-level threshold (`serviceLevelSec`). */
  answeredWithinThreshold: number;
  /** Sum of the queue wait (call start → answer) of the answered calls, ms. */
  answeredWaitMs: number;
  /** Inbound callers who hung up before an agent answered (outcome `abandoned`). */
  abandoned: number;
  /** Of those, the ones who waited no longer than the short-abandon threshold. */
  abandonedShort: number;
}

export const emptyCounts = (): QueueCounts => ({
  answered: 0,
  answeredWithinThreshold: 0,
  answeredWaitMs: 0,
  abandoned: 0,
  abandonedShort: 0,
});

/**
 * Service level, %: answered within the threshold ÷ (answered + abandoned after the
 * short-abandon threshold). Null when nothing counts yet (no call answered or abandoned late).
 * 1000 answered, 860 within; 60 abandoned, 10 of them within 5 s → 860 / 1050 = 81.9 %.
 */
export function serviceLevelPct(c: QueueCounts): number | null {
  const counted = c.answered + (c.abandoned - c.abandonedShort);
  return counted > 0 ? (c.answeredWithinThreshold / counted) * 100 : null;
}

/** Average speed of answer, ms: sum of the queue wait of answered calls ÷ answered; null if none. */
export function averageSpeedOfAnswerMs(c: QueueCounts): number | null {
  return c.answered > 0 ? c.answeredWaitMs / c.answered : null;
}

/** Abandon rate, %: abandoned after the short-abandon threshold ÷ (answered + those); null if none. */
export function abandonRatePct(c: QueueCounts): number | null {
  const late = c.abandoned - c.abandonedShort;
  const counted = c.answered + late;
  return counted > 0 ? (late / counted) * 100 : null;
}

/** Is a caller who waited `waitMs` before hanging up a short abandon (not held against anyone)? */
export const isShortAbandon = (waitMs: number, shortAbandonSec = DEFAULT_SHORT_ABANDON_SEC) =>
  waitMs <= shortAbandonSec * 1000;

/** Post-call survey scores (1–5) of a period: their sum and how many callers answered. */
export interface SurveyCounts {
  /** The scores given, added up. */
  sum: number;
  /** Callers who gave a score. */
  responses: number;
  /** Callers asked (the agent hung up first on a queue with the survey). */
  asked: number;
}

export interface Satisfaction {
  /** The mean score, 1–5; null when nobody answered the survey. */
  average: number | null;
  responses: number;
  /** responses ÷ asked; null when nobody was asked. */
  responseRate: number | null;
}

export function satisfaction(c: SurveyCounts): Satisfaction {
  return {
    average: c.responses > 0 ? c.sum / c.responses : null,
    responses: c.responses,
    responseRate: c.asked > 0 ? c.responses / c.asked : null,
  };
}

/** `value` rounded to `digits` decimals (how the wall and reports show a percentage: 81.9). */
export function round(value: number | null, digits = 1): number | null {
  if (value === null) return null;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** The fields of a call record the definitions read (the API's CallRecord has them all). */
export interface CountedCall {
  direction: 'inbound' | 'outbound';
  queue: string | null;
  answeredAt: string | number | null;
  /** Start → answer for an answered call, start → end for one that was not. */
  waitMs: number;
  outcome: string | null;
  /** Answered within the queue's threshold, as judged at the answer (the record's field). */
  serviceLevelMet: boolean | null;
}

/**
 * What one call adds to its queue's counts. Inbound calls with a queue only; an answered call
 * counts as answered (whatever happened next), an unanswered one as abandoned when the caller
 * hung up (`abandoned`); calls that ended otherwise (no agent logged in, closed, call-back
 * requested, failed) count in neither.
 */
export function callCounts(
  call: CountedCall,
  shortAbandonSec = DEFAULT_SHORT_ABANDON_SEC,
): QueueCounts {
  const c = emptyCounts();
  if (call.direction !== 'inbound' || call.queue === null) return c;
  if (call.answeredAt !== null) {
    c.answered = 1;
    c.answeredWithinThreshold = call.serviceLevelMet === true ? 1 : 0;
    c.answeredWaitMs = call.waitMs;
  } else if (call.outcome === 'abandoned') {
    c.abandoned = 1;
    c.abandonedShort = isShortAbandon(call.waitMs, shortAbandonSec) ? 1 : 0;
  }
  return c;
}

export function addCounts(into: QueueCounts, c: QueueCounts): QueueCounts {
  into.answered += c.answered;
  into.answeredWithinThreshold += c.answeredWithinThreshold;
  into.answeredWaitMs += c.answeredWaitMs;
  into.abandoned += c.abandoned;
  into.abandonedShort += c.abandonedShort;
  return into;
}

/** The counts of every queue from a list of call records (the reference the SQL is tested against). */
export function tallyCalls(
  calls: readonly CountedCall[],
  shortAbandonSec = DEFAULT_SHORT_ABANDON_SEC,
): Map<string, QueueCounts> {
  const out = new Map<string, QueueCounts>();
  for (const call of calls) {
    if (call.direction !== 'inbound' || call.queue === null) continue;
    let q = out.get(call.queue);
    if (!q) out.set(call.queue, (q = emptyCounts()));
    addCounts(q, callCounts(call, shortAbandonSec));
  }
  return out;
}

// ---- the call center's day ----

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    if (formatters.size < 100) formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock fields of `at` in `timeZone`. */
function local(at: number, timeZone: string) {
  const parts = formatter(timeZone).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return {
    y: get('year'),
    m: get('month'),
    d: get('day'),
    h: get('hour'),
    min: get('minute'),
    s: get('second'),
  };
}

/** How far `timeZone`'s clock is ahead of UTC at `at`, ms. */
function offsetAt(at: number, timeZone: string): number {
  const l = local(at, timeZone);
  return Date.UTC(l.y, l.m - 1, l.d, l.h, l.min, l.s) - (at - (((at % 1000) + 1000) % 1000));
}

/** The instant the local calendar day y-m-d begins in `timeZone` (its midnight, DST included). */
function midnight(y: number, m: number, d: number, timeZone: string): number {
  const wall = Date.UTC(y, m - 1, d);
  const first = wall - offsetAt(wall, timeZone);
  return wall - offsetAt(first, timeZone);
}

/**
 * "Today" of the call center: the calendar day of `at` in `timeZone` (telephony.timezone), as
 * [start, end) in epoch ms. A call belongs to the day it started in. Days are 23 or 25 hours long
 * where the zone changes its clocks.
 */
export function dayWindow(at: number, timeZone: string): { start: number; end: number } {
  const l = local(at, timeZone);
  return { start: midnight(l.y, l.m, l.d, timeZone), end: midnight(l.y, l.m, l.d + 1, timeZone) };
}
