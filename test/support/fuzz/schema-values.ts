import fc from 'fast-check';

/** The JSON Schema subset that `z.toJSONSchema` writes for the route table's request shapes. */
export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
}

/**
 * Values a field of this name is likely to need to get past validation into the capability
 * behind it (a valid phone number, a known queue, an id that exists). `hint(name)` returns
 * candidates or undefined.
 */
export type Hints = (name: string) => readonly unknown[] | undefined;

/** Strings that have broken parsers, lookups and SQL before. */
export const nastyStrings = [
  '',
  ' ',
  '%',
  '%ZZ',
  '\u0000',
  'null',
  'undefined',
  'NaN',
  '-1',
  '0',
  '1e309',
  '9007199254740993',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  "' OR 1=1 --",
  '%_\\',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '\ud800',
  '😀'.repeat(50),
  'x'.repeat(5000),
  '2026-02-30T25:61:00Z',
  '{"a":1}',
  '[]',
] as const;

/** Any JSON value, some of them hostile (big, deep, prototype keys). */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 2, arbitrary: fc.constantFrom<unknown>(...nastyStrings) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<unknown>(
      Number.MAX_SAFE_INTEGER + 2,
      -0,
      1e308,
      -1e308,
      0.1,
      JSON.parse('{"__proto__":{"admin":true}}'),
      { constructor: { prototype: { polluted: true } } },
      [[[[[[[[[[[]]]]]]]]]]],
    ),
  },
);

const isoDate = fc
  .date({
    min: new Date('1969-01-01T00:00:00Z'),
    max: new Date('2100-01-01T00:00:00Z'),
    noInvalidDate: true,
  })
  .map((d) => d.toISOString());

/** The value one time in eight, else null. */
const rarely = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | null> =>
  fc.oneof({ weight: 7, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: arb });

function stringArb(s: JsonSchema): fc.Arbitrary<string> {
  if (s.format === 'date-time') return isoDate;
  const minLength = s.minLength ?? 0;
  const maxLength = Math.max(minLength, Math.min(s.maxLength ?? 40, 40));
  if (s.pattern)
    try {
      return fc
        .stringMatching(new RegExp(s.pattern))
        .filter((v) => v.length >= minLength && v.length <= (s.maxLength ?? Infinity));
    } catch {
      // A pattern fast-check cannot generate from: any string.
    }
  return fc.string({ minLength, maxLength, unit: 'grapheme' });
}

function numberArb(s: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const lo = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : -1000);
  const hi = Math.min(s.maximum ?? 1e6, 1e6);
  const min = Math.min(lo, hi);
  if (integer) return fc.integer({ min: Math.ceil(min), max: Math.floor(hi) });
  return fc.double({ min, max: hi, noNaN: true, noDefaultInfinity: true });
}

/** Does a hint suit the schema of the field it is named for (type, pattern, length)? */
function fits(s: JsonSchema, v: unknown): boolean {
  const union = s.anyOf ?? s.oneOf;
  if (union) return union.some((u) => fits(u, v));
  if (s.enum) return s.enum.includes(v);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  // An array's hints are for its items (`phones`: phone numbers), which share its name.
  if (type === 'array' || type === 'object') return false;
  if (type === 'string') {
    if (typeof v !== 'string') return false;
    if (s.pattern && !new RegExp(s.pattern).test(v)) return false;
    return v.length >= (s.minLength ?? 0) && v.length <= (s.maxLength ?? Infinity);
  }
  if (type === 'integer') return Number.isInteger(v);
  if (type === 'number') return typeof v === 'number';
  return type === undefined;
}

/**
 * Values for a schema. `noisy` (the default): they match most of the time and are a little off
 * some of the time (a field of another type, a missing required field, an unknown field), the
 * mix that probes a validator's edges. Not noisy: they match whenever the schema can say so,
 * with the hints' values preferred, to get past validation into the code behind it.
 */
export function schemaValues(
  schema: JsonSchema,
  hints: Hints = () => undefined,
  { noisy = true }: { noisy?: boolean } = {},
): fc.Arbitrary<unknown> {
  const root = schema;
  const go = (s: JsonSchema, name: string, depth: number): fc.Arbitrary<unknown> => {
    const exact = exactly(s, name, depth);
    // One value in ten is anything at all, at every depth.
    return noisy
      ? fc.oneof({ weight: 9, arbitrary: exact }, { weight: 1, arbitrary: anyJson })
      : exact;
  };
  const exactly = (s: JsonSchema, name: string, depth: number): fc.Arbitrary<unknown> => {
    if (s.$ref) {
      const key = s.$ref.replace(/^#\/\$defs\//, '');
      const target = s.$ref === '#' ? root : root.$defs?.[key];
      return target && depth < 4 ? exactly(target, name, depth + 1) : anyJson;
    }
    const hinted = (hints(name) ?? []).filter((v) => fits(s, v));
    const base = shape(s, name, depth);
    return hinted.length
      ? fc.oneof(
          { weight: noisy ? 3 : 8, arbitrary: fc.constantFrom(...hinted) },
          { weight: 1, arbitrary: base },
        )
      : base;
  };
  const shape = (s: JsonSchema, name: string, depth: number): fc.Arbitrary<unknown> => {
    if (s.const !== undefined) return fc.constant(s.const);
    if (s.enum?.length) return fc.constantFrom(...s.enum);
    const union = s.anyOf ?? s.oneOf;
    if (union?.length) return fc.oneof(...union.map((u) => exactly(u, name, depth)));
    if (s.allOf?.length) return exactly(s.allOf[0]!, name, depth);
    const type = Array.isArray(s.type) ? s.type[0] : s.type;
    switch (type) {
      case 'string':
        return stringArb(s);
      case 'integer':
        return numberArb(s, true);
      case 'number':
        return numberArb(s, false);
      case 'boolean':
        return fc.boolean();
      case 'null':
        return fc.constant(null);
      case 'array': {
        const item = s.items ? go(s.items, name, depth + 1) : anyJson;
        const minLength = s.minItems ?? 0;
        return fc.array(item, {
          minLength,
          maxLength: Math.max(minLength, Math.min(s.maxItems ?? 4, 4)),
        });
      }
      case 'object':
        return objectArb(s, depth);
      default:
        return anyJson;
    }
  };
  const objectArb = (s: JsonSchema, depth: number): fc.Arbitrary<unknown> => {
    if (depth > 5) return fc.constant({});
    const props = s.properties ?? {};
    const required = new Set(s.required ?? []);
    const fields = Object.fromEntries(
      Object.entries(props).map(([k, v]) => [k, go(v, k, depth + 1)]),
    );
    const record = fc.record(fields, {
      requiredKeys: Object.keys(props).filter((k) => required.has(k)),
    });
    if (!noisy) return record;
    return fc
      .tuple(
        record,
        // Now and then a required field goes missing, or an unknown one comes along.
        rarely(fc.constantFrom(...(required.size ? [...required] : ['-']))),
        rarely(
          fc.array(fc.tuple(fc.constantFrom('__proto__', 'extra', 'id', 'constructor'), anyJson), {
            minLength: 1,
            maxLength: 2,
          }),
        ),
      )
      .map(([value, drop, extra]) => {
        const out: Record<string, unknown> = { ...value };
        if (drop) delete out[drop];
        // defineProperty: `__proto__` as an own key, as JSON.parse makes it.
        for (const [k, v] of extra ?? [])
          Object.defineProperty(out, k, {
            value: v,
            enumerable: true,
            writable: true,
            configurable: true,
          });
        return out;
      });
  };
  return go(schema, '', 0);
}
