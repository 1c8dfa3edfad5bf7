import { z } from 'zod';

export const ROLES = ['agent', 'supervisor', 'qa', 'admin'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

// The role groups the route table (src/api/routes.ts) and the handlers share. A check of "may see
// or change everyone's" names the group it allows, never "not an agent": qa is neither.

/** Supervisors and admins: every call, task, customer field and campaign. */
export const MANAGERS = ['supervisor', 'admin'] as const satisfies readonly Role[];
/** QA, supervisors and admins: recordings, samples, evaluations, every call record. */
export const REVIEWERS = ['qa', 'supervisor', 'admin'] as const satisfies readonly Role[];
/** Who works calls and customers (inbound and outbound agents) and the managers. */
export const EDITORS = ['agent', 'supervisor', 'admin'] as const satisfies readonly Role[];

/** Is `role` one of `group`? (`includes` on a narrower tuple does not take a Role.) */
export const inGroup = (role: Role, group: readonly Role[]): boolean => group.includes(role);
export const isManager = (role: Role): boolean => inGroup(role, MANAGERS);

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
