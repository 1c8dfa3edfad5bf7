import fs from 'node:fs';
import path from 'node:path';
import { ERRORS } from '../../../src/shared/errors';

/**
 * Keeps the error catalogue "one code per situation": every code the code base names is in
 * src/shared/errors.ts, every catalogue code is documented in docs/errors.md (and nothing else is),
 * and no catalogue code is dead.
 */
const root = path.resolve(__dirname, '../../..');
const catalogue = new Set(Object.keys(ERRORS));
const errorsFile = path.join(root, 'src/shared/errors.ts');

function filesUnder(dir: string, ext: RegExp): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : filesUnder(p, ext);
    return ext.test(e.name) ? [p] : [];
  });
}

/** Quoted `HOTLINE_...` literals ('x', "x" or `x` with nothing after the name), per file. */
const LITERAL = /['"`](HOTLINE_[A-Z_]+)['"`]/g;
function literalsIn(files: string[]): Map<string, string[]> {
  const where = new Map<string, string[]>();
  for (const f of files)
    for (const m of fs.readFileSync(f, 'utf8').matchAll(LITERAL)) {
      const list = where.get(m[1]!) ?? [];
      list.push(path.relative(root, f));
      where.set(m[1]!, list);
    }
  return where;
}

// src/config/ names environment variables (HOTLINE_ADMIN_PASSWORD, ...), which are not errors.
const srcFiles = filesUnder(path.join(root, 'src'), /\.ts$/).filter(
  (f) => !f.startsWith(path.join(root, 'src/config') + path.sep),
);
const webFiles = filesUnder(path.join(root, 'web/src'), /\.tsx?$/);
const codesOf = (file: string) =>
  new Set(fs.readFileSync(path.join(root, file), 'utf8').match(/\bHOTLINE_[A-Z_]*[A-Z]\b/g) ?? []);

describe('the error catalogue', () => {
  it('has a status and a one-line description for every code', () => {
    for (const [code, e] of Object.entries(ERRORS)) {
      expect([code, e.status >= 400 && e.status < 600]).toEqual([code, true]);
      expect([code, e.description.length > 0 && !e.description.includes('\n')]).toEqual([
        code,
        true,
      ]);
    }
  });

  it('names every code that src/ and web/src use', () => {
    const used = literalsIn([...srcFiles, ...webFiles]);
    const unknown = [...used]
      .filter(([code]) => !catalogue.has(code))
      .map(([code, files]) => `${code} (${[...new Set(files)].join(', ')})`);
    expect(unknown).toEqual([]);
  });

  it('is documented in docs/errors.md, code for code', () => {
    const documented = codesOf('docs/errors.md');
    expect([...catalogue].filter((c) => !documented.has(c))).toEqual([]);
    expect([...documented].filter((c) => !catalogue.has(c))).toEqual([]);
  });

  it('has no code that src/ never uses', () => {
    const used = literalsIn(srcFiles.filter((f) => f !== errorsFile));
    expect([...catalogue].filter((c) => !used.has(c))).toEqual([]);
  });

  it('is the only source of the codes the API documents name', () => {
    const docs = fs.readdirSync(path.join(root, 'docs')).filter((f) => /^api-.*\.md$/.test(f));
    const stale = docs.flatMap((f) =>
      [...codesOf(`docs/${f}`)].filter((c) => !catalogue.has(c)).map((c) => `${c} (docs/${f})`),
    );
    expect(stale).toEqual([]);
  });
});
