import { maskPhone } from './mask-phone';

export interface StoredPhone {
  e164: string;
  raw: string;
}

/**
 * A form sends back what it was shown: a number the policy masked (`+86 138****8000`) stands for
 * the stored number it masks, which is kept as it was. Null when `sent` is not such a value.
 */
export function keptNumber(sent: string, stored: readonly StoredPhone[]): StoredPhone | null {
  const s = sent.trim();
  if (!s.includes('*')) return null;
  return stored.find((p) => maskPhone(p.e164) === s || maskPhone(p.raw) === s) ?? null;
}
