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

// ---- reports (docs/metrics.md "Reports") ----

/** What one queue's (agent's, campaign's) inbound period is made of, beyond `QueueCounts`. */
export interface InboundCounts extends QueueCounts {
  /** Every inbound call with a queue that started in the period, whatever its end. */
  offered: number;
  /** The longest queue wait of an answered or abandoned call, ms (0: none). */
  longestWaitMs: number;
  /** Answered calls that have ended: the calls AHT is taken over. */
  handled: number;
  /** Their talk, answer → end (holds included: the caller is on the agent's call), ms. */
  handledTalkMs: number;
  /** The holds inside that talk (`held` → `resumed`), ms: reported apart, already in AHT. */
  handledHoldMs: number;
  /** Their after-call work (`wrapUpOf`), ms. */
  wrapUpMs: number;
  /** Ended with no agent logged in, outside opening hours, with a call-back requested, failed. */
  noAgent: number;
  closed: number;
  callbackRequested: number;
  failed: number;
  /** Post-call survey scores given on these calls: how many 1s, 2s, … 5s (index 0 = score 1). */
  surveyScores: [number, number, number, number, number];
}

/** The counts the timeline gives (events, tasks), not the call record. */
export interface InboundEventCounts {
  /** Blind or attended transfers the agent made (`transferred` events) of the period's calls. */
  transfersOut: number;
  /** Callers who heard the call-back offer (`callback-offered`). */
  callbacksOffered: number;
  /** Call-backs the caller asked for that the service dialed at least once. */
  callbacksDialed: number;
  /** Of those, reached (the task's result `reached`). */
  callbacksReached: number;
}

export const emptyInbound = (): InboundCounts => ({
  ...emptyCounts(),
  offered: 0,
  longestWaitMs: 0,
  handled: 0,
  handledTalkMs: 0,
  handledHoldMs: 0,
  wrapUpMs: 0,
  noAgent: 0,
  closed: 0,
  callbackRequested: 0,
  failed: 0,
  surveyScores: [0, 0, 0, 0, 0],
});

export const emptyInboundEvents = (): InboundEventCounts => ({
  transfersOut: 0,
  callbacksOffered: 0,
  callbacksDialed: 0,
  callbacksReached: 0,
});

/**
 * A call's after-call work, ms: from its end to the wrap-up saved, at most the after-call work
 * time (`telephony.wrapUpSec`: the agent is free again then); a wrap-up never saved counts the
 * whole after-call work time; one saved before the end counts 0. Calls not answered, or still
 * live: 0.
 */
export function wrapUpOf(
  call: { answeredAt: number | null; endedAt: number | null; wrappedUpAt: number | null },
  wrapUpLimitMs: number,
): number {
  if (call.answeredAt === null || call.endedAt === null) return 0;
  if (call.wrappedUpAt === null) return wrapUpLimitMs;
  return Math.max(0, Math.min(call.wrappedUpAt - call.endedAt, wrapUpLimitMs));
}

/** The fields of a call record the report definitions read (times epoch ms). */
export interface ReportedCall extends CountedCall {
  endedAt: number | null;
  wrappedUpAt: number | null;
  talkMs: number;
  /** The holds inside talkMs (0 on records from before hold time was kept). */
  holdMs?: number;
  /** The caller's post-call survey score (1–5), null when none was given. */
  surveyScore: number | null;
}

/** What one call adds to its queue's inbound report (the fold the SQL is tested against). */
export function inboundCallCounts(
  call: ReportedCall,
  opts: { shortAbandonSec?: number; wrapUpLimitMs: number },
): InboundCounts {
  const c = { ...emptyInbound(), ...callCounts(call, opts.shortAbandonSec) };
  if (call.direction !== 'inbound' || call.queue === null) return c;
  c.offered = 1;
  const answeredAt = call.answeredAt === null ? null : Number(call.answeredAt);
  if (answeredAt !== null || call.outcome === 'abandoned') c.longestWaitMs = call.waitMs;
  if (answeredAt !== null && call.endedAt !== null) {
    c.handled = 1;
    c.handledTalkMs = call.talkMs;
    c.handledHoldMs = call.holdMs ?? 0;
    c.wrapUpMs = wrapUpOf({ ...call, answeredAt }, opts.wrapUpLimitMs);
  }
  if (call.surveyScore !== null && call.surveyScore >= 1 && call.surveyScore <= 5)
    c.surveyScores[call.surveyScore - 1] = 1;
  if (answeredAt === null) {
    if (call.outcome === 'no-agent') c.noAgent = 1;
    else if (call.outcome === 'closed') c.closed = 1;
    else if (call.outcome === 'callback') c.callbackRequested = 1;
    else if (call.outcome === 'failed') c.failed = 1;
  }
  return c;
}

