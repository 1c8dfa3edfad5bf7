/**
 * Contact-list imports (docs/api-outbound.md "Lists (contacts)"): `startImport` checks the header
 * against the mapping, records the job (`list_imports`, status running) and returns its id at once;
 * the rows are then read in chunks of CHUNK_ROWS. Per chunk: the duplicate and do-not-call
 * questions go to the database as IN queries, and the contacts, the errors and the job's counters
 * are written in one transaction, so the counters always match what is stored; between chunks the
 * job yields to the event loop (setImmediate), so a 100 000-row file never stops the service from
 * answering. Every row ends up counted: rows = accepted + rejected (see csv-rows.ts for the rule).
 * A file that turns out malformed part-way ends `failed` with the parser's message, keeping the
 * rows done before the fault.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { ImportReport as ApiImportReport } from '../../api/imports';
import type { Db } from '../../db/index';
import { isUniqueViolation, num } from '../../db/index';
import type { Clock } from '../../shared/clock';
import { isoOf } from '../../shared/clock';
import { HotlineError } from '../../shared/errors';
import type { MetricsSink } from '../../metrics/sink';
import type { Logger } from '../../shared/logger';
import { readCsv } from './csv-reader';
import {
  classifyRows,
  headerProblem,
  phonesOf,
  prepareRow,
  rowInput,
  type AcceptedContact,
  type AssignTo,
  type ChunkResult,
  type FieldMapping,
  type PreparedRow,
  type RowOptions,
  type RowReason,
} from './csv-rows';

export const CHUNK_ROWS = 1000;
/**
 * Rows per INSERT: well below SQLite's and PostgreSQL's bind limits, and small enough that
 * building and binding one statement (on the main thread) stays a short step.
 */
const INSERT_ROWS = 200;
/** Longest stretch of row work between two turns of the event loop. */
const YIELD_AFTER_MS = 10;

export type ImportStatus = 'running' | 'done' | 'failed';

export interface ImportRequest {
  campaignId: number;
  csv: string | Buffer;
  mapping: FieldMapping;
  assignTo?: AssignTo | null;
  defaultRegion: string;
  /** Who imports (list_imports.created_by); null for scripts. */
  userId: number | null;
  clock: Clock;
  log: Logger;
  /** The operational metrics (hotline_import_rows_total), told of every chunk stored. */
  metrics?: Pick<MetricsSink, 'importRows'>;
  /** Rows per chunk (tests); CHUNK_ROWS by default. */
  chunkRows?: number;
}

export interface ImportCounts {
  rows: number;
  accepted: number;
  rejected: number;
  duplicates: number;
  dnc: number;
}

/** GET /api/imports/:id (src/api/imports.ts). */
export type ImportReport = ApiImportReport;

export interface StartedImport {
  importId: number;
  /** Settles when the job has finished, whatever its outcome (never rejects). */
  finished: Promise<ImportStatus>;
}

/**
 * Active agents by exact username: the names an assignTo column may hold (telemarketers are users
 * with role agent). Usernames are case-sensitive, as at login.
 */
async function agentsByName(db: Db): Promise<Map<string, number>> {
  const rows = await db('users')
    .where({ role: 'agent', disabled: false })
    .select<Array<{ id: number; username: string }>>('id', 'username');
  return new Map(rows.map((r) => [r.username, r.id]));
}

/**
 * Starts an import. Throws HOTLINE_VALIDATION, without recording anything, when the file has no
 * header, a mapped or assignTo column is not in it, or the header itself cannot be parsed: the
 * request is wrong and nothing was done. Otherwise the job is recorded and runs on its own.
 */
