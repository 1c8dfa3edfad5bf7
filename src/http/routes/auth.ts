import { Router } from 'express';
import type { z } from 'zod';
import { loginBody, type loginResponse } from '../../api/auth';
import { addressKey, type LoginThrottle } from '../../agents/login-throttle';
import type { Sessions } from '../../agents/sessions';
import type { UsersRepo } from '../../agents/users-repo';
import { dummyPasswordHash, verifyPassword } from '../../agents/passwords';
import { HotlineError } from '../../shared/errors';
import { bearer, parse, route } from '../middleware';

export function authRoutes(deps: {
  users: UsersRepo;
  sessions: Sessions;
  loginThrottle: LoginThrottle;
}) {
  // Made now, so that the first unknown username is not slower than the rest.
  dummyPasswordHash().catch(() => undefined);
  const r = Router();
  r.post(
    '/auth/login',
    route(async (req, res) => {
      const body = parse(loginBody, req.body);
      const address = addressKey(req.ip);
      // Before the password is checked: a locked-out username stays locked for the right one too.
      const slot = await deps.loginThrottle.attempt(body.username, address);
      if (!slot.ok) {
        const retryAfterSec = Math.ceil(slot.retryAfterMs / 1000);
        res.set('Retry-After', String(retryAfterSec));
        throw new HotlineError(
          'HOTLINE_TOO_MANY_LOGIN_ATTEMPTS',
          `too many failed logins; try again in ${retryAfterSec} s`,
          { retryAfterSec },
        );
      }
      const u = await deps.users.getForLogin(body.username);
      // Same answer, and the same scrypt, whether the user is unknown, disabled or the password
      // wrong: an unknown user is checked against a dummy hash.
      const match = await verifyPassword(
        body.password,
        u?.passwordHash ?? (await dummyPasswordHash()),
      );
      if (!u || u.disabled || !match)
        throw new HotlineError('HOTLINE_BAD_CREDENTIALS', 'wrong username or password');
      await deps.loginThrottle.succeeded(body.username, address);
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
