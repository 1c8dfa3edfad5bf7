import type { Db } from '../db';
import { num } from '../db';
import type { Bucket, FollowUpCounts } from '../metrics/definitions';
import type { Row } from '../metrics/period-counts';
import { isoOf } from '../shared/clock';
import { bucketIndexSql, rangeOf } from './buckets-sql';

const DAY = 86_400_000;

export interface ComplaintCounts {
  /** category → severity → complaints opened. */
  opened: Array<{ category: string; severity: string; count: number }>;
  followUp: FollowUpCounts;
}

/**
 * Per period (complaints opened in it): by category and severity, and the 002 follow-up: a
 * complaint is followed up in time when its follow-up task (`complaint-follow-up`) was done,
 * with a result other than `no-answer`, within `followUpDays` of the complaint; it is due
 * (judged) once followed up in time or once those days are over.
 */
export async function complaintCountsBy(
  db: Db,
  buckets: readonly Bucket[],
  f: { ownerUserId?: number },
  opts: { followUpDays: number; now: number },
): Promise<Map<number, ComplaintCounts>> {
  const out = new Map<number, ComplaintCounts>();
  if (buckets.length === 0) return out;
  const range = rangeOf(buckets);
  const allowed = opts.followUpDays * DAY;
  const base = () => {
    const q = db('complaints as c')
      .where('c.created_at', '>=', range.start)
      .where('c.created_at', '<', range.end);
    if (f.ownerUserId !== undefined) q.where('c.owner_user_id', f.ownerUserId);
    return q;
  };
  const b = db.raw('? as b', [bucketIndexSql(db, 'c.created_at', buckets)]);
  const opened: Row[] = await base()
    .select<Row[]>(b, 'c.category', 'c.severity', db.raw('count(*) as n'))
    .groupBy('b', 'c.category', 'c.severity');
  const inTime = `exists (select 1 from tasks t where t.complaint_id = c.id and t.kind = 'complaint-follow-up'
      and t.status = 'done' and (t.result is null or t.result <> 'no-answer') and t.completed_at <= c.created_at + ?)`;
  const follow = await base()
    .select<Row[]>(
      b,
      db.raw(`sum(case when ${inTime} then 1 else 0 end) as in_time`, [allowed]),
      db.raw(`sum(case when ${inTime} or c.created_at + ? <= ? then 1 else 0 end) as due`, [
        allowed,
        allowed,
        opts.now,
      ]),
      db.raw('count(*) as n'),
    )
    .groupBy('b');
  const at = (i: number) => {
    let v = out.get(i);
    if (!v) out.set(i, (v = { opened: [], followUp: { opened: 0, followedUpInTime: 0, due: 0 } }));
    return v;
  };
  for (const r of opened)
    at(num(r.b)).opened.push({
      category: String(r.category),
      severity: String(r.severity),
      count: num(r.n),
    });
  for (const r of follow) {
    const v = at(num(r.b)).followUp;
    v.opened = num(r.n);
    v.followedUpInTime = num(r.in_time ?? 0);
    v.due = num(r.due ?? 0);
  }
  return out;
}

export interface OverdueFollowUp {
  taskId: number;
  complaintId: number;
  category: string;
  severity: string;
  dueAt: string;
  ownerUserId: number | null;
  ownerName: string | null;
  customerId: number | null;
  customerName: string | null;
}

/** Follow-up tasks of complaints still open past their due time, oldest first, with their owner. */
export async function overdueFollowUps(
  db: Db,
  now: number,
  f: { ownerUserId?: number; limit: number },
): Promise<OverdueFollowUp[]> {
  const q = db('tasks as t')
    .join('complaints as c', 'c.id', 't.complaint_id')
    .leftJoin('users as u', 'u.id', 't.assigned_user_id')
    .leftJoin('customers as cu', 'cu.id', 'c.customer_id')
    .where('t.kind', 'complaint-follow-up')
    .where('t.status', 'open')
    .where('t.due_at', '<', now)
    .orderBy('t.due_at', 'asc')
    .limit(f.limit)
    .select<Row[]>(
      't.id',
      't.complaint_id',
      'c.category',
      'c.severity',
      't.due_at',
      't.assigned_user_id',
      'u.name as owner_name',
      'c.customer_id',
      'cu.name as customer_name',
    );
  if (f.ownerUserId !== undefined) q.where('t.assigned_user_id', f.ownerUserId);
  return (await q).map((r) => ({
    taskId: num(r.id),
    complaintId: num(r.complaint_id),
    category: String(r.category),
    severity: String(r.severity),
    dueAt: isoOf(num(r.due_at))!,
    ownerUserId: num(r.assigned_user_id, true),
    ownerName: r.owner_name === null ? null : String(r.owner_name),
    customerId: num(r.customer_id, true),
    customerName: r.customer_name === null ? null : String(r.customer_name),
  }));
}

