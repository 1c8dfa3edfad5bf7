import { Router } from 'express';
import type { z } from 'zod';
import { numericId } from '../../api/common';
import {
  complaintsQuery,
  completeTaskBody,
  newComplaintBody,
  reassignTaskBody,
  tasksQuery,
  type complaintsListResponse,
  type newComplaintResponse,
  type taskSchema,
  type tasksListResponse,
} from '../../api/complaints';
import type { Complaints } from '../../complaints/complaints';
import type { ComplaintsRepo } from '../../complaints/complaints-repo';
import type { TasksRepo } from '../../complaints/tasks-repo';
import type { Clock } from '../../shared/clock';
import { inGroup, isManager, REVIEWERS } from '../../api/auth';
import type { AgentDirectory } from '../../agents/agent-directory';
import type { CallsRepo } from '../../calls/calls-repo';
import type { UsersRepo } from '../../agents/users-repo';
import { HotlineError, notFound } from '../../shared/errors';
import { currentUser, parse, route } from '../middleware';

export function complaintRoutes(deps: {
  complaints: Complaints;
  complaintsRepo: ComplaintsRepo;
  tasks: TasksRepo;
  users: UsersRepo;
  clock: Clock;
  /** Who is on which call: an agent reads the complaints of the customer they are talking to. */
  agents: Pick<AgentDirectory, 'get'>;
  calls: Pick<CallsRepo, 'get'>;
}) {
  const r = Router();
  /** The customer of the call the user is offered, on or wrapping up, if any. */
  const customerOnCall = async (userId: number): Promise<number[]> => {
    const callId = deps.agents.get(userId)?.callId;
    const customerId = callId ? (await deps.calls.get(callId))?.customer_id : null;
    return customerId != null ? [customerId] : [];
  };
  r.post(
    '/complaints',
    route(async (req, res) => {
      const body = parse(newComplaintBody, req.body);
      const { complaint, task } = await deps.complaints.open({
        ...body,
        callId: body.callId ?? null,
        ownerUserId: body.ownerUserId ?? null,
        promisedReplyAt: body.promisedReplyAt ?? null,
        by: currentUser(req).id,
      });
      res.status(201).json({
        ...complaint,
        followUpTask: task,
      } satisfies z.output<typeof newComplaintResponse>);
    }),
  );
  r.get(
    '/complaints',
    route(async (req, res) => {
      const q = parse(complaintsQuery, req.query);
      const user = currentUser(req);
      // QA, supervisors and admins read every complaint; anyone else those tied to them.
      const visibleTo = inGroup(user.role, REVIEWERS)
        ? undefined
        : { userId: user.id, customerIds: await customerOnCall(user.id) };
      res.json({
        complaints: await deps.complaintsRepo.list({ ...q, visibleTo }),
      } satisfies z.output<typeof complaintsListResponse>);
    }),
  );
  r.get(
    '/tasks',
    route(async (req, res) => {
      const user = currentUser(req);
      const q = parse(tasksQuery, req.query);
      // Supervisors and admins see every task, or theirs with ?mine=1; everyone else their own.
      const assignedUserId = !isManager(user.role) || q.mine ? user.id : undefined;
      res.json({
        tasks: await deps.tasks.list(
          { assignedUserId, status: q.status, limit: q.limit },
          deps.clock.now(),
        ),
      } satisfies z.output<typeof tasksListResponse>);
    }),
  );
  r.put(
    '/tasks/:id',
    route(async (req, res) => {
      const id = parse(numericId, req.params.id);
      const body = parse(reassignTaskBody, req.body);
      const now = deps.clock.now();
      const task = await deps.tasks.get(id, now);
      if (!task) throw notFound('HOTLINE_TASK_NOT_FOUND', `task ${id}`);
      if (task.status === 'done')
        throw new HotlineError('HOTLINE_TASK_ALREADY_DONE', `task ${id} is already done`);
      if (body.assignedUserId != null && !(await deps.users.get(body.assignedUserId)))
        throw new HotlineError(
          'HOTLINE_VALIDATION',
          `assignedUserId: no user ${body.assignedUserId}`,
        );
      await deps.tasks.reassign(id, body);
      res.json((await deps.tasks.get(id, now)) satisfies z.output<typeof taskSchema> | null);
    }),
  );
  r.post(
    '/tasks/:id/complete',
    route(async (req, res) => {
      const id = parse(numericId, req.params.id);
      const body = parse(completeTaskBody, req.body);
      const task: z.output<typeof taskSchema> = await deps.complaints.completeTask(
        id,
        currentUser(req),
        body.result,
        body.notes ?? null,
      );
      res.json(task);
    }),
  );
  return r;
}
