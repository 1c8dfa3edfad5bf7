/**
 * db/statements.ts on SQLite: the call path's statements prepared once per connection, in
 * transactions of their own on the writer connection, and a connection that still closes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDb, type Db } from '../../../src/db';
import { queryAll, runOne, statementsOn, transact } from '../../../src/db/statements';

let dir: string;
let db: Db;
beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-stmts-'));
  db = createDb(`sqlite:${path.join(dir, 'db.sqlite')}`);
  await db.schema.createTable('t', (t) => {
    t.increments('id');
    t.string('name').notNullable().unique();
  });
});
afterEach(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

const names = async () =>
  (await queryAll<{ name: string }>(db, 'select "name" from "t" order by "id"', [])).map(
    (r) => r.name,
  );

it('runs, reads and rolls back; a failed statement stays usable, a bad one is not kept', async () => {
  await runOne(db, 'insert into "t" ("name") values (?)', ['a']);
  await transact(db, async (s) => {
    await s.run('insert into "t" ("name") values (?)', ['b']);
    expect(await s.all('select count(*) as n from "t"', [])).toEqual([{ n: 2 }]);
  });
  await expect(
    transact(db, async (s) => {
      await s.run('insert into "t" ("name") values (?)', ['c']);
      await s.run('insert into "t" ("name") values (?)', ['a']); // unique: fails
    }),
  ).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT' });
  expect(await names()).toEqual(['a', 'b']);
  // The same prepared statement after its failure, with new values.
  await runOne(db, 'insert into "t" ("name") values (?)', ['d']);
  await expect(runOne(db, 'insert into "nope" values (?)', [1])).rejects.toThrow(/no such table/);
  await db.schema.createTable('nope', (t) => t.integer('x'));
  await runOne(db, 'insert into "nope" values (?)', [1]); // prepared afresh, not the failure
  expect(await names()).toEqual(['a', 'b', 'd']);
});

it('announces each statement as knex does, and waits for a knex transaction on the writer', async () => {
  const seen: string[] = [];
  db.on('query', (q: { sql: string }) => seen.push(q.sql));
  let release!: () => void;
  const held = db.transaction(async (trx) => {
    await trx('t').insert({ name: 'knex' });
    await new Promise<void>((r) => (release = r));
  });
  await new Promise((r) => setTimeout(r, 20));
  const mine = transact(db, (s) => s.run('insert into "t" ("name") values (?)', ['mine']));
  await new Promise((r) => setTimeout(r, 20));
  // Still waiting for the writer: never inside knex's open transaction.
  expect(seen).not.toContain('insert into "t" ("name") values (?)');
  release();
  await Promise.all([held, mine]);
  expect(await names()).toEqual(['knex', 'mine']);
  expect(seen).toEqual(
    expect.arrayContaining(['BEGIN', 'insert into "t" ("name") values (?)', 'COMMIT']),
  );
});

it('joins a knex transaction (statementsOn): its reads see the transaction, its writes roll back with it', async () => {
  await expect(
    db.transaction(async (trx) => {
      await trx('t').insert({ name: 'in-trx' });
      const s = statementsOn(trx);
      expect(await s.all('select "name" from "t"', [])).toEqual([{ name: 'in-trx' }]);
      await s.run('insert into "t" ("name") values (?)', ['mine']);
      throw new Error('the rest failed');
    }),
  ).rejects.toThrow('the rest failed');
  expect(await names()).toEqual([]);
});

/** Holds the writer in a knex transaction until the returned function is called. */
async function holdWriter(): Promise<() => Promise<void>> {
  let release!: () => void;
  const held = db.transaction(async (trx) => {
    await trx('t').insert({ name: 'held' });
    await new Promise<void>((r) => (release = r));
  });
  await new Promise((r) => setTimeout(r, 20));
  return async () => {
    release();
    await held;
  };
}
const insert = 'insert into "t" ("name") values (?)';

it('commits the transactions that queued while the writer was busy together, in arrival order', async () => {
  const release = await holdWriter();
  const seen: string[] = [];
  db.on('query', (q: { sql: string }) => seen.push(q.sql));
  const first = transact(db, (s) => s.run(insert, ['x']));
  // The second sees the first's write, as it would one after the other.
  const second = transact(db, async (s) => {
    const [row] = await s.all<{ n: number }>('select count(*) as n from "t"', []);
    const n = row!.n;
    await s.run(insert, [`y${n}`]);
    return n;
  });
  const bare = runOne(db, insert, ['z']);
  await release();
  await expect(Promise.all([first, second, bare])).resolves.toEqual([undefined, 2, undefined]);
  expect(await names()).toEqual(['held', 'x', 'y2', 'z']);
  expect(seen.filter((q) => q === 'BEGIN' || q === 'COMMIT')).toEqual(['BEGIN', 'COMMIT']);
  // Alone (nothing queued with it), one statement still goes without BEGIN / COMMIT.
  seen.length = 0;
  await runOne(db, insert, ['alone']);
  expect(seen).toEqual([insert]);
});

it('a failing transaction in a batch fails alone: the others commit on their own', async () => {
  const release = await holdWriter();
  const ok = transact(db, (s) => s.run(insert, ['a']));
  const bad = transact(db, async (s) => {
    await s.run(insert, ['b']);
    await s.run(insert, ['held']); // unique: fails
  });
  const after = runOne(db, insert, ['c']);
  await release();
  await expect(ok).resolves.toBeUndefined();
  await expect(bad).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT' });
  await expect(after).resolves.toBeUndefined();
  expect(await names()).toEqual(['held', 'a', 'c']);
});

it('with no writer connection to be had, each queued transaction fails, and the next ones too', async () => {
  await db.destroy();
  await expect(transact(db, (s) => s.run(insert, ['x']))).rejects.toThrow();
  // A batch that failed to get the connection is not joined by later transactions (which
  // would then wait forever).
  await expect(runOne(db, insert, ['y'])).rejects.toThrow();
  db = createDb(`sqlite:${path.join(dir, 'db.sqlite')}`);
});
