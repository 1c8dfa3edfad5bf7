import { z } from 'zod';

export const ROLES = ['agent', 'supervisor', 'qa', 'admin'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

/** POST /api/auth/login. */
export const loginBody = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(200),
});

/** The user a token belongs to, as login answers it. */
export const sessionUserSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  name: z.string(),
  role: roleSchema,
  extension: z.string().nullable(),
});
export type SessionUser = z.infer<typeof sessionUserSchema>;

export const loginResponse = z.object({ token: z.string(), user: sessionUserSchema });
export type LoginResult = z.infer<typeof loginResponse>;
