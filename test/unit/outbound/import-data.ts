import type { Db } from '../../../src/db';

/** A campaign row with the columns the migration requires (campaigns have no repo in these tests). */
export async function insertCampaign(db: Db, name: string, at = Date.now()): Promise<number> {
  const [row] = await db('campaigns')
    .insert({
      name,
      queue: 'sales',
      mode: 'preview',
      hours: JSON.stringify({ from: '09:00', to: '18:00', days: 'mon-fri' }),
      timezone: 'Asia/Shanghai',
      retry_minutes: JSON.stringify({ busy: 10, noAnswer: 60, failed: 30, machine: 240 }),
      caller_id: '+861012345678',
      dispositions: JSON.stringify([]),
      created_at: at,
      updated_at: at,
    })
    .returning<Array<{ id: number }>>('id');
  return row!.id;
}

export async function insertUser(
  db: Db,
  username: string,
  role = 'agent',
  disabled = false,
): Promise<number> {
  const [row] = await db('users')
    .insert({ username, name: username, role, password_hash: 'x', disabled, created_at: 0 })
    .returning<Array<{ id: number }>>('id');
  return row!.id;
}

/** `n` distinct valid Chinese mobile numbers written nationally, from `start`. */
export const mobile = (i: number) => `139${String(i).padStart(8, '0')}`;

/** A CSV of `n` good rows: Mobile, Name, City. */
export function bigCsv(n: number, start = 0): string {
  const lines = ['Mobile,Name,City'];
  for (let i = start; i < start + n; i++)
    lines.push(`${mobile(i)},Customer ${i},"City, ${i % 50}"`);
  return `${lines.join('\r\n')}\r\n`;
}