export function addInbound(into: InboundCounts, c: InboundCounts): InboundCounts {
  addCounts(into, c);
  into.offered += c.offered;
  into.longestWaitMs = Math.max(into.longestWaitMs, c.longestWaitMs);
  into.handled += c.handled;
  into.handledTalkMs += c.handledTalkMs;
  into.handledHoldMs += c.handledHoldMs;
  into.wrapUpMs += c.wrapUpMs;
  into.noAgent += c.noAgent;
  into.closed += c.closed;
  into.callbackRequested += c.callbackRequested;
  into.failed += c.failed;
  into.surveyScores = into.surveyScores.map(
    (n, i) => n + c.surveyScores[i]!,
  ) as InboundCounts['surveyScores'];
  return into;
}

/**
 * Average handle time, ms = (talk + hold + after-call work) ÷ handled calls. The record's talk
 * runs from the answer to the end with the holds in it, so talk + hold is `handledTalkMs`.
 */
export function averageHandleTimeMs(c: InboundCounts): number | null {
  return c.handled > 0 ? (c.handledTalkMs + c.wrapUpMs) / c.handled : null;
}

/** Average hold, ms = hold time ÷ handled calls (the calls without a hold count as 0). */
export function averageHoldMs(c: InboundCounts): number | null {
  return c.handled > 0 ? c.handledHoldMs / c.handled : null;
}

/** Average after-call work, ms = wrap-up time ÷ handled calls. */
export function averageWrapUpMs(c: InboundCounts): number | null {
  return c.handled > 0 ? c.wrapUpMs / c.handled : null;
}

/** An agent's time in a period, from the state log (`agent_state_log`), ms. */
export interface AgentTime {
  /** Every logged stretch: any state but offline, or a call while offline. */
  loggedInMs: number;
  /** On a call (`on-call`) or in after-call work (`wrap-up`). */
  handleMs: number;
  /** Available and waiting for work (free, or a call ringing them). */
  idleMs: number;
  /** Per chosen state, and per break reason: `available`, `break`, `break:lunch`, `offline`. */
  byState: Record<string, number>;
}

/** Occupancy, % = handle ÷ (handle + idle), both from the state log; null with neither. */
export function occupancyPct(t: Pick<AgentTime, 'handleMs' | 'idleMs'>): number | null {
  const d = t.handleMs + t.idleMs;
  return d > 0 ? (t.handleMs / d) * 100 : null;
}

/** A count per logged-in hour (calls per hour); null when not logged in. */
export function perLoggedInHour(count: number, loggedInMs: number): number | null {
  return loggedInMs > 0 ? count / (loggedInMs / 3_600_000) : null;
}

/** QA evaluations of a period: how many, their scores (0–100) added up, critical fails. */
export interface QaCounts {
  evaluations: number;
  scoreSum: number;
  criticalFails: number;
}

export const qaAverage = (c: QaCounts): number | null =>
  c.evaluations > 0 ? c.scoreSum / c.evaluations : null;

/** Complaint follow-ups (002: every complaint called back within 3 days, 100 %). */
export interface FollowUpCounts {
  /** Complaints opened in the period. */
  opened: number;
  /** Of those, the ones whose follow-up was done within the days allowed. */
  followedUpInTime: number;
  /** Of those, the ones already judged: followed up, or whose days are over. */
  due: number;
}

/** Follow-up rate, % = followed up in time ÷ complaints due; null when none is due yet. */
export const followUpRatePct = (c: FollowUpCounts): number | null =>
  c.due > 0 ? (c.followedUpInTime / c.due) * 100 : null;

/** Outbound conversion, % = contacts with a success disposition ÷ contacts reached. */
export const conversionPct = (c: { reached: number; converted: number }): number | null =>
  c.reached > 0 ? (c.converted / c.reached) * 100 : null;

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
  const w = localDayWindow(at, timeZone);
  return { start: w.start, end: w.end };
}

export interface LocalDayWindow {
  /** `YYYY-MM-DD` in the zone. */
  readonly day: string;
  readonly start: number;
  readonly end: number;
}

/**
 * The last local day asked about, per zone: nearly every instant asked (a state change, a call)
 * falls in today, and computing a day takes five Intl calls (~30 µs each), which the agent state
 * log made several times per call.
 */
const lastDays = new Map<string, LocalDayWindow>();

const DAY_MS = 86_400_000;

