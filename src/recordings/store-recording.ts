import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isAriNotFound } from '../ari/errors';
import type { AriRest } from '../ari/types';
import type { MetricsSink } from '../metrics/sink';
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import type { RecordingRow, RecordingsRepo } from './recordings-repo';

/** Asterisk's `wav` is 8 kHz 16-bit mono PCM after a 44-byte header. */
const WAV_HEADER = 44;
const WAV_BYTES_PER_MS = 16;

/** `2026/11/24/<id>.wav`: the day (UTC) the recording started. */
export function datedPath(id: string, startedAt: number): string {
  const d = new Date(startedAt).toISOString().slice(0, 10).split('-');
  return path.posix.join(d[0]!, d[1]!, d[2]!, `${id}.wav`);
}

/** An absolute path under `root`, or null if `rel` would leave it. */
export function underRoot(root: string, rel: string): string | null {
  const base = path.resolve(root);
  const abs = path.resolve(base, rel);
  return abs.startsWith(base + path.sep) ? abs : null;
}

/**
 * Why a WAV file is not complete, or null: Asterisk writes the RIFF and data sizes into the header
 * when it closes the file, so a file it is still writing (or never closed: Asterisk died) has
 * sizes of 0 or short of its length. Only a file whose header matches its length is stored.
 */
export function wavProblem(head: Buffer, size: number): string | null {
  if (size <= WAV_HEADER) return `empty recording (${size} bytes)`;
  if (head.toString('latin1', 0, 4) !== 'RIFF' || head.toString('latin1', 8, 12) !== 'WAVE')
    return 'not a WAV file';
  const riff = head.readUInt32LE(4);
  let at = 12;
  while (at + 8 <= head.length) {
    const id = head.toString('latin1', at, at + 4);
    const len = head.readUInt32LE(at + 4);
    if (id === 'data') {
      if (riff !== size - 8 || len !== size - at - 8)
        return (
          `WAV header not finished by Asterisk (data ${len} of ${size - at - 8} bytes, ` +
          `RIFF ${riff} of ${size - 8}): the file was still being written or never closed`
        );
      return null;
    }
    at += 8 + len + (len % 2);
  }
  return 'WAV file without a data chunk in its first bytes';
}

async function headOf(file: string, bytes = 512): Promise<Buffer> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Fetches a finished recording from Asterisk into RECORDINGS_DIR (dated layout), verifies the
 * copy (finished on Asterisk's side, WAV header consistent with the length, size and SHA-256 read
 * back from disk), links it to its call, and only then deletes it from Asterisk's spool. Retried with backoff; after the last attempt the recording is marked `error`
 * with the reason, and the call's timeline says so: never silently missing.
 */
