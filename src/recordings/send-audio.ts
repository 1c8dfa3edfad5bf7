import fs from 'node:fs/promises';
import { pipeline } from 'node:stream';
import type { Response } from 'express';
import { HotlineError } from '../shared/errors';
import type { Logger } from '../shared/logger';
import { chooseRange, spanBytes, type ByteSpan } from './byte-range';

/**
 * Answers a GET (or HEAD) of a recording's file: 200 with the whole file, 206 with one span, or
 * 416 with `Content-Range: bytes *\/size` (byte-range.ts decides which). Before the first byte
 * goes out, `audit` is awaited with exactly the span that will be streamed: if it fails, nothing
 * is sent. HEAD answers the same headers with no body, and is not audited (no audio leaves).
 * We stream the span ourselves instead of res.sendFile, so that what is audited is, by
 * construction, what is served (send would parse the Range header again, by its own rules).
 */
export async function sendAudio(a: {
  res: Response;
  file: string;
  method: string;
  range: string | undefined;
  ifRange: string | undefined;
  /** A strong validator of the file (its SHA-256), or null when there is none. */
  etag: string | null;
  headers: Record<string, string>;
  audit: (span: ByteSpan | null, fileBytes: number) => Promise<void>;
  log: Logger;
}): Promise<void> {
  const { res } = a;
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(a.file, 'r');
  } catch {
    throw new HotlineError('HOTLINE_RECORDING_FILE_MISSING', 'recording file missing');
  }
  let streaming = false;
  try {
    const size = (await handle.stat()).size;
    const choice = chooseRange(size, a.range, { ifRange: a.ifRange, etag: a.etag });
    res.setHeader('Accept-Ranges', 'bytes');
    if (choice.kind === 'unsatisfiable') {
      res.setHeader('Content-Range', `bytes */${size}`);
      throw new HotlineError(
        'HOTLINE_RANGE_NOT_SATISFIABLE',
        `no byte of the range is in the file (${size} bytes)`,
      );
    }
    const span = choice.span;
    const head = a.method === 'HEAD';
    if (!head) await a.audit(span, size);
    res.status(choice.kind === 'partial' ? 206 : 200);
    for (const [k, v] of Object.entries(a.headers)) res.setHeader(k, v);
    if (a.etag) res.setHeader('ETag', a.etag);
    res.setHeader('Content-Length', String(spanBytes(span)));
    if (choice.kind === 'partial')
      res.setHeader('Content-Range', `bytes ${choice.span.start}-${choice.span.end}/${size}`);
    if (head || !span) {
      res.end();
      return;
    }
    streaming = true;
    pipeline(handle.createReadStream({ start: span.start, end: span.end }), res, (err) => {
      // A listener who stops the player closes the connection: that is not an error.
      if (err && (err as { code?: string }).code !== 'ERR_STREAM_PREMATURE_CLOSE')
        a.log.error({ err, file: a.file }, 'recording stream failed');
    });
  } finally {
    if (!streaming) await handle.close();
  }
}
