import parseRange from 'range-parser';

/** Bytes `start`..`end` of a file, both inclusive (as in `Content-Range`). */
export interface ByteSpan {
  start: number;
  end: number;
}

/**
 * What to answer a GET of a file of `size` bytes with this Range header (RFC 9110 §14):
 * - `full` (200, the whole file), with why a Range header was not honoured: `none` (there is
 *   none), `malformed` (not `bytes=first-last`, `bytes=first-`, `bytes=-suffix` with digits
 *   only, e.g. `bytes=a-b`, `bytes=1x-`, `bytes=-`), `unit` (not `bytes`; RFC 9110: ignored),
 *   `multiple` (several ranges that stay apart once overlapping and adjacent ones are combined:
 *   no multipart/byteranges, the whole file instead, which RFC 9110 allows), `if-range` (an
 *   If-Range that is not this file's ETag);
 * - `partial` (206) with the one span, after combining overlapping and adjacent ranges;
 * - `unsatisfiable` (416, `Content-Range: bytes *\/size`): well-formed, but no range overlaps
 *   the file (every first byte ≥ size, `bytes=-0`, or first > last).
 *
 * The grammar and the arithmetic are range-parser's (express's own; digits only, suffix ranges
 * counted from the end, last-byte positions clipped to the file), with one correction: a suffix
 * longer than the file is the whole file. Whatever the answer, the
 * caller serves exactly the span returned, and audits that span.
 */
export type RangeChoice =
  | {
      kind: 'full';
      span: ByteSpan | null;
      ignored: 'none' | 'malformed' | 'unit' | 'multiple' | 'if-range';
    }
  | { kind: 'partial'; span: ByteSpan }
  | { kind: 'unsatisfiable' };

export function chooseRange(
  size: number,
  header: string | undefined,
  conditional: { ifRange?: string; etag: string | null },
): RangeChoice {
  const whole = size > 0 ? { start: 0, end: size - 1 } : null;
  const full = (ignored: Extract<RangeChoice, { kind: 'full' }>['ignored']): RangeChoice => ({
    kind: 'full',
    span: whole,
    ignored,
  });
  if (header === undefined) return full('none');
  const parsed = parseRange(size, longSuffixesWhole(header, size), { combine: true });
  if (parsed === -2) return full('malformed');
  // The unit before '=' (range-parser keeps it as written; units are case-insensitive).
  const unit = header.slice(0, header.indexOf('=')).trim().toLowerCase();
  if (unit !== 'bytes') return full('unit');
  if (parsed === -1) return { kind: 'unsatisfiable' };
  // If-Range: honour the Range only for the representation the client already has (a strong
  // ETag; dates are not compared, so a date there, or no ETag, means the whole file).
  if (conditional.ifRange !== undefined && conditional.ifRange.trim() !== conditional.etag)
    return full('if-range');
  if (parsed.length !== 1) return full('multiple');
  const span = parsed[0]!;
  return { kind: 'partial', span: { start: span.start, end: span.end } };
}

/**
 * range-parser treats a suffix range longer than the file (`bytes=-500` of 300 bytes) as
 * unsatisfiable; RFC 9110 §14.1.2 serves the whole file then: such a suffix becomes `0-`.
 */
const longSuffixesWhole = (header: string, size: number) =>
  header.replace(/([=,]\s*)-(\d+)(?=\s*(?:,|$))/g, (spec, lead: string, n: string) =>
    Number(n) > size ? `${lead}0-` : spec,
  );

/** Bytes in a span. */
export const spanBytes = (s: ByteSpan | null): number => (s ? s.end - s.start + 1 : 0);
