import type { Db } from '../db';
import { isPostgres, num } from '../db';
import { spanBytes, type ByteSpan } from './byte-range';

/** A request within this long after the session's last one continues that session. */
export const LISTEN_SESSION_GAP_MS = 10 * 60_000;
/** Disjoint spans one entry keeps; a request that would add one more opens a new entry. */
export const MAX_SPANS_PER_ENTRY = 64;

export type AuditAction = 'listen' | 'download';

/** The union of `spans` (sorted, disjoint, not adjacent) and `s`, as a new sorted array. */
export function mergeSpan(spans: readonly ByteSpan[], s: ByteSpan): ByteSpan[] {
  const out: ByteSpan[] = [];
  let cur = { ...s };
  let placed = false;
  for (const x of spans) {
    if (x.end + 1 < cur.start) out.push(x);
    else if (cur.end + 1 < x.start) {
      if (!placed) out.push(cur);
      placed = true;
      out.push(x);
    } else cur = { start: Math.min(x.start, cur.start), end: Math.max(x.end, cur.end) };
  }
  if (!placed) out.push(cur);
  return out;
}

/** Bytes covered at least once. */
export const coveredBytes = (spans: readonly ByteSpan[]): number =>
  spans.reduce((n, s) => n + spanBytes(s), 0);

export const spansOf = (json: string | null): ByteSpan[] | null => {
  if (json === null) return null;
  return (JSON.parse(json) as Array<[number, number]>).map(([start, end]) => ({ start, end }));
};
const spansJson = (spans: readonly ByteSpan[]) =>
  JSON.stringify(spans.map((s) => [s.start, s.end]));

interface OpenEntry {
  id: number;
  last_at: number | string;
  requests: number;
  bytes: number | string;
  ranges: string;
  file_bytes: number | string;
}

export interface Served {
  recordingId: string;
  callId: string;
  userId: number;
  action: AuditAction;
  /** The bytes this response carries (exactly what is streamed); null for an empty file. */
  span: ByteSpan | null;
  fileBytes: number;
  /** The request's Range header as sent (first 64 characters), for the record. */
  rangeHeader: string | null;
  at: number;
}

/**
 * Writes one served span to the audit before its bytes are sent: it extends the user's open
 * session of that recording and action (last request within `gapMs`, same file size, fewer than
 * `maxSpans` disjoint spans after the merge), or opens a new entry. A player's many range
 * requests are one entry; no response with audio bytes goes unrecorded. In one transaction
 * (PostgreSQL: the entry locked), so two requests at once never lose each other's span.
 */
export async function recordServed(
  db: Db,
  e: Served,
  opts: { gapMs?: number; maxSpans?: number } = {},
): Promise<{ entryId: number; opened: boolean }> {
  const gapMs = opts.gapMs ?? LISTEN_SESSION_GAP_MS;
  const maxSpans = opts.maxSpans ?? MAX_SPANS_PER_ENTRY;
  const n = spanBytes(e.span);
  return db.transaction(async (trx) => {
    const q = trx('recording_audit')
      .where({ recording_id: e.recordingId, user_id: e.userId, action: e.action })
      .whereNotNull('ranges')
      .andWhere('last_at', '>=', e.at - gapMs)
      .orderBy('id', 'desc')
      .first<OpenEntry | undefined>('id', 'last_at', 'requests', 'bytes', 'ranges', 'file_bytes');
    if (isPostgres(db)) q.forUpdate();
    const open = await q;
    if (open && num(open.file_bytes) === e.fileBytes) {
      const had = spansOf(open.ranges) ?? [];
      const merged = e.span ? mergeSpan(had, e.span) : had;
      if (merged.length <= maxSpans) {
        await trx('recording_audit')
          .where({ id: open.id })
          .update({
            last_at: Math.max(num(open.last_at), e.at),
            requests: open.requests + 1,
            bytes: num(open.bytes) + n,
            ranges: spansJson(merged),
          });
        return { entryId: open.id, opened: false };
      }
    }
    const [row] = await trx('recording_audit')
      .insert({
        recording_id: e.recordingId,
        call_id: e.callId,
        user_id: e.userId,
        action: e.action,
        range: e.rangeHeader?.slice(0, 64) ?? null,
        at: e.at,
        last_at: e.at,
        requests: 1,
        bytes: n,
        ranges: spansJson(e.span ? [e.span] : []),
        file_bytes: e.fileBytes,
      })
      .returning<Array<{ id: number }>>('id');
    return { entryId: row!.id, opened: true };
  });
}