/** The first whole second in (lo, hi] where `after` holds, given it holds at hi and after it. */
function dateChange(lo: number, hi: number, after: (t: number) => boolean): number {
  let a = Math.floor(lo / 1000);
  let b = Math.ceil(hi / 1000);
  while (b - a > 1) {
    const mid = Math.floor((a + b) / 2);
    if (after(mid * 1000)) b = mid;
    else a = mid;
  }
  return b * 1000;
}

/** The local day of `at` in `timeZone`: its name and [start, end) in epoch ms. */
export function localDayWindow(at: number, timeZone: string): LocalDayWindow {
  const last = lastDays.get(timeZone);
  if (last && at >= last.start && at < last.end) return last;
  const l = local(at, timeZone);
  const day = `${l.y}-${pad(l.m)}-${pad(l.d)}`;
  let start = midnight(l.y, l.m, l.d, timeZone);
  let end = midnight(l.y, l.m, l.d + 1, timeZone);
  // A midnight the zone skipped (Samoa's 2011-12-30, a DST change at 00:00): the day begins or
  // ends where the local date changes, found by bisection.
  if (!(start <= at && at < end)) {
    const isDay = (t: number) => {
      const x = local(t, timeZone);
      return `${x.y}-${pad(x.m)}-${pad(x.d)}` === day;
    };
    start = dateChange(at - 2 * DAY_MS, at, (t) => isDay(t));
    end = dateChange(at, at + 2 * DAY_MS, (t) => !isDay(t));
  }
  const w: LocalDayWindow = { day, start, end };
  // Zones the formatter was made for (it throws for others), as bounded as the formatters.
  if (lastDays.has(timeZone) || lastDays.size < 100) lastDays.set(timeZone, w);
  return w;
}

// ---- report periods: days, ISO weeks, months in the call center's time zone ----

export type Granularity = 'hour' | 'day' | 'week' | 'month';

/** A period of a report: [start, end) epoch ms, and its name in the call center's calendar. */
export interface Bucket {
  /** `2026-03-02`, `2026-W10`, `2026-03`, `2026-03-02T09` (local hour). */
  label: string;
  start: number;
  end: number;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** The calendar day (YYYY-MM-DD) of `at` in `timeZone`. */
export function localDay(at: number, timeZone: string): string {
  return localDayWindow(at, timeZone).day;
}

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The instant the local day `YYYY-MM-DD` begins in `timeZone`. */
export function startOfDay(day: string, timeZone: string): number {
  const m = DAY_RE.exec(day);
  if (!m) throw new Error(`not a day: ${day}`);
  return midnight(Number(m[1]), Number(m[2]), Number(m[3]), timeZone);
}

/** The day after `day` (calendar arithmetic, no time zone). */
export function nextDay(day: string, by = 1): string {
  const t = Date.parse(`${day}T00:00:00Z`) + by * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** ISO 8601 week of a calendar day: weeks begin on Monday; week 1 holds the year's first Thursday. */
export function isoWeek(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  const dow = (d.getUTCDay() + 6) % 7; // Monday 0
  d.setUTCDate(d.getUTCDate() - dow + 3); // that week's Thursday: its year is the week's
  const year = d.getUTCFullYear();
  const week = 1 + Math.floor((d.getTime() - Date.UTC(year, 0, 1)) / (7 * 86_400_000));
  return `${year}-W${pad(week)}`;
}

/**
 * The periods of a report from day `from` to day `to` (both included, local days of
 * `timeZone`), by hour, day, ISO week or month; a week or month cut by the range is its part
 * inside it. Hours are consecutive hours from local midnight, named by their local start (a
 * day the clocks change has 23 or 25).
 */
export function reportBuckets(
  from: string,
  to: string,
  granularity: Granularity,
  timeZone: string,
): Bucket[] {
  const out: Bucket[] = [];
  for (let day = from; day <= to; day = nextDay(day)) {
    const start = startOfDay(day, timeZone);
    const end = startOfDay(nextDay(day), timeZone);
    if (granularity === 'hour') {
      for (let h = start; h < end; h += 3_600_000) {
        const l = local(h, timeZone);
        out.push({
          label: `${l.y}-${pad(l.m)}-${pad(l.d)}T${pad(l.h)}`,
          start: h,
          end: Math.min(h + 3_600_000, end),
        });
      }
      continue;
    }
    const label =
      granularity === 'day' ? day : granularity === 'week' ? isoWeek(day) : day.slice(0, 7);
    const last = out[out.length - 1];
    if (last && last.label === label) last.end = end;
    else out.push({ label, start, end });
  }
  return out;
}
