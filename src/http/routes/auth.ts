import { Router } from 'express';
import type { z } from 'zod';
import { loginBody, type loginResponse } from '../../api/auth';
import type { Sessions } from '../../agents/sessions';
import type { UsersRepo } from '../../agents/users-repo';
import { verifyPassword } from '../../agents/passwords';
import { HotlineError } from '../../shared/errors';
import { bearer, parse, route } from '../middleware';

export function authRoutes(deps: { users: UsersRepo; sessions: Sessions }) {
  const r = Router();
  r.post(
    '/auth/login',
    route(async (req, res) => {
      const body = parse(loginBody, req.body);
      const u = await deps.users.getForLogin(body.username);
      // Same answer whether the user is unknown, disabled or the password wrong.
      const ok = u && !u.disabled && (await verifyPassword(body.password, u.passwordHash));
      if (!u || !ok)
        throw new HotlineError('HOTLINE_BAD_CREDENTIALS', 'wrong username or password');
      const token = await deps.sessions.issue(u.id);
      const reply: z.output<typeof loginResponse> = {
        token,
        user: {
          id: u.id,
          username: u.username,
          name: u.name,
          role: u.role,
          extension: u.extension,
        },
      };
      res.json(reply);
    }),
  );
  r.post(
    '/auth/logout',
    route(async (req, res) => {
      const token = bearer(req);
      // Ends the token and the sockets opened with it (the user's other sessions stay).
      if (token) await deps.sessions.revoke(token);
      res.status(204).end();
    }),
  );
  return r;
}
