import { z } from 'zod';
import { codeLabel, isoTime, stringId } from './common';

/** PUT /api/calls/:id/wrapup: answers `200 {ok: true}`. */
export const wrapUpBody = z.object({
  disposition: z.string().min(1).max(64),
  notes: z.string().max(5000).nullish(),
  /** The customer the agent picked or created for this caller: the record is linked to them. */
  customerId: z.number().int().positive().nullish(),
  /** Campaign calls: when to call back (a call-back disposition). */
  callbackAt: isoTime.nullish(),
  followUp: z.object({ dueAt: isoTime, note: z.string().max(1000).nullish() }).nullish(),
});

export const transferTargetSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('agent'), userId: z.number().int().positive() }),
  z.object({ type: z.literal('queue'), name: z.string().min(1).max(64) }),
  z.object({ type: z.literal('external'), number: z.string().min(3).max(32) }),
]);
export type TransferTarget = z.infer<typeof transferTargetSchema>;

/** POST /api/calls/:id/transfer: answers `202 {ok: true}`. */
export const transferBody = z.object({
  mode: z.enum(['blind', 'attended']),
  target: transferTargetSchema,
});

export const recordingActionSchema = z.enum(['start', 'pause', 'resume']);
/** POST /api/calls/:id/recording/:action. */
export const recordingActionParams = z.object({ id: stringId, action: recordingActionSchema });

export const dispositionsResponse = z.object({ dispositions: z.array(codeLabel) });
export const breakReasonsResponse = z.object({ reasons: z.array(codeLabel) });
export const complaintCategoriesResponse = z.object({ categories: z.array(codeLabel) });
