import { Router, type Request, type RequestHandler } from 'express';
import type { ApiRoute } from '../api/routes';
import { HotlineError } from '../shared/errors';

declare module 'express-serve-static-core' {
  interface Request {
    /** The routes of the table this request matched (src/http/number-masking.ts reads them). */
    apiRoutes?: ApiRoute[];
  }
}

/**
 * Role checks for every /api route, from the route table (src/api/routes.ts) and nowhere else:
 * mounted on the /api router after `authenticate`, before any route. The table's routes are
 * matched by express itself (the same path syntax the route files use), so the route a request
 * reaches is the route whose roles were checked; a request matching no route of the table is a
 * 404 here and reaches no handler (a route that is served but not in the table serves no one).
 * A request matching several routes of the table must be allowed by each of them.
 */
export function authorize(table: readonly ApiRoute[], mount = '/api'): RequestHandler {
  const r = Router();
  const matched = new WeakSet<Request>();
  for (const route of table) {
    if (!route.path.startsWith(`${mount}/`)) continue;
    const path = route.path.slice(mount.length).replace(/\{(\w+)\}/g, ':$1');
    const roles = route.roles;
    r[route.method](path, (req, _res, next) => {
      const role = req.user?.role;
      if (roles !== 'public' && !role) {
        next(new HotlineError('HOTLINE_UNAUTHENTICATED', 'missing or invalid bearer token'));
        return;
      }
      if (typeof roles !== 'string' && !(role && roles.includes(role))) {
        next(new HotlineError('HOTLINE_FORBIDDEN', `this needs the role ${roles.join(' or ')}`));
        return;
      }
      matched.add(req);
      (req.apiRoutes ??= []).push(route);
      next();
    });
  }
  r.use((req, _res, next) => {
    if (matched.has(req)) next('router');
    else next(new HotlineError('HOTLINE_NOT_FOUND', `no route ${req.method} ${req.path}`));
  });
  return r;
}
