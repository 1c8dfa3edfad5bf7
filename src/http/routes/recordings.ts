import { Router } from 'express';
import type { z } from 'zod';
import { stringId } from '../../api/common';
import {
  auditQuery,
  legalHoldBody,
  type auditResponse,
  type legalHoldResponse,
} from '../../api/recordings';
import type { CallsRepo } from '../../calls/calls-repo';
import type { RecordingsRepo } from '../../recordings/recordings-repo';
import { underRoot } from '../../recordings/store-recording';
import type { Clock } from '../../shared/clock';
import { HotlineError, notFound } from '../../shared/errors';
import type { Logger } from '../../shared/logger';
import { sendAudio } from '../../recordings/send-audio';
import { currentUser, parse, route } from '../middleware';

const LISTENERS = new Set(['qa', 'supervisor', 'admin']);

/**
 * Playback (HTTP range requests, for the browser's audio element: send-audio.ts), the audit trail
 * of who listened to or downloaded which bytes of which recording, and the legal hold that
 * exempts a call from retention. QA, supervisors and admins may listen to any recording; an agent to calls they
 * answered (to follow their evaluations).
 */
export function recordingRoutes(deps: {
  recordings: RecordingsRepo;
  calls: CallsRepo;
  dir: string;
  clock: Clock;
  log: Logger;
}) {
  const r = Router();
  r.get(
    '/recordings/audit',
    route(async (req, res) => {
      const q = parse(auditQuery, req.query);
      res.json({
        entries: await deps.recordings.auditLog(q),
      } satisfies z.output<typeof auditResponse>);
    }),
  );
  r.get(
    '/recordings/:id/audio',
    route(async (req, res) => {
      const id = parse(stringId, req.params.id);
      const user = currentUser(req);
      const row = await deps.recordings.get(id);
      const missing = notFound('HOTLINE_RECORDING_NOT_FOUND', `recording ${id}`);
      if (!row) throw missing;
      if (!LISTENERS.has(user.role)) {
        const answeredBy = (await deps.calls.events(row.call_id))
          .filter((e) => e.type === 'answered')
          .map((e) => e.agentId);
        if (!answeredBy.includes(user.id)) throw missing;
      }
      if (row.status !== 'stored' || !row.path)
        throw new HotlineError(
          'HOTLINE_RECORDING_NOT_STORED',
          `recording ${id} is ${row.status}, not stored`,
        );
      const file = underRoot(deps.dir, row.path);
      if (!file) throw missing;
      const download = req.query.download === '1';
      const header = (name: string) => {
        const v = req.headers[name];
        return typeof v === 'string' ? v : undefined;
      };
      const range = header('range');
      await sendAudio({
        res,
        file,
        method: req.method,
        range,
        ifRange: header('if-range'),
        etag: row.sha256 ? `"${row.sha256}"` : null,
        headers: {
          'Content-Type': 'audio/wav',
          'Cache-Control': 'private, no-store',
          ...(download
            ? { 'Content-Disposition': `attachment; filename="call-${row.call_id}.wav"` }
            : {}),
        },
        // Every response with audio bytes: one entry per listening session (or download).
        audit: (span, fileBytes) =>
          deps.recordings
            .auditServed({
              recordingId: row.id,
              callId: row.call_id,
              userId: user.id,
              action: download ? 'download' : 'listen',
              span,
              fileBytes,
              rangeHeader: range ?? null,
              at: deps.clock.now(),
            })
            .then(() => undefined),
        log: deps.log,
      });
    }),
  );
  r.put(
    '/calls/:id/legal-hold',
    route(async (req, res) => {
      const id = parse(stringId, req.params.id);
      const body = parse(legalHoldBody, req.body);
      if (!(await deps.calls.get(id)))
        throw new HotlineError('HOTLINE_CALL_NOT_FOUND', `call ${id} not found`);
      // The record's legal hold is the event's projection.
      await deps.calls.commit(id, {
        type: body.hold ? 'legal-hold' : 'legal-hold-lifted',
        at: deps.clock.now(),
        agentId: currentUser(req).id,
      });
      res.json({ callId: id, legalHold: body.hold } satisfies z.output<typeof legalHoldResponse>);
    }),
  );
  return r;
}
