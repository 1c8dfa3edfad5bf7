/**
 * Calling hours of an outbound campaign: when may the dialer ring a contact? Pure; the clock is
 * an argument. Hours are wall-clock times in the contact's time zone when it is known (the rule
 * protects the called person, so their clock counts), else in the campaign's. Time-zone arithmetic
 * goes through Intl (`localTime`), so daylight-saving changes are handled by the runtime's tz data.
 */
import { isTimeZone, localTime, parseRule, type OpeningRule } from '../../routing/opening-hours';

/** A campaign's hours, e.g. `{from:'09:00', to:'18:00', days:'mon-fri'}`. */
export interface CallingHours {
  from: string;
  to: string;
  /**
   * Day ranges like `mon-fri`, or several joined by commas (`mon-fri,sat`). Absent = every day
   * (the campaign's form fills in `mon-fri` by default; an empty value is not a weekday guess).
   */
  days?: string;
}

const MINUTE = 60_000;
const DAY_MINUTES = 24 * 60;

/**
 * The hours as opening-hours rules (one per comma-separated day range), so the same parser and
 * its error messages serve both inbound opening hours and outbound calling hours. Throws on
 * malformed hours: campaign validation can call this to reject them up front.
 */
export function parseCallingHours(hours: CallingHours): readonly OpeningRule[] {
  const key = JSON.stringify([hours.days ?? null, hours.from, hours.to]);
  let rules = parsed.get(key);
  if (!rules) {
    rules = parseUncached(hours);
    // A campaign's hours are few; whatever else asks (validation of requests) does not grow it.
    if (parsed.size < 1000) parsed.set(key, rules);
  }
  return rules;
}

/** Hours already parsed: the dialer reads them two or three times per attempt. */
const parsed = new Map<string, readonly OpeningRule[]>();

function parseUncached(hours: CallingHours): OpeningRule[] {
  const ranges = (hours.days ?? 'sun-sat')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!ranges.length) throw new Error('calling hours: no days');
  return ranges.map((r) => parseRule(`${r} ${hours.from}-${hours.to}`));
}

/**
 * The zone whose clock the hours are read in: the contact's when known and valid (derived from
 * the number's region when it has exactly one zone), else the campaign's. An unknown zone name
 * cannot be evaluated, so it falls back rather than throwing in the middle of a dialing loop.
 */
export function effectiveZone(contactTz: string | null | undefined, campaignTz: string): string {
  return contactTz && isTimeZone(contactTz) ? contactTz : campaignTz;
}

function inRules(rules: readonly OpeningRule[], tz: string, at: number): boolean {
  const { day, minutes } = localTime(at, tz);
  return rules.some((r) => r.days.has(day) && minutes >= r.from && minutes < r.to);
}

/** May the contact be rung at `now`? `from` is inclusive, `to` exclusive (18:00 is too late). */
export function callableAt(
  now: number,
  hours: CallingHours,
  contactTz: string | null | undefined,
  campaignTz: string,
): boolean {
  return inRules(parseCallingHours(hours), effectiveZone(contactTz, campaignTz), now);
}

/**
 * The first moment at or after `now` when the contact may be rung (epoch ms): `now` itself when
 * callable, else the next start of the hours on an allowed day. Computed, not scanned minute by
 * minute: the wall-clock distance to the next opening is turned into an instant, then corrected
 * by however far the zone's offset moved in between (a DST change), re-reading the local clock
 * until it shows the opening time. If the opening time does not exist that day (it falls in a
 * spring-forward gap), the first callable minute after it is taken.
 */
export function nextCallableAt(
  now: number,
  hours: CallingHours,
  contactTz: string | null | undefined,
  campaignTz: string,
): number {
  const rules = parseCallingHours(hours);
  const tz = effectiveZone(contactTz, campaignTz);
  if (inRules(rules, tz, now)) return now;

  // Whole minutes from here on: every zone in use today has whole-minute offsets.
  let t = now - (((now % MINUTE) + MINUTE) % MINUTE) + MINUTE;
  for (let guard = 0; guard < 16; guard++) {
    if (inRules(rules, tz, t)) return t;
    const { day, minutes } = localTime(t, tz);
    // Wall-clock minutes to the nearest rule opening ahead (today if still to come, else a later day).
    let best = Infinity;
    let target = { day, minutes };
    for (const r of rules) {
      for (let k = 0; k <= 7; k++) {
        const d = (day + k) % 7;
        if (!r.days.has(d) || (k === 0 && minutes >= r.from)) continue;
        const delta = k * DAY_MINUTES + r.from - minutes;
        if (delta < best) {
          best = delta;
          target = { day: d, minutes: r.from };
        }
        break;
      }
    }
    let cand = t + best * MINUTE;
    // Correct for an offset change between t and cand (at most a few hours, so a few rounds).
    for (let i = 0; i < 3; i++) {
      const lt = localTime(cand, tz);
      let dayDiff = (target.day - lt.day + 7) % 7;
      if (dayDiff > 3) dayDiff -= 7;
      const off = dayDiff * DAY_MINUTES + target.minutes - lt.minutes;
      if (off === 0) break;
      cand += off * MINUTE;
    }
    if (cand <= t) cand = t + MINUTE;
    if (inRules(rules, tz, cand)) {
      // In a fall-back hour the opening wall time happens twice; take the earlier instant.
      const earlier = cand - 60 * MINUTE;
      const lt = localTime(earlier, tz);
      return earlier > t && lt.day === target.day && lt.minutes === target.minutes ? earlier : cand;
    }
    // The opening time fell in a gap: look at the following minutes (a gap is at most an hour or two).
    for (let m = 1; m <= 180; m++) {
      if (inRules(rules, tz, cand + m * MINUTE)) return cand + m * MINUTE;
    }
    t = cand + 181 * MINUTE;
  }
  throw new Error(`calling hours ${JSON.stringify(hours)} never open in ${tz}`);
}
