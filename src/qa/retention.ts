import fs from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../db';
import type { Logger } from '../shared/logger';

const DAY_MS = 86_400_000;

export interface RetentionSettings {
  recordingsDays: number;
  evaluationsDays: number;
}

export interface RetentionResult {
  evaluationIds: number[];
  recordingIds: string[];
  /** Recordings kept because their path would leave the recordings directory, or unlink failed. */
  refusedRecordingIds: string[];
}

/**
 * A recording's file under the recordings directory, or null when the stored path would lead
 * outside it (absolute, `..`, …): such a row is never acted upon.
 */
export function resolveUnder(dir: string, relative: string): string | null {
  const root = path.resolve(dir);
  const full = path.resolve(root, relative);
  return full.startsWith(root + path.sep) ? full : null;
}

/**
 * Deletes evaluations submitted more than evaluationsDays ago and recordings created more than
 * recordingsDays ago (the file first, then its row), except on calls under legal hold. Logs ids
 * and counts only (never numbers or paths).
 */
export async function runRetention(o: {
  db: Db;
  recordingsDir: string;
  recordingsDays: number;
  evaluationsDays: number;
  now: number;
  log: Logger;
}): Promise<RetentionResult> {
  const { db, log } = o;
  const evaluationCutoff = o.now - o.evaluationsDays * DAY_MS;
  const expiredEvaluations = await db('qa_evaluations as e')
    .join('calls as c', 'c.id', 'e.call_id')
    .where('e.submitted_at', '<', evaluationCutoff)
    .where('c.legal_hold', false)
    .orderBy('e.id', 'asc')
    .select<Array<{ id: number }>>('e.id');
  const evaluationIds = expiredEvaluations.map((r) => r.id);
  for (let i = 0; i < evaluationIds.length; i += 500)
    await db('qa_evaluations')
      .whereIn('id', evaluationIds.slice(i, i + 500))
      .del();

  const recordingCutoff = o.now - o.recordingsDays * DAY_MS;
  const expiredRecordings = await db('recordings as r')
    .join('calls as c', 'c.id', 'r.call_id')
    .where('r.created_at', '<', recordingCutoff)
    .whereIn('r.status', ['stored', 'error'])
    .where('c.legal_hold', false)
    .orderBy('r.id', 'asc')
    .select<Array<{ id: string; path: string | null }>>('r.id', 'r.path');
  const recordingIds: string[] = [];
  const refusedRecordingIds: string[] = [];
  for (const r of expiredRecordings) {
    if (r.path) {
      const file = resolveUnder(o.recordingsDir, r.path);
      if (!file) {
        log.error({ recordingId: r.id }, 'retention: recording path outside the recordings dir');
        refusedRecordingIds.push(r.id);
        continue;
      }
      try {
        await fs.unlink(file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
          log.error(
            { recordingId: r.id, code: (err as NodeJS.ErrnoException).code },
            'retention: could not delete the recording file; row kept',
          );
          refusedRecordingIds.push(r.id);
          continue;
        }
        log.warn({ recordingId: r.id }, 'retention: recording file already missing');
      }
    }
    await db('recordings').where({ id: r.id }).del();
    recordingIds.push(r.id);
  }

  log.info(
    {
      evaluations: evaluationIds.length,
      evaluationIds,
      recordings: recordingIds.length,
      recordingIds,
      refused: refusedRecordingIds.length ? refusedRecordingIds : undefined,
    },
    'retention: expired QA data deleted',
  );
  return { evaluationIds, recordingIds, refusedRecordingIds };
}

/** Runs retention now and every intervalMs (unref'd); stop() waits for a run in progress. */
export function startRetention(
  run: () => Promise<unknown>,
  log: Logger,
  intervalMs = DAY_MS,
): { stop(): Promise<void> } {
  let current: Promise<unknown> | null = null;
  const tick = () => {
    if (current) return;
    current = run()
      .catch((err: unknown) => log.error({ err }, 'retention run failed'))
      .finally(() => {
        current = null;
      });
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await current;
    },
  };
}
