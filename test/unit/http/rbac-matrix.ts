import type { Role } from '../../../src/api/auth';

/**
 * Who may call each route: the expected-access table the RBAC matrix
 * (rbac-matrix.test.ts) checks the running app against, every route × every role, no token and a
 * bad token. Kept apart from the route table on purpose: widening a route's roles in
 * src/api/routes.ts fails the matrix until this table says so too, so the change is made twice
 * and seen in review. A route missing here (or here and not in the route table) fails as well.
 *
 * `public`: no token needed; `any`: every logged-in role (the handler may still narrow what it
 * shows to the caller's own records); otherwise the roles allowed.
 */
export type Access = 'public' | 'any' | readonly Role[];

const managers = ['supervisor', 'admin'] as const;
const reviewers = ['qa', 'supervisor', 'admin'] as const;
/** Agents (inbound and outbound) and managers: calls, customers, tasks, campaigns. */
const desk = ['agent', 'supervisor', 'admin'] as const;
const admin = ['admin'] as const;

export const expectedAccess: Record<string, Access> = {
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  // Its own token or addresses (metrics.token / allowFrom), never a session: test/unit/metrics/.
  'GET /metrics': 'public',
  'GET /api/openapi.json': 'public',

  'POST /api/auth/login': 'public',
  'POST /api/auth/logout': 'public',

  'GET /api/users/me': 'any',
  'POST /api/users': admin,
  'GET /api/users': managers,
  'PUT /api/users/{id}': admin,

  'POST /api/customers': desk,
  'GET /api/customers': 'any',
  'GET /api/customers/{id}': 'any',
  'PUT /api/customers/{id}': desk,
  'POST /api/customers/{id}/reveal': reviewers,

  'GET /api/agents/me': 'any',
  'PUT /api/agents/me/state': 'any',
  'GET /api/agents': 'any',

  'GET /api/calls': 'any',
  'GET /api/calls/{id}': 'any',
  'POST /api/calls/{id}/reveal': reviewers,
  'GET /api/audit/customer-access': admin,

  'GET /api/dispositions': 'any',
  'GET /api/break-reasons': 'any',
  'GET /api/complaint-categories': 'any',
  'POST /api/calls/{id}/hold': desk,
  'POST /api/calls/{id}/resume': desk,
  'POST /api/calls/{id}/hangup': desk,
  'POST /api/calls/{id}/transfer/complete': desk,
  'POST /api/calls/{id}/transfer/cancel': desk,
  'POST /api/calls/{id}/transfer': desk,
  'POST /api/calls/{id}/recording/{action}': desk,
  'PUT /api/calls/{id}/wrapup': desk,
  'POST /api/calls/{id}/monitor': reviewers,
  'PUT /api/calls/{id}/monitor': reviewers,
  'DELETE /api/calls/{id}/monitor': reviewers,
  'GET /api/monitor-sessions': reviewers,

  'GET /api/recordings/audit': managers,
  'GET /api/recordings/{id}/audio': 'any',
  'PUT /api/calls/{id}/legal-hold': managers,

  'GET /api/queues': 'any',
  'POST /api/queues': admin,
  'PUT /api/queues/{name}': admin,
  'PUT /api/dispositions': admin,
  'PUT /api/break-reasons': admin,

  'POST /api/complaints': desk,
  'GET /api/complaints': 'any',
  'GET /api/tasks': 'any',
  'PUT /api/tasks/{id}': managers,
  'POST /api/tasks/{id}/complete': desk,

  'GET /api/qa/scorecards': 'any',
  'POST /api/qa/scorecards': ['qa', 'admin'],
  'POST /api/qa/samples': reviewers,
  'GET /api/qa/samples': reviewers,
  'GET /api/qa/samples/{id}': reviewers,
  'GET /api/qa/queue': reviewers,
  'POST /api/qa/evaluations': reviewers,
  'GET /api/qa/evaluations': 'any',
  'GET /api/qa/evaluations/{id}': 'any',
  'POST /api/qa/evaluations/{id}/respond': 'any',
  'GET /api/qa/results': reviewers,

  'POST /api/campaigns': managers,
  'PUT /api/campaigns/{id}': managers,
  'GET /api/campaigns': desk,
  'GET /api/campaigns/{id}': desk,
  'GET /api/campaigns/{id}/contacts': managers,
  'POST /api/campaigns/{id}/start': managers,
  'POST /api/campaigns/{id}/pause': managers,
  'POST /api/campaigns/{id}/stop': managers,
  'POST /api/campaigns/{id}/join': desk,
  'POST /api/campaigns/{id}/leave': desk,
  'POST /api/campaigns/{id}/imports': managers,
  'GET /api/imports/{id}': managers,

  'GET /api/dnc': managers,
  'POST /api/dnc': managers,
  'DELETE /api/dnc': managers,

  'POST /api/contacts/{id}/dial': desk,
  'POST /api/contacts/{id}/skip': desk,

  'GET /api/wall': reviewers,

  // reports: every role, an agent narrowed to their own figures; campaigns and daily: reviewers
  'GET /api/reports/inbound': 'any',
  'GET /api/reports/agents': 'any',
  'GET /api/reports/complaints': 'any',
  'GET /api/reports/outbound': reviewers,
  'GET /api/reports/inbound/csv': 'any',
  'GET /api/reports/agents/csv': 'any',
  'GET /api/reports/complaints/csv': 'any',
  'GET /api/reports/outbound/csv': reviewers,
  'GET /api/reports/calls/csv': 'any',
  'GET /api/reports/daily': reviewers,
  'GET /api/reports/daily/{day}': reviewers,
  'GET /api/reports/daily/{day}/csv': reviewers,
  'GET /api/reports/review/{agentId}': 'any',
};
