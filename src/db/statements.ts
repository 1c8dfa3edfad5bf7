import type { Knex } from 'knex';
import type { Db } from './index';
import { isPostgres } from './index';

/**
 * The call path's own statements, the most frequent in the service: the call record's writes,
 * the dialer's attempt outcome and do-not-call check, the pop's history, the agent state log (a
 * dialed attempt is two transactions of two to five statements each). Written once as SQL with
 * `?` placeholders and double-quoted names, the same text on both engines.
 *
 * On SQLite each statement is prepared once per connection and reused, and a transaction is
 * BEGIN / COMMIT on the writer connection taken from knex's pool (so never inside someone
 * else's transaction), shared by the transactions that queued meanwhile (`transact`). knex's
 * query builder and transaction machinery cost 0.84 ms of CPU for a transaction of two
 * statements here, this 0.2 ms: `npm run bench -- originate` measures it. On PostgreSQL it is
 * knex (`raw` in a knex transaction), as everywhere else.
 *
 * Every statement is announced as knex's `query` event on `db`, so counting queries (the
 * originate bench, the commit tests) still sees them.
 */
/** A value bound to a `?`: what the columns of these statements hold. */
export type Binding = string | number | boolean | null;

export interface Statements {
  run(sql: string, bindings: readonly Binding[]): Promise<void>;
  all<T>(sql: string, bindings: readonly Binding[]): Promise<T[]>;
}

/**
 * Runs `fn`'s statements in one transaction (rolled back if it throws).
 *
 * On SQLite, transactions that arrive while the writer connection is busy are committed
 * together (group commit): the first waits for the connection as before, the next ones join it
 * until it has the connection, and then all run in arrival order inside one BEGIN / COMMIT, each
 * seeing the writes of those before it, as they would have one after the other. A burst of
 * calls thus spends two statements per batch on BEGIN / COMMIT, not per fact (they were 4 of a
 * dialed attempt's 11). Each caller's promise settles after the COMMIT. If any of them throws,
 * or the COMMIT fails, the batch is rolled back and each runs again alone, so that one bad write
 * fails only itself. Order with other writers is kept: a batch holds its place in knex's queue
 * for the writer from its first transaction on.
 */
export function transact<T>(db: Db, fn: (s: Statements) => Promise<T>): Promise<T> {
  if (isPostgres(db)) return db.transaction((trx) => fn(knexStatements(trx)));
  return queueForWriter(db, fn, false);
}

/** Into the batch gathering for the writer; `bare`: one statement, no BEGIN / COMMIT alone. */
function queueForWriter<T>(db: Db, fn: (s: Statements) => Promise<T>, bare: boolean): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let batch = gathering.get(db);
    if (!batch || batch.length >= MAX_BATCH) {
      batch = [];
      gathering.set(db, batch);
      void commitBatch(db, batch);
    }
    batch.push({ fn, bare, resolve: resolve as (v: unknown) => void, reject });
  });
}

/** At most this many transactions in one commit: a batch holds the writer while it runs. */
const MAX_BATCH = 100;

interface Waiting {
  fn: (s: Statements) => Promise<unknown>;
  bare: boolean;
  resolve: (v: unknown) => void;
  reject: (err: unknown) => void;
}

/** Per SQLite database, the batch still waiting for the writer connection (joined by new ones). */
const gathering = new WeakMap<Db, Waiting[]>();

async function commitBatch(db: Db, batch: Waiting[]): Promise<void> {
  await onSqliteConnection(db, async (s) => {
    // The connection is ours: later transactions start the next batch.
    if (gathering.get(db) === batch) gathering.delete(db);
    if (batch.length > 1) {
      const results = await inTransaction(s, async () => {
        const out: unknown[] = [];
        for (const w of batch) out.push(await w.fn(s));
        return out;
      }).catch(() => null);
      if (results) {
        batch.forEach((w, i) => w.resolve(results[i]));
        return;
      }
    }
    for (const w of batch)
      await (w.bare ? w.fn(s) : inTransaction(s, () => w.fn(s))).then(w.resolve, w.reject);
  }).catch((err: unknown) => {
    // No connection: none of them ran, and later transactions must not join this batch.
    if (gathering.get(db) === batch) gathering.delete(db);
    for (const w of batch) w.reject(err);
  });
}

