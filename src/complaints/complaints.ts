import { isManager, type Role } from '../api/auth';
import type { Db } from '../db';
import type { Clock } from '../shared/clock';
import { HotlineError, notFound } from '../shared/errors';
import type { CustomersRepo } from '../customers/customers-repo';
import type { CallsRepo } from '../calls/calls-repo';
import type { Complaint, ComplaintsRepo, Severity } from './complaints-repo';
import type { Task, TasksRepo, TaskResult } from './tasks-repo';
import { statementsOn } from '../db/statements';

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
  calls: Pick<CallsRepo, 'find' | 'commit'>;
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
      if (input.callId !== null && !(await deps.calls.find(input.callId)))
        throw new HotlineError('HOTLINE_VALIDATION', `callId: no call ${input.callId}`);
      const { complaintId, taskId } = await deps.db.transaction(async (trx) => {
        const complaintId = await deps.complaints.create(
          { ...input, ownerUserId: owner, createdBy: input.by, now },
          trx,
        );
        // The customer the agent picked or created for an unmatched caller becomes the call's:
        // a fact on its timeline, so its record stays the timeline's projection.
        if (
          input.callId !== null &&
          (await deps.calls.find(input.callId, trx))?.customerId === null
        )
          await deps.calls.commit(
            input.callId,
            {
              type: 'customer-linked',
              at: now,
              agentId: input.by,
              data: { customerId: customer.id, complaintId },
            },
            {},
            statementsOn(trx),
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

    /** By its assignee, or a supervisor or admin (anyone else: not found). */
    async completeTask(
      id: number,
      by: { id: number; role: Role },
      result: TaskResult,
      notes: string | null,
    ): Promise<Task> {
      const now = deps.clock.now();
      const task = await deps.tasks.get(id, now);
      if (!task || (!isManager(by.role) && task.assignedUserId !== by.id)) {
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
