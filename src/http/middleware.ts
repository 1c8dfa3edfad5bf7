import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import type { User } from '../agents/users-repo';
import type { Sessions } from '../agents/sessions';
import { errorBody, HotlineError } from '../shared/errors';
import type { Logger } from '../shared/logger';
import { requestError } from './request-errors';

declare module 'express-serve-static-core' {
  interface Request {
    user?: User;
  }
}

export const bearer = (req: Request): string | undefined => {
  const h = req.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7).trim() : undefined;
};

/** Every /api route but login: a valid bearer token. */
export function authenticate(sessions: Sessions): RequestHandler {
  return (req, _res, next) => {
    sessions
      .resolve(bearer(req))
      .then((user) => {
        if (!user)
          throw new HotlineError('HOTLINE_UNAUTHENTICATED', 'missing or invalid bearer token');
        req.user = user;
        next();
      })
      .catch(next);
  };
}

export function currentUser(req: Request): User {
  if (!req.user) throw new HotlineError('HOTLINE_UNAUTHENTICATED', 'not logged in');
  return req.user;
}

/** Parses body/query with a zod schema; failures become HOTLINE_VALIDATION with the issues. */
export function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) {
    const details = r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    const first = details[0];
    throw new HotlineError(
      'HOTLINE_VALIDATION',
      first ? `${first.path || 'body'}: ${first.message}` : 'invalid request',
      details,
    );
  }
  return r.data;
}

/** Wraps an async route so a rejection reaches the error middleware. */
export const route =
  (fn: (req: Request, res: Response) => Promise<unknown>): RequestHandler =>
  (req: Request, res: Response, next: NextFunction) => {
    fn(req, res).catch(next);
  };

/**
 * The contract's error shape, never a stack trace: a HotlineError as it is, a request the service
 * could not read (request-errors.ts) as 400/413/415, anything else is a bug: logged with its
 * stack, HOTLINE_INTERNAL.
 */
export function errorHandler(log: Logger): ErrorRequestHandler {
  const send = (res: Response, err: HotlineError) => res.status(err.status).json(errorBody(err));
  return (err: unknown, req, res, next) => {
    const known = err instanceof HotlineError ? err : requestError(err);
    if (res.headersSent) {
      // Too late for an error body (a stream cut short): express's own handler ends the socket.
      if (!known) log.error({ err, method: req.method, path: req.path }, 'request failed');
      next(err);
      return;
    }
    if (known) {
      send(res, known);
      return;
    }
    log.error({ err, method: req.method, path: req.path }, 'request failed');
    send(res, new HotlineError('HOTLINE_INTERNAL', 'internal error'));
  };
}
