import { appFixture, type AppFixture } from '../../support/app-fixture';
import { callExportRows } from '../../../src/reports/call-export';
import { numberPolicy } from '../../../src/privacy/number-policy';
import { neutralise } from '../../../src/reports/csv';
import type { InboundReport, Review } from '../../../src/api/reports';

/**
 * The reports over HTTP: role narrowing (an agent sees their own), the CSV exports (BOM,
 * formula cells neutralised, numbers by the number policy, audited, read page by page).
 */
let fx: AppFixture;
const DAY = '2026-03-02';
const T0 = Date.parse('2026-03-02T01:00:00Z'); // 09:00 Shanghai

beforeEach(async () => {
  fx = await appFixture();
});
afterEach(() => fx.close());

async function call(id: string, agentId: number | null, at: number, answered = true) {
  await fx.calls.open(
    {
      id,
      callerNumber: '+8613812348000',
      callerE164: '+8613812348000',
      dialedNumber: '4000',
      channelId: id,
    },
    { at, data: { queue: 'support', direction: 'inbound' } },
  );
  if (answered)
    await fx.calls.commit(id, {
      type: 'answered',
      at: at + 4000,
      agentId: agentId!,
      data: { serviceLevelSec: 20 },
    });
  await fx.calls.commit(id, {
    type: 'ended',
    at: at + 64_000,
    data: { outcome: answered ? 'answered' : 'abandoned', endedBy: 'caller', serviceLevelSec: 20 },
  });
}

const csvText = (res: { body: unknown; text?: string }) =>
  Buffer.isBuffer(res.body) ? res.body.toString('utf8') : String(res.text);
