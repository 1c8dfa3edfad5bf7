/**
 * Every phone number in every answer of the route table goes through the number policy: a
 * number-like field of a response schema must be marked (src/api/number-fields.ts), and every
 * marked field of every route's answers comes out masked for QA. Driven by the route table, so a
 * new route with a number field cannot skip the policy.
 */
import type { z } from 'zod';
import { numberFields, type NumberField } from '../../../src/api/number-fields';
import { routes } from '../../../src/api/routes';
import { childrenOf, hasNumbers, maskBody } from '../../../src/privacy/mask-response';
import { numberPolicy, type Viewer } from '../../../src/privacy/number-policy';

type Def = {
  type: string;
  innerType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  options?: z.ZodType[];
  valueType?: z.ZodType;
  entries?: Record<string, unknown>;
  values?: unknown[];
  in?: z.ZodType;
};
const defOf = (s: z.ZodType) => (s as unknown as { _zod: { def: Def } })._zod.def;

/** Number-like keys that are the center's own numbers or internal ones, not customers'. */
const NOT_CUSTOMER_NUMBERS = new Set([
  'callerId', // a campaign's outbound caller ID (the center's)
  'dids', // a queue's dialed numbers (the center's)
  'extension', // an agent's phone extension
]);
const NUMBER_LIKE = /phone|number|e164|caller|callee|dialed|msisdn|mobile|did|raw|contact/i;

/** `route › key.path` of every string leaf under a number-like key that is not marked. */
function unmarked(s: z.ZodType, at: string, key: string, out: string[], seen: Set<z.ZodType>) {
  if (seen.has(s)) return;
  seen.add(s);
  if (numberFields.get(s)) return;
  const d = defOf(s);
  if (d.type === 'object') {
    for (const [k, child] of Object.entries(d.shape ?? {}))
      unmarked(child, `${at}.${k}`, k, out, new Set(seen));
    return;
  }
  if (d.type === 'string' && NUMBER_LIKE.test(key) && !NOT_CUSTOMER_NUMBERS.has(key)) {
    out.push(at);
    return;
  }
  if (d.type === 'unknown' && NUMBER_LIKE.test(key)) out.push(at);
  for (const c of childrenOf(s)) unmarked(c, at, key, out, seen);
}

const FULL = '+8613812348000';
const MASKED = '+86 138****8000';
/** What QA is shown whole: its own input echoed, a reveal. */
const SHOWN = '+8613900001111';
const SHOWN_FIELDS: ReadonlySet<NumberField> = new Set(['search.echo', 'reveal']);

/** A value of `s` with every marked number field holding a full number. */
function sample(s: z.ZodType): unknown {
  const meta = numberFields.get(s);
  if (meta) {
    const n = SHOWN_FIELDS.has(meta.numberField) ? SHOWN : FULL;
    if (meta.form === 'text') return `Wang,${n},Beijing`;
    if (meta.form === 'json') return { target: { type: 'external', number: n } };
    return n;
  }
  const d = defOf(s);
  switch (d.type) {
    case 'object':
      return Object.fromEntries(
        Object.entries(d.shape ?? {}).map(([k, c]) => [
          k,
          /UserId$|^agentId$/.test(k) ? 1 : sample(c),
        ]),
      );
    case 'array':
      return [sample(d.element!)];
    case 'record':
      return { k: sample(d.valueType!) };
    case 'union': {
      const opts = d.options ?? [];
      return sample(opts.find((o) => hasNumbers(o)) ?? opts[0]!);
    }
    case 'nullable':
    case 'optional':
    case 'default':
    case 'readonly':
    case 'prefault':
    case 'catch':
      return sample(d.innerType!);
    case 'pipe':
      return sample(d.in!);
    case 'string':
      return 'x';
    case 'number':
      return 2;
    case 'boolean':
      return false;
    case 'enum':
      return Object.values(d.entries ?? {})[0];
    case 'literal':
      return d.values?.[0];
    default:
      return null;
  }
}

const key = (r: { method: string; path: string }) => `${r.method.toUpperCase()} ${r.path}`;
const answers = routes.flatMap((r) =>
  Object.entries(r.responses)
    .filter((e): e is [string, z.ZodType] => e[1] !== null)
    .map(([status, schema]) => ({ name: `${key(r)} ${status}`, schema })),
);

describe('number fields of the route table', () => {
  it('marks every number-like field of every response (or it is the center’s own number)', () => {
    const missing: string[] = [];
    for (const a of answers) unmarked(a.schema, a.name, '', missing, new Set());
    expect(missing).toEqual([]);
  });

  it('masks every marked number of every answer for QA', () => {
    const qa: Viewer = {
      userId: 5,
      role: 'qa',
      liveCallId: null,
      liveCustomerIds: new Set(),
      liveNumbers: new Set(),
      supplied: new Set(),
    };
    const withNumbers = answers.filter((a) => hasNumbers(a.schema));
    const leaks: string[] = [];
    for (const a of withNumbers) {
      const body = sample(a.schema);
      const text = JSON.stringify(body);
      expect(text.includes(FULL) || text.includes(SHOWN)).toBe(true);
      const out = JSON.stringify(
        maskBody(a.schema, body, {
          policy: numberPolicy(['supervisor', 'admin']),
          viewer: qa,
          defaultRegion: 'CN',
        }).body,
      );
      if (out.includes('13812348000') || (text.includes(FULL) && !out.includes(MASKED)))
        leaks.push(`${a.name}: ${out.slice(0, 300)}`);
    }
    expect(leaks).toEqual([]);
    // The routes known to carry numbers are among them (the check above is not vacuous).
    const names = withNumbers.map((a) => a.name);
    for (const r of [
      'GET /api/calls 200',
      'GET /api/calls/{id} 200',
      'GET /api/customers 200',
      'GET /api/customers/{id} 200',
      'POST /api/customers 201',
      'GET /api/tasks 200',
      'POST /api/complaints 201',
      'GET /api/campaigns/{id}/contacts 200',
      'GET /api/dnc 200',
      'GET /api/imports/{id} 200',
      'POST /api/calls/{id}/reveal 200',
    ])
      expect(names).toContain(r);
  });
});
