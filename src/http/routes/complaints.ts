import { Router } from 'express';
import { z } from 'zod';
import type { Complaints } from '../../complaints/complaints';
import type { ComplaintsRepo } from '../../complaints/complaints-repo';
import type { TasksRepo } from '../../complaints/tasks-repo';
import type { Clock } from '../../shared/clock';
import type { UsersRepo } from '../../agents/users-repo';
import { HotlineError, notFound } from '../../shared/errors';
import { currentUser, parse, requireRole, route } from '../middleware';

const isoTime = z.iso.datetime({ offset: true }).transform((s) => Date.parse(s));

export const newComplaintBody = z.object({
  customerId: z.number().int().positive(),
  callId: z.string().min(1).max(64).nullish(),
  category: z.string().min(1).max(64),
  severity: z.enum(['low', 'medium', 'high']),
  description: z.string().trim().min(1).max(5000),
  ownerUserId: z.number().int().positive().nullish(),
  promisedReplyAt: isoTime.nullish(),
});

export const completeTaskBody = z.object({
  result: z.enum(['reached', 'no-answer', 'resolved', 'other']),
  notes: z.string().max(5000).nullish(),
});

export const reassignTaskBody = z
  .object({
    assignedUserId: z.number().int().positive().nullable().optional(),
    dueAt: isoTime.optional(),
  })
  .refine((b) => b.assignedUserId !== undefined || b.dueAt !== undefined, {
    message: 'send assignedUserId and/or dueAt',
  });

export function complaintRoutes(deps: {
  complaints: Complaints;
  complaintsRepo: ComplaintsRepo;
  tasks: TasksRepo;
  users: UsersRepo;
  clock: Clock;
}) {
  const r = Router();
  r.post(
    '/complaints',
    requireRole('agent', 'supervisor', 'admin'),
    route(async (req, res) => {
      const body = parse(newComplaintBody, req.body);
      const { complaint, task } = await deps.complaints.open({
        ...body,
        callId: body.callId ?? null,
        ownerUserId: body.ownerUserId ?? null,
        promisedReplyAt: body.promisedReplyAt ?? null,
        by: currentUser(req).id,
      });
      res.status(201).json({ ...complaint, followUpTask: task });
    }),
  );
  r.get(
    '/complaints',
    route(async (req, res) => {
      const q = parse(
        z.object({
          customerId: z.coerce.number().int().positive().optional(),
          status: z.enum(['open', 'resolved']).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
        req.query,
      );
      res.json({ complaints: await deps.complaintsRepo.list(q) });
    }),
  );
  r.get(
    '/tasks',
    route(async (req, res) => {
      const user = currentUser(req);
      const q = parse(
        z.object({
          mine: z.enum(['1', 'true']).optional(),
          status: z.enum(['open', 'done']).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(200),
        }),
        req.query,
      );
      // Agents see their own tasks only; supervisors every task, or theirs with ?mine=1.
      const assignedUserId = user.role === 'agent' || q.mine ? user.id : undefined;
      res.json({
        tasks: await deps.tasks.list(
          { assignedUserId, status: q.status, limit: q.limit },
          deps.clock.now(),
        ),
      });
    }),
  );
  r.put(
    '/tasks/:id',
    requireRole('supervisor', 'admin'),
    route(async (req, res) => {
      const id = parse(z.coerce.number().int().positive(), req.params.id);
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
      res.json(await deps.tasks.get(id, now));
    }),
  );
  r.post(
    '/tasks/:id/complete',
    route(async (req, res) => {
      const id = parse(z.coerce.number().int().positive(), req.params.id);
      const body = parse(completeTaskBody, req.body);
      res.json(
        await deps.complaints.completeTask(id, currentUser(req), body.result, body.notes ?? null),
      );
    }),
  );
  return r;
}
