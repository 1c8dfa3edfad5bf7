/**
 * Every HTTP route of the service, in one table: the source of the OpenAPI document
 * (src/http/openapi.ts), checked against the express app by test/unit/http/openapi-coverage.test.ts
 * and against real answers by test/support/expect-response.ts.
 */
import { z } from 'zod';
import * as admin from './admin';
import * as agents from './agents';
import * as auth from './auth';
import * as calls from './calls';
import * as campaigns from './campaigns';
import { errorSchema, numericIdParams, okResponse, stringIdParams } from './common';
import * as complaints from './complaints';
import * as customers from './customers';
import * as desktop from './desktop';
import * as dialing from './dialing';
import * as dnc from './dnc';
import * as imports from './imports';
import * as monitoring from './monitoring';
import * as privacy from './privacy';
import * as qa from './qa';
import * as recordings from './recordings';
import * as reports from './reports';
import * as users from './users';
import * as wall from './wall';
import { EDITORS, MANAGERS, REVIEWERS, type Role } from './auth';

export type Method = 'get' | 'post' | 'put' | 'delete';

export interface ApiRoute {
  method: Method;
  /** OpenAPI style: /api/calls/{id}. */
  path: string;
  summary: string;
  /**
   * Who may call it; `public` needs no token, `any` any logged-in user. Enforced for every /api
   * route by src/http/authorize.ts before the handler runs (the handler may narrow it further to
   * the user's own records, never widen it); test/unit/http/rbac-matrix.test.ts checks it.
   */
  roles: 'public' | 'any' | readonly Role[];
  request?: {
    body?: z.ZodType;
    /** Media type of the body; application/json unless said. */
    bodyType?: string;
    query?: z.ZodObject;
    params?: z.ZodObject;
  };
  /** Status → JSON body schema; null = no body (204) or not JSON (described by `content`). */
  responses: Record<number, z.ZodType | null>;
  /** A response that is not JSON: its media type (GET /api/recordings/{id}/audio). */
  content?: string;
  /**
   * Customer data read here is written to the customer access audit (src/privacy/access-entry.ts):
   * views, searches and exports by non-agents, every reveal (`x-audit` in the OpenAPI document).
   */
  audit?: privacy.AccessAction;
}

const managers = MANAGERS;
const reviewers = REVIEWERS;
const editors = EDITORS;

export const healthResponse = z.object({
  ok: z.boolean(),
  ari: z.boolean(),
  database: z.boolean(),
  /** The ARI event link: `replaced` = another client took the Stasis application over. */
  ariState: z.enum(['connecting', 'open', 'replaced', 'closed']).optional(),
  /** How ARI REST requests travel now: over the event WebSocket, or HTTP (older Asterisk). */
  ariRest: z.enum(['websocket', 'http']).optional(),
  /** Hot standby: this instance holds the lease (ARI link, engine, dialer, jobs) or waits. */
  role: z.enum(['leader', 'standby']).optional(),
  /** The lease epoch it leads under (null on a standby). */
  epoch: z.number().int().nullable().optional(),
  /** The socket.io Redis adapter's connections are up (only when REDIS_URL is set). */
  redis: z.boolean().optional(),
});
export const readyResponse = z.object({
  ready: z.boolean(),
  database: z.boolean(),
  redis: z.boolean().optional(),
  role: z.enum(['leader', 'standby']).optional(),
});
/** The OpenAPI 3.1 document itself. */
export const openApiResponse = z.looseObject({ openapi: z.string(), info: z.looseObject({}) });

/** The bodiless call controls: POST, 204. */
const callActions: Array<[string, string]> = [
  ['hold', 'Hold the caller (music)'],
  ['resume', 'Take the caller off hold'],
  ['hangup', 'Hang up the call'],
  ['transfer/complete', 'Hand the caller to the consulted party'],
  ['transfer/cancel', 'Cancel the consultation; the caller comes back'],
];
const campaignActions: Array<[string, string]> = [
  ['start', 'Start (or resume) dialing a campaign (supervisor, admin)'],
  ['pause', 'Pause a running campaign (supervisor, admin)'],
  ['stop', 'Stop a campaign (supervisor, admin)'],
];

