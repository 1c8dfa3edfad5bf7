import knex, { type Knex } from 'knex';

/** The PostgreSQL server tests use: the machine's own, or TEST_POSTGRES_URL. */
export const PG_BASE =
  process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * A fresh database `name` on the test server (dropped first if a crashed run left it), with the
 * admin connection that made it; null, saying why, when the server is unreachable, so the tests
 * that need it skip rather than fail on a machine without PostgreSQL.
 */
export async function freshPgDatabase(
  name: string,
  what: string,
): Promise<{ admin: Knex; url: string; drop: () => Promise<void> } | null> {
  const admin = knex({ client: 'pg', connection: PG_BASE, pool: { min: 0, max: 1 } });
  try {
    await admin.raw('select 1').timeout(3000);
  } catch (err) {
    console.warn(`PostgreSQL at ${PG_BASE} unreachable: ${what} skipped (${String(err)})`);
    await admin.destroy();
    return null;
  }
  await admin.raw('DROP DATABASE IF EXISTS ??', [name]);
  await admin.raw('CREATE DATABASE ??', [name]);
  return {
    admin,
    url: PG_BASE.replace(/\/[^/]*$/, `/${name}`),
    drop: async () => {
      await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]);
      await admin.destroy();
    },
  };
}
