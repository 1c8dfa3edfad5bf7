import fc from 'fast-check';
import type { ApiRoute } from '../../../src/api/routes';
import type { RawRequest } from '../hotline-fixture';
import {
  badJsonText,
  badQuery,
  badSegments,
  charsets,
  contentTypes,
  csvText,
  encodeBody,
  encodeQuery,
  encodings,
  pct,
  queryPairs,
  toJsonSchema,
} from './request-parts';
import { schemaValues, type Hints } from './schema-values';

export const PRINCIPALS = ['admin', 'supervisor', 'agent', 'qa', 'none', 'forged'] as const;
export type Principal = (typeof PRINCIPALS)[number];

/** What a case gets wrong on purpose: nothing ('valid': as valid as the schemas say), a little
 * ('near-valid'), or one part of the request. */
export type Kind =
  'valid' | 'near-valid' | 'body' | 'params' | 'query' | 'encoding' | 'headers' | 'method';

/** One fuzz case: a request without its token, which is added when it is sent. */
export interface FuzzCase {
  kind: Kind;
  principal: Principal;
  /** How the token travels; `{t}` stands for it ('Bearer {t}' nearly always). */
  auth: string;
  request: RawRequest;
}

export interface CaseContext {
  /** Ids that exist, for a path parameter of a route (`/api/customers/{id}`, `id`). */
  ids: (routePath: string, param: string) => readonly string[];
  hints: Hints;
  /** Who sends this route's requests (weights: admin most of the time). */
  principals: readonly Principal[];
}

interface Body {
  body?: Buffer;
  type?: string;
  encoding?: string;
}

const authStyles = fc.constantFrom(
  'bearer {t}',
  'Bearer  {t}',
  'Bearer {t} x',
  'Bearer {t}{t}',
  'Basic {t}',
  '{t}',
  'Bearer',
  'Bearer ',
  'Bearer \u00ff\u00fe',
);
const oddHeaders = fc.dictionary(
  fc.constantFrom(
    'host',
    'range',
    'accept',
    'if-none-match',
    'if-modified-since',
    'x-forwarded-for',
    'origin',
    'cookie',
  ),
  fc.constantFrom(
    'bytes=0-',
    'bytes=00-',
    'bytes=-1',
    'bytes=1-0',
    'bytes=a-b',
    'bytes=0-1,2-3,4-5',
    'bytes=99999999999-',
    'items=0-1',
    '',
    '*',
    'evil.example; script-src *',
    '[::1]:3000',
    '127.0.0.1, 10.0.0.1, ::ffff:1.2.3.4',
    'not-a-date',
    'W/"x"',
    'null',
    'a'.repeat(2000),
  ),
  { minKeys: 1, maxKeys: 3 },
);

/**
 * The cases for one route of the route table: most nearly valid (values drawn from the route's
 * own request schemas and from ids that exist, so that they reach the capability behind the
 * validation), the others each with one part broken: the body, a path parameter, the query,
 * the charset/content type/content encoding, the headers, or the method.
 */
