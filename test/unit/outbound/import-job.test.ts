import { createDb, migrate, type Db } from '../../../src/db';
import {
  failInterruptedImports,
  getImport,
  startImport,
  type ImportRequest,
} from '../../../src/outbound/lists/import-job';
import type { Clock } from '../../../src/shared/clock';
import { silentLogger } from '../../../src/shared/logger';
import { bigCsv, insertCampaign, insertUser } from './import-data';

const NOW = Date.parse('2026-11-24T03:00:00Z');
const clock: Clock = { now: () => NOW };

let db: Db;
let campaignId: number;
let otherCampaignId: number;
let anna: number;

beforeAll(async () => {
  db = createDb('sqlite::memory:');
  await migrate(db);
  campaignId = await insertCampaign(db, 'Winter offer');
  otherCampaignId = await insertCampaign(db, 'Other');
  anna = await insertUser(db, 'anna');
  await insertUser(db, 'sue', 'supervisor');
  await insertUser(db, 'gone', 'agent', true);
});
afterAll(() => db.destroy());

const request = (over: Partial<ImportRequest>): ImportRequest => ({
  campaignId,
  csv: '',
  mapping: { phone: 'Mobile', firstName: 'Name' },
  defaultRegion: 'CN',
  userId: null,
  clock,
  log: silentLogger(),
  ...over,
});

async function importAndWait(over: Partial<ImportRequest>) {
  const { importId, finished } = await startImport(db, request(over));
  await finished;
  const report = await getImport(db, importId, { limit: 1000 });
  if (!report) throw new Error('no report');
  return report;
}

interface ContactRow {
  phone: string;
  status: string;
  region: string | null;
  timezone: string | null;
  fields: string;
  assigned_user_id: number | null;
  import_id: number;
  attempts: number;
}
const contactsOf = (id: number) =>
  db('campaign_contacts').where({ campaign_id: id }).orderBy('id').select<ContactRow[]>();

