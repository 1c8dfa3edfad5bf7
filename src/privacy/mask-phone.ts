import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { boundedMemo } from '../shared/bounded-memo';

/** What stands for the hidden digits: always four stars, whatever their count. */
const HIDDEN = '****';

/**
 * Hides the middle of a string of digits: at least four of them, and all but seven of a long
 * one, keeping at most three in front and four at the end: 13812348000 → 138****8000,
 * 3012345678 → 30****5678, 30123456 → ****3456. Four digits or fewer: nothing shown.
 */
export function maskDigits(digits: string): string {
  const n = digits.length;
  const hidden = Math.max(4, n - 7);
  if (hidden >= n) return HIDDEN;
  const tail = Math.min(4, n - hidden);
  const head = n - hidden - tail;
  return `${digits.slice(0, head)}${HIDDEN}${digits.slice(n - tail)}`;
}

/**
 * `+<country code> <masked national number>`, or null if it does not parse. The parse
 * (libphonenumber, ~20 µs warm) is remembered for the last 10 000 numbers (~1 MB): the wall masks
 * every live call's number for its masked roles at each delta, API lists mask page after page.
 */
const maskInternational = boundedMemo((e164: string): string | null => {
  const parsed = parsePhoneNumberFromString(e164);
  return parsed ? `+${parsed.countryCallingCode} ${maskDigits(parsed.nationalNumber)}` : null;
}, 10_000);

/**
 * A phone number as a role that must not see it whole is shown it, in API answers, socket
 * payloads and logs alike: `+8613812348000` → `+86 138****8000`; a national or raw form keeps
 * no formatting: `138-1234-8000` → `138****8000`. Idempotent: a masked value stays as it is.
 */
export function maskPhone(value: string): string {
  if (value.includes('*')) return value;
  const trimmed = value.trim();
  if (trimmed.startsWith('+')) {
    const masked = maskInternational(trimmed);
    if (masked !== null) return masked;
  }
  const digits = trimmed.replace(/\D/g, '');
  if (!digits) return value ? HIDDEN : value;
  return `${trimmed.startsWith('+') ? '+' : ''}${maskDigits(digits)}`;
}

/**
 * Phone numbers inside free text: runs of 7 to 15 digits (a leading +, single spaces or dashes
 * between groups), not part of a longer word, id or decimal (an Asterisk channel id
 * `1732000000.42` or a UUID keeps its digits).
 */
const NUMBER_IN_TEXT = /(?<![\w.+-])\+?\d(?:[ -]?\d){6,14}(?![\w]|[.-]\d)/g;

/** `text` with each phone number in it replaced by `fn(number)`. */
export function replaceNumbers(text: string, fn: (number: string) => string): string {
  return text.replace(NUMBER_IN_TEXT, (m) => fn(m));
}

/** `text` with every phone number in it masked. */
export const scrubNumbers = (text: string): string => replaceNumbers(text, maskPhone);
