import fc from 'fast-check';
import { errorSchema } from '../../../src/api/common';
import { routes, type ApiRoute } from '../../../src/api/routes';
import { ERRORS } from '../../../src/shared/errors';
import { fuzzWorld, idleImports, type FuzzWorld } from '../../support/fuzz/fuzz-world';
import { casesFor, type FuzzCase, type Principal } from '../../support/fuzz/request-cases';
import { expectResponse, routeOf } from '../../support/expect-response';
import {
  hotlineFixture,
  type HotlineFixture,
  type RawRequest,
  type RawResponse,
} from '../../support/hotline-fixture';

/**
 * Issue 9's standing check "Fuzzing": property-based requests (fast-check) to every route of
 * the OpenAPI document (the route table, src/api/routes.ts), on the whole service
 * (test/support/hotline-fixture.ts), mostly as admin and some as every other role, without a
 * token and with a forged one. Most cases are nearly valid (drawn from the route's own schemas
 * and from records that exist, to get past validation); the others break one part: the body,
 * a path parameter, the query, the charset / content type / content encoding, a header, the
 * method. For every answer: never ≥ 500 (but for a status the route documents: /healthz's 503,
 * ARI being down here), every error in the contract's shape with a catalogued code and its
 * status, every success as the route table documents it, the security headers. After each
 * route's batch the service must still answer.
 *
 * Seeded and reproducible: FUZZ_SEED (default below) and FUZZ_RUNS (cases per route) override.
 * A failure names the route and its seed; fast-check shrinks it to a small counterexample.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20260309);
const MIN_CASES = 5000;
/** FUZZ_TRACE=text: print every case of the routes whose `method path` contains it. */
const TRACE = process.env.FUZZ_TRACE;
const RUNS = Number(process.env.FUZZ_RUNS ?? Math.ceil(MIN_CASES / routes.length) + 4);

/** A route's own seed: the run's seed mixed with the route's name (FNV-1a), so that adding a
 * route changes no other route's cases. */
function seedOf(route: ApiRoute): number {
  let h = 0x811c9dc5;
  for (const ch of `${route.method} ${route.path}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
  return (h ^ SEED) | 0;
}

/** Admin most of the time (the widest reach), every other role and no token some of the time. */
const PRINCIPAL_MIX: readonly Principal[] = [
  ...Array<Principal>(6).fill('admin'),
  'supervisor',
  'agent',
  'qa',
  'none',
  'forged',
];

/**
 * Logout is sent without a token or with a forged one: a real one would end the session the
 * other batches use, and a new one would need a login, which login throttling may refuse
 * after the login route's batch (its cases all come from 127.0.0.1).
 */
const principalsOf = (route: ApiRoute): readonly Principal[] =>
  route.path === '/api/auth/logout' ? ['none', 'forged'] : PRINCIPAL_MIX;

let fx: HotlineFixture;
let world: FuzzWorld;
const stats = { cases: 0, ms: 0, renewed: 0, statuses: new Map<number, number>() };
/** Per route: how many cases got through to a success (FUZZ_VERBOSE=1 prints them). */
const reached = new Map<string, Map<number, number>>();

beforeAll(async () => {
  fx = await hotlineFixture();
  world = await fuzzWorld(fx);
}, 30_000);
afterAll(async () => {
  await idleImports(fx);
  await fx.close();
  const statuses = [...stats.statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`);
  console.log(
    `fuzz: ${stats.cases} cases over ${routes.length} routes in ${(stats.ms / 1000).toFixed(1)} s ` +
      `(FUZZ_SEED=${SEED}, ${RUNS} per route; tokens renewed ${stats.renewed}×)\n` +
      `statuses: ${statuses.join(' ')}`,
  );
  if (process.env.FUZZ_VERBOSE)
    console.log(
      [...reached]
        .map(
          ([r, m]) =>
            `${r}: ${[...m]
              .sort(([a], [b]) => a - b)
              .map(([s, n]) => `${s}×${n}`)
              .join(' ')}`,
        )
        .join('\n'),
    );
});

