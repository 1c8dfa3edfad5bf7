import { isPostgres, num, type Db } from '../db';

/** A lease row as the store reads it back; times are milliseconds of the database's clock. */
export interface LeaseRow {
  holder: string;
  epoch: number;
  expiresAt: number;
  renewedAt: number;
  /** The holder's HTTP address for the other instances (migration 017); null until published. */
  address?: string | null;
}

/**
 * The lease's four statements, each one conditional statement (no read-then-write), so two
 * instances racing for the lease cannot both win: the row lock and the re-checked WHERE of
 * PostgreSQL's `INSERT … ON CONFLICT DO UPDATE … WHERE` / `UPDATE … WHERE` decide.
 */
export interface LeaseStore {
  /**
   * Take the lease if nobody holds it or it expired: epoch + 1 (1 for a new row). Null: held.
   * `address` (the holder's HTTP address for the other instances) is written with it.
   */
  acquire(holder: string, ttlMs: number, address?: string | null): Promise<LeaseRow | null>;
  /** Extend the lease if `holder` still holds `epoch` and it has not expired. Null: lost. */
  renew(
    holder: string,
    epoch: number,
    ttlMs: number,
    address?: string | null,
  ): Promise<LeaseRow | null>;
  /** Give the lease up (it expires now), if still held: the next poll of a standby takes it. */
  release(holder: string, epoch: number): Promise<boolean>;
  /** Take the lease whoever holds it, with no end (one instance by definition: SQLite). */
  seize(holder: string): Promise<LeaseRow>;
  /** The row, and the database's time now. */
  read(): Promise<(LeaseRow & { now: number }) | null>;
}

/**
 * Now in milliseconds by the database's clock: every instance compares expiry against the same
 * clock, so the instances' own clocks may be wrong by any amount. PostgreSQL: clock_timestamp()
 * (the statement's real time, not the transaction's start as now() would be).
 */
function nowSql(db: Db): string {
  return isPostgres(db)
    ? '(extract(epoch from clock_timestamp()) * 1000)::bigint'
    : "cast((julianday('now') - 2440587.5) * 86400000 as integer)";
}

/** `knex.raw` results: pg gives {rows}, sqlite3 the rows themselves. */
function rowsOf(result: unknown): Array<Record<string, unknown>> {
  if (Array.isArray(result)) return result as Array<Record<string, unknown>>;
  const rows = (result as { rows?: unknown } | null)?.rows;
  return Array.isArray(rows) ? (rows as Array<Record<string, unknown>>) : [];
}

function toRow(r: Record<string, unknown> | undefined): LeaseRow | null {
  if (!r) return null;
  return {
    holder: String(r.holder),
    epoch: num(r.epoch),
    expiresAt: num(r.expires_at),
    renewedAt: num(r.renewed_at),
    address: typeof r.address === 'string' ? r.address : null,
  };
}

const RETURNING = 'returning holder, epoch, expires_at, renewed_at, address';

/** The lease named `name` in the `leases` table (migrations 015, 016), on PostgreSQL or SQLite. */
export function createLeaseStore(db: Db, name: string, opts: { timeoutMs?: number } = {}) {
  const now = nowSql(db);
  const timeoutMs = opts.timeoutMs ?? 5000;
  const run = async (sql: string, bindings: readonly (string | number | null)[]) =>
    rowsOf(await db.raw(sql, bindings).timeout(timeoutMs));

  const store: LeaseStore = {
    async acquire(holder, ttlMs, address = null) {
      // `where true`: SQLite needs a WHERE before ON CONFLICT in INSERT … SELECT.
      const rows = await run(
        `insert into leases (name, holder, epoch, expires_at, renewed_at, address)
         select ?, ?, 1, t.ms + ?, t.ms, ? from (select ${now} as ms) t where true
         on conflict (name) do update set holder = excluded.holder, epoch = leases.epoch + 1,
           expires_at = excluded.expires_at, renewed_at = excluded.renewed_at,
           address = excluded.address
         where leases.expires_at <= excluded.renewed_at ${RETURNING}`,
        [name, holder, ttlMs, address ?? null],
      );
      return toRow(rows[0]);
    },
    async renew(holder, epoch, ttlMs, address = null) {
      const rows = await run(
        `update leases set expires_at = t.ms + ?, renewed_at = t.ms, address = ?
         from (select ${now} as ms) t
         where leases.name = ? and leases.holder = ? and leases.epoch = ? and leases.expires_at > t.ms
         ${RETURNING}`,
        [ttlMs, address ?? null, name, holder, epoch],
      );
      return toRow(rows[0]);
    },
    async release(holder, epoch) {
      const rows = await run(
        `update leases set expires_at = 0 where name = ? and holder = ? and epoch = ? ${RETURNING}`,
        [name, holder, epoch],
      );
      return rows.length > 0;
    },
    async seize(holder) {
      const rows = await run(
        `insert into leases (name, holder, epoch, expires_at, renewed_at)
         select ?, ?, 1, ?, t.ms from (select ${now} as ms) t where true
         on conflict (name) do update set holder = excluded.holder, epoch = leases.epoch + 1,
           expires_at = excluded.expires_at, renewed_at = excluded.renewed_at ${RETURNING}`,
        [name, holder, Number.MAX_SAFE_INTEGER],
      );
      const row = toRow(rows[0]);
      if (!row) throw new Error(`lease ${name}: seize returned no row`);
      return row;
    },
    async read() {
      const rows = await run(
        `select holder, epoch, expires_at, renewed_at, address, ${now} as now
         from leases where name = ?`,
        [name],
      );
      const row = toRow(rows[0]);
      return row ? { ...row, now: num(rows[0]!.now) } : null;
    },
  };
  return store;
}
