import { Router } from 'express';
import type { z } from 'zod';
import type { AgentDirectory } from '../../agents/agent-directory';
import type { LoginThrottle } from '../../agents/login-throttle';
import type { SessionEndReason, Sessions } from '../../agents/sessions';
import type { UserDetail, UsersRepo } from '../../agents/users-repo';
import { numericId } from '../../api/common';
import {
  newUserBody,
  updateUserBody,
  type userDetailSchema,
  type userSchema,
  type usersListResponse,
} from '../../api/users';
import { HotlineError, notFound } from '../../shared/errors';
import { bearer, currentUser, parse, route } from '../middleware';

const userId = (v: unknown) => parse(numericId, v);

export function userRoutes(deps: {
  users: UsersRepo;
  agents: AgentDirectory;
  /** Revoking a session also closes its sockets (the gateway listens to `onRevoked`). */
  sessions: Sessions;
  /** A new password set by an admin clears the username's failed logins. */
  loginThrottle: LoginThrottle;
  /** Skills or activity changed: offer waiting calls again. */
  onChange?: () => void;
}) {
  /** The agent directory follows the user: name, extension, skills; gone when deactivated. */
  async function syncDirectory(user: UserDetail): Promise<void> {
    if (user.active) {
      deps.agents.upsertUser(user);
      deps.agents.setSkills(user.id, user.skills);
    } else {
      await deps.sessions.revokeUser(user.id, { reason: 'deactivated' });
      if (deps.agents.get(user.id)) {
        await deps.agents.setState(user.id, 'offline', 'deactivated');
        deps.agents.remove(user.id);
      }
    }
    deps.onChange?.();
  }

  const r = Router();
  r.get('/users/me', (req, res) => {
    res.json(currentUser(req) satisfies z.output<typeof userSchema>);
  });
  r.post(
    '/users',
    route(async (req, res) => {
      const body = parse(newUserBody, req.body);
      const created = await deps.users.create(body);
      const user = body.skills?.length
        ? await deps.users.update(created.id, { skills: body.skills })
        : await deps.users.detail(created.id);
      await syncDirectory(user!);
      res.status(201).json(user! satisfies z.output<typeof userDetailSchema>);
    }),
  );
  r.get(
    '/users',
    route(async (_req, res) => {
      res.json({ users: await deps.users.list() } satisfies z.output<typeof usersListResponse>);
    }),
  );
  r.put(
    '/users/:id',
    route(async (req, res) => {
      const id = userId(req.params.id);
      const body = parse(updateUserBody, req.body);
      const me = currentUser(req);
      if (id === me.id && body.active === false)
        throw new HotlineError('HOTLINE_VALIDATION', 'active: you cannot deactivate yourself', [
          { path: 'active', message: 'you cannot deactivate yourself' },
        ]);
      if (id === me.id && body.role !== undefined && body.role !== me.role)
        throw new HotlineError(
          'HOTLINE_VALIDATION',
          'role: you cannot change your own role (ask another admin)',
          [{ path: 'role', message: 'you cannot change your own role' }],
        );
      const before = await deps.users.get(id);
      const user = before && (await deps.users.update(id, body));
      if (!before || !user) throw notFound('HOTLINE_USER_NOT_FOUND', `user ${id}`);
      deps.sessions.forgetUser(id);
      // A new role ends every session of the user (sockets joined rooms by role); a new password
      // ends every other one: the admin who sets their own password stays logged in here.
      // Deactivation ends them all in syncDirectory.
      const reason: SessionEndReason | null =
        user.role !== before.role ? 'role-changed' : body.password ? 'password-changed' : null;
      if (user.active && reason)
        await deps.sessions.revokeUser(id, {
          reason,
          keep: reason === 'password-changed' && id === me.id ? bearer(req) : null,
        });
      if (body.password) await deps.loginThrottle.clearUser(user.username);
      await syncDirectory(user);
      res.json(user satisfies z.output<typeof userDetailSchema>);
    }),
  );
  return r;
}
