/**
 * Reads a CSV held in memory as a stream of records without holding the event loop: the text is
 * fed to csv-parse in slices, so each parsing step is short and other work (HTTP requests, the
 * dialer) runs between them. UTF-8 (a BOM is skipped); quoted fields may hold commas, quotes and
 * line breaks; CRLF or LF; rows shorter or longer than the header are read as they are; blank
 * lines are not rows. A malformed file (a quote never closed) throws csv-parse's error, with its
 * line number, from the iteration — after every record parsed before the fault has been yielded.
 */
import { parse, type Options } from 'csv-parse';

export const CSV_OPTIONS: Options = {
  bom: true,
  relax_column_count: true,
  // A stray quote inside an unquoted field (`6" screen`) is text, not an error.
  relax_quotes: true,
  skip_empty_lines: true,
};

/** 64 KiB: parsing one slice is a short step. */
export const SLICE_BYTES = 64 * 1024;

/** The records of `input`, header first (its names trimmed), each an array of cell values. */
export async function* readCsv(
  input: string | Buffer,
  sliceBytes = SLICE_BYTES,
): AsyncGenerator<string[], void, undefined> {
  const buf = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  // Records are taken as the parser makes them (on_record, synchronously, in order) rather than
  // read from its stream side, which would drop those still buffered when an error destroys it.
  const queue: string[][] = [];
  const parser = parse({
    ...CSV_OPTIONS,
    on_record: (record: string[]) => {
      queue.push(record);
      return null;
    },
  });
  // Set from callbacks: an object, so that the checks below read it afresh.
  const state: { failure: Error | null } = { failure: null };
  parser.on('error', (err: Error) => {
    state.failure ??= err;
  });
  parser.resume();
  const step = (feed: (done: (err?: Error | null) => void) => void) =>
    new Promise<void>((resolve) =>
      feed((err) => {
        if (err) state.failure ??= err;
        resolve();
      }),
    );
  let first = true;
  const drain = function* (): Generator<string[]> {
    for (const record of queue.splice(0)) {
      if (first) {
        first = false;
        yield record.map((h) => h.trim());
      } else {
        yield record;
      }
    }
  };
  try {
    for (let at = 0; at < buf.length && !state.failure; at += sliceBytes) {
      const slice = buf.subarray(at, at + sliceBytes);
      await step((done) => parser.write(slice, done));
      yield* drain();
    }
    if (!state.failure) await step((done) => parser.end(done));
    yield* drain();
    if (state.failure) throw state.failure;
  } finally {
    if (!parser.destroyed) parser.destroy();
  }
}