export interface OutboundCounts {
  /** Dial attempts (`outbound_attempts`) made in the period. */
  dialed: number;
  /** Attempts a person answered (outcome answered or abandoned). */
  answeredByPerson: number;
  abandoned: number;
  /** Contacts connected to an agent at least once (outcome answered), distinct. */
  contactsReached: number;
  /** disposition code → calls of the campaign that started in the period, and their contacts. */
  dispositions: Array<{ code: string; calls: number; contacts: number }>;
}

export const emptyOutbound = (): OutboundCounts => ({
  dialed: 0,
  answeredByPerson: 0,
  abandoned: 0,
  contactsReached: 0,
  dispositions: [],
});

/** Per period and campaign: attempts by their time, dispositions of the campaign's calls by start. */
export async function outboundCountsBy(
  db: Db,
  buckets: readonly Bucket[],
  f: { campaignId?: number; agentId?: number },
): Promise<Map<string, { bucket: number; campaignId: number; counts: OutboundCounts }>> {
  const out = new Map<string, { bucket: number; campaignId: number; counts: OutboundCounts }>();
  if (buckets.length === 0) return out;
  const range = rangeOf(buckets);
  const at = (bucket: number, campaignId: number) => {
    const id = `${bucket}|${campaignId}`;
    let v = out.get(id);
    if (!v) out.set(id, (v = { bucket, campaignId, counts: emptyOutbound() }));
    return v.counts;
  };
  if (f.agentId === undefined) {
    const q = db('outbound_attempts')
      .where('at', '>=', range.start)
      .where('at', '<', range.end)
      .select<Row[]>(
        db.raw('? as b', [bucketIndexSql(db, 'at', buckets)]),
        'campaign_id',
        db.raw('count(*) as dialed'),
        db.raw(`sum(case when outcome in ('answered', 'abandoned') then 1 else 0 end) as picked`),
        db.raw(`sum(case when outcome = 'abandoned' then 1 else 0 end) as abandoned`),
        db.raw(`count(distinct case when outcome = 'answered' then contact_id end) as reached`),
      )
      .groupBy('b', 'campaign_id');
    if (f.campaignId !== undefined) q.where('campaign_id', f.campaignId);
    for (const r of await q) {
      const c = at(num(r.b), num(r.campaign_id));
      c.dialed = num(r.dialed);
      c.answeredByPerson = num(r.picked ?? 0);
      c.abandoned = num(r.abandoned ?? 0);
      c.contactsReached = num(r.reached ?? 0);
    }
  }
  const d = db('calls')
    .whereNotNull('campaign_id')
    .whereNotNull('disposition')
    .where('started_at', '>=', range.start)
    .where('started_at', '<', range.end)
    .select<Row[]>(
      db.raw('? as b', [bucketIndexSql(db, 'started_at', buckets)]),
      'campaign_id',
      'disposition',
      db.raw('count(*) as calls'),
      db.raw('count(distinct contact_id) as contacts'),
    )
    .groupBy('b', 'campaign_id', 'disposition');
  if (f.campaignId !== undefined) d.where('campaign_id', f.campaignId);
  if (f.agentId !== undefined) d.where('agent_id', f.agentId);
  const dRows = (await d) as Row[];
  for (const r of dRows)
    at(num(r.b), num(r.campaign_id)).dispositions.push({
      code: String(r.disposition),
      calls: num(r.calls),
      contacts: num(r.contacts),
    });
  return out;
}

/**
 * Per campaign, the abandon rate of the 30 days up to `asOf` (`now - 30 days < at <= now`,
 * the window of outbound/campaigns/abandon-rate.ts): abandoned ÷ answered by a person.
 */
export async function abandon30dBy(
  db: Db,
  asOf: number,
  campaignId?: number,
): Promise<Map<number, { answered: number; abandoned: number }>> {
  const q = db('outbound_attempts')
    .whereIn('outcome', ['answered', 'abandoned'])
    .where('at', '>', asOf - 30 * DAY)
    .where('at', '<=', asOf)
    .groupBy('campaign_id')
    .select<Row[]>(
      'campaign_id',
      db.raw('count(*) as answered'),
      db.raw(`sum(case when outcome = 'abandoned' then 1 else 0 end) as abandoned`),
    );
  if (campaignId !== undefined) q.where('campaign_id', campaignId);
  return new Map(
    (await q).map((r) => [
      num(r.campaign_id),
      { answered: num(r.answered), abandoned: num(r.abandoned ?? 0) },
    ]),
  );
}
