import type { Db } from '../db';
import type { Clock } from '../shared/clock';
import { HotlineError, notFound } from '../shared/errors';
import type { CustomersRepo } from '../customers/customers-repo';
import type { Complaint, ComplaintsRepo, Severity } from './complaints-repo';
import type { Task, TasksRepo, TaskResult } from './tasks-repo';

const DAY = 86_400_000;

export interface ComplaintNotifier {
  /** A serious complaint: every supervisor is told at once. */
  escalate(complaint: Complaint): void;
  taskAssigned(userId: number, task: Task): void;
}

/**
 * Complaints and their follow-up: every complaint gets a call-back task due within
 * `followUpDays` (002: "after every complaint within 3 days, 100%"), owned by whoever logged it
 * unless an owner is named; severity high is escalated to the supervisors.
 */
export function createComplaints(deps: {
  db: Db;
  complaints: ComplaintsRepo;
  tasks: TasksRepo;
  customers: CustomersRepo;
  clock: Clock;
  followUpDays: number;
  categories: ReadonlyArray<{ code: string }>;
  notify: ComplaintNotifier;
}) {
  return {
    async open(input: {
      customerId: number;
      callId: string | null;
      category: string;
      severity: Severity;
      description: string;
      ownerUserId: number | null;
      promisedReplyAt: number | null;
      by: number;
    }): Promise<{ complaint: Complaint; task: Task }> {
      if (!deps.categories.some((c) => c.code === input.category)) {
        throw new HotlineError(
          'HOTLINE_VALIDATION',
          `category: unknown category "${input.category}"`,
        );
      }
      const customer = await deps.customers.get(input.customerId);
      if (!customer)
        throw new HotlineError(
          'HOTLINE_CUSTOMER_NOT_FOUND',
          `customer ${input.customerId} not found`,
        );
      if (
        input.ownerUserId !== null &&
        !(await deps.db('users').where({ id: input.ownerUserId }).first('id'))
      )
        throw new HotlineError('HOTLINE_VALIDATION', `ownerUserId: no user ${input.ownerUserId}`, [
          { path: 'ownerUserId', message: `no user ${input.ownerUserId}` },
        ]);
      const now = deps.clock.now();
      const owner = input.ownerUserId ?? input.by;
      const followUpBy = now + deps.followUpDays * DAY;
      // The call-back is due by the promised reply time when that is sooner than the rule's limit.
      const dueAt = Math.min(followUpBy, input.promisedReplyAt ?? followUpBy);
      if (input.callId !== null) {
        const call = await deps
          .db('calls')
          .where({ id: input.callId })
          .first<{ customer_id: number | null } | undefined>('customer_id');
        if (!call) throw new HotlineError('HOTLINE_VALIDATION', `callId: no call ${input.callId}`);
      }
      const { complaintId, taskId } = await deps.db.transaction(async (trx) => {
        // The customer the agent picked or created for an unmatched caller becomes the call's.
        if (input.callId !== null)
          await trx('calls')
            .where({ id: input.callId })
            .whereNull('customer_id')
            .update({ customer_id: customer.id });
        const complaintId = await deps.complaints.create(
          { ...input, ownerUserId: owner, createdBy: input.by, now },
          trx,
        );
        const taskId = await deps.tasks.create(
          {
            kind: 'complaint-follow-up',
            customerId: customer.id,
            phone: customer.phones[0]?.e164 ?? null,
            complaintId,
            callId: input.callId,
            assignedUserId: owner,
            dueAt,
            note: input.description.slice(0, 500),
            now,
          },
          trx,
        );
        return { complaintId, taskId };
      });
      const complaint = (await deps.complaints.get(complaintId))!;
      const task = (await deps.tasks.get(taskId, now))!;
      if (complaint.severity === 'high') deps.notify.escalate(complaint);
      deps.notify.taskAssigned(owner, task);
      return { complaint, task };
    },

    async completeTask(
      id: number,
      by: { id: number; role: string },
      result: TaskResult,
      notes: string | null,
    ): Promise<Task> {
      const now = deps.clock.now();
      const task = await deps.tasks.get(id, now);
      if (!task || (by.role === 'agent' && task.assignedUserId !== by.id)) {
        throw notFound('HOTLINE_TASK_NOT_FOUND', `task ${id}`);
      }
      if (task.status === 'done')
        throw new HotlineError('HOTLINE_TASK_ALREADY_DONE', `task ${id} is already done`);
      await deps.tasks.complete(id, result, notes, now);
      if (task.complaintId !== null && result === 'resolved')
        await deps.complaints.resolve(task.complaintId, now);
      return (await deps.tasks.get(id, now))!;
    },
  };
}

export type Complaints = ReturnType<typeof createComplaints>;
