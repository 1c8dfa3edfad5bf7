import type { Knex } from 'knex';
import type { CallRecord as ApiCallRecord } from '../api/calls';
import type { Db } from '../db';
import { num } from '../db';
import { queryAll, runOne, transact, type Binding, type Statements } from '../db/statements';
import { isoOf } from '../shared/clock';
import type { CallState, Outcome } from './call-state';
import {
  beginProjection,
  blankProjection,
  JUDGED_BY_HISTORY,
  projectEvent,
  projectTimeline,
  type ProjectedEvent,
  type ProjectedRecord,
  type Projection,
} from './project-record';

export type Direction = 'inbound' | 'outbound';
export type EndedBy = 'caller' | 'agent' | 'system';

/** The contract's call record (GET /api/calls/:id), plus a few fields of our own: src/api. */
export type CallRecord = ApiCallRecord;

export interface CallEventRecord {
  id: number;
  at: string;
  type: string;
  agentId: number | null;
  data: Record<string, unknown> | null;
}

/** A fact about a call, as its timeline records it. */
export interface CallFact {
  type: string;
  at: number;
  data?: Record<string, unknown> | null;
  /** The agent the event is about: offered, answering, acting. */
  agentId?: number | null;
}

/**
 * The record's fields the engine sets itself: its timeline does not carry them
 * (project-record.ts says why). Everything else on the record is its timeline's projection.
 */
export interface RecordFields {
  state?: CallState;
  notes?: string | null;
  /** 1 for a VIP caller: from the matched customers' tier. */
  priority?: number;
}

/** Any field of the record the repository writes, by its record name (mapped to columns here). */
export type CallPatch = Partial<ProjectedRecord> & RecordFields;

/** Where each field of a patch is stored: the engine names record fields, never columns. */
const COLUMN: { readonly [K in keyof Required<CallPatch>]: string } = {
  direction: 'direction',
  customerId: 'customer_id',
  agentId: 'agent_id',
  queue: 'queue',
  startedAt: 'started_at',
  answeredAt: 'answered_at',
  endedAt: 'ended_at',
  waitMs: 'wait_ms',
  talkMs: 'talk_ms',
  holdMs: 'hold_ms',
  outcome: 'outcome',
  hangupCause: 'hangup_cause',
  hangupCauseCode: 'hangup_cause_code',
  endedBy: 'ended_by',
  serviceLevelMet: 'service_level_met',
  campaignId: 'campaign_id',
  contactId: 'contact_id',
  disposition: 'disposition',
  wrappedUpAt: 'wrapped_up_at',
  legalHold: 'legal_hold',
  surveyScore: 'survey_score',
  surveyAt: 'survey_at',
  state: 'state',
  notes: 'notes',
  priority: 'priority',
};
/** Times are ISO strings on the record and epoch milliseconds in the table. */
const TIME_FIELDS = new Set<keyof CallPatch>([
  'startedAt',
  'answeredAt',
  'endedAt',
  'wrappedUpAt',
  'surveyAt',
]);

function columnsOf(patch: CallPatch): Record<string, Binding> {
  const row: Record<string, Binding> = {};
  for (const [field, value] of Object.entries(patch) as Array<[keyof CallPatch, Binding]>) {
    if (value === undefined) continue;
    row[COLUMN[field]] =
      TIME_FIELDS.has(field) && typeof value === 'string' ? Date.parse(value) : value;
  }
  return row;
}

/** The fact as a stored event reads back: ISO time, data through JSON (undefined dropped). */
function eventOf(fact: CallFact): ProjectedEvent {
  return {
    at: isoOf(fact.at)!,
    type: fact.type,
    agentId: fact.agentId ?? null,
    data: fact.data ? (JSON.parse(JSON.stringify(fact.data)) as Record<string, unknown>) : null,
  };
}

const INSERT_EVENT =
  'insert into "call_events" ("call_id", "at", "type", "agent_id", "data") values (?, ?, ?, ?, ?)';

const eventBindings = (callId: string, fact: CallFact): Binding[] => [
  callId,
  fact.at,
  fact.type,
  fact.agentId ?? null,
  fact.data ? JSON.stringify(fact.data) : null,
];

function insertEvent(s: Statements, callId: string, fact: CallFact): Promise<void> {
  return s.run(INSERT_EVENT, eventBindings(callId, fact));
}

/** `update "calls" set …` of the record's columns (names from `COLUMN` only, never input). */
function updateCall(s: Statements, callId: string, row: Record<string, Binding>): Promise<void> {
  const columns = Object.keys(row);
  const set = columns.map((c) => `"${c}" = ?`).join(', ');
  return s.run(`update "calls" set ${set} where "id" = ?`, [
    ...columns.map((c) => row[c]!),
    callId,
  ]);
}

