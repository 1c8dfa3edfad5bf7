import type { CallRecord as ApiCallRecord } from '../api/calls';
import type { Db } from '../db';
import { num } from '../db';
import { isoOf } from '../shared/clock';
import type { CallState, Outcome } from './call-state';

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

export function createCallsRepo(db: Db) {
  return {
    async open(c: {
      id: string;
      direction: Direction;
      callerNumber: string;
      callerE164: string | null;
      dialedNumber: string;
      channelId: string;
      startedAt: number;
      /** Known when an outbound attempt's record is opened (one write instead of two). */
      state?: CallState;
      queue?: string | null;
      customerId?: number | null;
      campaignId?: number;
      contactId?: number;
    }): Promise<void> {
      await db('calls').insert({
        id: c.id,
        direction: c.direction,
        caller_number: c.callerNumber,
        caller_e164: c.callerE164,
        dialed_number: c.dialedNumber,
        channel_id: c.channelId,
        state: c.state ?? 'new',
        started_at: c.startedAt,
        ...(c.queue !== undefined ? { queue: c.queue } : {}),
        ...(c.customerId !== undefined ? { customer_id: c.customerId } : {}),
        ...(c.campaignId !== undefined ? { campaign_id: c.campaignId } : {}),
        ...(c.contactId !== undefined ? { contact_id: c.contactId } : {}),
      });
    },
    async update(id: string, fields: Partial<Omit<CallRow, 'id'>>): Promise<void> {
      await db('calls').where({ id }).update(fields);
    },
    async appendEvent(
      callId: string,
      at: number,
      type: string,
      data?: Record<string, unknown>,
      agentId?: number | null,
    ) {
      await db('call_events').insert({
        call_id: callId,
        at,
        type,
        agent_id: agentId ?? null,
        data: data ? JSON.stringify(data) : null,
      });
    },
    async get(id: string): Promise<CallRow | undefined> {
      return db<CallRow>('calls').where({ id }).first();
    },
    async events(callId: string): Promise<CallEventRecord[]> {
      const rows = await db('call_events').where({ call_id: callId }).orderBy('id').select<
        Array<{
          id: number;
          at: number | string;
          type: string;
          agent_id: number | null;
          data: string | null;
        }>
      >();
      return rows.map((r) => ({
        id: r.id,
        at: isoOf(num(r.at))!,
        type: r.type,
        agentId: r.agent_id,
        data: r.data ? (JSON.parse(r.data) as Record<string, unknown>) : null,
      }));
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
    async listOpen(): Promise<CallRow[]> {
      return db<CallRow>('calls').whereNull('ended_at');
    },
    /** The customer's (or number's) last calls, newest first, for the screen-pop. */
    async history(by: { customerId?: number; e164?: string }, limit: number, excludeId?: string) {
      const q = db('calls')
        .leftJoin('users', 'users.id', 'calls.agent_id')
        .orderBy('calls.started_at', 'desc')
        .limit(limit)
        .select<
          Array<{
            id: string;
            started_at: number | string;
            direction: string;
            outcome: string | null;
            agent_name: string | null;
            disposition: string | null;
            notes: string | null;
          }>
        >(
          'calls.id',
          'calls.started_at',
          'calls.direction',
          'calls.outcome',
          'users.name as agent_name',
          'calls.disposition',
          'calls.notes',
        );
      if (by.customerId !== undefined) q.where('calls.customer_id', by.customerId);
      else if (by.e164) q.where('calls.caller_e164', by.e164);
      else return [];
      if (excludeId) q.whereNot('calls.id', excludeId);
      return q;
    },
  };
}

export type CallsRepo = ReturnType<typeof createCallsRepo>;
