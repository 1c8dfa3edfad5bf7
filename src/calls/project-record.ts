import type { CallRecord, TimelineEvent } from '../api/calls';
import type { Outcome } from './call-state';
import type { Direction, EndedBy } from './calls-repo';

/**
 * The call record as a projection of its timeline (docs/architecture habit 2): the fields of
 * `CallRecord` that the call's events determine, computed from the events alone, oldest first
 * (as `CallsRepo.events` returns them). A pure function: no clock, no database. It is a fold of
 * per-event patches (`projectEvent`), and the writer (calls-repo.ts `commit`) sets the record
 * with the same patches, so a record written by the engine is its timeline's projection.
 *
 * Projected (`PROJECTED_FIELDS`), and the events that carry them:
 * - `direction`, `startedAt`: `started` (its `direction`; timelines from before it carried one:
 *   a call-back or campaign `started` is outbound, anything else inbound).
 * - `queue`: `started` (`queue`, or `callback.queue`), then a blind `transferred` to a queue.
 * - `customerId`: `started.customerId` (call-backs), the one customer of `queued.customers`
 *   (inbound, several or none → null), a `wrap-up` or a complaint (`customer-linked`) that
 *   linked a customer to a call that had none (`customerId`).
 * - `agentId`: the agent of the last `answered`; a hand-over (`transferred` with `toAgentId`)
 *   moves it (null: an external party); an unanswered call ends with none.
 * - `answeredAt`: the last `answered` that is not a transfer's (`transferred: true`), which is
 *   what the record holds (a blind transfer answered again restarts it).
 * - `endedAt`, `outcome`, `endedBy`, `hangupCause`, `hangupCauseCode`: the last `ended`
 *   (`cause` is the text, `causeCode` the Q.850 code).
 * - `waitMs`, `talkMs`: from those times; the wait runs from `started`, or from a `dialing`
 *   event's `waitFrom` (a preview's telemarketer picked up after the record was opened). A call
 *   still open has no end: `opts.now` stands in for it, as `toCallRecord` does.
 * - `serviceLevelMet`: an `answered` with the queue's `serviceLevelSec` → answered within it;
 *   an unanswered `ended` with `serviceLevelSec` → false if the caller waited past it, else null;
 *   calls with neither (call-backs, the dialer's unanswered attempts) → null.
 * - `holdMs`: the sum of the agent's holds, `held` → `resumed` (a hold still open at the end, or
 *   at `survey-started`, runs to it); inside `talkMs`, which runs from the answer to the end.
 * - `campaignId`, `contactId`: `started.campaign.id`, `started.contactId`.
 * - `disposition`, `wrappedUpAt`: the last `wrap-up`.
 * - `legalHold`: the last `legal-hold` / `legal-hold-lifted`.
 * - `surveyScore`, `surveyAt`: the last `survey-answered` (`score`, 1-5). A `survey-started`
 *   (the agent hung up first; the caller stays for the survey) ends the talk: `talkMs` runs to
 *   it, not to the `ended` that follows the survey.
 *
 * Not projected, and why:
 * - `callerNumber`, `dialedNumber`: the timeline is shown to QA and carries no phone number
 *   (the code redacts them everywhere but the record); they stay on the record only.
 * - `notes`: the agent's free text (which may hold anything, numbers included) stays on the
 *   record; the `wrap-up` event carries the disposition only.
 * - `state`: the live state is the engine's (call-state.ts); only `ended` is on the timeline.
 * - `vip`: the caller's priority comes from the matched customers' tier, not on the timeline.
 * - `recording`: from the recordings table.
 * - `hangupCause`/`hangupCauseCode` filled in 1.5 s after the close from the dialplan's end
 *   marker (end-marker.ts) have no event: the projection gives the cause the `ended` event knew.
 * - `customerId` of an inbound caller who hung up during the customer lookup: the record is
 *   written, but the call ends before its `queued` event.
 */
