import { Readable, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { Response } from 'express';

export type Cell = string | number | boolean | null | undefined;

/**
 * A cell a spreadsheet would read as a formula (`= + - @`, or a leading tab or carriage
 * return, OWASP's list) starts with an apostrophe instead, so it shows as the text it is.
 * Numbers are numbers (a negative one stays a number); only text is neutralised.
 */
export function neutralise(cell: Cell): string | number | boolean | null {
  if (cell === undefined) return null;
  if (typeof cell !== 'string') return cell;
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/**
 * Writes rows to `out` as CSV: UTF-8 with a byte-order mark (spreadsheet programs then read
 * Chinese names right), a header row, every text cell neutralised. `rows` is any (async)
 * iterable, pulled only as fast as `out` takes them (backpressure): a month of records never
 * sits in memory.
 */
export async function writeCsv(
  out: Writable,
  header: readonly string[],
  rows: AsyncIterable<readonly Cell[]> | Iterable<readonly Cell[]>,
): Promise<void> {
  const neutralised = new Transform({
    objectMode: true,
    transform(row: readonly Cell[], _enc, done) {
      done(null, row.map(neutralise));
    },
  });
  await pipeline(
    Readable.from(rows),
    neutralised,
    stringify({
      bom: true,
      header: true,
      columns: [...header],
      cast: { boolean: (b) => (b ? 'true' : 'false') },
    }),
    out,
  );
}

/** `writeCsv` to an HTTP response, as a download named `filename`. */
export async function sendCsv(
  res: Response,
  filename: string,
  header: readonly string[],
  rows: AsyncIterable<readonly Cell[]> | Iterable<readonly Cell[]>,
): Promise<void> {
  res.status(200);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader(
    'Content-Disposition',
    `attachment; filename="${filename.replace(/[^\w.-]/g, '_')}"`,
  );
  await writeCsv(res, header, rows);
}