const binary = (res: import('superagent').Response, cb: (e: Error | null, b: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

describe('GET /api/reports/inbound', () => {
  it('gives a supervisor every queue, an agent only their own calls', async () => {
    const sup = await fx.user('sup', 'supervisor');
    const ann = await fx.user('ann', 'agent', '1001');
    const bob = await fx.user('bob', 'agent', '1002');
    await call('c1', ann.id, T0);
    await call('c2', bob.id, T0 + 60_000);
    await call('c3', null, T0 + 120_000, false);

    const all = await fx
      .http()
      .get('/api/reports/inbound')
      .query({ from: DAY, to: DAY, granularity: 'total' })
      .set('Authorization', `Bearer ${sup.token}`)
      .expect(200);
    expect(all.body.rows).toHaveLength(1);
    expect(all.body.rows[0]).toMatchObject({
      key: 'support',
      offered: 3,
      answered: 2,
      abandoned: 1,
    });
    // 2 within ÷ (2 + 1 late abandon) = 66.7 %
    expect(all.body.total.serviceLevelPct).toBe(66.7);

    const mine = await fx
      .http()
      .get('/api/reports/inbound')
      .query({ from: DAY, to: DAY, granularity: 'total', by: 'queue', agentId: bob.id })
      .set('Authorization', `Bearer ${ann.token}`)
      .expect(200);
    expect(mine.body.by).toBe('agent');
    expect((mine.body as InboundReport).rows.map((r) => r.key)).toEqual([String(ann.id)]);
    expect(mine.body.total.answered).toBe(1);

    await fx
      .http()
      .get('/api/reports/outbound')
      .query({ from: DAY, to: DAY })
      .set('Authorization', `Bearer ${ann.token}`)
      .expect(403);
    const bad = await fx
      .http()
      .get('/api/reports/inbound')
      .query({ from: '2026-03-05', to: DAY })
      .set('Authorization', `Bearer ${sup.token}`)
      .expect(400);
    expect(bad.body.error.code).toBe('HOTLINE_VALIDATION');
  });
});

describe('CSV exports', () => {
  it('neutralises formula cells and keeps numbers numbers', () => {
    expect(neutralise('=HYPERLINK("x")')).toBe(`'=HYPERLINK("x")`);
    expect(neutralise('+86 138')).toBe(`'+86 138`);
    expect(neutralise('-1')).toBe(`'-1`);
    expect(neutralise('@SUM(A1)')).toBe(`'@SUM(A1)`);
    expect(neutralise('\tx')).toBe(`'\tx`);
    expect(neutralise('\rx')).toBe(`'\rx`);
    expect(neutralise('王小明')).toBe('王小明');
    expect(neutralise(-5)).toBe(-5);
  });

  it('exports call records with a BOM, masked for QA, whole for the agent on their own, audited', async () => {
    const qa = await fx.user('qa1', 'qa');
    const ann = await fx.user('ann', 'agent', '1001');
    await fx.db('users').where({ id: ann.id }).update({ name: '=王小明' });
    await call('c1', ann.id, T0);
    await call('c2', null, T0 + 60_000, false);

    const res = await fx
      .http()
      .get('/api/reports/calls/csv')
      .query({ from: DAY, to: DAY })
      .set('Authorization', `Bearer ${qa.token}`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    const body = res.body as Buffer;
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csvText(res).slice(1).trim().split('\n');
    expect(lines[0]).toMatch(/^id,direction,startedAt,startedLocal,callerNumber/);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain("'+86 138****8000");
    expect(lines[1]).not.toContain('13812348000');
    expect(lines[1]).toContain("'=王小明");
    const audit = await fx.db('customer_access_audit').select();
    expect(audit).toEqual([
      expect.objectContaining({ role: 'qa', action: 'export', path: 'GET /api/reports/calls/csv' }),
    ]);

    // The agent: their own call only, its number whole; not audited (nothing of anyone else's).
    const own = await fx
      .http()
      .get('/api/reports/calls/csv')
      .query({ from: DAY, to: DAY })
      .set('Authorization', `Bearer ${ann.token}`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    const ownLines = csvText(own).slice(1).trim().split('\n');
    expect(ownLines).toHaveLength(2);
    expect(ownLines[1]).toContain("'+8613812348000");
    expect(await fx.db('customer_access_audit').count({ n: '*' })).toEqual([{ n: 1 }]);
  });

  it('reads the records page by page, none twice, none missed (same start times too)', async () => {
    const ann = await fx.user('ann', 'agent', '1001');
    for (let i = 0; i < 7; i++) await call(`c${i}`, ann.id, T0 + Math.floor(i / 3) * 1000);
    const ids: string[] = [];
    for await (const row of callExportRows(
      fx.db,
      { start: T0 - 1, end: T0 + 86_400_000 },
      {},
      { userId: 0, role: 'supervisor', policy: numberPolicy(['supervisor']), timezone: 'UTC' },
      2,
    ))
      ids.push(String(row[0]));
    expect(ids.sort()).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6']);
  });

  it('exports the agents report and the daily report', async () => {
    const sup = await fx.user('sup', 'supervisor');
    const ann = await fx.user('ann', 'agent', '1001');
    await call('c1', ann.id, T0);
    const agents = await fx
      .http()
      .get('/api/reports/agents/csv')
      .query({ from: DAY, to: DAY, granularity: 'total' })
      .set('Authorization', `Bearer ${sup.token}`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    const lines = csvText(agents).slice(1).trim().split('\n');
    expect(lines[0]).toMatch(/^period,agentId,name,calls,handled,talkMs/);
    expect(lines[1]).toContain(`${ann.id},ann name,1,1,60000`);

    await fx
      .http()
      .get(`/api/reports/daily/${DAY}`)
      .set('Authorization', `Bearer ${sup.token}`)
      .expect(404);
    await fx.dailyReports.produce(DAY);
    const list = await fx
      .http()
      .get('/api/reports/daily')
      .set('Authorization', `Bearer ${sup.token}`)
      .expect(200);
    expect(list.body.reports).toEqual([
      expect.objectContaining({ day: DAY, timezone: 'Asia/Shanghai' }),
    ]);
    const daily = await fx
      .http()
      .get(`/api/reports/daily/${DAY}`)
      .set('Authorization', `Bearer ${sup.token}`)
      .expect(200);
    expect(daily.body.queues.rows[0]).toMatchObject({ key: 'support', answered: 1 });
    expect(daily.body.agents.rows[0]).toMatchObject({ agentId: ann.id, calls: 1 });
    await fx
      .http()
      .get(`/api/reports/daily/${DAY}/csv`)
      .set('Authorization', `Bearer ${sup.token}`)
      .expect(200)
      .expect('content-type', /text\/csv/);
  });

  it('gives an agent their own review inputs, labelled as inputs', async () => {
    const ann = await fx.user('ann', 'agent', '1001');
    const bob = await fx.user('bob', 'agent', '1002');
    await call('c1', ann.id, T0);
    const r = await fx
      .http()
      .get(`/api/reports/review/${ann.id}`)
      .query({ month: '2026-03' })
      .set('Authorization', `Bearer ${ann.token}`)
      .expect(200);
    expect(r.body).toMatchObject({ inputsOnly: true, month: '2026-03', calls: { handled: 1 } });
    // March 2026: Sunday 1 (W09) to Tuesday 31 (W14)
    expect((r.body as Review).weeklyQa.map((w) => w.week)).toEqual([
      '2026-W09',
      '2026-W10',
      '2026-W11',
      '2026-W12',
      '2026-W13',
      '2026-W14',
    ]);
    expect((r.body as Review).weighting.map((w) => w.weightPct)).toEqual([20, 30, 50]);
    await fx
      .http()
      .get(`/api/reports/review/${bob.id}`)
      .query({ month: '2026-03' })
      .set('Authorization', `Bearer ${ann.token}`)
      .expect(403);
  });
});