export const PROJECTED_FIELDS = [
  'direction',
  'customerId',
  'agentId',
  'queue',
  'startedAt',
  'answeredAt',
  'endedAt',
  'waitMs',
  'talkMs',
  'holdMs',
  'outcome',
  'hangupCause',
  'hangupCauseCode',
  'endedBy',
  'serviceLevelMet',
  'campaignId',
  'contactId',
  'disposition',
  'wrappedUpAt',
  'legalHold',
  'surveyScore',
  'surveyAt',
] as const satisfies ReadonlyArray<keyof CallRecord>;

export type ProjectedRecord = Pick<CallRecord, (typeof PROJECTED_FIELDS)[number]>;

type Data = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const int = (v: unknown): number | null => (typeof v === 'number' ? v : null);
const obj = (v: unknown): Data | null =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Data) : null;

/** A timeline event as the projection reads it (the stored event's id plays no part). */
export type ProjectedEvent = Omit<TimelineEvent, 'id'>;

/** The projection so far: the record, and what later events are judged against. */
export interface Projection {
  record: ProjectedRecord;
  /** Where the wait runs from: `started`, or a `dialing` event's `waitFrom`. */
  waitFrom: number;
  /** The call's answer (the last `answered` that is not a transfer's). */
  answered: number | null;
  /** Where the talk ended before the call did: the survey's start (`survey-started`). */
  talkEnded: number | null;
  /** The hold going on (`held` not yet `resumed`), and the holds closed so far. */
  heldSince: number | null;
  heldMs: number;
}

/** The record's fields that a call's `started` event sets (what its row is opened with). */
export type StartedFields = Pick<
  ProjectedRecord,
  'direction' | 'customerId' | 'queue' | 'startedAt' | 'campaignId' | 'contactId'
>;

/** The projection of a timeline that has only its `started` event so far. */
export function beginProjection(started: ProjectedEvent): {
  projection: Projection;
  fields: StartedFields;
} {
  const sd = started.data ?? {};
  const callback = obj(sd.callback);
  const campaign = obj(sd.campaign);
  const fields: StartedFields = {
    direction:
      (str(sd.direction) as Direction | null) ?? (callback || campaign ? 'outbound' : 'inbound'),
    customerId: int(sd.customerId),
    queue: str(sd.queue) ?? str(callback?.queue),
    startedAt: started.at,
    campaignId: int(campaign?.id),
    contactId: int(sd.contactId),
  };
  const record: ProjectedRecord = {
    ...fields,
    agentId: null,
    answeredAt: null,
    endedAt: null,
    waitMs: 0,
    talkMs: 0,
    holdMs: 0,
    outcome: null,
    hangupCause: null,
    hangupCauseCode: null,
    endedBy: null,
    serviceLevelMet: null,
    disposition: null,
    wrappedUpAt: null,
    legalHold: false,
    surveyScore: null,
    surveyAt: null,
  };
  return {
    projection: {
      record,
      waitFrom: Date.parse(started.at),
      answered: null,
      talkEnded: null,
      heldSince: null,
      heldMs: 0,
    },
    fields,
  };
}

/**
 * The events whose record fields are judged against the earlier timeline (where the wait runs
 * from, whether the call was answered). Every other event's fields come from its own data
 * alone, so a writer needs the call's timeline only for these.
 */
export const JUDGED_BY_HISTORY: ReadonlySet<string> = new Set([
  'answered',
  'ended',
  'survey-started',
  'resumed',
]);

/** Closes a hold still going on at `at` (the call's or the talk's end, a resume). */
function holdUntil(p: Projection, at: number): number {
  if (p.heldSince !== null) {
    p.heldMs += Math.max(0, at - p.heldSince);
    p.heldSince = null;
  }
  return p.heldMs;
}

/** A projection with no history: enough for any event not in `JUDGED_BY_HISTORY`. */
export function blankProjection(): Projection {
  return beginProjection({
    at: new Date(0).toISOString(),
    type: 'started',
    agentId: null,
    data: null,
  }).projection;
}

/**
 * Folds one event into the projection and returns the record fields it set: the record's
 * patch for this event. The call's record is written with exactly these (calls-repo.ts
 * `commit`), and `projectRecord` is the fold of them, so the two cannot disagree.
 */
