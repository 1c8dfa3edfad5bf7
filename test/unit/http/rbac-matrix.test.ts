import type { Response } from 'supertest';
import { ROLES, type Role } from '../../../src/api/auth';
import { routes, type ApiRoute } from '../../../src/api/routes';
import { appFixture, type AppFixture } from '../../support/app-fixture';
import { expectedAccess, type Access } from './rbac-matrix';

/**
 * The RBAC matrix: every route of the route table × every role, no token and a bad token,
 * against the expected-access table (rbac-matrix.ts). Only the access decision is checked: 401 /
 * 403 or not; an allowed caller may then get 400 or 404 for the fake ids and empty bodies sent
 * (or 500 from the stub capabilities of `allRoutes`): the handler ran, which is the point.
 */
const key = (r: Pick<ApiRoute, 'method' | 'path'>) => `${r.method.toUpperCase()} ${r.path}`;
const sorted = (a: Access) => (typeof a === 'string' ? a : [...a].sort());

/** A value for each path parameter: well-formed, naming nothing that exists. */
const SAMPLE: Record<string, string> = { id: '999999', name: 'no-such-queue', action: 'start' };
const urlOf = (path: string) => path.replace(/\{(\w+)\}/g, (_m, p: string) => SAMPLE[p] ?? 'x');

type Principal = { kind: 'role'; role: Role } | { kind: 'no token' } | { kind: 'bad token' };
const principals: Principal[] = [
  ...ROLES.map((role): Principal => ({ kind: 'role', role })),
  { kind: 'no token' },
  { kind: 'bad token' },
];
const nameOf = (p: Principal) => (p.kind === 'role' ? p.role : p.kind);

/** What the caller should get: let through, 401 or 403. */
function expected(access: Access, p: Principal): 'through' | 401 | 403 {
  if (access === 'public') return 'through';
  if (p.kind !== 'role') return 401;
  return access === 'any' || access.includes(p.role) ? 'through' : 403;
}

let fx: AppFixture;
const tokens = new Map<Role, string>();
let cases = 0;

const login = async (role: Role): Promise<string> =>
  (
    await fx
      .http()
      .post('/api/auth/login')
      .send({ username: `rbac-${role}`, password: 'password-1' })
      .expect(200)
  ).body.token as string;

beforeAll(async () => {
  fx = await appFixture({ allRoutes: true });
  for (const role of ROLES) tokens.set(role, (await fx.user(`rbac-${role}`, role)).token);
});
afterAll(async () => {
  console.log(
    `RBAC matrix: ${cases} cases checked (${routes.length} routes × ${principals.length} callers, ` +
      'and other spellings of the restricted paths)',
  );
  await fx.close();
});

describe('the expected-access table', () => {
  it('has one entry for every route of the route table, and no other', () => {
    const table = routes.map(key).sort();
    const expectedKeys = Object.keys(expectedAccess).sort();
    expect({
      withoutEntry: table.filter((k) => !(k in expectedAccess)),
      notARoute: expectedKeys.filter((k) => !table.includes(k)),
    }).toEqual({ withoutEntry: [], notARoute: [] });
  });

  it('agrees with the roles each route declares (src/api/routes.ts)', () => {
    const differ = routes
      .filter((r) => key(r) in expectedAccess)
      .filter(
        (r) => JSON.stringify(sorted(r.roles)) !== JSON.stringify(sorted(expectedAccess[key(r)]!)),
      )
      .map((r) => ({ route: key(r), declared: r.roles, expected: expectedAccess[key(r)] }));
    expect(differ).toEqual([]);
  });
});

describe('the RBAC matrix', () => {
  it.each(routes.map((r) => [key(r), r] as const))('%s', async (_name, r) => {
    const access = expectedAccess[key(r)] ?? [];
    const wrong: string[] = [];
    for (const p of principals) {
      // Logging out revokes the token sent: that case gets a token of its own.
      const token =
        p.kind !== 'role'
          ? undefined
          : r.path === '/api/auth/logout'
            ? await login(p.role)
            : tokens.get(p.role);
      let req = fx.http()[r.method](urlOf(r.path));
      if (token) req = req.set('Authorization', `Bearer ${token}`);
      if (p.kind === 'bad token') req = req.set('Authorization', 'Bearer forged-token');
      if (r.method !== 'get') req = req.send({});
      const res: Response = await req;
      cases++;
      const want = expected(access, p);
      const got = res.status === 401 || res.status === 403 ? res.status : 'through';
      const code = (res.body as { error?: { code?: string } }).error?.code;
      const coded =
        got === 'through' ||
        code === (got === 401 ? 'HOTLINE_UNAUTHENTICATED' : 'HOTLINE_FORBIDDEN');
      if (got !== want || !coded)
        wrong.push(`${nameOf(p)}: expected ${want}, got ${res.status} ${code ?? ''}`.trim());
    }
    expect(wrong).toEqual([]);
  });

  it('checks the roles of a route however its path is spelled (case, trailing slash)', async () => {
    const through: string[] = [];
    for (const r of routes) {
      const access = expectedAccess[key(r)];
      if (!access || typeof access === 'string') continue;
      const outsider = ROLES.find((role) => !access.includes(role));
      if (!outsider || r.path === '/api/auth/logout') continue;
      const url = urlOf(r.path);
      for (const spelled of [url.toUpperCase(), `${url}/`, url.replace('/api/', '/Api/')]) {
        const http = fx.http();
        let req = http[r.method](spelled).set('Authorization', `Bearer ${tokens.get(outsider)}`);
        if (r.method !== 'get') req = req.send({});
        const res = await req;
        cases++;
        if (res.status !== 403 && res.status !== 404)
          through.push(`${outsider} ${r.method.toUpperCase()} ${spelled}: ${res.status}`);
      }
    }
    expect(through).toEqual([]);
  });

  it('refuses, for every role, an /api path that is not in the route table', async () => {
    for (const role of ROLES) {
      const res = await fx
        .http()
        .get('/api/users/999999/secrets')
        .set('Authorization', `Bearer ${tokens.get(role)}`);
      expect(res.status).toBe(404);
    }
  });
});