export function casesFor(route: ApiRoute, ctx: CaseContext): fc.Arbitrary<FuzzCase> {
  const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const req = route.request ?? {};
  const paramSchemas = req.params ? (toJsonSchema(req.params, 'input').properties ?? {}) : {};
  const querySchema = req.query ? toJsonSchema(req.query, 'output') : undefined;
  const queryKeys = Object.keys(querySchema?.properties ?? {});
  const csv = req.bodyType === 'text/csv';

  /** The path, query and body as good as the schemas (and `noisy`: a little off) make them. */
  const good = (noisy: boolean) => {
    const param = (name: string): fc.Arbitrary<string> => {
      const fromSchema = schemaValues(paramSchemas[name] ?? {}, ctx.hints, { noisy })
        .map((v) => pct(typeof v === 'string' ? v : (JSON.stringify(v) ?? '')))
        .filter((s) => s.length > 0);
      const known = ctx.ids(route.path, name);
      if (!known.length) return fromSchema;
      return fc.oneof(
        { weight: noisy ? 3 : 9, arbitrary: fc.constantFrom(...known).map(pct) },
        { weight: 1, arbitrary: fromSchema },
      );
    };
    const params = fc.tuple(...names.map(param));
    const path = params.map((segs) => {
      let i = 0;
      return route.path.replace(/\{\w+\}/g, () => segs[i++]!);
    });
    const query: fc.Arbitrary<string> = querySchema
      ? schemaValues(querySchema, ctx.hints, { noisy }).map((v) =>
          v && typeof v === 'object' && !Array.isArray(v)
            ? encodeQuery(Object.entries(v).flatMap(([k, x]) => queryPairs(k, x)))
            : '',
        )
      : fc.constant('');
    const body: fc.Arbitrary<Body> = csv
      ? csvText(ctx.hints).map((t) => ({ body: Buffer.from(t), type: 'text/csv' }))
      : req.body
        ? schemaValues(toJsonSchema(req.body, 'input'), ctx.hints, { noisy }).map((v) => ({
            body: Buffer.from(JSON.stringify(v) ?? 'null'),
            type: 'application/json',
          }))
        : noisy
          ? fc.constantFrom<Body>({}, {}, {}, { body: Buffer.from('{}'), type: 'application/json' })
          : fc.constant<Body>({});
    return { params, path, query, body };
  };
  const valid = good(false);
  const near = good(true);
  const goodBody = near.body;
  // One parameter broken (the one `n` picks), the others as good as can be.
  const badPath = fc.tuple(near.params, badSegments, fc.nat()).map(([segs, bad, n]) => {
    let i = 0;
    const broken = n % Math.max(1, names.length);
    return route.path.replace(/\{\w+\}/g, () => (i === broken ? (i++, bad) : segs[i++]!));
  });
  const badBody: fc.Arbitrary<Body> = badJsonText.map((b) => ({
    body: Buffer.isBuffer(b) ? b : Buffer.from(b),
    type: csv ? 'text/csv' : 'application/json',
  }));
  const encodedBody: fc.Arbitrary<Body> = fc
    .tuple(
      goodBody,
      fc.option(fc.constantFrom(...contentTypes)),
      fc.option(fc.constantFrom(...charsets)),
      fc.option(fc.constantFrom(...encodings)),
      fc.boolean(),
    )
    .map(([b, type, charset, encoding, intact]) => {
      const text = (b.body ?? Buffer.from('{}')).toString('utf8');
      const bytes =
        charset === 'utf-16le'
          ? Buffer.from(text, 'utf16le')
          : charset === 'latin1'
            ? Buffer.from(text, 'latin1')
            : Buffer.from(text);
      const base = type ?? b.type ?? 'application/json';
      const body: Body = {
        body: encoding ? encodeBody(bytes, encoding, intact) : bytes,
        type: charset === null ? base : `${base}; charset=${charset}`,
        ...(encoding === null ? {} : { encoding }),
      };
      return body;
    });

  const principal = fc.constantFrom(...ctx.principals);
  const kinds: Array<{ weight: number; arbitrary: fc.Arbitrary<Kind> }> = [
    { weight: 5, arbitrary: fc.constant('valid') },
    { weight: 4, arbitrary: fc.constant('near-valid') },
    { weight: 3, arbitrary: fc.constant('body') },
    { weight: names.length ? 3 : 0, arbitrary: fc.constant('params') },
    { weight: 2, arbitrary: fc.constant('query') },
    { weight: 3, arbitrary: fc.constant('encoding') },
    { weight: 1, arbitrary: fc.constant('headers') },
    { weight: 1, arbitrary: fc.constant('method') },
  ];
  return fc.oneof(...kinds.filter((k) => k.weight > 0)).chain((kind) =>
    fc
      .record({
        kind: fc.constant(kind),
        principal,
        auth:
          kind === 'headers'
            ? fc.oneof(fc.constant('Bearer {t}'), authStyles)
            : fc.constant('Bearer {t}'),
        path: kind === 'params' ? badPath : kind === 'valid' ? valid.path : near.path,
        query: kind === 'query' ? badQuery(queryKeys) : kind === 'valid' ? valid.query : near.query,
        body:
          kind === 'body'
            ? badBody
            : kind === 'encoding'
              ? encodedBody
              : kind === 'valid'
                ? valid.body
                : near.body,
        extra: kind === 'headers' ? oddHeaders : fc.constant({}),
        method:
          kind === 'method'
            ? fc.constantFrom(
                ...['HEAD', 'OPTIONS', 'PATCH', 'PUT', 'POST', 'DELETE', 'GET'].filter(
                  (m) => m !== route.method.toUpperCase(),
                ),
              )
            : fc.constant(route.method.toUpperCase()),
      })
      .map((c): FuzzCase => {
        const b = c.body;
        const headers: Record<string, string> = { ...c.extra };
        if (b.type !== undefined) headers['content-type'] = b.type;
        if (b.encoding !== undefined) headers['content-encoding'] = b.encoding;
        return {
          kind: c.kind,
          principal: c.principal,
          auth: c.auth,
          request: {
            method: c.method,
            path: c.query ? `${c.path}?${c.query}` : c.path,
            headers,
            ...(b.body === undefined ? {} : { body: b.body }),
          },
        };
      }),
  );
}