export const routes: readonly ApiRoute[] = [
  {
    method: 'get',
    path: '/healthz',
    summary:
      'Is the database answering and, on the leader, ARI connected (503 when not); role leader or standby, lease epoch, Redis',
    roles: 'public',
    responses: { 200: healthResponse, 503: healthResponse },
  },
  {
    method: 'get',
    path: '/readyz',
    summary:
      'For load balancers: can this instance serve the API and sockets (database up and, with REDIS_URL, Redis up; 503 when not). A standby is ready',
    roles: 'public',
    responses: { 200: readyResponse, 503: readyResponse },
  },
  {
    method: 'get',
    path: '/metrics',
    summary:
      'Operational metrics in the Prometheus text format (docs/metrics.md). Not a session route: ' +
      'a client of metrics.allowFrom, or Authorization: Bearer metrics.token (401 without, 403 ' +
      'wrong); 404 while neither is configured',
    roles: 'public',
    responses: { 200: null },
    content: 'text/plain; version=0.0.4',
  },
  {
    method: 'get',
    path: '/api/openapi.json',
    summary: 'This description (OpenAPI 3.1)',
    roles: 'public',
    responses: { 200: openApiResponse },
  },

  // auth
  {
    method: 'post',
    path: '/api/auth/login',
    summary:
      'Log in: a bearer token for every other /api route; 401 on bad credentials, 429 with Retry-After after too many',
    roles: 'public',
    request: { body: auth.loginBody },
    responses: { 200: auth.loginResponse },
  },
  {
    method: 'post',
    path: '/api/auth/logout',
    summary: 'Revoke the token sent (if any) and close the sockets opened with it',
    roles: 'public',
    responses: { 204: null },
  },

  // users
  {
    method: 'get',
    path: '/api/users/me',
    summary: 'Who am I',
    roles: 'any',
    responses: { 200: users.userSchema },
  },
  {
    method: 'post',
    path: '/api/users',
    summary: 'Create a user (admin)',
    roles: ['admin'],
    request: { body: users.newUserBody },
    responses: { 201: users.userDetailSchema },
  },
  {
    method: 'get',
    path: '/api/users',
    summary: 'List users with skills and active flag (admin, supervisor)',
    roles: ['admin', 'supervisor'],
    responses: { 200: users.usersListResponse },
  },
  {
    method: 'put',
    path: '/api/users/{id}',
    summary:
      'Change a user (admin): only the fields sent; active:false revokes their tokens and stops ' +
      'their calls; not your own role or active',
    roles: ['admin'],
    request: { params: numericIdParams, body: users.updateUserBody },
    responses: { 200: users.userDetailSchema },
  },

  // customers
  {
    method: 'post',
    path: '/api/customers',
    summary: 'Create a customer',
    roles: editors,
    request: { body: customers.newCustomerBody },
    responses: { 201: customers.customerSchema },
  },
  {
    method: 'get',
    path: '/api/customers',
    summary:
      'Find customers by any form of a phone number (?phone=) or by name (?q=); numbers as ' +
      'the number policy shows them (docs/privacy.md)',
    roles: 'any',
    audit: 'search',
    request: { query: customers.customerSearchQuery },
    responses: { 200: customers.customersListResponse },
  },
  {
    method: 'get',
    path: '/api/customers/{id}',
    summary: 'One customer (numbers as the number policy shows them)',
    roles: 'any',
    audit: 'view',
    request: { params: numericIdParams },
    responses: { 200: customers.customerSchema },
  },
  {
    method: 'put',
    path: '/api/customers/{id}',
    summary: 'Change a customer: only the fields sent',
    roles: editors,
    request: { params: numericIdParams, body: customers.editCustomerBody },
    responses: { 200: customers.customerSchema },
  },
  {
    method: 'post',
    path: '/api/customers/{id}/reveal',
    summary:
      "A customer's numbers in full, with an optional reason; audited (qa, supervisor, admin)",
    roles: reviewers,
    request: { params: numericIdParams, body: privacy.revealBody },
    responses: { 200: privacy.customerRevealResponse },
    audit: 'reveal',
  },

  // agents
  {
    method: 'get',
    path: '/api/agents/me',
    summary: "The agent's state (null when not in the agent directory)",
    roles: 'any',
    responses: { 200: agents.myAgentResponse },
  },
  {
    method: 'put',
    path: '/api/agents/me/state',
    summary: 'Set my state',
    roles: 'any',
    request: { body: agents.agentStateBody },
    responses: { 200: agents.agentViewSchema },
  },
  {
    method: 'get',
    path: '/api/agents',
    summary:
      'All agents with state and activity (supervisor, admin); others get {userId, name, ' +
      'extension, state, activity} only',
    roles: 'any',
    responses: { 200: agents.agentsListResponse },
  },

  // calls
  {
    method: 'get',
    path: '/api/calls',
    summary: 'Call records, newest first (agents: their own)',
    roles: 'any',
    request: { query: calls.callsQuery },
    responses: { 200: calls.callsListResponse },
  },
  {
    method: 'get',
    path: '/api/calls/{id}',
    summary: 'One call record with its recordings and timeline (agents: their own)',
    roles: 'any',
    request: { params: stringIdParams },
    responses: { 200: calls.callDetailSchema },
    audit: 'view',
  },
  {
    method: 'post',
    path: '/api/calls/{id}/reveal',
    summary:
      "A call's caller and dialed numbers in full, with an optional reason; audited (qa, " +
      'supervisor, admin)',
    roles: reviewers,
    request: { params: stringIdParams, body: privacy.revealBody },
    responses: { 200: privacy.callRevealResponse },
    audit: 'reveal',
  },
  {
    method: 'get',
    path: '/api/audit/customer-access',
    summary:
      'Customer views, searches and exports by non-agents and every reveal, newest first ' +
      '(?userId=&customerId=&callId=&action=&from=&to=&limit=&offset=; admin)',
    roles: ['admin'],
    request: { query: privacy.accessAuditQuery },
    responses: { 200: privacy.accessAuditResponse },
  },

  // desktop: lists, call controls, wrap-up
  {
    method: 'get',
    path: '/api/dispositions',
    summary: 'Wrap-up dispositions',
    roles: 'any',
    responses: { 200: desktop.dispositionsResponse },
  },
  {
    method: 'get',
    path: '/api/break-reasons',
    summary: 'Break reasons the agent can pick: the only reasons a break takes',
    roles: 'any',
    responses: { 200: desktop.breakReasonsResponse },
  },
  {
    method: 'get',
    path: '/api/complaint-categories',
    summary: 'Complaint categories',
    roles: 'any',
    responses: { 200: desktop.complaintCategoriesResponse },
  },
  // Listen / whisper / barge (docs/api-floor.md): the monitor's own phone is rung.
  {
    method: 'post',
    path: '/api/calls/{id}/monitor',
    summary:
      "Start monitoring a live answered call: rings the monitor's own phone (202); 409 when it already has a monitor; QA may listen only (monitoring.qaModes)",
    roles: reviewers,
    request: { params: stringIdParams, body: monitoring.monitorBody },
    responses: { 202: monitoring.monitorResponse },
  },
  {
    method: 'put',
    path: '/api/calls/{id}/monitor',
    summary: 'Change the mode of your monitoring session (a new snoop replaces the old one)',
    roles: reviewers,
    request: { params: stringIdParams, body: monitoring.monitorBody },
    responses: { 200: monitoring.monitorResponse },
  },
  {
    method: 'delete',
    path: '/api/calls/{id}/monitor',
    summary: "End your monitoring session (the monitor's phone is hung up)",
    roles: reviewers,
    request: { params: stringIdParams },
    responses: { 204: null },
  },
  {
    method: 'get',
    path: '/api/monitor-sessions',
    summary:
      'The monitoring audit, newest first: who, which call, every mode with its time, the end (QA: its own)',
    roles: reviewers,
    request: { query: monitoring.monitorSessionsQuery },
    responses: { 200: monitoring.monitorSessionsResponse },
  },
  // The call controls and the wrap-up: the agent on the call, or a supervisor or admin.
  ...callActions.map(([action, summary]): ApiRoute => ({
    method: 'post',
    path: `/api/calls/{id}/${action}`,
    summary: `${summary} (the agent on the call, supervisors, admins)`,
    roles: editors,
    request: { params: stringIdParams },
    responses: { 204: null },
  })),
  {
    method: 'post',
    path: '/api/calls/{id}/transfer',
    summary:
      'Blind or attended transfer to an agent, a queue or an external number (the agent on ' +
      'the call, supervisors, admins)',
    roles: editors,
    request: { params: stringIdParams, body: desktop.transferBody },
    responses: { 202: okResponse },
  },
  {
    method: 'post',
    path: '/api/calls/{id}/recording/{action}',
    summary:
      'Start, pause or resume recording the call (the agent on the call, supervisors, admins)',
    roles: editors,
    request: { params: desktop.recordingActionParams },
    responses: { 204: null },
  },
  {
    method: 'put',
    path: '/api/calls/{id}/wrapup',
    summary:
      'Disposition, notes and optional follow-up; ends after-call work (the agent who answered ' +
      'the call, supervisors, admins)',
    roles: editors,
    request: { params: stringIdParams, body: desktop.wrapUpBody },
    responses: { 200: okResponse },
  },

  // recordings
  {
    method: 'get',
    path: '/api/recordings/audit',
    summary:
      'Who listened to or downloaded which bytes of which recording: one entry per listening ' +
      'session or download, newest first (supervisor, admin)',
    roles: managers,
    request: { query: recordings.auditQuery },
    responses: { 200: recordings.auditResponse },
  },
  {
    method: 'get',
    path: '/api/recordings/{id}/audio',
    summary:
      'The recording (audio/wav, HTTP range requests; ?download=1 as an attachment); qa, ' +
      'supervisors, admins, and agents for calls they answered; every byte served is audited ' +
      '(one entry per listening session); 416 with Content-Range: bytes */size when no byte ' +
      'of a well-formed Range is in the file',
    roles: 'any',
    request: { params: recordings.audioParams, query: recordings.audioQuery },
    responses: { 200: null, 206: null, 416: errorSchema },
    content: 'audio/wav',
  },
  {
    method: 'put',
    path: '/api/calls/{id}/legal-hold',
    summary: 'Exempt a call from retention, or lift that (supervisor, admin)',
    roles: managers,
    request: { params: stringIdParams, body: recordings.legalHoldBody },
    responses: { 200: recordings.legalHoldResponse },
  },

  // admin: queues
  {
    method: 'get',
    path: '/api/queues',
    summary: 'All queues (everyone: transfer targets)',
    roles: 'any',
    responses: { 200: admin.queuesListResponse },
  },
  {
    method: 'post',
    path: '/api/queues',
    summary: 'Create a queue (admin); a DID another queue has is a 409',
    roles: ['admin'],
    request: { body: admin.newQueueBody },
    responses: { 201: admin.queueSchema },
  },
  {
    method: 'put',
    path: '/api/queues/{name}',
    summary: 'Change a queue (admin): only the fields sent; callbackOfferAfterSec null = never',
    roles: ['admin'],
    request: { params: admin.queueNameParams, body: admin.queueUpdateBody },
    responses: { 200: admin.queueSchema },
  },
  {
    method: 'put',
    path: '/api/dispositions',
    summary: 'Replace the wrap-up dispositions (admin)',
    roles: ['admin'],
    request: { body: admin.dispositionsBody },
    responses: { 200: desktop.dispositionsResponse },
  },
  {
    method: 'put',
    path: '/api/break-reasons',
    summary: 'Replace the break reasons (admin); a break already taken keeps its reason',
    roles: ['admin'],
    request: { body: admin.breakReasonsBody },
    responses: { 200: desktop.breakReasonsResponse },
  },

  // complaints and tasks
  {
    method: 'post',
    path: '/api/complaints',
    summary: 'Open a complaint; creates its follow-up call-back task',
    roles: editors,
    request: { body: complaints.newComplaintBody },
    responses: { 201: complaints.newComplaintResponse },
  },
  {
    method: 'get',
    path: '/api/complaints',
    summary: 'Complaints (?customerId=&status=)',
    roles: 'any',
    request: { query: complaints.complaintsQuery },
    responses: { 200: complaints.complaintsListResponse },
  },
  {
    method: 'get',
    path: '/api/tasks',
    summary:
      'Call-back tasks (supervisors, admins: all, or theirs with ?mine=1; everyone else: their own)',
    roles: 'any',
    request: { query: complaints.tasksQuery },
    responses: { 200: complaints.tasksListResponse },
  },
  {
    method: 'put',
    path: '/api/tasks/{id}',
    summary: 'Reassign a task or move its due time (supervisor, admin)',
    roles: managers,
    request: { params: numericIdParams, body: complaints.reassignTaskBody },
    responses: { 200: complaints.taskSchema },
  },
  {
    method: 'post',
    path: '/api/tasks/{id}/complete',
    summary: 'Complete a task with its result (its assignee; supervisors, admins: any task)',
    roles: editors,
    request: { params: numericIdParams, body: complaints.completeTaskBody },
    responses: { 200: complaints.taskSchema },
  },

  // qa
  {
    method: 'get',
    path: '/api/qa/scorecards',
    summary: 'QA scorecards, the default first (everyone: agents read their evaluations)',
    roles: 'any',
    responses: { 200: qa.scorecardsListResponse },
  },
  {
    method: 'post',
    path: '/api/qa/scorecards',
    summary: 'Create a scorecard (qa, admin)',
    roles: ['qa', 'admin'],
    request: { body: qa.scorecardBody },
    responses: { 201: qa.scorecardSchema },
  },
  {
    method: 'post',
    path: '/api/qa/samples',
    summary:
      'Draw a reproducible stratified sample of recorded, unevaluated calls and assign ' +
      'reviewers round-robin (qa, supervisor, admin); oversample.lowSatisfaction draws calls scored 1-2 first',
    roles: reviewers,
    request: { body: qa.sampleBody },
    responses: { 201: qa.sampleJobSchema },
  },
  {
    method: 'get',
    path: '/api/qa/samples',
    summary: 'Sampling jobs without their items (qa, supervisor, admin)',
    roles: reviewers,
    responses: { 200: qa.samplesListResponse },
  },
  {
    method: 'get',
    path: '/api/qa/samples/{id}',
    summary: 'A sampling job with its items (qa, supervisor, admin)',
    roles: reviewers,
    request: { params: numericIdParams },
    responses: { 200: qa.sampleJobSchema },
  },
  {
    method: 'get',
    path: '/api/qa/queue',
    summary: 'Pending sampled calls assigned to me (qa, supervisor, admin)',
    roles: reviewers,
    responses: { 200: qa.reviewQueueResponse },
  },
  {
    method: 'post',
    path: '/api/qa/evaluations',
    summary:
      'Submit an evaluation, scored by the server; one per call and reviewer (409 when there ' +
      'is one; qa, supervisor, admin)',
    roles: reviewers,
    request: { body: qa.evaluationBody },
    responses: { 201: qa.evaluationSchema },
  },
  {
    method: 'get',
    path: '/api/qa/evaluations',
    summary: 'Evaluations (?agentId=&from=&to=); an agent sees their own only',
    roles: 'any',
    request: { query: qa.evaluationsQuery },
    responses: { 200: qa.evaluationsListResponse },
  },
  {
    method: 'get',
    path: '/api/qa/evaluations/{id}',
    summary: 'An evaluation (an agent: their own only)',
    roles: 'any',
    request: { params: numericIdParams },
    responses: { 200: qa.evaluationSchema },
  },
  {
    method: 'post',
    path: '/api/qa/evaluations/{id}/respond',
    summary: 'The evaluated agent acknowledges or disputes, once (409 the second time)',
    roles: 'any',
    request: { params: numericIdParams, body: qa.respondBody },
    responses: { 200: qa.evaluationSchema },
  },
  {
    method: 'get',
    path: '/api/qa/results',
    summary:
      'Per agent: evaluations, average score, critical fails, ISO-week trend (?from=&to=, ' +
      'default the last 12 weeks; qa, supervisor, admin)',
    roles: reviewers,
    request: { query: qa.resultsQuery },
    responses: { 200: qa.resultsResponse },
  },

  // campaigns
  {
    method: 'post',
    path: '/api/campaigns',
    summary: 'Create a campaign, status draft (supervisor, admin)',
    roles: managers,
    request: { body: campaigns.campaignBody },
    responses: { 201: campaigns.campaignSchema },
  },
  {
    method: 'put',
    path: '/api/campaigns/{id}',
    summary: 'Change a campaign (supervisor, admin): only the fields sent',
    roles: managers,
    request: { params: numericIdParams, body: campaigns.campaignUpdateBody },
    responses: { 200: campaigns.campaignSchema },
  },
  {
    method: 'get',
    path: '/api/campaigns',
    summary:
      'Campaigns, newest first (supervisor, admin: all; agents: those of queues they are a ' +
      'member of), with the ids of the campaigns I joined',
    roles: editors,
    responses: { 200: campaigns.campaignsListResponse },
  },
  {
    method: 'get',
    path: '/api/campaigns/{id}',
    summary: 'A campaign with its stats (supervisor, admin; agents of its queue)',
    roles: editors,
    request: { params: numericIdParams },
    responses: { 200: campaigns.campaignDetailResponse },
  },
  {
    method: 'get',
    path: '/api/campaigns/{id}/contacts',
    summary:
      "A campaign's contacts by id (?status=&offset=&limit=; supervisor, admin); an export " +
      'in the customer access audit',
    roles: managers,
    audit: 'export',
    request: { params: numericIdParams, query: campaigns.contactsQuery },
    responses: { 200: campaigns.contactsListResponse },
  },
  ...campaignActions.map(([action, summary]): ApiRoute => ({
    method: 'post',
    path: `/api/campaigns/{id}/${action}`,
    summary: `${summary}; 409 when the campaign's status does not allow it`,
    roles: managers,
    request: { params: numericIdParams },
    responses: { 200: campaigns.campaignSchema },
  })),
  {
    method: 'post',
    path: '/api/campaigns/{id}/join',
    summary:
      "Join a campaign: its work comes to me (agents of the campaign's queue, supervisors, admins)",
    roles: editors,
    request: { params: numericIdParams },
    responses: { 200: campaigns.joinResponse },
  },
  {
    method: 'post',
    path: '/api/campaigns/{id}/leave',
    summary: 'Leave a campaign (whoever may join: agents, supervisors, admins)',
    roles: editors,
    request: { params: numericIdParams },
    responses: { 200: campaigns.joinResponse },
  },

  // lists (imports)
  {
    method: 'post',
    path: '/api/campaigns/{id}/imports',
    summary:
      'Import a CSV file (the request body, text/csv, up to 50 MB) into a campaign; ' +
      '?mapping={"phone":"Mobile",…}&assignTo={"column":"Agent"} (supervisor, admin)',
    roles: managers,
    request: {
      params: numericIdParams,
      query: imports.importQuery,
      body: imports.importBody,
      bodyType: 'text/csv',
    },
    responses: { 202: imports.importStartedResponse },
  },
  {
    method: 'get',
    path: '/api/imports/{id}',
    summary: "An import's counts and a page of its error list (supervisor, admin)",
    roles: managers,
    request: { params: numericIdParams, query: imports.importPageQuery },
    responses: { 200: imports.importReportSchema },
  },

  // do-not-call
  {
    method: 'get',
    path: '/api/dnc',
    summary:
      'Do-not-call numbers, newest first (?phone=&campaignId=id|global&offset=&limit=; ' +
      'supervisor, admin)',
    roles: managers,
    request: { query: dnc.dncQuery },
    responses: { 200: dnc.dncListResponse },
  },
  {
    method: 'post',
    path: '/api/dnc',
    summary: 'Add a number to the do-not-call list, global without campaignId (supervisor, admin)',
    roles: managers,
    request: { body: dnc.dncBody },
    responses: { 201: dnc.dncEntrySchema },
  },
  {
    method: 'delete',
    path: '/api/dnc',
    summary:
      "Remove a number from the global list, or from a campaign's with campaignId (JSON body " +
      'or the same fields in the query string; 404 when not on that list; supervisor, admin)',
    roles: managers,
    request: { body: dnc.dncDeleteBody, query: dnc.dncDeleteQuery },
    responses: { 204: null },
  },

  // preview dialing
  {
    method: 'post',
    path: '/api/contacts/{id}/dial',
    summary: "Dial the previewed contact (the agent who got the contact's pop)",
    roles: editors,
    request: { params: numericIdParams },
    responses: { 202: dialing.dialResponse },
  },
  {
    method: 'post',
    path: '/api/contacts/{id}/skip',
    summary: 'Skip the previewed contact',
    roles: editors,
    request: { params: numericIdParams },
    responses: { 204: null },
  },

  // the supervisor wall (its live updates travel over socket.io: docs/api-wall.md)
  {
    method: 'get',
    path: '/api/wall',
    summary:
      'The supervisor wall now: queue tiles, live calls, agents (supervisor, admin; qa with ' +
      'callers masked); the socket pushes the same as wall:snapshot and wall:delta',
    roles: reviewers,
    responses: { 200: wall.wallSnapshotSchema },
  },
  // reports (docs/api-reports.md; definitions: docs/metrics.md)
  {
    method: 'get',
    path: '/api/reports/inbound',
    summary:
      'Inbound report per queue or agent and period (day, ISO week, month, hour; local time): ' +
      'offered, answered, service level, ASA, AHT, abandons, call-backs (qa, supervisors, ' +
      'admins; an agent: their own)',
    roles: 'any',
    request: { query: reports.inboundReportQuery },
    responses: { 200: reports.inboundReportSchema },
  },
  {
    method: 'get',
    path: '/api/reports/agents',
    summary:
      'Agent report per agent and period: logged-in time, time per state and break reason, ' +
      'occupancy, calls per hour, satisfaction, QA, missed offers (an agent: their own)',
    roles: 'any',
    request: { query: reports.agentReportQuery },
    responses: { 200: reports.agentReportSchema },
  },
  {
    method: 'get',
    path: '/api/reports/complaints',
    summary:
      'Complaints opened by category and severity, follow-up within the days allowed, overdue ' +
      'follow-ups with their owner (an agent: complaints they own)',
    roles: 'any',
    request: { query: reports.complaintReportQuery },
    responses: { 200: reports.complaintReportSchema },
  },
  {
    method: 'get',
    path: '/api/reports/outbound',
    summary:
      'Outbound report per campaign and period: dialed, reached, dispositions, conversion, ' +
      'abandon rate of the last 30 days against the cap (qa, supervisors, admins)',
    roles: reviewers,
    request: { query: reports.outboundReportQuery },
    responses: { 200: reports.outboundReportSchema },
  },
  ...(
    [
      ['inbound', reports.inboundReportQuery, 'any'],
      ['agents', reports.agentReportQuery, 'any'],
      ['complaints', reports.complaintReportQuery, 'any'],
      ['outbound', reports.outboundReportQuery, reviewers],
    ] as const
  ).map(([name, query, roles]): ApiRoute => ({
    method: 'get',
    path: `/api/reports/${name}/csv`,
    summary: `The ${name} report as CSV (UTF-8 with BOM; formula cells neutralised)`,
    roles,
    request: { query },
    responses: { 200: null },
    content: 'text/csv',
  })),
  {
    method: 'get',
    path: '/api/reports/calls/csv',
    summary:
      'The call records of a date range as CSV, streamed; numbers as the number policy shows ' +
      'them to the caller; audited as an export (an agent: their own calls)',
    roles: 'any',
    request: { query: reports.callExportQuery },
    responses: { 200: null },
    content: 'text/csv',
  },
  {
    method: 'get',
    path: '/api/reports/daily',
    summary: 'The daily reports kept (the service produces one each day for the day before)',
    roles: reviewers,
    responses: { 200: reports.dailyReportListSchema },
  },
  {
    method: 'get',
    path: '/api/reports/daily/{day}',
    summary: 'One daily report: the day per queue and per agent',
    roles: reviewers,
    request: { params: reports.dailyReportParams },
    responses: { 200: reports.dailyReportSchema },
  },
  {
    method: 'get',
    path: '/api/reports/daily/{day}/csv',
    summary: 'One daily report as CSV',
    roles: reviewers,
    request: { params: reports.dailyReportParams },
    responses: { 200: null },
    content: 'text/csv',
  },
  {
    method: 'get',
    path: '/api/reports/review/{agentId}',
    summary:
      "An agent's review inputs for a month (002: weekly and monthly QA, calls, satisfaction, " +
      'follow-ups): measured figures, not a verdict (an agent: their own)',
    roles: 'any',
    request: { params: reports.reviewParams, query: reports.reviewQuery },
    responses: { 200: reports.reviewSchema },
  },
];

/** The route of a method and an OpenAPI path, e.g. `findRoute('get', '/api/calls/{id}')`. */
export function findRoute(method: string, path: string): ApiRoute | undefined {
  return routes.find((r) => r.method === method.toLowerCase() && r.path === path);
}
