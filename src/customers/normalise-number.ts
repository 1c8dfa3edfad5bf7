import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { boundedMemo } from '../shared/bounded-memo';

export interface NormalisedNumber {
  /** E.164, e.g. +8613812345678 */
  e164: string;
  region: string | undefined;
}

/**
 * Reads a phone number as a caller ID or a form field may carry it: E.164, international with
 * 00 or a carrier's + missing ("8613812345678"), national with trunk prefix ("013812345678") or
 * without, with spaces, dots, dashes and brackets. Returns null when it is not a possible number.
 * `max` metadata: validity per number type, so that a wrong length is refused rather than stored.
 */
export function normaliseNumber(raw: string, defaultRegion: string): NormalisedNumber | null {
  // A pure function of its input, and libphonenumber's `max` parse costs ~0.3 ms: the call path
  // reads each caller ID several times (the record, the match) and a list import repeats numbers.
  const n = remembered(`${defaultRegion}|${raw}`);
  return n && { ...n };
}

/** The last parses (a few MB at most), keyed `region|raw`: the region is two letters. */
const remembered = boundedMemo(
  (key: string) => parse(key.slice(key.indexOf('|') + 1), key.slice(0, key.indexOf('|'))),
  20_000,
);

function parse(raw: string, defaultRegion: string): NormalisedNumber | null {
  const input = raw.trim();
  if (!input || input.length > 40 || !/\d/.test(input)) return null;
  if (/[^\d\s+().\-/]/.test(input.replace(/^tel:/i, ''))) return null;
  const cleaned = input.replace(/^tel:/i, '').replace(/^00/, '+');
  const region = defaultRegion as CountryCode;
  const tryParse = (s: string, r?: CountryCode) => {
    const p = parsePhoneNumberFromString(s, r);
    return p && p.isPossible() ? p : undefined;
  };
  let parsed = tryParse(cleaned, region);
  // A caller ID without its "+": international if the digits read so and not as national.
  if ((!parsed || !parsed.isValid()) && /^\d{8,15}$/.test(cleaned)) {
    const intl = tryParse(`+${cleaned}`);
    if (intl?.isValid()) parsed = intl;
  }
  if (!parsed) return null;
  return { e164: parsed.number, region: parsed.country };
}

/** For display and logs where a role must not see the whole number: +86 138****5678. */
export function maskNumber(e164OrRaw: string): string {
  const digits = e164OrRaw.replace(/[^\d+]/g, '');
  if (digits.length <= 6) return '*'.repeat(digits.length);
  return `${digits.slice(0, digits.length - 8 > 3 ? 4 : 3)}****${digits.slice(-4)}`;
}
