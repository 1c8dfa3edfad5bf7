import { createClient } from 'redis';
import { freshPgDatabase } from './pg-test-db';

/** The Redis server tests use: the machine's own, or TEST_REDIS_URL. */
export const REDIS_TEST_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Is Redis answering? Says why not (and that `what` is skipped) when it is not. */
export async function redisReachable(what: string): Promise<boolean> {
  const c = createClient({
    url: REDIS_TEST_URL,
    socket: { connectTimeout: 2000, reconnectStrategy: false },
  });
  c.on('error', () => undefined);
  try {
    await c.connect();
    await c.ping();
    await c.quit();
    return true;
  } catch (err) {
    console.warn(`Redis at ${REDIS_TEST_URL} unreachable: ${what} skipped (${String(err)})`);
    return false;
  }
}

/**
 * What several instances share in a test: a fresh PostgreSQL database `dbName` and the Redis
 * server; null (the test skips, saying why) when either is unreachable.
 */
export async function clusterTestEnv(
  dbName: string,
  what: string,
): Promise<{ databaseUrl: string; redisUrl: string; drop: () => Promise<void> } | null> {
  if (!(await redisReachable(what))) return null;
  const pg = await freshPgDatabase(dbName, what);
  return pg && { databaseUrl: pg.url, redisUrl: REDIS_TEST_URL, drop: pg.drop };
}