/** What is wrong with an answer, or null. */
function verdict(route: ApiRoute, req: RawRequest, res: RawResponse): string | null {
  // The route's own method (HEAD is GET without the body).
  const method = req.method === 'HEAD' ? 'GET' : req.method;
  const own = method === route.method.toUpperCase();
  if (res.status >= 500 && !(own && res.status in route.responses)) return `answered ${res.status}`;
  if (res.headers['x-content-type-options'] !== 'nosniff') return 'no X-Content-Type-Options';
  if (!res.headers['content-security-policy']) return 'no Content-Security-Policy';
  if (req.path.startsWith('/api') && !/\bno-store\b/.test(res.headers['cache-control'] ?? ''))
    return `Cache-Control ${String(res.headers['cache-control'])} on /api`;
  if (req.method === 'HEAD') return null;
  const documented = own && res.status in route.responses;
  if (res.status >= 400 && !documented) {
    if (!/^application\/json/.test(res.headers['content-type'] ?? ''))
      return `error as ${String(res.headers['content-type'])}`;
    const parsed = errorSchema.safeParse(res.body);
    if (!parsed.success) return 'error not in the contract shape';
    const code = parsed.data.error.code as keyof typeof ERRORS;
    if (!(code in ERRORS)) return `uncatalogued code ${code}`;
    if (ERRORS[code].status !== res.status) return `${code} with status ${res.status}`;
    if (/\n\s+at /.test(res.text)) return 'a stack trace in the body';
    return null;
  }
  if (!own) return null;
  // A conditional GET (If-None-Match: * matches any representation, RFC 9110 13.1.2).
  const conditional = req.headers['if-none-match'] ?? req.headers['if-modified-since'];
  if (res.status === 304 && conditional !== undefined) return null;
  try {
    const answered = routeOf(req.method, req.path.split('?')[0]!);
    expectResponse(`${answered.method.toUpperCase()} ${answered.path}`, res);
  } catch (err) {
    return (err as Error).message;
  }
  return null;
}

const show = (req: RawRequest, res: RawResponse) =>
  `${req.method} ${req.path.slice(0, 300)}\n` +
  `headers ${JSON.stringify({ ...req.headers, authorization: req.headers.authorization ? '…' : undefined })}\n` +
  `body ${req.body === undefined ? '(none)' : JSON.stringify(req.body.toString().slice(0, 300))}\n` +
  `→ ${res.status} ${res.text.slice(0, 500)}`;

async function runCase(route: ApiRoute, c: FuzzCase): Promise<void> {
  const req = world.withToken(c.principal, c.auth, c.request);
  const res = await fx.send(req);
  stats.cases++;
  stats.statuses.set(res.status, (stats.statuses.get(res.status) ?? 0) + 1);
  const mine = reached.get(`${route.method} ${route.path}`) ?? new Map<number, number>();
  mine.set(res.status, (mine.get(res.status) ?? 0) + 1);
  reached.set(`${route.method} ${route.path}`, mine);
  if (TRACE && `${route.method} ${route.path}`.includes(TRACE))
    console.log(
      `${c.kind} ${c.principal} ${req.method} ${req.path.slice(0, 120)} → ${res.status} ${res.text.slice(0, 200)}`,
    );
  const problem = verdict(route, req, res);
  if (problem)
    throw new Error(`${problem} (a ${c.kind} case as ${c.principal})\n${show(req, res)}`);
}

/** The service still answers: health (ARI is down here: 503 with the database up) and a user. */
async function expectAlive(): Promise<void> {
  const health = await fx.send({ method: 'GET', path: '/healthz', headers: {} });
  expect({
    status: health.status,
    database: (health.body as { database?: boolean }).database,
  }).toEqual({
    status: 503,
    database: true,
  });
  stats.renewed += (await world.renewTokens()).length;
  const me = await fx.send({
    method: 'GET',
    path: '/api/users/me',
    headers: { authorization: `Bearer ${world.tokens.get('admin')!}` },
  });
  expect(me.status).toBe(200);
}

describe('fuzzing every route of the OpenAPI document', () => {
  it('fuzzes the routes the service documents, no more, no fewer', async () => {
    const doc = (await fx.send({ method: 'GET', path: '/api/openapi.json', headers: {} })).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m} ${p}`),
    );
    expect(documented.sort()).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
  });

  for (const route of routes) {
    const name = `${route.method.toUpperCase()} ${route.path}`;
    it(`${name}: ${RUNS} cases, none ≥ 500, errors in the contract's shape`, async () => {
      const started = performance.now();
      const seed = seedOf(route);
      const cases = casesFor(route, {
        ids: world.ids,
        hints: world.hints,
        principals: principalsOf(route),
      });
      try {
        await fc.assert(
          fc.asyncProperty(cases, (c) => runCase(route, c)),
          { seed, numRuns: RUNS, includeErrorInReport: true },
        );
      } catch (err) {
        throw new Error(
          `${name} (FUZZ_SEED=${SEED}, route seed ${seed}):\n${(err as Error).message}`,
        );
      } finally {
        stats.ms += performance.now() - started;
      }
      await idleImports(fx);
      await expectAlive();
    }, 60_000);
  }

  it(`ran at least ${MIN_CASES} cases (unless FUZZ_RUNS says fewer)`, () => {
    expect(stats.cases).toBeGreaterThanOrEqual(routes.length * RUNS);
    if (process.env.FUZZ_RUNS === undefined) expect(stats.cases).toBeGreaterThanOrEqual(MIN_CASES);
  });
});
