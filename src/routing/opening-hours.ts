/**
 * Opening hours as people write them: ["mon-fri 08:00-18:00", "sat 09:00-12:00"], in a time
 * zone. No hours at all = always open. Pure; the clock is an argument.
 */
import { boundedMemo } from '../shared/bounded-memo';
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
type Day = (typeof DAYS)[number];

export interface OpeningRule {
  days: Set<number>;
  from: number; // minutes after midnight
  to: number;
}

const RULE = /^\s*([a-z]{3})(?:\s*-\s*([a-z]{3}))?\s+(\d{1,2}):(\d\d)\s*-\s*(\d{1,2}):(\d\d)\s*$/i;

/** Parses one rule; throws with a message naming what is wrong (config validation uses it). */
export function parseRule(text: string): OpeningRule {
  const m = RULE.exec(text);
  if (!m) throw new Error(`"${text}" is not like "mon-fri 08:00-18:00"`);
  const first = DAYS.indexOf(m[1]!.toLowerCase() as Day);
  const last = m[2] ? DAYS.indexOf(m[2].toLowerCase() as Day) : first;
  if (first < 0 || last < 0) throw new Error(`"${text}": days are sun mon tue wed thu fri sat`);
  const from = Number(m[3]) * 60 + Number(m[4]);
  const to = Number(m[5]) * 60 + Number(m[6]);
  if (from >= to || to > 24 * 60 || Number(m[4]) > 59 || Number(m[6]) > 59)
    throw new Error(`"${text}": the hours must be a range within one day`);
  const days = new Set<number>();
  for (let d = first; ; d = (d + 1) % 7) {
    days.add(d);
    if (d === last) break;
  }
  return { days, from, to };
}

/**
 * One formatter per time zone, made once: building an Intl.DateTimeFormat costs far more than
 * using one (it was most of the dialer's CPU per call). Zones are few (queues, contacts' zones).
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's formatter; null for a zone the runtime does not know (never cached: the map holds
 * real zones only, a bounded set, whatever strings a CSV or a request brings). */
function formatterFor(timeZone: string): Intl.DateTimeFormat | null {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        weekday: 'short',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      });
    } catch {
      return null;
    }
    if (formatters.size < 1000) formatters.set(timeZone, f);
  }
  return f;
}

export interface LocalTime {
  readonly day: number;
  readonly minutes: number;
}

/**
 * Answers remembered by zone and UTC minute: since 1973 every zone's offset is whole minutes
 * (Liberia dropped its -0:44:30 in May 1972), so one UTC minute is one local minute. The dialer
 * asks about the same few minutes again and again (now, to dial; the retry's instant, to
 * schedule it), and formatToParts costs ~30 µs. One entry per zone was not enough: those two
 * instants took turns and missed every time.
 */
const WHOLE_MINUTE_OFFSETS_SINCE = Date.UTC(1973, 0, 1);
const byZoneMinute = boundedMemo((key: string): LocalTime => {
  const bar = key.indexOf('|');
  return computeLocalTime(Number(key.slice(0, bar)) * 60_000, key.slice(bar + 1));
}, 4096);

/** Weekday (0 = Sunday) and minutes after midnight of `at` in `timeZone`. */
export function localTime(at: number, timeZone: string): LocalTime {
  if (at < WHOLE_MINUTE_OFFSETS_SINCE) return computeLocalTime(at, timeZone);
  return byZoneMinute(`${Math.floor(at / 60_000)}|${timeZone}`);
}

function computeLocalTime(at: number, timeZone: string): LocalTime {
  const f = formatterFor(timeZone);
  if (!f) throw new RangeError(`Invalid time zone specified: ${timeZone}`);
  const parts = f.formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const day = DAYS.indexOf(get('weekday').toLowerCase().slice(0, 3) as Day);
  return { day, minutes: Number(get('hour')) * 60 + Number(get('minute')) };
}

export function isOpen(rules: readonly OpeningRule[], timeZone: string, at: number): boolean {
  if (!rules.length) return true;
  const { day, minutes } = localTime(at, timeZone);
  return rules.some((r) => r.days.has(day) && minutes >= r.from && minutes < r.to);
}

/** Is this a time zone the runtime knows? */
export function isTimeZone(tz: string): boolean {
  return formatterFor(tz) !== null;
}
