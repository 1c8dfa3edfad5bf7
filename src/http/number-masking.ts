import type { RequestHandler } from 'express';
import type { AgentDirectory } from '../agents/agent-directory';
import type { ApiRoute } from '../api/routes';
import type { CallsRepo } from '../calls/calls-repo';
import { accessEntry } from '../privacy/access-entry';
import type { CustomerAccessAudit } from '../privacy/customer-access-audit';
import { holdsRecord, maskBody } from '../privacy/mask-response';
import type { NumberPolicy } from '../privacy/number-policy';
import { viewerOf } from '../privacy/viewer';
import type { ScreenPop } from '../screenpop/agent-events';
import type { Clock } from '../shared/clock';

export interface NumberMaskingDeps {
  policy: NumberPolicy;
  defaultRegion: string;
  agents: Pick<AgentDirectory, 'get'>;
  calls: Pick<CallsRepo, 'get'>;
  clock: Clock;
  /** The pop on the user's screen (the gateway's), for a customer on their live call. */
  livePop?: (userId: number) => ScreenPop | undefined;
  /** Where views, searches, exports and reveals are written; none = not audited (tests). */
  audit?: Pick<CustomerAccessAudit, 'write'>;
}

const liveCache = new WeakMap<ApiRoute, boolean>();
/** Can the route's answers hold customers (whose owner rule asks about the live call)? */
const needsLiveCustomer = (routes: readonly ApiRoute[]) =>
  routes.some((r) => {
    let v = liveCache.get(r);
    if (v === undefined) {
      v = Object.values(r.responses).some((s) => s !== null && holdsRecord(s, 'customer'));
      liveCache.set(r, v);
    }
    return v;
  });

/**
 * The number policy on every /api answer, in one place: mounted after `authorize`, it wraps
 * `res.json` so that each success body passes through `maskBody` with the schema the route
 * table gives its status (src/api/routes.ts), and the routes the table marks `audit` are written
 * to the customer access audit before the answer leaves. Handlers build full records and never
 * check a role for numbers themselves.
 */
export function numberMasking(deps: NumberMaskingDeps): RequestHandler {
  return (req, res, next) => {
    const user = req.user;
    const matched = req.apiRoutes ?? [];
    if (!user || matched.length === 0) {
      next();
      return;
    }
    viewerOf(deps, user, {
      parts: [req.query, req.body],
      needsLiveCustomer: needsLiveCustomer(matched),
    })
      .then((viewer) => {
        const json = res.json.bind(res);
        res.json = (body: unknown) => {
          const status = res.statusCode;
          const route = matched.find((r) => r.responses[status]);
          const schema = route?.responses[status];
          if (!route || !schema || status >= 300) return json(body);
          const masked = maskBody(schema, body, {
            policy: deps.policy,
            viewer,
            defaultRegion: deps.defaultRegion,
          });
          const entry = deps.audit
            ? accessEntry({
                route,
                method: req.method,
                path: req.originalUrl.split('?')[0] ?? req.path,
                query: req.query,
                body: req.body,
                answer: body,
                records: masked.records,
                viewer,
                at: deps.clock.now(),
              })
            : null;
          if (!entry || !deps.audit) return json(masked.body);
          // Written before the answer leaves: no audited read goes unrecorded.
          deps.audit.write(entry).then(() => json(masked.body), next);
          return res;
        };
        next();
      })
      .catch(next);
  };
}
