/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4): every line is a
 * `# HELP`, a `# TYPE` or a sample of a family typed before it; throws on anything else. Returns
 * the samples, so that tests read real values: `value(samples, 'hotline_calls_live', {direction:
 * 'inbound'})`.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)( \d+)?$/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(,|$)/y;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

export function parsePromText(text: string): { samples: Sample[]; types: Map<string, string> } {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  const familyOf = (name: string) => {
    if (types.has(name)) return name;
    const base = name.replace(/_(bucket|sum|count)$/, '');
    if (types.get(base) === 'histogram' || types.get(base) === 'summary') return base;
    return null;
  };
  for (const [i, line] of text.split('\n').entries()) {
    if (line === '') continue;
    const where = `line ${i + 1}: ${line}`;
    if (line.startsWith('# HELP ')) {
      if (!NAME.test(line.slice(7).split(' ')[0] ?? '')) throw new Error(`bad HELP, ${where}`);
      continue;
    }
    if (line.startsWith('# TYPE ')) {
      const [name = '', type = '', ...rest] = line.slice(7).split(' ');
      if (!NAME.test(name) || !TYPES.has(type) || rest.length)
        throw new Error(`bad TYPE, ${where}`);
      if (types.has(name)) throw new Error(`TYPE twice, ${where}`);
      types.set(name, type);
      continue;
    }
    if (line.startsWith('#')) continue;
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`not a sample, ${where}`);
    const [, name = '', , body = '', raw = ''] = m;
    if (!familyOf(name)) throw new Error(`sample of an untyped family, ${where}`);
    const labels: Record<string, string> = {};
    LABEL.lastIndex = 0;
    while (LABEL.lastIndex < body.length) {
      const l = LABEL.exec(body);
      if (!l) throw new Error(`bad labels, ${where}`);
      labels[l[1]!] = l[2]!.replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c));
    }
    // Go's ParseFloat, which Prometheus uses: NaN and Inf in any case (prom-client writes Nan).
    const word = raw.toLowerCase();
    const value =
      word === 'nan'
        ? NaN
        : /^[+]?inf$/.test(word)
          ? Infinity
          : word === '-inf'
            ? -Infinity
            : Number(raw);
    if (word !== 'nan' && (raw === '' || Number.isNaN(value)))
      throw new Error(`bad value, ${where}`);
    samples.push({ name, labels, value });
  }
  return { samples, types };
}

/** The value of the one sample with that name and (at least) those labels; undefined if none. */
export function value(
  samples: readonly Sample[],
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const found = samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  if (found.length > 1)
    throw new Error(`${name} ${JSON.stringify(labels)}: ${found.length} samples`);
  return found[0]?.value;
}
