import type { Express } from 'express';
import { routes } from '../../../src/api/routes';
import { appFixture, type AppFixture } from '../../support/app-fixture';

/** What express 5's router keeps of a layer (router/lib/layer.js). */
interface Layer {
  name: string;
  rawPath?: string | string[];
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
}

/** Every (method, path) the app serves, in OpenAPI style (/api/calls/{id}). */
function served(app: Express): string[] {
  const out: string[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = [layer.route.path].flat();
        for (const p of paths)
          for (const [m, on] of Object.entries(layer.route.methods))
            if (on && m !== '_all') out.push(`${m.toUpperCase()} ${prefix}${p}`);
      } else if (layer.name === 'router' && layer.handle.stack) {
        const mount = [layer.rawPath ?? ''].flat()[0] ?? '';
        walk(layer.handle.stack, prefix + (mount === '/' ? '' : mount));
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return out.map((r) => r.replace(/:(\w+)/g, '{$1}'));
}

let fx: AppFixture;
beforeAll(async () => {
  fx = await appFixture({ allRoutes: true });
});
afterAll(() => fx.close());

describe('the OpenAPI document covers the app', () => {
  it('documents every route the app serves under /api, /healthz, /readyz and /metrics, and no other', async () => {
    const real = new Set(
      served(fx.app).filter(
        (r) =>
          / \/api\//.test(r) ||
          r.endsWith(' /healthz') ||
          r.endsWith(' /readyz') ||
          r.endsWith(' /metrics'),
      ),
    );
    const doc = (await fx.http().get('/api/openapi.json').expect(200)).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([p, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
      ),
    );
    const missing = [...real].filter((r) => !documented.has(r)).sort();
    const phantom = [...documented].filter((r) => !real.has(r)).sort();
    expect({ missing, phantom }).toEqual({ missing: [], phantom: [] });
    // The walk found the app's routes (a broken walk would make the check above vacuous).
    expect(real.size).toBe(routes.length);
    expect(real.size).toBeGreaterThan(60);
  });

  it('lists each route once in the route table', () => {
    const keys = routes.map((r) => `${r.method} ${r.path}`);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
  });

  it('gives every operation a summary and JSON schemas for its bodies', async () => {
    const doc = (await fx.http().get('/api/openapi.json')).body as {
      openapi: string;
      components: { schemas: Record<string, unknown> };
      paths: Record<string, Record<string, { summary?: string; responses: object }>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.schemas.Error).toMatchObject({
      type: 'object',
      required: ['error'],
      properties: { error: { required: ['code', 'message'] } },
    });
    for (const ops of Object.values(doc.paths))
      for (const op of Object.values(ops)) {
        expect(op.summary).toEqual(expect.any(String));
        expect(Object.keys(op.responses).length).toBeGreaterThan(0);
      }
    // No dangling $ref.
    const refs = JSON.stringify(doc).match(/#\/components\/schemas\/[\w-]+/g) ?? [];
    for (const ref of refs) expect(doc.components.schemas).toHaveProperty([ref.split('/').pop()!]);
  });
});
