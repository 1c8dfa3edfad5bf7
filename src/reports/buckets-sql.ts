import type { Knex } from 'knex';
import type { Db } from '../db';
import type { Bucket } from '../metrics/definitions';

/**
 * The index of the report period a time falls in, as SQL, every bound a parameter. Times before
 * the first period give -1, times from the last period's end on give `buckets.length` (the
 * state log's clipping reads them). Between, a binary search over the periods' ends (`case when
 * col < end14 then case when col < end6 …`): about 5 comparisons a row for a month by day rather
 * than 16 on average for `when col < end0 then 0 when col < end1 then 1 …`.
 */
export function bucketIndexSql(
  db: Db,
  column: string,
  buckets: readonly Bucket[],
  /** The column expression's own bindings (`coalesce(ended_at, ?)`), repeated per use. */
  columnBindings: readonly Knex.Value[] = [],
): Knex.Raw {
  const bindings: Knex.Value[] = [];
  const below = (bound: number) => {
    bindings.push(...columnBindings, bound);
    return `${column} < ?`;
  };
  // The first period in [lo, hi) whose end is after the time (one that is before the last end).
  const search = (lo: number, hi: number): string => {
    if (hi - lo === 1) return String(lo);
    const mid = (lo + hi) >> 1;
    const cond = below(buckets[mid - 1]!.end);
    return `case when ${cond} then ${search(lo, mid)} else ${search(mid, hi)} end`;
  };
  const n = buckets.length;
  if (n === 0) return db.raw('-1');
  const first = below(buckets[0]!.start);
  const last = below(buckets[n - 1]!.end);
  return db.raw(
    `case when ${first} then -1 when ${last} then ${search(0, n)} else ${n} end`,
    bindings,
  );
}

/** [start, end) of the whole range of the periods. */
export function rangeOf(buckets: readonly Bucket[]): { start: number; end: number } {
  return { start: buckets[0]?.start ?? 0, end: buckets[buckets.length - 1]?.end ?? 0 };
}
