import { createDb, type Db } from '../../../src/db';
import { bucketIndexSql } from '../../../src/reports/buckets-sql';

/** The period index as SQL against the same index worked out here, for 1 to 9 periods. */
let db: Db;
beforeAll(() => {
  db = createDb('sqlite::memory:');
});
afterAll(() => db.destroy());

const periods = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ label: String(i), start: 10 * i + 10, end: 10 * i + 20 }));

async function indexOf(value: number | null, n: number): Promise<number> {
  const sql = bucketIndexSql(db, 'coalesce(?, ?)', periods(n), [value, null]);
  const rows = await db.raw<Array<{ b: number }>>(`select ${sql.toQuery()} as b`);
  return rows[0]!.b;
}

it('gives -1 before the first period, each period its index, the count from the last end', async () => {
  for (let n = 1; n <= 9; n++)
    for (let x = 0; x <= 10 * n + 25; x++) {
      const expected = x < 10 ? -1 : x >= 10 * n + 10 ? n : Math.floor((x - 10) / 10);
      expect([n, x, await indexOf(x, n)]).toEqual([n, x, expected]);
    }
});

it('gives the count for no time at all (null), as a time after the periods', async () => {
  for (let n = 1; n <= 4; n++) expect(await indexOf(null, n)).toBe(n);
});
