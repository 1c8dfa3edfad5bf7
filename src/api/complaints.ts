import { z } from 'zod';
import { components, isoString, isoTime } from './common';
import { numberRecord, phoneString } from './number-fields';

export const severitySchema = z.enum(['low', 'medium', 'high']);

/** POST /api/complaints: opens the complaint and its follow-up call-back task. */
export const newComplaintBody = z.object({
  customerId: z.number().int().positive(),
  callId: z.string().min(1).max(64).nullish(),
  category: z.string().min(1).max(64),
  severity: severitySchema,
  description: z.string().trim().min(1).max(5000),
  ownerUserId: z.number().int().positive().nullish(),
  promisedReplyAt: isoTime.nullish(),
});

export const complaintsQuery = z.object({
  customerId: z.coerce.number().int().positive().optional(),
  status: z.enum(['open', 'resolved']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const TASK_RESULTS = ['reached', 'no-answer', 'resolved', 'other'] as const;
export const taskResultSchema = z.enum(TASK_RESULTS);
export type TaskResult = z.infer<typeof taskResultSchema>;

/** POST /api/tasks/:id/complete. */
export const completeTaskBody = z.object({
  result: taskResultSchema,
  notes: z.string().max(5000).nullish(),
});

/** PUT /api/tasks/:id (supervisor, admin). */
export const reassignTaskBody = z
  .object({
    assignedUserId: z.number().int().positive().nullable().optional(),
    dueAt: isoTime.optional(),
  })
  .refine((b) => b.assignedUserId !== undefined || b.dueAt !== undefined, {
    message: 'send assignedUserId and/or dueAt',
  });

/** GET /api/tasks: agents see their own tasks; supervisors every task, or theirs with ?mine=1. */
export const tasksQuery = z.object({
  mine: z.enum(['1', 'true']).optional(),
  status: z.enum(['open', 'done']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

export const complaintSchema = z
  .object({
    id: z.number().int(),
    customerId: z.number().int(),
    callId: z.string().nullable(),
    category: z.string(),
    severity: severitySchema,
    description: z.string(),
    ownerUserId: z.number().int().nullable(),
    createdBy: z.number().int().nullable(),
    status: z.enum(['open', 'resolved']),
    promisedReplyAt: isoString.nullable(),
    createdAt: isoString,
    resolvedAt: isoString.nullable(),
  })
  .register(components, { id: 'Complaint' });
export type Complaint = z.infer<typeof complaintSchema>;

export const taskKindSchema = z.enum(['complaint-follow-up', 'callback', 'follow-up']);
export const taskSchema = numberRecord(
  'task',
  z.object({
    id: z.number().int(),
    kind: taskKindSchema,
    customerId: z.number().int().nullable(),
    customerName: z.string().nullable(),
    phone: phoneString('task.phone').nullable(),
    complaintId: z.number().int().nullable(),
    callId: z.string().nullable(),
    queue: z.string().nullable(),
    assignedUserId: z.number().int().nullable(),
    dueAt: isoString,
    overdue: z.boolean(),
    status: z.enum(['open', 'done']),
    note: z.string().nullable(),
    result: taskResultSchema.nullable(),
    resultNotes: z.string().nullable(),
    createdAt: isoString,
    completedAt: isoString.nullable(),
  }),
).register(components, { id: 'Task' });
export type Task = z.infer<typeof taskSchema>;

export const newComplaintResponse = complaintSchema.extend({ followUpTask: taskSchema });
export const complaintsListResponse = z.object({ complaints: z.array(complaintSchema) });
export const tasksListResponse = z.object({ tasks: z.array(taskSchema) });
