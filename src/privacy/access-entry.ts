import type { ApiRoute } from '../api/routes';
import type { AccessEntryInput } from './customer-access-audit';
import { maskPhone, scrubNumbers } from './mask-phone';
import type { SeenRecord } from './mask-response';
import type { Viewer } from './number-policy';

export interface AnsweredRequest {
  route: ApiRoute;
  method: string;
  /** The request path, without the query. */
  path: string;
  query: Record<string, unknown>;
  body: unknown;
  /** The answer as the handler built it, and the records the number policy went through. */
  answer: unknown;
  records: readonly SeenRecord[];
  viewer: Viewer;
  at: number;
}

/**
 * The customer access audit's entry for an answered request, or null: routes marked `audit` in
 * the route table, read by a non-agent (qa, supervisor, admin), unless every record of the answer
 * is the reader's own (their call, their customer); every reveal, whoever makes it.
 */
export function accessEntry(r: AnsweredRequest): AccessEntryInput | null {
  const action = r.route.audit;
  if (!action) return null;
  const base = {
    at: r.at,
    userId: r.viewer.userId,
    role: r.viewer.role,
    action,
    path: `${r.method.toUpperCase()} ${scrubNumbers(r.path)}`,
  };
  if (action === 'reveal') {
    const answer = (r.answer ?? {}) as { callId?: unknown; customerId?: unknown };
    const reason = (r.body as { reason?: unknown } | null)?.reason;
    return {
      ...base,
      callId: typeof answer.callId === 'string' ? answer.callId : null,
      customerId: typeof answer.customerId === 'number' ? answer.customerId : null,
      detail: typeof reason === 'string' && reason.trim() ? scrubNumbers(reason.trim()) : null,
      count: null,
    };
  }
  if (r.viewer.role === 'agent') return null;
  if (r.records.length > 0 && r.records.every((x) => x.own)) return null;
  const one = r.records.length === 1 ? r.records[0]! : null;
  return {
    ...base,
    callId: one?.kind === 'call' && typeof one.id === 'string' ? one.id : null,
    customerId: one?.customerId ?? null,
    detail: queryTerms(r.query),
    count: r.records.length,
  };
}

/** `phone=+86 138****8000&q=Li`: the query as sent, every number in it masked. */
export function queryTerms(query: Record<string, unknown>): string | null {
  const terms = Object.entries(query).flatMap(([k, v]) =>
    (Array.isArray(v) ? v : [v])
      .filter((x): x is string => typeof x === 'string')
      .map((x) => `${k}=${/phone|number/i.test(k) ? maskPhone(x) : scrubNumbers(x)}`),
  );
  return terms.length ? terms.join('&') : null;
}