describe('import job', () => {
  it('stores contacts and errors, counters adding up, DNC global and per campaign', async () => {
    await db('dnc_numbers').insert([
      { phone: '+8613700137000', campaign_id: null, created_at: NOW }, // global
      { phone: '+8613600136000', campaign_id: campaignId, created_at: NOW }, // this campaign
      { phone: '+8613500135000', campaign_id: otherCampaignId, created_at: NOW }, // not ours
    ]);
    const csv = [
      '\uFEFFName,Mobile,Agent,Plan',
      'Anna Li,138 0013 8000,anna,gold', // 1 kept, assigned
      'Bob,,anna,', // 2 missing-phone
      'Carl,12345,,', // 3 bad-phone
      'Dora,13800138000,,', // 4 duplicate-in-file
      'Eve,13700137000,,', // 5 global DNC: kept, flagged
      'Fay,13600136000,,', // 6 campaign DNC: kept, flagged
      'Gus,13500135000,,', // 7 another campaign's DNC: a normal contact
      'Hal,13400134000,sue,', // 8 unknown-agent (a supervisor is no telemarketer)
      'Ida,13300133000,gone,', // 9 unknown-agent (disabled)
      '"Jo, Jr",13200132000,,silver', // 10 kept
    ].join('\r\n');
    const report = await importAndWait({ csv, assignTo: { column: 'Agent' }, chunkRows: 3 });

    expect(report).toMatchObject({
      campaignId,
      status: 'done',
      failure: null,
      rows: 10,
      accepted: 5,
      rejected: 5,
      duplicates: 1,
      dnc: 2,
      errorCount: 7, // rejected + dnc
      createdAt: new Date(NOW).toISOString(),
      finishedAt: new Date(NOW).toISOString(),
    });
    expect(report.rows).toBe(report.accepted + report.rejected);
    expect(report.errors.map((e) => [e.row, e.reason])).toEqual([
      [2, 'missing-phone'],
      [3, 'bad-phone'],
      [4, 'duplicate-in-file'],
      [5, 'do-not-call'],
      [6, 'do-not-call'],
      [8, 'unknown-agent'],
      [9, 'unknown-agent'],
    ]);
    expect(report.errors[0]).toEqual({ row: 2, reason: 'missing-phone', raw: 'Bob,,anna,' });

    const contacts = await contactsOf(campaignId);
    expect(contacts.map((c) => [c.phone, c.status])).toEqual([
      ['+8613800138000', 'new'],
      ['+8613700137000', 'dnc'],
      ['+8613600136000', 'dnc'],
      ['+8613500135000', 'new'],
      ['+8613200132000', 'new'],
    ]);
    expect(contacts).toHaveLength(report.accepted);
    expect(contacts[0]).toMatchObject({
      region: 'CN',
      timezone: 'Asia/Shanghai',
      assigned_user_id: anna,
      import_id: report.id,
      attempts: 0,
    });
    expect(JSON.parse(contacts[0]!.fields)).toEqual({
      firstName: 'Anna Li',
      Plan: 'gold',
    });
    expect(JSON.parse(contacts[4]!.fields)).toEqual({
      firstName: 'Jo, Jr',
      Plan: 'silver',
    });
  });

  it('a second import of the same numbers rejects them as duplicate-in-campaign', async () => {
    const report = await importAndWait({
      csv: 'Mobile,Name\n13800138000,Again\n13100131000,New\n',
    });
    expect(report).toMatchObject({ rows: 2, accepted: 1, rejected: 1, duplicates: 1 });
    expect(report.errors.map((e) => e.reason)).toEqual(['duplicate-in-campaign']);
  });

  it('pages the errors by row', async () => {
    const csv = ['Mobile,Name', ...Array.from({ length: 25 }, (_, i) => `bad${i},x`)].join('\n');
    const { importId, finished } = await startImport(db, request({ csv, chunkRows: 10 }));
    await finished;
    const page = await getImport(db, importId, { offset: 20, limit: 10 });
    expect(page).toMatchObject({ rows: 25, rejected: 25, errorCount: 25 });
    expect(page!.errors.map((e) => e.row)).toEqual([21, 22, 23, 24, 25]);
    expect(await getImport(db, 999_999)).toBeNull();
  });

  it('a header that does not fit the mapping is refused up front, recording nothing', async () => {
    const before = await db('list_imports').count<Array<{ n: number }>>({ n: '*' });
    await expect(startImport(db, request({ csv: 'Phone,Name\n138,x\n' }))).rejects.toMatchObject({
      code: 'HOTLINE_VALIDATION',
      message: expect.stringMatching(/mapping.phone: column "Mobile"/) as unknown,
    });
    await expect(
      startImport(db, request({ csv: 'Mobile,Name\n1,2\n', assignTo: { column: 'Agent' } })),
    ).rejects.toMatchObject({ code: 'HOTLINE_VALIDATION' });
    const after = await db('list_imports').count<Array<{ n: number }>>({ n: '*' });
    expect(after).toEqual(before);
  });

  it('a file malformed part-way fails with the parser message, keeping the rows before', async () => {
    const otherId = await insertCampaign(db, 'Malformed');
    const csv =
      'Mobile,Name\n13800138000,A\n13900139000,B\n13700137001,C\n"13600136000,unclosed\n1,2\n';
    const report = await importAndWait({ campaignId: otherId, csv, chunkRows: 2 });
    expect(report.status).toBe('failed');
    expect(report.failure).toMatch(/Quote Not Closed/);
    expect(report).toMatchObject({ rows: 3, accepted: 3, rejected: 0 });
    expect(await contactsOf(otherId)).toHaveLength(3);
  });

  it('a chunk the database refuses fails the job, the chunks before it stored and counted', async () => {
    const otherId = await insertCampaign(db, 'Refused');
    await db.raw(`CREATE TRIGGER refuse BEFORE INSERT ON campaign_contacts
      WHEN NEW.phone = '+8613900139003' BEGIN SELECT RAISE(ABORT, 'refused'); END`);
    try {
      const csv = 'Mobile\n13900139001\n13900139002\n13900139003\n13900139004\n13900139005\n';
      const report = await importAndWait({
        campaignId: otherId,
        csv,
        mapping: { phone: 'Mobile' },
        chunkRows: 2,
      });
      expect(report).toMatchObject({ status: 'failed', rows: 2, accepted: 2, rejected: 0 });
      expect(report.failure).toMatch(/^import stopped at row 3: .*refused/);
      expect(await contactsOf(otherId)).toHaveLength(2);
    } finally {
      await db.raw('DROP TRIGGER refuse');
    }
  });

  it('imports 100 000 rows in chunks without holding the event loop', async () => {
    const bigId = await insertCampaign(db, 'Big');
    const n = 100_000;
    const csv = `${bigCsv(n - 2)}not-a-number,x,y\r\n13900000007,dup,z\r\n`;
    const { importId, finished } = await startImport(db, request({ campaignId: bigId, csv }));
    let settled = false;
    void finished.then(() => (settled = true));
    // A timer set now must fire while the import is still going.
    const snapshot = await new Promise<{ settled: boolean; status?: string; rows?: number }>(
      (resolve) => {
        setTimeout(() => {
          const wasSettled = settled;
          void getImport(db, importId, { limit: 1 }).then((r) =>
            resolve({ settled: wasSettled, status: r?.status, rows: r?.rows }),
          );
        }, 1);
      },
    );
    expect(snapshot.settled).toBe(false);
    expect(snapshot.status).toBe('running');
    expect(snapshot.rows).toBeLessThan(n);

    expect(await finished).toBe('done');
    const report = await getImport(db, importId, { limit: 10 });
    expect(report).toMatchObject({
      status: 'done',
      rows: n,
      accepted: n - 2,
      rejected: 2,
      duplicates: 1,
      dnc: 0,
    });
    expect(report!.errors.map((e) => [e.row, e.reason])).toEqual([
      [n - 1, 'bad-phone'],
      [n, 'duplicate-in-file'],
    ]);
    const stored = await db('campaign_contacts')
      .where({ campaign_id: bigId })
      .count<Array<{ n: number }>>({ n: '*' });
    expect(Number(stored[0]!.n)).toBe(n - 2);
  }, 120_000);

  it('marks imports cut short by a restart as failed', async () => {
    const [row] = await db('list_imports')
      .insert({ campaign_id: campaignId, status: 'running', mapping: '{}', created_at: NOW })
      .returning<Array<{ id: number }>>('id');
    expect(await failInterruptedImports(db, clock)).toBe(1);
    expect(await getImport(db, row!.id)).toMatchObject({
      status: 'failed',
      failure: 'interrupted by a restart',
    });
  });
});