export function projectEvent(p: Projection, e: ProjectedEvent): Partial<ProjectedRecord> {
  const d = e.data ?? {};
  const at = Date.parse(e.at);
  const set: Partial<ProjectedRecord> = {};
  switch (e.type) {
    case 'queued': {
      const customers = Array.isArray(d.customers) ? d.customers : null;
      if (customers) set.customerId = customers.length === 1 ? int(customers[0]) : null;
      break;
    }
    case 'dialing':
      if (str(d.waitFrom)) p.waitFrom = Date.parse(str(d.waitFrom)!);
      break;
    case 'answered':
      set.agentId = e.agentId;
      if (d.transferred === true) break;
      p.answered = at;
      p.talkEnded = null;
      set.answeredAt = e.at;
      if (int(d.serviceLevelSec) !== null)
        set.serviceLevelMet = at - p.waitFrom <= int(d.serviceLevelSec)! * 1000;
      break;
    case 'transferred': {
      const target = obj(d.target);
      if ('toAgentId' in d) set.agentId = int(d.toAgentId);
      if (d.mode === 'blind' && target?.type === 'queue') set.queue = str(target.name);
      break;
    }
    case 'ended': {
      set.endedAt = e.at;
      set.outcome = str(d.outcome) as Outcome | null;
      set.endedBy = str(d.endedBy) as EndedBy | null;
      set.hangupCause = str(d.cause);
      set.hangupCauseCode = int(d.causeCode);
      set.waitMs = Math.max(0, (p.answered ?? at) - p.waitFrom);
      set.talkMs = p.answered !== null ? Math.max(0, (p.talkEnded ?? at) - p.answered) : 0;
      set.holdMs = holdUntil(p, at);
      if (p.answered === null) {
        set.agentId = null;
        const sl = int(d.serviceLevelSec);
        if (sl !== null) set.serviceLevelMet = at - p.waitFrom > sl * 1000 ? false : null;
      }
      break;
    }
    case 'held':
      p.heldSince ??= at;
      break;
    case 'resumed':
      set.holdMs = holdUntil(p, at);
      break;
    case 'customer-linked':
      set.customerId = int(d.customerId);
      break;
    case 'wrap-up':
      set.disposition = str(d.disposition);
      set.wrappedUpAt = e.at;
      if (int(d.customerId) !== null) set.customerId = int(d.customerId);
      break;
    case 'legal-hold':
    case 'legal-hold-lifted':
      set.legalHold = e.type === 'legal-hold';
      break;
    case 'survey-started':
      // The agent hung up: the talk is over, the caller stays on for the survey.
      if (p.answered !== null) {
        p.talkEnded = at;
        set.talkMs = Math.max(0, at - p.answered);
        set.holdMs = holdUntil(p, at);
      }
      break;
    case 'survey-answered': {
      const score = int(d.score);
      if (score !== null && Number.isInteger(score) && score >= 1 && score <= 5) {
        set.surveyScore = score;
        set.surveyAt = e.at;
      }
      break;
    }
  }
  Object.assign(p.record, set);
  return set;
}

/** The projection of a whole timeline (oldest first), open or closed. */
export function projectTimeline(events: readonly ProjectedEvent[]): Projection {
  const started = events.find((e) => e.type === 'started');
  if (!started) throw new Error('a call timeline begins with its started event');
  const { projection } = beginProjection(started);
  for (const e of events) projectEvent(projection, e);
  return projection;
}

export function projectRecord(
  events: readonly ProjectedEvent[],
  opts: { now?: number } = {},
): ProjectedRecord {
  const p = projectTimeline(events);
  const r = { ...p.record };
  // A call still open: its durations so far, as `toCallRecord` gives them.
  if (r.endedAt === null && opts.now !== undefined) {
    r.waitMs = Math.max(0, (p.answered ?? opts.now) - p.waitFrom);
    r.talkMs = p.answered !== null ? Math.max(0, (p.talkEnded ?? opts.now) - p.answered) : 0;
    r.holdMs = p.heldMs + (p.heldSince !== null ? Math.max(0, opts.now - p.heldSince) : 0);
  }
  return r;
}
