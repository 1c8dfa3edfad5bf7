import { z } from 'zod';
import { errorSchema } from '../../src/api/common';
import { routes, type ApiRoute } from '../../src/api/routes';

/** What the helper needs of a supertest response. */
export interface HttpResponse {
  status: number;
  body: unknown;
  text?: string;
  req?: { method?: string; path?: string };
}

const patternOf = (path: string) =>
  new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+').replace(/\./g, '\\.')}$`);
const table = routes.map((r) => ({ route: r, pattern: patternOf(r.path) }));
const params = (r: ApiRoute) => (r.path.match(/\{/g) ?? []).length;

/** The route of a request: `GET /api/calls/abc` → the table's `GET /api/calls/{id}`. */
export function routeOf(method: string, url: string): ApiRoute {
  const path = url.split('?')[0]!;
  const found = table
    .filter((t) => t.route.method === method.toLowerCase() && t.pattern.test(path))
    .map((t) => t.route)
    // A static segment wins over a parameter (/api/users/me over /api/users/{id}).
    .sort((a, b) => params(a) - params(b))[0];
  if (!found) throw new Error(`no route ${method.toUpperCase()} ${path} in src/api/routes.ts`);
  return found;
}

/**
 * Checks a real answer against the route table (src/api/routes.ts): its status is one the route
 * documents (or an error, then the body is the contract's error shape), and the body parses with
 * the status's schema and has no field the schema does not know. Returns the parsed body.
 *
 *   expectResponse(res)                              the route from the request supertest made
 *   expectResponse('PUT /api/calls/{id}/wrapup', res) a route named by method and OpenAPI path
 */
export function expectResponse(route: string | HttpResponse, response?: HttpResponse): unknown {
  const res = typeof route === 'string' ? response! : route;
  let r: ApiRoute;
  if (typeof route === 'string') {
    const [method = '', path = ''] = route.split(' ');
    const exact = routes.find((x) => x.method === method.toLowerCase() && x.path === path);
    if (!exact) throw new Error(`no route ${route} in src/api/routes.ts`);
    r = exact;
  } else {
    const { method, path } = res.req ?? {};
    if (!method || !path) throw new Error('expectResponse: name the route (no request on res)');
    r = routeOf(method, path);
  }
  const name = `${r.method.toUpperCase()} ${r.path}`;
  let schema: z.ZodType | null | undefined;
  if (res.status >= 400) schema = r.responses[res.status] ?? errorSchema;
  else if (!(res.status in r.responses))
    throw new Error(
      `${name} answered ${res.status}; documented: ${Object.keys(r.responses).join(', ')}`,
    );
  else schema = r.responses[res.status];
  if (schema === null || schema === undefined) {
    if (!r.content && res.text) throw new Error(`${name} ${res.status}: expected no body`);
    return undefined;
  }
  const parsed = schema.safeParse(res.body);
  if (!parsed.success)
    throw new Error(
      `${name} ${res.status}: the body does not match its schema:\n${z.prettifyError(parsed.error)}\n` +
        JSON.stringify(parsed.error.issues, null, 1).slice(0, 4000),
    );
  // zod strips fields it does not know: what is left must be the whole body.
  const extra = undocumented(res.body, parsed.data);
  if (extra.length)
    throw new Error(`${name} ${res.status}: fields not in the schema: ${extra.join(', ')}`);
  return parsed.data;
}

/** Paths of the fields of `body` that zod dropped from `parsed`. */
function undocumented(body: unknown, parsed: unknown, at = ''): string[] {
  if (Array.isArray(body) && Array.isArray(parsed))
    return body.flatMap((v, i) => undocumented(v, parsed[i], `${at}[${i}]`));
  if (body && typeof body === 'object' && parsed && typeof parsed === 'object') {
    const out: string[] = [];
    for (const [k, v] of Object.entries(body)) {
      const p = `${at ? `${at}.` : ''}${k}`;
      if (!(k in parsed)) out.push(p);
      else out.push(...undocumented(v, (parsed as Record<string, unknown>)[k], p));
    }
    return out;
  }
  return [];
}