export async function startImport(db: Db, req: ImportRequest): Promise<StartedImport> {
  const records = readCsv(req.csv);
  let header: string[];
  try {
    const first = await records.next();
    header = first.done ? [] : first.value;
  } catch (err) {
    await records.return();
    throw new HotlineError('HOTLINE_VALIDATION', `the CSV cannot be read: ${messageOf(err)}`);
  }
  const problem = headerProblem(header, req.mapping, req.assignTo);
  if (problem) {
    await records.return();
    throw new HotlineError('HOTLINE_VALIDATION', problem);
  }
  let opts: RowOptions;
  let importId: number;
  try {
    opts = {
      mapping: req.mapping,
      defaultRegion: req.defaultRegion,
      assignTo: req.assignTo ?? null,
      usersByName: req.assignTo ? await agentsByName(db) : new Map(),
    };
    const [inserted] = await db('list_imports')
      .insert({
        campaign_id: req.campaignId,
        status: 'running',
        mapping: JSON.stringify({ mapping: req.mapping, assignTo: req.assignTo ?? null }),
        created_by: req.userId,
        created_at: req.clock.now(),
      })
      .returning<Array<{ id: number }>>('id');
    if (!inserted) throw new Error('list_imports: no id returned');
    importId = inserted.id;
  } catch (err) {
    await records.return();
    throw err;
  }
  const finished = runImport(db, importId, req, header, records, opts);
  return { importId, finished };
}

async function runImport(
  db: Db,
  importId: number,
  req: ImportRequest,
  header: string[],
  records: AsyncGenerator<string[], void, undefined>,
  opts: RowOptions,
): Promise<ImportStatus> {
  const chunkRows = req.chunkRows ?? CHUNK_ROWS;
  const seen = new Set<string>();
  let pending: PreparedRow[] = [];
  let row = 0;
  let status: ImportStatus = 'done';
  let failure: string | null = null;
  let lastYield = performance.now();
  try {
    for (;;) {
      let next: IteratorResult<string[], void>;
      try {
        next = await records.next();
      } catch (err) {
        // A parse error: keep what was read before it, then fail with the parser's words.
        status = 'failed';
        failure = messageOf(err);
        break;
      }
      if (next.done) break;
      row += 1;
      pending.push(prepareRow(rowInput(header, next.value, row), opts));
      // Reading numbers is the costly part (~30 µs a row): give the loop a turn every few ms.
      if (performance.now() - lastYield > YIELD_AFTER_MS) {
        await yieldToLoop();
        lastYield = performance.now();
      }
      if (pending.length >= chunkRows) {
        await storeChunk(db, importId, req, pending, seen);
        pending = [];
        // Let timers, sockets and HTTP requests run before the next chunk is parsed.
        await yieldToLoop();
        lastYield = performance.now();
      }
    }
    if (pending.length) await storeChunk(db, importId, req, pending, seen);
  } catch (err) {
    // The database refused a chunk: the rows stored before it stay, counted; the rest are not.
    status = 'failed';
    failure = `import stopped at row ${row - pending.length + 1}: ${messageOf(err)}`;
    req.log.error({ err, importId }, 'contact import failed');
    await records.return();
  }
  try {
    await db('list_imports')
      .where({ id: importId })
      .update({ status, failure, finished_at: req.clock.now() });
    req.log.info({ importId, campaignId: req.campaignId, status, rows: row }, 'contact import');
  } catch (err) {
    req.log.error({ err, importId }, 'contact import: cannot record its end');
  }
  return status;
}

/**
 * One chunk in one transaction: ask which numbers the campaign has and which are DNC, classify,
 * insert, count. Two imports into one campaign at once may race on a number (PostgreSQL): the
 * unique index refuses the second, and the chunk is asked and written again.
 */
