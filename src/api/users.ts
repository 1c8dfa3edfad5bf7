import { z } from 'zod';
import { roleSchema } from './auth';
import { components } from './common';

const skills = z.array(z.string().trim().min(1).max(64)).max(100);

/** POST /api/users (admin). */
export const newUserBody = z.object({
  username: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[\w.@-]+$/, 'letters, digits and . _ @ - only'),
  password: z.string().min(8, 'at least 8 characters').max(200),
  name: z.string().min(1).max(200),
  role: roleSchema,
  extension: z
    .string()
    .regex(/^\d{2,10}$/, 'digits only')
    .nullish(),
  skills: skills.optional(),
});

/** PUT /api/users/:id: every field optional; extension null = none. */
export const updateUserBody = z.object({
  name: newUserBody.shape.name.optional(),
  role: newUserBody.shape.role.optional(),
  extension: newUserBody.shape.extension,
  password: newUserBody.shape.password.optional(),
  skills: skills.optional(),
  active: z.boolean().optional(),
});

/** GET /api/users/me: the logged-in user. */
export const userSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  name: z.string(),
  role: roleSchema,
  extension: z.string().nullable(),
  createdAt: z.string(),
});
export type User = z.infer<typeof userSchema>;

/** A user as the admin API shows it (GET/POST/PUT /api/users): with skills and whether active. */
export const userDetailSchema = userSchema
  .extend({ skills: z.array(z.string()), active: z.boolean() })
  .register(components, { id: 'User' });
export type UserDetail = z.infer<typeof userDetailSchema>;

export const usersListResponse = z.object({ users: z.array(userDetailSchema) });
