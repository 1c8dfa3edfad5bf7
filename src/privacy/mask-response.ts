/**
 * Applies the number policy to a response body by its schema: every value at a field marked with
 * `phoneString` / `phoneText` / `phoneBlob` (src/api/number-fields.ts) is kept or masked as the
 * policy says for the requester, inside the nearest enclosing record registered with
 * `numberRecord`. Returns a copy (the input is never changed) and the records it went through,
 * for the access audit.
 */
import type { z } from 'zod';
import {
  numberFields,
  numberRecords,
  type NumberFieldMeta,
  type NumberRecord,
} from '../api/number-fields';
import { normaliseNumber } from '../customers/normalise-number';
import { maskPhone, replaceNumbers } from './mask-phone';
import { isOwnRecord, RECORD_OF, showsFull, type NumberPolicy, type Viewer } from './number-policy';

/** A record the body held: what the audit counts and names. */
export interface SeenRecord {
  kind: NumberRecord;
  id: string | number | null;
  /** The customer it is about: a customer's own id, a call's customerId. */
  customerId: number | null;
  own: boolean;
  /** Some number of it was masked. */
  masked: boolean;
}

export interface MaskContext {
  policy: NumberPolicy;
  viewer: Viewer;
  defaultRegion: string;
}

interface Frame {
  kind: NumberRecord;
  value: Record<string, unknown>;
  seen: SeenRecord;
  own?: boolean;
}

type Def = {
  type: string;
  innerType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  options?: z.ZodType[];
  valueType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  left?: z.ZodType;
  right?: z.ZodType;
  getter?: () => z.ZodType;
};
const defOf = (s: z.ZodType) => (s as unknown as { _zod: { def: Def } })._zod.def;
const WRAPPERS = new Set(['nullable', 'optional', 'default', 'prefault', 'readonly', 'catch']);

/** Schemas directly below `s` (one level: wrappers, shape entries, elements, options…). */
export function childrenOf(s: z.ZodType): z.ZodType[] {
  const d = defOf(s);
  if (WRAPPERS.has(d.type) && d.innerType) return [d.innerType];
  switch (d.type) {
    case 'object':
      return Object.values(d.shape ?? {});
    case 'array':
      return d.element ? [d.element] : [];
    case 'union':
      return d.options ?? [];
    case 'record':
      return d.valueType ? [d.valueType] : [];
    case 'pipe':
      return [d.in, d.out].filter((x): x is z.ZodType => Boolean(x));
    case 'intersection':
      return [d.left, d.right].filter((x): x is z.ZodType => Boolean(x));
    case 'lazy':
      return d.getter ? [d.getter()] : [];
    default:
      return [];
  }
}

const hasNumbersCache = new WeakMap<z.ZodType, boolean>();
/** Does `s` hold a marked number field anywhere? (Subtrees without one are passed as they are.) */
export function hasNumbers(s: z.ZodType, seen = new Set<z.ZodType>()): boolean {
  const cached = hasNumbersCache.get(s);
  if (cached !== undefined) return cached;
  if (seen.has(s)) return false;
  seen.add(s);
  const found = Boolean(numberFields.get(s)) || childrenOf(s).some((c) => hasNumbers(c, seen));
  hasNumbersCache.set(s, found);
  return found;
}

/** Does `s` hold a record of `kind` anywhere? */
export function holdsRecord(
  s: z.ZodType,
  kind: NumberRecord,
  seen = new Set<z.ZodType>(),
): boolean {
  if (seen.has(s)) return false;
  seen.add(s);
  if (numberRecords.get(s)?.numberRecord === kind) return true;
  return childrenOf(s).some((c) => holdsRecord(c, kind, seen));
}

/** Keys of free-form JSON (timeline data) whose string values are phone numbers. */
const NUMBER_KEY = /number|phone|caller|callee|dialed|e164|msisdn|mobile/i;