export function createRecordingStore(deps: {
  rest: AriRest;
  recordings: RecordingsRepo;
  dir: string;
  clock: Clock;
  log: Logger;
  /** The operational metrics (hotline_recordings_failed_total); optional. */
  metrics?: Pick<MetricsSink, 'recordingFailed'>;
  /** Timeline events on the call (recording-stored / recording-failed). */
  event: (callId: string, type: string, data: Record<string, unknown>) => Promise<void>;
  attempts?: number;
  backoffMs?: number;
}) {
  const attempts = deps.attempts ?? 5;
  const backoffMs = deps.backoffMs ?? 1000;
  const inFlight = new Map<string, Promise<void>>();
  // Stopping the service cuts the backoff short and gives up further attempts: the row stays
  // `fetching` and the next start fetches it again (recordings.unfinished), never marked `error`.
  const stopping = new AbortController();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (stopping.signal.aborted) return resolve();
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        stopping.signal.removeEventListener('abort', done);
        resolve();
      }
      stopping.signal.addEventListener('abort', done);
    });

  /**
   * Finished on Asterisk's side before anything is copied: a recording still live (its call was
   * adopted, or the service restarted mid-call) is stopped first, and its file is only read once
   * Asterisk no longer lists it as live, i.e. has closed it.
   */
  async function finishedOnAsterisk(name: string): Promise<void> {
    let stopped = false;
    for (let poll = 0; ; poll += 1) {
      const live = await deps.rest.getLiveRecording(name).catch((err: unknown) => {
        if (isAriNotFound(err)) return null;
        throw err;
      });
      if (!live || live.state === 'done' || live.state === 'failed' || live.state === 'canceled')
        return;
      if (!stopped) {
        await deps.rest.stopRecording(name).catch((err: unknown) => {
          if (!isAriNotFound(err)) throw err;
        });
        stopped = true;
      }
      if (poll >= 50) throw new Error('Asterisk is still writing the recording (10 s after stop)');
      if (stopping.signal.aborted) throw new Error('service stopping');
      await sleep(200);
    }
  }

  async function once(row: RecordingRow): Promise<void> {
    const rel = datedPath(row.id, Number(row.started_at));
    const abs = underRoot(deps.dir, rel);
    if (!abs) throw new Error('recording path outside RECORDINGS_DIR');
    await fs.promises.mkdir(path.dirname(abs), { recursive: true });
    const part = `${abs}.part`;
    await fs.promises.rm(part, { force: true });
    await finishedOnAsterisk(row.asterisk_name);
    const got = await deps.rest.fetchStoredRecording(row.asterisk_name, part);
    const stat = await fs.promises.stat(part);
    if (stat.size !== got.bytes) throw new Error(`short write: ${stat.size} of ${got.bytes} bytes`);
    const problem = wavProblem(await headOf(part), got.bytes);
    if (problem) {
      await fs.promises.rm(part, { force: true });
      throw new Error(problem);
    }
    if ((await sha256Of(part)) !== got.sha256) throw new Error('checksum mismatch on disk');
    await fs.promises.rename(part, abs);
    const durationMs = Math.round((got.bytes - WAV_HEADER) / WAV_BYTES_PER_MS);
    await deps.recordings.update(row.id, {
      status: 'stored',
      path: rel,
      bytes: got.bytes,
      sha256: got.sha256,
      duration_ms: durationMs,
      error: null,
    });
    await deps.event(row.call_id, 'recording-stored', {
      recordingId: row.id,
      durationMs,
      bytes: got.bytes,
    });
    // The local copy is verified: now Asterisk's spool may let go of it.
    await deps.rest
      .deleteStoredRecording(row.asterisk_name)
      .catch((err: unknown) =>
        deps.log.warn({ err, recordingId: row.id }, 'could not delete the recording from Asterisk'),
      );
  }

  async function storeWithRetries(row: RecordingRow): Promise<void> {
    try {
      let lastError = '';
      for (let attempt = 1; attempt <= attempts; attempt += 1) {
        if (stopping.signal.aborted) return;
        await deps.recordings.update(row.id, { status: 'fetching', attempts: attempt });
        try {
          await once(row);
          deps.log.info({ recordingId: row.id, callId: row.call_id }, 'recording stored');
          return;
        } catch (err) {
          lastError = err instanceof Error ? err.message : String(err);
          if (stopping.signal.aborted) return;
          deps.log.warn({ err, recordingId: row.id, attempt }, 'storing the recording failed');
          if (attempt < attempts) await sleep(backoffMs * 2 ** (attempt - 1));
        }
      }
      if (stopping.signal.aborted) return;
      deps.metrics?.recordingFailed('store');
      await deps.recordings.update(row.id, { status: 'error', error: lastError.slice(0, 500) });
      await deps.event(row.call_id, 'recording-failed', {
        recordingId: row.id,
        error: lastError.slice(0, 200),
      });
    } catch (err) {
      deps.log.error({ err, recordingId: row.id }, 'recording bookkeeping failed');
    }
  }

  return {
    /** Stores a finished recording; resolves when stored or given up (never rejects). */
    store(row: RecordingRow): Promise<void> {
      const running = inFlight.get(row.id);
      if (running) return running;
      if (stopping.signal.aborted) return Promise.resolve();
      const p = storeWithRetries(row).finally(() => inFlight.delete(row.id));
      inFlight.set(row.id, p);
      return p;
    },
    /**
     * No new attempts; waits for the attempts under way (each ends quickly once the ARI link is
     * closed) so nothing touches the database after the service closed it.
     */
    async stop(): Promise<void> {
      stopping.abort();
      await Promise.all([...inFlight.values()]);
    },
  };
}

export type RecordingStore = ReturnType<typeof createRecordingStore>;
