import { z } from 'zod';
import { components, errorSchema } from '../api/common';
import { routes, type ApiRoute } from '../api/routes';

type JsonSchema = Record<string, unknown>;
type Io = 'input' | 'output';

const PREFIX = '#/components/schemas/';
/** Component names of request (input) shapes get this suffix when they differ from the output. */
const INPUT_SUFFIX = 'Input';

/**
 * Converts route schemas through one registry per direction, so that shared shapes (those
 * registered in `components`) become `$ref`s to `components.schemas` and the rest is inlined.
 */
function convert(io: Io, schemas: readonly z.ZodType[]) {
  const suffix = io === 'input' ? INPUT_SUFFIX : '';
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of components._idmap) registry.add(schema, { id });
  const idOf = new Map<z.ZodType, string>();
  for (const s of schemas) {
    if (idOf.has(s)) continue;
    const known = components.get(s)?.id;
    const id = known ?? `route-${io}-${idOf.size}`;
    if (!known) registry.add(s, { id });
    idOf.set(s, id);
  }
  const out = z.toJSONSchema(registry, {
    io,
    unrepresentable: 'any',
    target: 'draft-2020-12',
    uri: (id) => `${PREFIX}${id}${suffix}`,
  }).schemas as Record<string, JsonSchema>;
  for (const s of Object.values(out)) {
    delete s.$schema;
    delete s.$id;
    delete s.id;
  }
  /** The schema of a route: a component's $ref, or the route's own schema inlined. */
  const schemaOf = (s: z.ZodType): JsonSchema => {
    const id = idOf.get(s)!;
    return components.get(s) ? { $ref: `${PREFIX}${id}${suffix}` } : out[id]!;
  };
  return { schemaOf, all: out, suffix };
}

/** `$ref` targets anywhere in a JSON value. */
function refsIn(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) refsIn(v, found);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith(PREFIX))
        found.add(v.slice(PREFIX.length));
      else refsIn(v, found);
    }
  return found;
}

/** Query or path parameters from a zod object (io input). */
function parameters(where: 'query' | 'path', schema: z.ZodObject | undefined) {
  if (!schema) return [];
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, s]) => {
    const { description, ...rest } = s;
    return {
      name,
      in: where,
      required: where === 'path' || (json.required ?? []).includes(name),
      schema: rest,
      ...(typeof description === 'string' ? { description } : {}),
    };
  });
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'created',
  202: 'accepted',
  204: 'done (no body)',
  206: 'partial content (range request)',
  416: 'range not satisfiable',
  503: 'unavailable',
};

const built = new Map<string, ReturnType<typeof generate>>();

/** The API description served at /api/openapi.json, generated from src/api/routes.ts (once). */
export function openApiDocument(version: string) {
  let doc = built.get(version);
  if (!doc) built.set(version, (doc = generate(version)));
  return doc;
}

function generate(version: string) {
  const bodies = routes.flatMap((r) => (r.request?.body ? [r.request.body] : []));
  const replies = routes.flatMap((r) =>
    Object.values(r.responses).filter((s): s is z.ZodType => s !== null),
  );
  const input = convert('input', bodies);
  const output = convert('output', [...replies, errorSchema]);

  const operation = (r: ApiRoute) => {
    const responses: Record<string, unknown> = {};
    for (const [status, schema] of Object.entries(r.responses)) {
      const description = STATUS_TEXT[Number(status)] ?? 'answer';
      if (schema) responses[status] = { description, content: json(output.schemaOf(schema)) };
      else if (r.content && status.startsWith('2'))
        responses[status] = { description, content: { [r.content]: { schema: {} } } };
      else responses[status] = { description };
    }
    if (r.path !== '/healthz' && r.path !== '/readyz' && r.path !== '/api/openapi.json')
      responses.default = {
        description: 'error: {error:{code, message, details?}} with a 4xx/5xx status',
        content: json({ $ref: `${PREFIX}Error` }),
      };
    const body = r.request?.body;
    const params = [
      ...parameters('path', r.request?.params),
      ...parameters('query', r.request?.query),
    ];
    return {
      summary: r.summary,
      ...(r.roles === 'public' ? {} : { security: [{ bearer: [] }] }),
      'x-roles': r.roles,
      ...(r.audit ? { 'x-audit': r.audit } : {}),
      ...(params.length ? { parameters: params } : {}),
      ...(body
        ? {
            requestBody: {
              required: true,
              content: {
                [r.request?.bodyType ?? 'application/json']: { schema: input.schemaOf(body) },
              },
            },
          }
        : {}),
      responses,
    };
  };

  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) (paths[r.path] ??= {})[r.method] = operation(r);

  // Components: the shared shapes referenced anywhere (following references between them).
  const schemas: Record<string, JsonSchema> = {};
  const pending = [...refsIn(paths)];
  while (pending.length) {
    const name = pending.pop()!;
    if (schemas[name]) continue;
    const from = name.endsWith(INPUT_SUFFIX) && !output.all[name] ? input : output;
    const schema = from.all[from === input ? name.slice(0, -INPUT_SUFFIX.length) : name];
    if (!schema) throw new Error(`openapi: no schema for ${name}`);
    schemas[name] = schema;
    pending.push(...refsIn(schema));
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'Hotline API',
      version,
      description:
        'CTI for Asterisk call centers. Every /api route but login needs Authorization: Bearer ' +
        'TOKEN (x-roles: who may call it; x-audit: written to the customer access audit). ' +
        'Phone numbers follow the number policy (masked as +86 138****8000 where the role does ' +
        'not need them). Errors: {error:{code,message,details?}}.',
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b))),
    },
    paths,
  };
}

const json = (schema: JsonSchema) => ({ 'application/json': { schema } });
