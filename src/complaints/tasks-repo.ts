import type { Task as ApiTask } from '../api/complaints';
import type { Db } from '../db';
import { num } from '../db';
import { isoOf } from '../shared/clock';

export type TaskKind = 'complaint-follow-up' | 'callback' | 'follow-up';
export type TaskResult = 'reached' | 'no-answer' | 'resolved' | 'other';

export type Task = ApiTask;

/** A call-back the dialer may place, with the attempt an earlier leader left in progress. */
export type DueCallback = Task & { attemptCallId: string | null };

interface Row {
  id: number;
  kind: string;
  customer_id: number | null;
  customer_name: string | null;
  phone: string | null;
  complaint_id: number | null;
  call_id: string | null;
  queue: string | null;
  assigned_user_id: number | null;
  due_at: number | string;
  status: string;
  note: string | null;
  result: string | null;
  result_notes: string | null;
  created_at: number | string;
  completed_at: number | string | null;
  attempt_call_id?: string | null;
}

/** Call-back tasks: complaint follow-ups, promised call-backs, follow-ups from a wrap-up. */
export function createTasksRepo(db: Db) {
  const base = () =>
    db('tasks')
      .leftJoin('customers', 'customers.id', 'tasks.customer_id')
      .select<Row[]>('tasks.*', 'customers.name as customer_name');
  const toTask = (r: Row, now: number): Task => ({
    id: r.id,
    kind: r.kind as TaskKind,
    customerId: r.customer_id,
    customerName: r.customer_name,
    phone: r.phone,
    complaintId: r.complaint_id,
    callId: r.call_id,
    queue: r.queue,
    assignedUserId: r.assigned_user_id,
    dueAt: isoOf(num(r.due_at))!,
    overdue: r.status === 'open' && num(r.due_at) < now,
    status: r.status === 'done' ? 'done' : 'open',
    note: r.note,
    result: r.result as TaskResult | null,
    resultNotes: r.result_notes,
    createdAt: isoOf(num(r.created_at))!,
    completedAt: isoOf(num(r.completed_at, true)),
  });

  return {
    async create(
      t: {
        kind: TaskKind;
        customerId: number | null;
        phone: string | null;
        complaintId?: number | null;
        callId?: string | null;
        queue?: string | null;
        assignedUserId: number | null;
        dueAt: number;
        note?: string | null;
        now: number;
      },
      trx: Db = db,
    ): Promise<number> {
      const [row] = await trx('tasks')
        .insert({
          kind: t.kind,
          customer_id: t.customerId,
          phone: t.phone,
          complaint_id: t.complaintId ?? null,
          call_id: t.callId ?? null,
          queue: t.queue ?? null,
          assigned_user_id: t.assignedUserId,
          due_at: t.dueAt,
          status: 'open',
          note: t.note ?? null,
          created_at: t.now,
        })
        .returning<Array<{ id: number }>>('id');
      return row!.id;
    },
    async get(id: number, now: number): Promise<Task | null> {
      const r = await base().where('tasks.id', id).first();
      return r ? toTask(r, now) : null;
    },
    /** Open tasks first by due time, then recently completed ones. */
    async list(
      f: { assignedUserId?: number; status?: 'open' | 'done'; limit: number },
      now: number,
    ): Promise<Task[]> {
      const q = base()
        .orderBy('tasks.status', 'desc')
        .orderBy('tasks.due_at', 'asc')
        .limit(f.limit);
      if (f.assignedUserId !== undefined) q.where('tasks.assigned_user_id', f.assignedUserId);
      if (f.status !== undefined) q.where('tasks.status', f.status);
      return (await q).map((r) => toTask(r, now));
    },
    /**
     * Queued call-backs the dialer may place now: open, due, with a queue, oldest due first;
     * `attemptCallId` set when an attempt is in progress (maybe an earlier leader's).
     */
    async dueCallbacks(now: number, limit: number): Promise<DueCallback[]> {
      const rows = await base()
        .where('tasks.kind', 'callback')
        .where('tasks.status', 'open')
        .whereNotNull('tasks.queue')
        .whereNotNull('tasks.phone')
        .where('tasks.due_at', '<=', now)
        .orderBy('tasks.due_at', 'asc')
        .limit(limit);
      return rows.map((r) => ({ ...toTask(r, now), attemptCallId: r.attempt_call_id ?? null }));
    },
    /** When the next queued call-back falls due after `after` (null: none is waiting). */
    async nextCallbackDue(after: number): Promise<number | null> {
      const [row] = await db('tasks')
        .where({ kind: 'callback', status: 'open' })
        .whereNotNull('queue')
        .whereNotNull('phone')
        .where('due_at', '>', after)
        .min<Array<{ at: number | string | null }>>({ at: 'due_at' });
      return num(row?.at, true);
    },
    /**
     * An attempt of this call-back starts with call `callId`: true when it may (the task is open
     * and no other attempt is in progress, whoever made it), false otherwise.
     */
    async startAttempt(id: number, callId: string): Promise<boolean> {
      const n = await db('tasks')
        .where({ id, status: 'open' })
        .whereNull('attempt_call_id')
        .update({ attempt_call_id: callId });
      return Number(n) === 1;
    },
    /** The attempt `callId` is void (it rang no one, or the agent did not pick up). */
    async dropAttempt(id: number, callId: string): Promise<void> {
      await db('tasks').where({ id, attempt_call_id: callId }).update({ attempt_call_id: null });
    },
    /**
     * One dial attempt of a call-back is over: reached → done; otherwise due again after
     * `retryMs`, or done as `no-answer` once `maxAttempts` are used up. Returns the attempts so far.
     */
    async recordAttempt(
      id: number,
      o: { reached: boolean; at: number; retryMs: number; maxAttempts: number; callId: string },
    ): Promise<number> {
      return db.transaction(async (trx) => {
        const row = await trx('tasks')
          .where({ id })
          .first<{ attempts: number } | undefined>('attempts');
        const attempts = Number(row?.attempts ?? 0) + 1;
        const done = o.reached || attempts >= o.maxAttempts;
        await trx('tasks')
          .where({ id })
          .update({
            attempts,
            attempt_call_id: null,
            ...(done
              ? {
                  status: 'done',
                  result: o.reached ? 'reached' : 'no-answer',
                  result_notes: `call ${o.callId}, attempt ${attempts}`,
                  completed_at: o.at,
                }
              : { due_at: o.at + o.retryMs }),
          });
        return attempts;
      });
    },
    /** A supervisor hands a task to someone else or moves its due time. */
    async reassign(
      id: number,
      f: { assignedUserId?: number | null; dueAt?: number },
    ): Promise<void> {
      await db('tasks')
        .where({ id })
        .update({
          ...(f.assignedUserId !== undefined ? { assigned_user_id: f.assignedUserId } : {}),
          ...(f.dueAt !== undefined ? { due_at: f.dueAt } : {}),
        });
    },
    async complete(
      id: number,
      result: TaskResult,
      notes: string | null,
      at: number,
    ): Promise<void> {
      await db('tasks')
        .where({ id })
        .update({ status: 'done', result, result_notes: notes, completed_at: at });
    },
  };
}

export type TasksRepo = ReturnType<typeof createTasksRepo>;
