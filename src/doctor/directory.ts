import fs from 'node:fs';
import knex, { type Knex } from 'knex';
import type { Directory } from './types';

/**
 * Reads, and only reads, the service's database (DATABASE_URL): active users with an extension
 * and the queues' DIDs. A SQLite file is never created, and read with query_only; rejects with a
 * sentence a person can act on.
 */
export async function readDirectory(databaseUrl: string): Promise<Directory> {
  let db: Knex;
  if (databaseUrl.startsWith('sqlite:')) {
    const filename = databaseUrl.slice('sqlite:'.length);
    if (filename === ':memory:')
      throw new Error('DATABASE_URL is sqlite::memory:, nothing to read');
    if (!fs.existsSync(filename))
      throw new Error(`no database at ${filename} yet (start Hotline once and create the users)`);
    // knex always adds OPEN_READWRITE to the open flags: query_only makes the connection read-only.
    db = knex({
      client: 'sqlite3',
      connection: { filename },
      useNullAsDefault: true,
      pool: {
        min: 1,
        max: 1,
        afterCreate: (conn: SqliteConn, done: (err: Error | null, conn: SqliteConn) => void) =>
          conn.run('PRAGMA query_only = ON', (err) => done(err, conn)),
      },
    });
  } else {
    db = knex({ client: 'pg', connection: databaseUrl, pool: { min: 0, max: 1 } });
  }
  try {
    let users: Directory['users'];
    try {
      users = await db('users')
        .whereNotNull('extension')
        .whereNot('extension', '')
        .where('disabled', false)
        .orderBy('extension')
        .select<Directory['users']>('username', 'extension');
    } catch (err) {
      throw new Error(
        `cannot read users from DATABASE_URL (${(err as Error).message.split('\n')[0]})`,
      );
    }
    let dids: string[] | null;
    try {
      dids = (await db('queue_dids').select<Array<{ did: string }>>('did')).map((r) => r.did);
    } catch {
      dids = null;
    }
    return { users, dids };
  } finally {
    await db.destroy();
  }
}

interface SqliteConn {
  run(sql: string, cb: (err: Error | null) => void): void;
}
