import { Router } from 'express';
import type { z } from 'zod';
import {
  callsQuery,
  type callDetailSchema,
  type callsListResponse,
  type outcomeSchema,
} from '../../api/calls';
import type { Outcome } from '../../calls/call-state';
import { stringId } from '../../api/common';
import type { CallsRepo } from '../../calls/calls-repo';
import { toCallRecord, type CallRecord } from '../../calls/calls-repo';
import { toRecording, type RecordingsRepo } from '../../recordings/recordings-repo';
import { normaliseNumber } from '../../customers/normalise-number';
import type { Clock } from '../../shared/clock';
import { HotlineError } from '../../shared/errors';
import { currentUser, parse, route } from '../middleware';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** The engine's outcomes (src/calls/call-state.ts) and the API's (src/api/calls.ts) are one list. */
const outcomesAgree: Same<Outcome, z.infer<typeof outcomeSchema>> = true;
void outcomesAgree;

export function callRoutes(deps: {
  calls: CallsRepo;
  clock: Clock;
  defaultRegion: string;
  recordings?: RecordingsRepo;
}) {
  const r = Router();
  /** The contract's `recording` (the longest stored one) and, on one call, all of them. */
  async function withRecordings<T extends CallRecord>(records: T[]) {
    const rows = deps.recordings ? await deps.recordings.forCalls(records.map((c) => c.id)) : [];
    return records.map((c) => {
      const mine = rows.filter((r) => r.call_id === c.id).map(toRecording);
      const best = mine
        .filter((r) => r.status === 'stored')
        .sort((a, b) => (b.durationMs ?? 0) - (a.durationMs ?? 0))[0];
      return {
        ...c,
        recording: best ? { id: best.id, durationMs: best.durationMs ?? 0 } : null,
        recordings: mine,
      };
    });
  }
  r.get(
    '/calls',
    route(async (req, res) => {
      const q = parse(callsQuery, req.query);
      const user = currentUser(req);
      let callerE164: string | undefined;
      if (q.phone !== undefined) {
        const n = normaliseNumber(q.phone, deps.defaultRegion);
        if (!n)
          throw new HotlineError(
            'HOTLINE_BAD_PHONE_NUMBER',
            `phone: "${q.phone}" is not a phone number`,
          );
        callerE164 = n.e164;
      }
      // An agent sees their own calls only.
      const agentId = user.role === 'agent' || q.mine ? user.id : q.agentId;
      const rows = await deps.calls.list({ ...q, agentId, callerE164 });
      const now = deps.clock.now();
      const calls = await withRecordings(rows.map((row) => toCallRecord(row, now)));
      res.json({
        calls: calls.map(({ recordings: _all, ...c }) => c),
        limit: q.limit,
        offset: q.offset,
      } satisfies z.output<typeof callsListResponse>);
    }),
  );
  r.get(
    '/calls/:id',
    route(async (req, res) => {
      const id = parse(stringId, req.params.id);
      const row = await deps.calls.get(id);
      const record = row && toCallRecord(row, deps.clock.now());
      const user = currentUser(req);
      if (!record || (user.role === 'agent' && record.agentId !== user.id)) {
        throw new HotlineError('HOTLINE_CALL_NOT_FOUND', `call ${id} not found`);
      }
      const [call] = await withRecordings([record]);
      res.json({
        ...call!,
        timeline: await deps.calls.events(id),
      } satisfies z.output<typeof callDetailSchema>);
    }),
  );
  return r;
}