export function maskBody(
  schema: z.ZodType,
  body: unknown,
  ctx: MaskContext,
): { body: unknown; records: SeenRecord[] } {
  const records: SeenRecord[] = [];
  const stack: Frame[] = [];
  // Last four digits of each number the request carried: most values are ruled out without
  // parsing them.
  const tails = new Set([...ctx.viewer.supplied].map((n) => n.slice(-4)));
  const supplied = (v: string) => {
    if (ctx.viewer.supplied.size === 0) return false;
    if (ctx.viewer.supplied.has(v)) return true;
    if (!tails.has(v.replace(/\D/g, '').slice(-4))) return false;
    const n = normaliseNumber(v, ctx.defaultRegion);
    return n !== null && ctx.viewer.supplied.has(n.e164);
  };

  function decide(meta: NumberFieldMeta, value: string): string {
    const visibility = ctx.policy[ctx.viewer.role][meta.numberField];
    const kind = RECORD_OF[meta.numberField];
    const frame = kind ? [...stack].reverse().find((f) => f.kind === kind) : undefined;
    const own = () => {
      if (!frame) return false;
      frame.own ??= isOwnRecord(frame.kind, frame.value, ctx.viewer);
      return frame.own;
    };
    if (showsFull(visibility, own) || supplied(value)) return value;
    if (frame) frame.seen.masked = true;
    return maskPhone(value);
  }

  function leaf(meta: NumberFieldMeta, value: unknown): unknown {
    if (meta.form === 'string') return typeof value === 'string' ? decide(meta, value) : value;
    // Free text: each number in it decided on its own, the rest of the text kept.
    if (meta.form === 'text')
      return typeof value === 'string' ? replaceNumbers(value, (n) => decide(meta, n)) : value;
    return json(meta, value, false);
  }
  function json(meta: NumberFieldMeta, value: unknown, numberKey: boolean): unknown {
    if (typeof value === 'string') return numberKey ? decide(meta, value) : value;
    if (Array.isArray(value)) return value.map((v) => json(meta, v, numberKey));
    if (value && typeof value === 'object')
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, json(meta, v, numberKey || NUMBER_KEY.test(k))]),
      );
    return value;
  }

  function walk(s: z.ZodType, value: unknown): unknown {
    if (value === null || value === undefined || !hasNumbers(s)) return value;
    const meta = numberFields.get(s);
    if (meta) return leaf(meta, value);
    const rec = numberRecords.get(s);
    const isObject = typeof value === 'object' && !Array.isArray(value);
    if (rec && isObject) {
      const v = value as Record<string, unknown>;
      const seen: SeenRecord = {
        kind: rec.numberRecord,
        id: typeof v.id === 'number' || typeof v.id === 'string' ? v.id : null,
        customerId:
          rec.numberRecord === 'customer' && typeof v.id === 'number'
            ? v.id
            : typeof v.customerId === 'number'
              ? v.customerId
              : null,
        own: false,
        masked: false,
      };
      const frame: Frame = { kind: rec.numberRecord, value: v, seen };
      stack.push(frame);
      const out = walkInner(s, value);
      stack.pop();
      seen.own = frame.own ?? isOwnRecord(frame.kind, v, ctx.viewer);
      records.push(seen);
      if (seen.masked && out && typeof out === 'object' && hasKey(s, 'numbersMasked'))
        (out as Record<string, unknown>).numbersMasked = true;
      return out;
    }
    return walkInner(s, value);
  }

  function walkInner(s: z.ZodType, value: unknown): unknown {
    const d = defOf(s);
    if (WRAPPERS.has(d.type) && d.innerType) return walk(d.innerType, value);
    switch (d.type) {
      case 'object': {
        if (typeof value !== 'object' || Array.isArray(value)) return value;
        const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
        for (const [k, child] of Object.entries(d.shape ?? {}))
          if (k in out) out[k] = walk(child, out[k]);
        return out;
      }
      case 'array':
        return Array.isArray(value) && d.element ? value.map((v) => walk(d.element!, v)) : value;
      case 'record':
        if (typeof value !== 'object' || Array.isArray(value) || !d.valueType) return value;
        return Object.fromEntries(
          Object.entries(value as Record<string, unknown>).map(([k, v]) => [
            k,
            walk(d.valueType!, v),
          ]),
        );
      case 'union': {
        // The option the value is, among those that hold numbers.
        const option = (d.options ?? []).find((o) => hasNumbers(o) && o.safeParse(value).success);
        return option ? walk(option, value) : value;
      }
      case 'pipe':
        return walk(d.out && hasNumbers(d.out) ? d.out : d.in!, value);
      case 'intersection':
        return walk(d.right!, walk(d.left!, value));
      case 'lazy':
        return walk(d.getter!(), value);
      default:
        return value;
    }
  }

  return { body: walk(schema, body), records };
}

/** Does the object schema `s` (through wrappers) have the key? */
function hasKey(s: z.ZodType, key: string): boolean {
  const d = defOf(s);
  if (WRAPPERS.has(d.type) && d.innerType) return hasKey(d.innerType, key);
  return d.type === 'object' && key in (d.shape ?? {});
}