interface EventRow {
  id: number;
  at: number | string;
  type: string;
  agent_id: number | null;
  data: string | null;
}

function toEventRecord(r: EventRow): CallEventRecord {
  return {
    id: r.id,
    at: isoOf(num(r.at))!,
    type: r.type,
    agentId: r.agent_id,
    data: r.data ? (JSON.parse(r.data) as Record<string, unknown>) : null,
  };
}

async function timelineOf(db: Knex, callId: string): Promise<CallEventRecord[]> {
  const rows = await db('call_events')
    .where({ call_id: callId })
    .orderBy('id')
    .select<EventRow[]>('id', 'at', 'type', 'agent_id', 'data');
  return rows.map(toEventRecord);
}

/**
 * The projection of the call's timeline so far. A timeline written before calls had a `started`
 * event begins from the row's own opening fields; no row, no projection.
 */
async function projectionOf(s: Statements, callId: string): Promise<Projection | null> {
  const events = (
    await s.all<EventRow>(
      'select "id", "at", "type", "agent_id", "data" from "call_events" where "call_id" = ? order by "id"',
      [callId],
    )
  ).map(toEventRecord);
  if (events.some((e) => e.type === 'started')) return projectTimeline(events);
  const [row] = await s.all<CallRow>('select * from "calls" where "id" = ?', [callId]);
  if (!row) return null;
  const { projection } = beginProjection({
    at: isoOf(num(row.started_at))!,
    type: 'started',
    agentId: null,
    data: {
      direction: row.direction,
      queue: row.queue,
      customerId: row.customer_id,
      contactId: row.contact_id ?? null,
      campaign: row.campaign_id != null ? { id: row.campaign_id } : null,
    },
  });
  for (const e of events) projectEvent(projection, e);
  return projection;
}

export interface CallRow {
  id: string;
  direction: string;
  caller_number: string;
  caller_e164: string | null;
  dialed_number: string;
  customer_id: number | null;
  agent_id: number | null;
  queue: string | null;
  state: string;
  channel_id: string | null;
  started_at: number | string;
  answered_at: number | string | null;
  ended_at: number | string | null;
  wait_ms: number | string | null;
  talk_ms: number | string | null;
  hold_ms?: number | string | null;
  outcome: string | null;
  hangup_cause: string | null;
  hangup_cause_code: number | null;
  ended_by: string | null;
  disposition?: string | null;
  notes?: string | null;
  wrapped_up_at?: number | string | null;
  service_level_met?: boolean | number | null;
  priority?: number;
  legal_hold?: boolean | number;
  campaign_id?: number | null;
  contact_id?: number | null;
  survey_score?: number | null;
  survey_at?: number | string | null;
}

export function toCallRecord(r: CallRow, now: number): CallRecord {
  const started = num(r.started_at);
  const answered = num(r.answered_at, true);
  const ended = num(r.ended_at, true);
  // A live call's durations so far; a closed call's as stored.
  const waitMs = num(r.wait_ms, true) ?? (answered ?? ended ?? now) - started;
  const talkMs = num(r.talk_ms, true) ?? (answered !== null ? (ended ?? now) - answered : 0);
  return {
    id: r.id,
    direction: r.direction as Direction,
    callerNumber: r.caller_e164 ?? r.caller_number,
    dialedNumber: r.dialed_number,
    customerId: r.customer_id,
    agentId: r.agent_id,
    queue: r.queue,
    startedAt: isoOf(started)!,
    answeredAt: isoOf(answered),
    endedAt: isoOf(ended),
    waitMs: Math.max(0, waitMs),
    talkMs: Math.max(0, talkMs),
    holdMs: num(r.hold_ms ?? 0),
    outcome: r.outcome as Outcome | null,
    hangupCause: r.hangup_cause,
    recording: null,
    state: r.state,
    hangupCauseCode: r.hangup_cause_code,
    endedBy: r.ended_by as EndedBy | null,
    disposition: r.disposition ?? null,
    notes: r.notes ?? null,
    wrappedUpAt: isoOf(num(r.wrapped_up_at, true)),
    serviceLevelMet:
      r.service_level_met === null || r.service_level_met === undefined
        ? null
        : Boolean(r.service_level_met),
    vip: (r.priority ?? 0) > 0,
    legalHold: Boolean(r.legal_hold),
    campaignId: r.campaign_id ?? null,
    contactId: r.contact_id ?? null,
    surveyScore: r.survey_score ?? null,
    surveyAt: isoOf(num(r.survey_at, true)),
  };
}

