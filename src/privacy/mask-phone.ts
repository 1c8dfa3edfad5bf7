import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

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

/** The last masked international numbers, oldest dropped first beyond this many (~1 MB). */
const REMEMBERED = 10_000;
const maskedE164 = new Map<string, string>();

/**
 * A phone number as a role that must not see it whole is shown it, in API answers, socket
 * payloads and logs alike: `+8613812348000` → `+86 138****8000`; a national or raw form keeps
 * no formatting: `138-1234-8000` → `138****8000`. Idempotent: a masked value stays as it is.
 */
export function maskPhone(value: string): string {
  if (value.includes('*')) return value;
  const trimmed = value.trim();
  if (trimmed.startsWith('+')) {
    // The parse (libphonenumber, ~20 µs warm) for the country code is remembered: the wall masks
    // every live call's number for its masked roles at each delta, API lists mask page after page.
    const known = maskedE164.get(trimmed);
    if (known !== undefined) return known;
    const parsed = parsePhoneNumberFromString(trimmed);
    if (parsed) {
      const masked = `+${parsed.countryCallingCode} ${maskDigits(parsed.nationalNumber)}`;
      if (maskedE164.size >= REMEMBERED) maskedE164.delete(maskedE164.keys().next().value!);
      maskedE164.set(trimmed, masked);
      return masked;
    }
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