async function inTransaction<T>(s: Statements, fn: () => Promise<T>): Promise<T> {
  await s.run('BEGIN', []);
  try {
    const result = await fn();
    await s.run('COMMIT', []);
    return result;
  } catch (err) {
    await s.run('ROLLBACK', []).catch(() => undefined);
    throw err;
  }
}

/** One statement on its own (its own implicit transaction). */
export async function runOne(db: Db, sql: string, bindings: readonly Binding[]): Promise<void> {
  if (isPostgres(db)) return knexStatements(db).run(sql, bindings);
  // On SQLite in the writer's batch: one statement there costs no BEGIN / COMMIT of its own.
  return queueForWriter(db, (s) => s.run(sql, bindings), true);
}

/** Statements inside a knex transaction `trx` (a write that joins other knex writes). */
export function statementsOn(trx: Knex.Transaction): Statements {
  return knexStatements(trx);
}

/** One query on its own: its rows. */
export async function queryAll<T>(db: Db, sql: string, bindings: readonly Binding[]): Promise<T[]> {
  if (isPostgres(db)) return knexStatements(db).all<T>(sql, bindings);
  return onSqliteConnection(db, (s) => s.all<T>(sql, bindings));
}

function knexStatements(on: Knex): Statements {
  return {
    async run(sql, bindings) {
      await on.raw(sql, bindings);
    },
    async all<T>(sql: string, bindings: readonly Binding[]) {
      // knex's raw answers the driver's result: pg's { rows }, sqlite3's array of rows.
      const r: unknown = await on.raw(sql, bindings);
      return (Array.isArray(r) ? r : (r as { rows: T[] }).rows) as T[];
    },
  };
}

interface SqliteStatement {
  run(bindings: readonly Binding[], cb: (err: Error | null) => void): void;
  all(bindings: readonly Binding[], cb: (err: Error | null, rows: unknown[]) => void): void;
  finalize(): void;
}
interface SqliteConnection {
  prepare(sql: string, cb: (err: Error | null) => void): SqliteStatement;
  close(cb: (err: Error | null) => void): void;
}
interface PoolClient {
  acquireConnection(): Promise<SqliteConnection>;
  releaseConnection(c: SqliteConnection): Promise<void>;
}

/** Prepared statements of each connection, finalised before knex's pool closes it. */
const prepared = new WeakMap<SqliteConnection, Map<string, Promise<SqliteStatement>>>();

function statementOf(conn: SqliteConnection, sql: string): Promise<SqliteStatement> {
  let cache = prepared.get(conn);
  if (!cache) {
    const byText = new Map<string, Promise<SqliteStatement>>();
    cache = byText;
    prepared.set(conn, byText);
    // SQLite refuses to close a connection with statements still prepared.
    const close = conn.close.bind(conn);
    conn.close = (cb) => {
      const all = [...byText.values()];
      byText.clear();
      void Promise.allSettled(all).then((settled) => {
        for (const s of settled) if (s.status === 'fulfilled') s.value.finalize();
        close(cb);
      });
    };
  }
  let stmt = cache.get(sql);
  if (!stmt) {
    stmt = new Promise<SqliteStatement>((resolve, reject) => {
      const s = conn.prepare(sql, (err) => (err ? reject(err) : resolve(s)));
    });
    cache.set(sql, stmt);
    // A statement that does not prepare is not kept: the error goes to its caller.
    stmt.catch(() => cache.delete(sql));
  }
  return stmt;
}

async function onSqliteConnection<T>(db: Db, fn: (s: Statements) => Promise<T>): Promise<T> {
  const client = db.client as PoolClient;
  const conn = await client.acquireConnection();
  const announce = (sql: string, bindings: readonly Binding[]) =>
    db.emit('query', { sql, bindings, method: 'raw' });
  try {
    return await fn({
      async run(sql, bindings) {
        announce(sql, bindings);
        const stmt = await statementOf(conn, sql);
        await new Promise<void>((resolve, reject) =>
          stmt.run(bindings, (err) => (err ? reject(err) : resolve())),
        );
      },
      async all<T>(sql: string, bindings: readonly Binding[]) {
        announce(sql, bindings);
        const stmt = await statementOf(conn, sql);
        return new Promise<T[]>((resolve, reject) =>
          stmt.all(bindings, (err, rows) => (err ? reject(err) : resolve(rows as T[]))),
        );
      },
    });
  } finally {
    await client.releaseConnection(conn);
  }
}