/** A call's row as the engine reads it back (reconcile, wrap-up), by field name. */
export interface StoredCall {
  id: string;
  state: string;
  channelId: string | null;
  /** The caller's number as it came (the record's `callerNumber` is its E.164 form when known). */
  callerRaw: string;
  callerE164: string | null;
  dialedNumber: string;
  queue: string | null;
  customerId: number | null;
  agentId: number | null;
  startedAt: number;
  answeredAt: number | null;
  campaignId: number | null;
  contactId: number | null;
}

function storedCall(r: CallRow): StoredCall {
  return {
    id: r.id,
    state: r.state,
    channelId: r.channel_id,
    callerRaw: r.caller_number,
    callerE164: r.caller_e164,
    dialedNumber: r.dialed_number,
    queue: r.queue,
    customerId: r.customer_id,
    agentId: r.agent_id,
    startedAt: num(r.started_at),
    answeredAt: num(r.answered_at, true),
    campaignId: r.campaign_id ?? null,
    contactId: r.contact_id ?? null,
  };
}

export interface CallFilters {
  from?: number;
  to?: number;
  agentId?: number;
  customerId?: number;
  queue?: string;
  outcome?: string;
  direction?: Direction;
  callerE164?: string;
  limit: number;
  offset: number;
}

/** A past call as the screen-pop lists it. */
interface HistoryRow {
  id: string;
  started_at: number | string;
  direction: string;
  outcome: string | null;
  agent_name: string | null;
  disposition: string | null;
  notes: string | null;
  survey_score: number | null;
}

/** The last calls of a customer or a number, newest first, without the call being popped. */
const historyBy = (column: 'customer_id' | 'caller_e164') => `select "calls"."id",
  "calls"."started_at", "calls"."direction", "calls"."outcome", "users"."name" as "agent_name",
  "calls"."disposition", "calls"."notes", "calls"."survey_score"
  from "calls" left join "users" on "users"."id" = "calls"."agent_id"
  where "calls"."${column}" = ? and "calls"."id" <> ?
  order by "calls"."started_at" desc limit ?`;
const HISTORY_BY_CUSTOMER = historyBy('customer_id');
const HISTORY_BY_NUMBER = historyBy('caller_e164');

/**
 * The projections of the calls this process opened, so the events judged by the timeline
 * (`answered`, `ended`…) need no read of it: folded as each fact is committed, in the order the
 * engine commits a call's facts (commit.ts queues them per call). Forgotten at the call's end, on
 * a failed write (the next fact reads the timeline again) and beyond `LIVE_PROJECTIONS` open calls
 * (the oldest first), far above what one engine carries (docs/architecture/scale.md).
 */
const LIVE_PROJECTIONS = 20_000;

