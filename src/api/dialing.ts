import { z } from 'zod';

/** POST /api/contacts/:id/dial: the preview call placed (202). */
export const dialResponse = z.object({ callId: z.string() });
