/** The pieces of malformed requests: path segments, query strings, bodies, encodings. */
import zlib from 'node:zlib';
import fc from 'fast-check';
import { z } from 'zod';
import { anyJson, nastyStrings, type Hints, type JsonSchema } from './schema-values';

export const toJsonSchema = (s: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(s, { io, unrepresentable: 'any' }) as JsonSchema;

/** Percent-encodes a string's UTF-8 bytes (a lone surrogate becomes U+FFFD), like a browser. */
export const pct = (s: string) =>
  [...Buffer.from(s, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');

/** Path segments that are not a valid value (or not even valid percent-encoding). */
export const badSegments = fc.oneof(
  fc.constantFrom(
    '%',
    '%ZZ',
    '%E0%A4%A',
    '%C0%AF',
    '%FF%FE',
    '%uD800',
    '%00',
    '%2F',
    '%2e%2e',
    '..',
    '.',
    'me',
    '%20',
    '0',
    '-1',
    '1.5',
    '1e3',
    '0x10',
    '99999999999999999999',
    '9007199254740993',
    'abc',
    'null',
    '__proto__',
    'constructor',
    'toString',
    'a'.repeat(3000),
    ';',
    '*',
    "'",
    '%22%3E%3Cscript%3E',
  ),
  fc.string({ minLength: 1, maxLength: 30, unit: 'binary' }).map(pct),
  fc
    .uint8Array({ minLength: 1, maxLength: 12 })
    .map((b) => [...b].map((x) => `%${x.toString(16).padStart(2, '0')}`).join('')),
);

export const garbage = fc.constantFrom(...nastyStrings.filter((s) => s.length < 100));

/** A query value as the client would write it: scalars as text, arrays as repeated keys. */
export function queryPairs(key: string, value: unknown): Array<[string, string]> {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap((v) => queryPairs(key, v));
  if (typeof value === 'string') return [[key, value]];
  return [[key, JSON.stringify(value) ?? '']];
}
export const encodeQuery = (pairs: Array<[string, string]>) =>
  pairs.map(([k, v]) => `${pct(k)}=${pct(v)}`).join('&');

/** Query strings with wrong types, unknown and repeated keys, and broken percent-encoding. */
export function badQuery(keys: string[]): fc.Arbitrary<string> {
  const key = fc.constantFrom(...keys, '__proto__', 'constructor', 'limit[]', 'a[b]', '');
  const value = fc.oneof(garbage, fc.string({ maxLength: 20, unit: 'binary' }));
  return fc.oneof(
    fc.array(fc.tuple(key, value), { minLength: 1, maxLength: 5 }).map(encodeQuery),
    fc.constantFrom('%', '%ZZ=1', 'a=%', '&&&', '==', '=x', 'limit=1&limit=2', '?', 'x=%E0%A4%A'),
    fc.tuple(key, fc.constantFrom('%', '%G0', '%%', '%E0%A4%A')).map(([k, v]) => `${pct(k)}=${v}`),
  );
}

/** Bodies a JSON parser or the code behind it may choke on. */
export const badJsonText: fc.Arbitrary<string | Buffer> = fc.oneof(
  anyJson.map((v) => JSON.stringify(v) ?? 'null'),
  fc.jsonValue().map((v) => JSON.stringify(v).slice(0, -1)),
  fc.constantFrom(
    '',
    ' ',
    '{"a":1,}',
    "{'a':1}",
    'NaN',
    '{"a":NaN}',
    '\uFEFF{}',
    '{}{}',
    '[1,2',
    'null',
    'true',
    '"x"',
    '123',
    '{"name":"\\ud800"}',
    '{"__proto__":{"role":"admin"}}',
    `${'['.repeat(20_000)}${']'.repeat(20_000)}`,
    `{"name":${'['.repeat(60_000)}${']'.repeat(60_000)}}`,
    `{"name":"${'x'.repeat(200_000)}"}`,
    `[${'{},'.repeat(40_000)}{}]`,
  ),
  fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
);

/** A CSV import: a header and a few rows, with hostile cells now and then. */
export function csvText(hints: Hints): fc.Arbitrary<string> {
  const cell = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...(hints('phone') ?? ['13800138000'])).map(String) },
    { weight: 3, arbitrary: fc.string({ maxLength: 12 }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('"', '""', '"a,b"', '"unterminated', '\u0000', '\r', '=cmd()'),
    },
  );
  const header = fc.constantFrom(
    'Name,Mobile,Agent',
    'Mobile',
    'Name;Mobile',
    '',
    '\uFEFFName,Mobile',
  );
  const row = fc.array(cell, { minLength: 0, maxLength: 4 }).map((cells) => cells.join(','));
  return fc
    .tuple(header, fc.array(row, { maxLength: 6 }), fc.constantFrom('\r\n', '\n', '\r'))
    .map(([h, rows, eol]) => [h, ...rows].join(eol) + eol);
}

export const charsets = [
  'utf-8',
  'UTF-8',
  'utf8',
  'utf-16le',
  'utf-16',
  'utf-32',
  'latin1',
  'latin9',
  'gbk',
  'x-nonexistent',
  '',
  '"utf-8"',
  "utf-8'",
];
export const contentTypes = [
  'application/json',
  'application/json;',
  'application/json; boundary=x; charset=utf-8',
  'application/json; charset="unterminated',
  'Application/JSON',
  'application/vnd.api+json',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'multipart/form-data; boundary=',
  'text/plain',
  'text/csv',
  'text/csv; header=present',
  '*/*',
  'application/*',
  'garbage',
  ';;;',
  '',
];
export const encodings = [
  'gzip',
  'deflate',
  'br',
  'identity',
  'IDENTITY',
  'bogus',
  'gzip, gzip',
  'x-gzip',
  'zstd',
  'GZIP',
  '',
];

export function encodeBody(body: Buffer, encoding: string, intact: boolean): Buffer {
  const e = encoding.toLowerCase();
  const packed =
    e === 'gzip'
      ? zlib.gzipSync(body)
      : e === 'deflate'
        ? zlib.deflateSync(body)
        : e === 'br'
          ? zlib.brotliCompressSync(body)
          : body;
  return intact || packed === body ? packed : packed.subarray(0, Math.max(1, packed.length >> 1));
}
