import type { Complaint as ApiComplaint } from '../api/complaints';
import type { Db } from '../db';
import { num } from '../db';
import { isoOf } from '../shared/clock';

export type Severity = 'low' | 'medium' | 'high';

export type Complaint = ApiComplaint;

interface Row {
  id: number;
  customer_id: number;
  call_id: string | null;
  category: string;
  severity: string;
  description: string;
  owner_user_id: number | null;
  created_by: number | null;
  status: string;
  promised_reply_at: number | string | null;
  created_at: number | string;
  resolved_at: number | string | null;
}

const toComplaint = (r: Row): Complaint => ({
  id: r.id,
  customerId: r.customer_id,
  callId: r.call_id,
  category: r.category,
  severity: r.severity as Severity,
  description: r.description,
  ownerUserId: r.owner_user_id,
  createdBy: r.created_by,
  status: r.status === 'resolved' ? 'resolved' : 'open',
  promisedReplyAt: isoOf(num(r.promised_reply_at, true)),
  createdAt: isoOf(num(r.created_at))!,
  resolvedAt: isoOf(num(r.resolved_at, true)),
});

export function createComplaintsRepo(db: Db) {
  return {
    async create(
      c: {
        customerId: number;
        callId: string | null;
        category: string;
        severity: Severity;
        description: string;
        ownerUserId: number | null;
        createdBy: number;
        promisedReplyAt: number | null;
        now: number;
      },
      trx: Db = db,
    ): Promise<number> {
      const [row] = await trx('complaints')
        .insert({
          customer_id: c.customerId,
          call_id: c.callId,
          category: c.category,
          severity: c.severity,
          description: c.description,
          owner_user_id: c.ownerUserId,
          created_by: c.createdBy,
          status: 'open',
          promised_reply_at: c.promisedReplyAt,
          created_at: c.now,
        })
        .returning<Array<{ id: number }>>('id');
      return row!.id;
    },
    async get(id: number): Promise<Complaint | null> {
      const r = await db<Row>('complaints').where({ id }).first();
      return r ? toComplaint(r) : null;
    },
    /**
     * Newest first. `visibleTo`: only the complaints tied to that user: they own or opened it, a
     * task of it is assigned to them, or it is about a customer they are the account owner of or
     * one of `customerIds` (the customer of the call they are on).
     */
    async list(f: {
      customerId?: number;
      status?: 'open' | 'resolved';
      ownerUserId?: number;
      visibleTo?: { userId: number; customerIds: readonly number[] };
      limit: number;
    }): Promise<Complaint[]> {
      const q = db<Row>('complaints')
        .select('complaints.*')
        .orderBy('complaints.created_at', 'desc')
        .orderBy('complaints.id', 'desc')
        .limit(f.limit);
      if (f.customerId !== undefined) q.where('complaints.customer_id', f.customerId);
      if (f.status !== undefined) q.where('complaints.status', f.status);
      if (f.ownerUserId !== undefined) q.where('complaints.owner_user_id', f.ownerUserId);
      const v = f.visibleTo;
      if (v)
        q.where((w) => {
          w.where('complaints.owner_user_id', v.userId)
            .orWhere('complaints.created_by', v.userId)
            .orWhereIn('complaints.customer_id', [...v.customerIds])
            .orWhereIn(
              'complaints.customer_id',
              db('customers').select('id').where('owner_user_id', v.userId),
            )
            .orWhereIn(
              'complaints.id',
              db('tasks')
                .select('complaint_id')
                .whereNotNull('complaint_id')
                .where('assigned_user_id', v.userId),
            );
        });
      return (await q).map(toComplaint);
    },
    async resolve(id: number, at: number): Promise<void> {
      await db('complaints').where({ id }).update({ status: 'resolved', resolved_at: at });
    },
  };
}

export type ComplaintsRepo = ReturnType<typeof createComplaintsRepo>;
