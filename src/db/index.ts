import fs from 'node:fs';
import path from 'node:path';
import knex, { type Knex } from 'knex';
import { migrationSource } from '../../migrations';

export type Db = Knex;

/** A SQLite file (or :memory:) through knex, each new connection set up with these pragmas. */
function sqlite(filename: string, connections: number, pragmas: string[]): Db {
  return knex({
    client: 'sqlite3',
    connection: { filename },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: connections,
      afterCreate: (conn: SqliteConn, done: (err: Error | null, conn: SqliteConn) => void) => {
        conn.serialize(() => {
          pragmas.forEach((pragma, i) =>
            conn.run(
              `PRAGMA ${pragma}`,
              i === pragmas.length - 1 ? (err) => done(err, conn) : undefined,
            ),
          );
        });
      },
    },
  });
}

const sqliteFile = (databaseUrl: string) =>
  databaseUrl.startsWith('sqlite:') ? databaseUrl.slice('sqlite:'.length) : null;

/** Opens the database named by DATABASE_URL: `sqlite:PATH` (WAL, foreign keys on) or postgres://. */
export function createDb(databaseUrl: string): Db {
  const filename = sqliteFile(databaseUrl);
  if (filename === null)
    return knex({ client: 'pg', connection: databaseUrl, pool: { min: 0, max: 10 } });
  if (filename !== ':memory:')
    fs.mkdirSync(path.dirname(path.resolve(filename)), { recursive: true });
  // One writer connection: SQLite serialises writers anyway, and :memory: must stay one database.
  return sqlite(filename, 1, [
    'foreign_keys = ON',
    'busy_timeout = 5000',
    'journal_mode = WAL',
    // In WAL mode NORMAL syncs at checkpoints, not at every commit: a commit survives a crash of
    // the service (kill -9), and only an OS crash or power cut can lose the last commits. FULL
    // costs an fsync per write (4.6 ms here vs 0.4 ms), which serialised the call path under a
    // burst of calls.
    'synchronous = NORMAL',
  ]);
}

/**
 * Read-only connections beside the writer (the call path's reads, and apart from them the
 * reports' and the wall's): with SQLite two read-only connections, so these reads never queue
 * behind the call records' writes on the single writer connection (WAL lets a reader run beside
 * the writer and see every commit). With PostgreSQL (a pool) and with `:memory:` (one database
 * per connection) it is the same `db`.
 */
export function createReadDb(databaseUrl: string, db: Db): Db {
  const filename = sqliteFile(databaseUrl);
  if (filename === null || filename === ':memory:') return db;
  return sqlite(filename, 2, ['busy_timeout = 5000', 'query_only = ON']);
}

/**
 * The lease's connection (src/leadership/): with PostgreSQL a pool of its own, two connections
 * that give up after `timeoutMs`, so a renew never waits behind the service's queries; with
 * SQLite (one instance, the lease is taken once) the service's `db`.
 */
export function createLeaseDb(databaseUrl: string, db: Db, timeoutMs: number): Db {
  if (sqliteFile(databaseUrl) !== null) return db;
  return knex({
    client: 'pg',
    connection: databaseUrl,
    pool: { min: 0, max: 2 },
    acquireConnectionTimeout: timeoutMs,
  });
}

interface SqliteConn {
  serialize(fn: () => void): void;
  run(sql: string, cb?: (err: Error | null) => void): void;
}

export async function migrate(db: Db): Promise<void> {
  await db.migrate.latest({ migrationSource });
}

/** Is the database answering? (for /healthz) */
export async function pingDb(db: Db): Promise<boolean> {
  try {
    await db.raw('select 1');
    return true;
  } catch {
    return false;
  }
}

/**
 * Driver-independent unique-constraint check, by driver code, never by message text. PostgreSQL's
 * 23505 is exactly unique_violation; node-sqlite3 reports every constraint (unique, not null,
 * foreign key, check) as SQLITE_CONSTRAINT with errno 19 and no extended code (2067 would be
 * SQLITE_CONSTRAINT_UNIQUE), so callers only ask this around writes whose other constraints
 * cannot fail, and re-read the row where they must tell two unique columns apart.
 */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; errno?: number } | null;
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT' || e?.errno === 2067;
}

/** PostgreSQL (row locks, SKIP LOCKED) rather than SQLite (one writer connection). */
export function isPostgres(db: Db): boolean {
  const client = (db.client as { config?: { client?: unknown } }).config?.client;
  return client === 'pg' || client === 'postgres' || client === 'postgresql';
}

/** bigint columns come back as strings from pg and numbers from sqlite. */
export function num(value: unknown): number;
export function num(value: unknown, nullable: true): number | null;
export function num(value: unknown, _nullable?: true): number | null {
  if (value === null || value === undefined) return _nullable ? null : 0;
  return typeof value === 'number' ? value : Number(value);
}

/**
 * A LIKE pattern that finds `text` anywhere, its own `%`, `_` and `\` taken literally: use it
 * with `like ? escape '\'` (the same in SQLite and PostgreSQL), never a raw `%${text}%`.
 */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
