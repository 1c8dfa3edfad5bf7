/** The doctor reads the service's database (users with an extension, DIDs) and never writes it. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDb, migrate } from '../../../src/db';
import { readDirectory } from '../../../src/doctor';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'doctor-db-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

it('gives the active users with an extension and the queues’ DIDs', async () => {
  const file = path.join(dir, 'hotline.sqlite');
  const db = createDb(`sqlite:${file}`);
  await migrate(db);
  const user = (username: string, extension: string | null, disabled = false) => ({
    username,
    name: username,
    role: 'agent',
    password_hash: 'x',
    extension,
    disabled,
    created_at: 0,
  });
  await db('users').insert([
    user('bob', '1002'),
    user('ann', '1001'),
    user('quinn', null),
    user('gone', '1009', true),
  ]);
  const [queue] = await db('queues').insert({ name: 'sales', created_at: 0 }, ['id']);
  await db('queue_dids').insert({ did: '862150001234', queue_id: (queue as { id: number }).id });
  await db.destroy();
  const before = fs.statSync(file).mtimeMs;

  await expect(readDirectory(`sqlite:${file}`)).resolves.toEqual({
    users: [
      { username: 'ann', extension: '1001' },
      { username: 'bob', extension: '1002' },
    ],
    dids: ['862150001234'],
  });
  expect(fs.statSync(file).mtimeMs).toBe(before);
});

it('says there is no database yet, and does not create one', async () => {
  const file = path.join(dir, 'none.sqlite');
  await expect(readDirectory(`sqlite:${file}`)).rejects.toThrow(
    `no database at ${file} yet (start Hotline once and create the users)`,
  );
  expect(fs.existsSync(file)).toBe(false);
});

it('says when the file is no Hotline database', async () => {
  const file = path.join(dir, 'empty.sqlite');
  const db = createDb(`sqlite:${file}`);
  await db.raw('select 1');
  await db.destroy();
  await expect(readDirectory(`sqlite:${file}`)).rejects.toThrow(
    /^cannot read users from DATABASE_URL/,
  );
});