export function createCallsRepo(db: Db) {
  const live = new Map<string, Projection>();
  const keep = (callId: string, p: Projection) => {
    live.set(callId, p);
    if (live.size > LIVE_PROJECTIONS) live.delete(live.keys().next().value!);
  };
  return {
    /**
     * Opens a call's record with its `started` event, in one transaction: the row's projected
     * fields (direction, queue, customer, campaign, contact, start) come from the event.
     */
    async open(
      c: {
        id: string;
        callerNumber: string;
        callerE164: string | null;
        dialedNumber: string;
        channelId: string;
        /** Known when an outbound attempt's record is opened. */
        state?: CallState;
      },
      started: { at: number; data: Record<string, unknown> },
    ): Promise<void> {
      const fact: CallFact = { type: 'started', ...started };
      const { projection, fields } = beginProjection(eventOf(fact));
      const row: Record<string, Binding> = {
        id: c.id,
        caller_number: c.callerNumber,
        caller_e164: c.callerE164,
        dialed_number: c.dialedNumber,
        channel_id: c.channelId,
        state: c.state ?? 'new',
        ...columnsOf(fields),
      };
      const columns = Object.keys(row);
      await transact(db, async (s) => {
        await s.run(
          `insert into "calls" (${columns.map((k) => `"${k}"`).join(', ')}) values (${columns
            .map(() => '?')
            .join(', ')})`,
          columns.map((k) => row[k]!),
        );
        await insertEvent(s, c.id, fact);
      });
      keep(c.id, projection);
    },
    /**
     * Records a fact: appends it to the call's timeline and sets the record's fields the event
     * determines (project-record.ts `projectEvent`, the same fold that rebuilds the record from
     * the timeline) plus the engine's own `fields`, in one transaction (the caller's, if given).
     */
    async commit(
      callId: string,
      fact: CallFact,
      fields: RecordFields = {},
      /** The statements of the caller's transaction (the dialer's attempt outcome), if any. */
      tx?: Statements,
    ): Promise<void> {
      const event = eventOf(fact);
      const write = async (s: Statements, row: Record<string, Binding>) => {
        // Both sent on the transaction's connection at once: one round trip fewer.
        await Promise.all([
          insertEvent(s, callId, fact),
          Object.keys(row).length ? updateCall(s, callId, row) : null,
        ]);
      };
      const save = (row: Record<string, Binding>) =>
        tx
          ? write(tx, row)
          : Object.keys(row).length
            ? transact(db, (s) => write(s, row))
            : // The record is unchanged: the event alone, one statement.
              runOne(db, INSERT_EVENT, eventBindings(callId, fact));
      const known = live.get(callId);
      if (known) {
        const row = columnsOf({ ...projectEvent(known, event), ...fields });
        // Inside a caller's transaction, whether it commits is the caller's: not kept.
        if (tx || fact.type === 'ended') live.delete(callId);
        await save(row).catch((err: unknown) => {
          live.delete(callId);
          throw err;
        });
        return;
      }
      if (JUDGED_BY_HISTORY.has(fact.type)) {
        // Judged against the call's timeline so far, read in the same transaction.
        const judged = async (s: Statements) => {
          const projection = await projectionOf(s, callId);
          await write(
            s,
            columnsOf({ ...(projection && projectEvent(projection, event)), ...fields }),
          );
        };
        await (tx ? judged(tx) : transact(db, judged));
        return;
      }
      await save(columnsOf({ ...projectEvent(blankProjection(), event), ...fields }));
    },
    /**
     * Sets record fields with no event: only for what the timeline does not carry (see
     * project-record.ts: the hang-up cause from the dialplan's end marker, the customer of a
     * caller who hung up during the lookup, the caller's priority).
     */
    async amend(callId: string, patch: CallPatch): Promise<void> {
      const row = columnsOf(patch);
      // Through the writer's queue like every other write of the record, so it keeps its order.
      if (Object.keys(row).length) await transact(db, (s) => updateCall(s, callId, row));
    },
    async events(callId: string): Promise<CallEventRecord[]> {
      return timelineOf(db, callId);
    },
    /** The row, for the contract's record (`toCallRecord`). */
    async get(id: string): Promise<CallRow | undefined> {
      return db<CallRow>('calls').where({ id }).first();
    },
    /** The call as the engine reads it, inside the caller's transaction if given. */
    async find(id: string, trx?: Knex.Transaction): Promise<StoredCall | undefined> {
      const row = await (trx ?? db)<CallRow>('calls').where({ id }).first();
      return row ? storedCall(row) : undefined;
    },
    async list(f: CallFilters): Promise<CallRow[]> {
      const q = db<CallRow>('calls')
        .orderBy('started_at', 'desc')
        .orderBy('id')
        .limit(f.limit)
        .offset(f.offset);
      if (f.from !== undefined) q.where('started_at', '>=', f.from);
      if (f.to !== undefined) q.where('started_at', '<', f.to);
      if (f.agentId !== undefined) q.where('agent_id', f.agentId);
      if (f.customerId !== undefined) q.where('customer_id', f.customerId);
      if (f.queue !== undefined) q.where('queue', f.queue);
      if (f.outcome !== undefined) q.where('outcome', f.outcome);
      if (f.direction !== undefined) q.where('direction', f.direction);
      if (f.callerE164 !== undefined) q.where('caller_e164', f.callerE164);
      return q;
    },
    /** Calls not yet closed: after a restart these are reconciled against Asterisk. */
    async listOpen(): Promise<StoredCall[]> {
      return (await db<CallRow>('calls').whereNull('ended_at')).map(storedCall);
    },
    /** The customer's (or number's) last calls, newest first, for the screen-pop. */
    async history(by: { customerId?: number; e164?: string }, limit: number, excludeId?: string) {
      // Read before every pop: prepared statements (db/statements.ts), one per key.
      if (by.customerId !== undefined)
        return queryAll<HistoryRow>(db, HISTORY_BY_CUSTOMER, [
          by.customerId,
          excludeId ?? '',
          limit,
        ]);
      if (by.e164)
        return queryAll<HistoryRow>(db, HISTORY_BY_NUMBER, [by.e164, excludeId ?? '', limit]);
      return [];
    },
  };
}

export type CallsRepo = ReturnType<typeof createCallsRepo>;
