/** Dates of the QA pages: `<input type="date">` values ↔ ISO instants, local days. */

const pad = (n: number) => String(n).padStart(2, '0');

/** Today (or `d`) as `YYYY-MM-DD` in local time. */
export function todayInput(d = new Date()): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** `YYYY-MM-DD` `days` before `d`. */
export function daysAgoInput(days: number, d = new Date()): string {
  const x = new Date(d);
  x.setDate(x.getDate() - days);
  return todayInput(x);
}

function localDay(value: string): Date {
  const [y, m, day] = value.split('-').map(Number);
  return new Date(y ?? 1970, (m ?? 1) - 1, day ?? 1);
}

/** Local midnight at the start of the day, as ISO. */
export function dayStartIso(value: string): string {
  return localDay(value).toISOString();
}

/** Local midnight at the end of the day (the next day's start), as ISO. */
export function dayEndIso(value: string): string {
  const d = localDay(value);
  d.setDate(d.getDate() + 1);
  return d.toISOString();
}

/** Today as `YYYY-MM-DD` in time zone `zone` (the call center's calendar, not the browser's). */
export function todayInZone(zone: string, d = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(d);
}

/** The `YYYY-MM-DD` day `days` after (negative: before) the day `value`. */
export function shiftDay(value: string, days: number): string {
  const [y, m, day] = value.split('-').map(Number);
  const d = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, (day ?? 1) + days));
  return d.toISOString().slice(0, 10);
}
