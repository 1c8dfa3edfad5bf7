import type { Recording as ApiRecording } from '../api/recordings';
import type { Db } from '../db';
import { num } from '../db';
import { isoOf } from '../shared/clock';
import { coveredBytes, recordServed, spansOf, type Served } from './listen-audit';

export type RecordingStatus = 'recording' | 'fetching' | 'stored' | 'error';

export type Recording = ApiRecording;

export interface RecordingRow {
  id: string;
  call_id: string;
  asterisk_name: string;
  status: string;
  path: string | null;
  bytes: number | string | null;
  sha256: string | null;
  duration_ms: number | null;
  started_at: number | string;
  ended_at: number | string | null;
  attempts: number;
  error: string | null;
  created_at: number | string;
}

export const toRecording = (r: RecordingRow): Recording => ({
  id: r.id,
  callId: r.call_id,
  status: r.status as RecordingStatus,
  durationMs: r.duration_ms,
  bytes: num(r.bytes, true),
  sha256: r.sha256,
  startedAt: isoOf(num(r.started_at))!,
  endedAt: isoOf(num(r.ended_at, true)),
  error: r.error,
});

/**
 * Recordings of calls (the files live under RECORDINGS_DIR) and who listened to them: one audit
 * entry per listening session or download, with the byte spans served (listen-audit.ts).
 */
export function createRecordingsRepo(db: Db) {
  return {
    async create(r: { id: string; callId: string; asteriskName: string; at: number }) {
      await db('recordings').insert({
        id: r.id,
        call_id: r.callId,
        asterisk_name: r.asteriskName,
        status: 'recording',
        started_at: r.at,
        created_at: r.at,
      });
    },
    async update(id: string, fields: Partial<Omit<RecordingRow, 'id'>>): Promise<void> {
      await db('recordings').where({ id }).update(fields);
    },
    async get(id: string): Promise<RecordingRow | null> {
      return (await db<RecordingRow>('recordings').where({ id }).first()) ?? null;
    },
    async byAsteriskName(name: string): Promise<RecordingRow | null> {
      return (await db<RecordingRow>('recordings').where({ asterisk_name: name }).first()) ?? null;
    },
    async forCalls(callIds: readonly string[]): Promise<RecordingRow[]> {
      if (!callIds.length) return [];
      return db<RecordingRow>('recordings')
        .whereIn('call_id', callIds)
        .orderBy('started_at', 'asc');
    },
    /** Not stored yet though their call is over: fetched again at start. */
    async unfinished(): Promise<RecordingRow[]> {
      return db<RecordingRow>('recordings').whereIn('status', ['recording', 'fetching']);
    },
    /** One response with audio bytes: extends the user's listening session or opens one. */
    auditServed: (e: Served) => recordServed(db, e),
    async auditLog(f: {
      recordingId?: string;
      userId?: number;
      from?: number;
      to?: number;
      limit: number;
    }) {
      const q = db('recording_audit')
        .leftJoin('users', 'users.id', 'recording_audit.user_id')
        .select<
          Array<{
            id: number;
            recording_id: string;
            call_id: string;
            user_id: number | null;
            user_name: string | null;
            action: string;
            at: number | string;
            last_at: number | string | null;
            requests: number | null;
            bytes: number | string | null;
            ranges: string | null;
            file_bytes: number | string | null;
          }>
        >('recording_audit.*', 'users.name as user_name')
        .orderBy('recording_audit.at', 'desc')
        .limit(f.limit);
      if (f.recordingId) q.where('recording_audit.recording_id', f.recordingId);
      if (f.userId) q.where('recording_audit.user_id', f.userId);
      if (f.from) q.where('recording_audit.at', '>=', f.from);
      if (f.to) q.where('recording_audit.at', '<', f.to);
      return (await q).map((e) => {
        const spans = spansOf(e.ranges);
        return {
          id: e.id,
          recordingId: e.recording_id,
          callId: e.call_id,
          userId: e.user_id,
          userName: e.user_name,
          action: e.action,
          at: isoOf(num(e.at))!,
          lastAt: isoOf(num(e.last_at, true)),
          requests: e.requests,
          bytes: num(e.bytes, true),
          ranges: spans,
          coveredBytes: spans && coveredBytes(spans),
          fileBytes: num(e.file_bytes, true),
        };
      });
    },
  };
}

export type RecordingsRepo = ReturnType<typeof createRecordingsRepo>;
