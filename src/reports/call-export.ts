import type { Role } from '../api/auth';
import type { Db } from '../db';
import { num } from '../db';
import { maskPhone } from '../privacy/mask-phone';
import { showsFull, type NumberPolicy } from '../privacy/number-policy';
import { isoOf } from '../shared/clock';
import type { Cell } from './csv';
import type { ReportFilter } from './inbound-counts';

export const CALL_EXPORT_HEADER = [
  'id',
  'direction',
  'startedAt',
  'startedLocal',
  'callerNumber',
  'dialedNumber',
  'customerId',
  'customerName',
  'agentId',
  'agentName',
  'queue',
  'campaignId',
  'answeredAt',
  'endedAt',
  'waitMs',
  'talkMs',
  'holdMs',
  'outcome',
  'hangupCause',
  'serviceLevelMet',
  'disposition',
  'wrappedUpAt',
  'surveyScore',
] as const;

/** Rows read per query: the export holds one page at a time. */
export const EXPORT_PAGE = 2000;

type Row = Record<string, string | number | boolean | null>;

/**
 * The call records of [start, end) as CSV rows, oldest first, read page by page with keyset
 * pagination on (started_at, id): each page one indexed query, so memory stays flat however
 * many records the range has (knex's sqlite3 `.stream()` buffers the whole result). Numbers
 * as the number policy shows them to the viewer (`call.numbers`: whole, masked, or whole on
 * their own calls only); the agent's notes are not exported (free text may hold anything).
 */
export async function* callExportRows(
  db: Db,
  range: { start: number; end: number },
  f: ReportFilter,
  viewer: { userId: number; role: Role; policy: NumberPolicy; timezone: string },
  pageSize = EXPORT_PAGE,
): AsyncGenerator<Cell[]> {
  const visibility = viewer.policy[viewer.role]['call.numbers'];
  const local = new Intl.DateTimeFormat('sv-SE', {
    timeZone: viewer.timezone,
    dateStyle: 'short',
    timeStyle: 'medium',
  });
  let after: { at: number; id: string } | null = null;
  for (;;) {
    const q = db('calls as c')
      .leftJoin('users as u', 'u.id', 'c.agent_id')
      .leftJoin('customers as cu', 'cu.id', 'c.customer_id')
      .where('c.started_at', '>=', range.start)
      .where('c.started_at', '<', range.end)
      .orderBy([
        { column: 'c.started_at', order: 'asc' },
        { column: 'c.id', order: 'asc' },
      ])
      .limit(pageSize)
      .select<Row[]>(
        'c.id',
        'c.direction',
        'c.started_at',
        'c.caller_number',
        'c.dialed_number',
        'c.customer_id',
        'cu.name as customer_name',
        'c.agent_id',
        'u.name as agent_name',
        'c.queue',
        'c.campaign_id',
        'c.answered_at',
        'c.ended_at',
        'c.wait_ms',
        'c.talk_ms',
        'c.hold_ms',
        'c.outcome',
        'c.hangup_cause',
        'c.service_level_met',
        'c.disposition',
        'c.wrapped_up_at',
        'c.survey_score',
      );
    if (f.queue !== undefined) q.where('c.queue', f.queue);
    if (f.agentId !== undefined) q.where('c.agent_id', f.agentId);
    if (f.campaignId !== undefined) q.where('c.campaign_id', f.campaignId);
    if (f.direction !== undefined) q.where('c.direction', f.direction);
    if (after) {
      const a = after;
      q.where((w) =>
        w
          .where('c.started_at', '>', a.at)
          .orWhere((x) => x.where('c.started_at', a.at).where('c.id', '>', a.id)),
      );
    }
    const rows = await q;
    for (const r of rows) {
      const started = num(r.started_at);
      const own = () => r.agent_id !== null && num(r.agent_id) === viewer.userId;
      const shown = (n: Row[string] | undefined) =>
        n === null || n === undefined
          ? null
          : showsFull(visibility, own)
            ? String(n)
            : maskPhone(String(n));
      const time = (v: Row[string] | undefined) => isoOf(num(v, true));
      yield [
        String(r.id),
        String(r.direction),
        isoOf(started),
        local.format(started),
        shown(r.caller_number),
        shown(r.dialed_number),
        num(r.customer_id, true),
        r.customer_name === null ? null : String(r.customer_name),
        num(r.agent_id, true),
        r.agent_name === null ? null : String(r.agent_name),
        r.queue === null ? null : String(r.queue),
        num(r.campaign_id, true),
        time(r.answered_at),
        time(r.ended_at),
        num(r.wait_ms, true),
        num(r.talk_ms, true),
        num(r.hold_ms, true),
        r.outcome === null ? null : String(r.outcome),
        r.hangup_cause === null ? null : String(r.hangup_cause),
        r.service_level_met === null ? null : Boolean(r.service_level_met),
        r.disposition === null ? null : String(r.disposition),
        time(r.wrapped_up_at),
        num(r.survey_score, true),
      ];
    }
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1]!;
    after = { at: num(last.started_at), id: String(last.id) };
  }
}
