/**
 * One way a fact is recorded: outside the calls repository nothing writes the `calls` or
 * `call_events` tables, and nothing patches a record by column. Every fact goes through
 * `calls.open` / `calls.commit` (src/calls/commit.ts for a live call), which derive the record
 * from the event (src/calls/project-record.ts). Other repositories may still read these tables.
 */
import fs from 'node:fs';
import path from 'node:path';

const SRC = path.join(__dirname, '../../../src');
const REPO = path.join('calls', 'calls-repo.ts');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return p === path.join(SRC, 'db') ? [] : sources(p);
    return e.name.endsWith('.ts') && path.relative(SRC, p) !== REPO ? [p] : [];
  });
}

const files = sources(SRC).map((p) => ({
  file: path.relative(SRC, p),
  text: fs.readFileSync(p, 'utf8'),
}));

/** Each knex chain that starts on one of the tables, up to the end of its statement. */
function chainsOn(text: string, table: string): string[] {
  const out: string[] = [];
  const re = new RegExp(`\\(\\s*['"\`]${table}(?:\\s+as\\s+\\w+)?['"\`]\\s*\\)`, 'g');
  for (const m of text.matchAll(re)) {
    const end = text.indexOf(';', m.index);
    out.push(text.slice(m.index, end < 0 ? undefined : end));
  }
  return out;
}

describe('call records are written by the calls repository only', () => {
  it('finds the sources it scans', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files.some((f) => f.file === path.join('calls', 'commit.ts'))).toBe(true);
  });

  it('has no raw record patch or event append outside it', () => {
    const offenders = files
      .filter((f) => /\bcalls\.update\(|\.appendEvent\(/.test(f.text))
      .map((f) => f.file);
    expect(offenders).toEqual([]);
  });

  it('has no insert, update or delete on calls / call_events outside it', () => {
    const offenders = files.flatMap((f) =>
      ['calls', 'call_events'].flatMap((table) =>
        chainsOn(f.text, table)
          .filter((chain) => /\.(insert|update|del|delete|upsert|truncate)\(/.test(chain))
          .map((chain) => `${f.file}: ${chain.slice(0, 80)}`),
      ),
    );
    expect(offenders).toEqual([]);
  });

  it('catches what it is meant to catch', () => {
    const bad = "await trx('calls')\n  .where({ id })\n  .update({ customer_id: 1 });";
    expect(chainsOn(bad, 'calls').some((c) => /\.update\(/.test(c))).toBe(true);
    expect(chainsOn("await db('calls').where({ id }).first('id');", 'calls')).toHaveLength(1);
  });
});
