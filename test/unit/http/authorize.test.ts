import express from 'express';
import request from 'supertest';
import type { Role } from '../../../src/api/auth';
import type { ApiRoute } from '../../../src/api/routes';
import { authorize } from '../../../src/http/authorize';
import { errorHandler } from '../../../src/http/middleware';
import { silentLogger } from '../../../src/shared/logger';

/** authorize() on its own: a small route table, a fake user from a header, handlers that say "ran". */
const table: ApiRoute[] = [
  { method: 'get', path: '/api/open', summary: '', roles: 'public', responses: {} },
  { method: 'get', path: '/api/things/{id}', summary: '', roles: 'any', responses: {} },
  { method: 'get', path: '/api/things/secret', summary: '', roles: ['admin'], responses: {} },
  { method: 'put', path: '/api/things/{id}', summary: '', roles: ['supervisor'], responses: {} },
];

const app = express();
const api = express.Router();
api.use((req, _res, next) => {
  const role = req.header('x-role') as Role | undefined;
  if (role) req.user = { id: 1, username: 'u', name: 'U', role, extension: null, createdAt: '' };
  next();
});
api.use(authorize(table));
api.get('/open', (_req, res) => void res.json({ ran: 'open' }));
api.get('/things/secret', (_req, res) => void res.json({ ran: 'secret' }));
api.get('/things/:id', (_req, res) => void res.json({ ran: 'thing' }));
api.put('/things/:id', (_req, res) => void res.json({ ran: 'put' }));
api.get('/unlisted', (_req, res) => void res.json({ ran: 'unlisted' }));
app.use('/api', api);
app.use(errorHandler(silentLogger()));

const call = async (method: 'get' | 'put', path: string, role?: Role) => {
  const req = request(app)[method](path);
  const res = await (role ? req.set('x-role', role) : req);
  return res.status === 200 ? (res.body as { ran: string }).ran : res.status;
};

describe('authorize (the route table decides)', () => {
  it("lets a caller through to the route's handler only with a role the route declares", async () => {
    expect(await call('get', '/api/things/1', 'agent')).toBe('thing');
    expect(await call('put', '/api/things/1', 'agent')).toBe(403);
    expect(await call('put', '/api/things/1', 'supervisor')).toBe('put');
    expect(await call('get', '/api/things/1')).toBe(401);
    expect(await call('get', '/api/open')).toBe('open');
  });

  it('needs every route of the table a request matches to allow it', async () => {
    // /api/things/secret matches both {id} (any) and secret (admin): admin only.
    expect(await call('get', '/api/things/secret', 'agent')).toBe(403);
    expect(await call('get', '/api/things/secret', 'admin')).toBe('secret');
  });

  it('matches as express does (case, trailing slash) and lets nothing unlisted through', async () => {
    expect(await call('put', '/API/THINGS/1/', 'agent')).toBe(403);
    expect(await call('get', '/api/Things/Secret', 'qa')).toBe(403);
    expect(await call('get', '/api/unlisted', 'admin')).toBe(404);
    expect(await call('get', '/api/things/1/more', 'admin')).toBe(404);
  });
});
