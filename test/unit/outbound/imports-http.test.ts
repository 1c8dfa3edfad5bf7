import express from 'express';
import request from 'supertest';
import { createSessions } from '../../../src/agents/sessions';
import { createUsersRepo } from '../../../src/agents/users-repo';
import { createDb, migrate, type Db } from '../../../src/db';
import { routes } from '../../../src/api/routes';
import { authorize } from '../../../src/http/authorize';
import { authenticate, errorHandler } from '../../../src/http/middleware';
import { importRoutes } from '../../../src/http/routes/imports';
import { systemClock } from '../../../src/shared/clock';
import { silentLogger } from '../../../src/shared/logger';
import { bigCsv, insertCampaign, insertUser } from './import-data';

/** The import routes behind the service's own authentication, role checks and error handling, as app.ts mounts them. */
let db: Db;
let app: express.Express;
let campaignId: number;
const tokens: Record<'supervisor' | 'admin' | 'agent', string> = {
  supervisor: '',
  admin: '',
  agent: '',
};
const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
const q = (o: object) => encodeURIComponent(JSON.stringify(o));

beforeAll(async () => {
  db = createDb('sqlite::memory:');
  await migrate(db);
  const users = createUsersRepo(db, systemClock);
  const sessions = createSessions({ db, users, clock: systemClock, ttlMs: 3_600_000 });
  for (const role of ['supervisor', 'admin', 'agent'] as const)
    tokens[role] = await sessions.issue(await insertUser(db, `${role}-1`, role));
  campaignId = await insertCampaign(db, 'Spring');
  app = express();
  app.use(express.json());
  const api = express.Router();
  api.use(authenticate(sessions));
  api.use(authorize(routes));
  api.use(importRoutes({ db, defaultRegion: 'CN', clock: systemClock, log: silentLogger() }));
  app.use('/api', api);
  app.use(errorHandler(silentLogger()));
});
afterAll(() => db.destroy());

const post = (token: string, query: string, body: string, type = 'text/csv') =>
  request(app)
    .post(`/api/campaigns/${campaignId}/imports?${query}`)
    .set(auth(token))
    .set('Content-Type', type)
    .send(body);

async function waitDone(id: number, token = tokens.supervisor) {
  for (;;) {
    const res = await request(app).get(`/api/imports/${id}`).set(auth(token));
    if (res.body.status !== 'running') return res;
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('POST /api/campaigns/:id/imports', () => {
  it('202 {importId}; GET /api/imports/:id reports the job and pages its errors', async () => {
    const csv = 'Name,Mobile,Agent\r\nAnna,13800138000,agent-1\r\nBob,nope,\r\nCy,13900139000,\r\n';
    const res = await post(
      tokens.supervisor,
      `mapping=${q({ phone: 'Mobile', firstName: 'Name' })}&assignTo=${q({ column: 'Agent' })}`,
      csv,
    );
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ importId: expect.any(Number) });
    const done = await waitDone(res.body.importId);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      id: res.body.importId,
      status: 'done',
      rows: 3,
      accepted: 2,
      rejected: 1,
      duplicates: 0,
      dnc: 0,
      errors: [{ row: 2, reason: 'bad-phone', raw: 'Bob,nope,' }],
    });
    const page = await request(app)
      .get(`/api/imports/${res.body.importId}?offset=1&limit=5`)
      .set(auth(tokens.admin));
    expect(page.body.errors).toEqual([]);
  });

  it('accepts text/plain too (a browser picking a .csv may say so)', async () => {
    const res = await post(
      tokens.admin,
      `mapping=${q({ phone: 'Mobile' })}`,
      'Mobile\n13700137000\n',
      'text/plain',
    );
    expect(res.status).toBe(202);
    expect((await waitDone(res.body.importId)).body).toMatchObject({ status: 'done', accepted: 1 });
  });

  it('is for supervisors and admins', async () => {
    const csv = 'Mobile\n13600136000\n';
    const mapping = `mapping=${q({ phone: 'Mobile' })}`;
    expect((await post(tokens.agent, mapping, csv)).status).toBe(403);
    const anon = await request(app)
      .post(`/api/campaigns/${campaignId}/imports?${mapping}`)
      .set('Content-Type', 'text/csv')
      .send(csv);
    expect(anon.status).toBe(401);
    const get = await request(app).get('/api/imports/1').set(auth(tokens.agent));
    expect(get.status).toBe(403);
  });

  it('validates the mapping, the body and the header; 404 for an unknown campaign or import', async () => {
    const csv = 'Mobile,Name\n13500135000,x\n';
    const bad = async (query: string, body = csv, type?: string) => {
      const res = await post(tokens.supervisor, query, body, type);
      expect(res.body.error.code).toBe('HOTLINE_VALIDATION');
      return res.body.error.message as string;
    };
    expect(await bad('')).toMatch(/mapping/);
    expect(await bad('mapping=%7Bnot-json')).toMatch(/not valid JSON/);
    expect(await bad(`mapping=${q({ firstName: 'Name' })}`)).toMatch(/phone/);
    expect(await bad(`mapping=${q({ phone: '' })}`)).toMatch(/mapping/);
    expect(await bad(`mapping=${q({ phone: 'Mobile' })}&assignTo=${q({ col: 'A' })}`)).toMatch(
      /assignTo/,
    );
    expect(await bad(`mapping=${q({ phone: 'Phone' })}`)).toMatch(/column "Phone"/);
    expect(await bad(`mapping=${q({ phone: 'Mobile' })}`, '  \n')).toMatch(/empty/);
    expect(await bad(`mapping=${q({ phone: 'Mobile' })}`, '{"a":1}', 'application/json')).toMatch(
      /text\/csv/,
    );

    const unknown = await request(app)
      .post(`/api/campaigns/9999/imports?mapping=${q({ phone: 'Mobile' })}`)
      .set(auth(tokens.supervisor))
      .set('Content-Type', 'text/csv')
      .send(csv);
    expect(unknown.status).toBe(404);
    const missing = await request(app).get('/api/imports/9999').set(auth(tokens.supervisor));
    expect(missing.status).toBe(404);
  });

  it('answers other requests while a large file is being imported', async () => {
    const n = 30_000;
    const res = await post(tokens.supervisor, `mapping=${q({ phone: 'Mobile' })}`, bigCsv(n));
    expect(res.status).toBe(202);
    const during = await request(app)
      .get(`/api/imports/${res.body.importId}`)
      .set(auth(tokens.supervisor));
    expect(during.status).toBe(200);
    expect(during.body.status).toBe('running');
    expect(during.body.rows).toBeLessThan(n);
    const done = await waitDone(res.body.importId);
    expect(done.body).toMatchObject({ status: 'done', rows: n, accepted: n, rejected: 0 });
  }, 60_000);
});
