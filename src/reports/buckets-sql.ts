import type { Knex } from 'knex';
import type { Db } from '../db';
import type { Bucket } from '../metrics/definitions';

/**
 * The index of the report period a time falls in, as SQL: `case when col < end0 then 0 when
 * col < end1 then 1 … end`, every bound a parameter. Times before the first period give -1,
 * times from the last period's end on give `buckets.length` (the state log's clipping reads them).
 */
export function bucketIndexSql(
  db: Db,
  column: string,
  buckets: readonly Bucket[],
  /** The column expression's own bindings (`coalesce(ended_at, ?)`), repeated per use. */
  columnBindings: readonly Knex.Value[] = [],
): Knex.Raw {
  const parts: string[] = [`case when ${column} < ? then -1`];
  const bindings: Knex.Value[] = [...columnBindings, buckets[0]?.start ?? 0];
  buckets.forEach((b, i) => {
    parts.push(`when ${column} < ? then ${i}`);
    bindings.push(...columnBindings, b.end);
  });
  parts.push(`else ${buckets.length} end`);
  return db.raw(parts.join(' '), bindings);
}

/** [start, end) of the whole range of the periods. */
export function rangeOf(buckets: readonly Bucket[]): { start: number; end: number } {
  return { start: buckets[0]?.start ?? 0, end: buckets[buckets.length - 1]?.end ?? 0 };
}