async function storeChunk(
  db: Db,
  importId: number,
  req: ImportRequest,
  prepared: PreparedRow[],
  seen: Set<string>,
): Promise<void> {
  const phones = phonesOf(prepared);
  for (let attempt = 1; ; attempt++) {
    let result: ChunkResult | undefined;
    try {
      await db.transaction(async (trx) => {
        const inCampaign = phones.length
          ? await trx('campaign_contacts')
              .where({ campaign_id: req.campaignId })
              .whereIn('phone', phones)
              .pluck<string[]>('phone')
          : [];
        const dnc = phones.length
          ? await trx('dnc_numbers')
              .whereIn('phone', phones)
              .where((q) => q.whereNull('campaign_id').orWhere('campaign_id', req.campaignId))
              .pluck<string[]>('phone')
          : [];
        result = classifyRows(prepared, {
          seen,
          inCampaign: new Set(inCampaign),
          dnc: new Set(dnc),
        });
        const now = req.clock.now();
        const contacts = result.contacts.map((c) => contactRow(c, req.campaignId, importId, now));
        for (let i = 0; i < contacts.length; i += INSERT_ROWS)
          await trx('campaign_contacts').insert(contacts.slice(i, i + INSERT_ROWS));
        const errors = result.errors.map((e) => ({ import_id: importId, ...e }));
        for (let i = 0; i < errors.length; i += INSERT_ROWS)
          await trx('list_import_errors').insert(errors.slice(i, i + INSERT_ROWS));
        await trx('list_imports').where({ id: importId }).increment(result.counts);
      });
      if (result) req.metrics?.importRows(result.counts);
      return;
    } catch (err) {
      // The numbers this attempt kept are not kept after all.
      for (const c of result?.contacts ?? []) seen.delete(c.phone);
      if (!isUniqueViolation(err) || attempt >= 3) throw err;
    }
  }
}

function contactRow(c: AcceptedContact, campaignId: number, importId: number, now: number) {
  return {
    campaign_id: campaignId,
    import_id: importId,
    phone: c.phone,
    region: c.region,
    timezone: c.timezone,
    fields: JSON.stringify(c.fields),
    assigned_user_id: c.assignedUserId,
    status: c.status,
    created_at: now,
    updated_at: now,
  };
}

interface ImportRow {
  id: number;
  campaign_id: number;
  status: string;
  rows: number | string;
  accepted: number | string;
  rejected: number | string;
  duplicates: number | string;
  dnc: number | string;
  failure: string | null;
  created_at: number | string;
  finished_at: number | string | null;
}

/** GET /api/imports/:id: the job's counters and one page of its errors (by row), or null. */
export async function getImport(
  db: Db,
  id: number,
  page: { offset?: number; limit?: number } = {},
): Promise<ImportReport | null> {
  const r = await db<ImportRow>('list_imports').where({ id }).first();
  if (!r) return null;
  const offset = page.offset ?? 0;
  const limit = page.limit ?? 100;
  const errors = await db('list_import_errors')
    .where({ import_id: id })
    .orderBy([{ column: 'row' }, { column: 'id' }])
    .offset(offset)
    .limit(limit)
    .select<Array<{ row: number; reason: string; raw: string }>>('row', 'reason', 'raw');
  const counted = await db('list_import_errors')
    .where({ import_id: id })
    .count<Array<{ n: number | string }>>({ n: '*' });
  return {
    id: r.id,
    campaignId: r.campaign_id,
    status: r.status as ImportStatus,
    rows: num(r.rows),
    accepted: num(r.accepted),
    rejected: num(r.rejected),
    duplicates: num(r.duplicates),
    dnc: num(r.dnc),
    failure: r.failure,
    createdAt: isoOf(num(r.created_at)),
    finishedAt: isoOf(num(r.finished_at, true)),
    errorCount: num(counted[0]?.n),
    errors: errors.map((e) => ({ row: num(e.row), reason: e.reason as RowReason, raw: e.raw })),
  };
}

/**
 * At start: a job still `running` was cut short by a stop of the service; it can't resume (the
 * file was in memory), so it is marked failed with what it had done. Returns how many.
 */
export async function failInterruptedImports(db: Db, clock: Clock): Promise<number> {
  return db('list_imports')
    .where({ status: 'running' })
    .update({ status: 'failed', failure: 'interrupted by a restart', finished_at: clock.now() });
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
