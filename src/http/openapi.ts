import { OUTCOMES } from '../calls/call-state';
import { z } from 'zod';
import { ERRORS } from '../shared/errors';
import { agentStateBody } from './routes/agents';
import { loginBody } from './routes/auth';
import { callsQuery } from './routes/calls';
import { newCustomerBody } from './routes/customers';
import { completeTaskBody, newComplaintBody, reassignTaskBody } from './routes/complaints';
import { transferBody, wrapUpBody } from './routes/desktop';
import { dispositionsBody, newQueueBody, queueUpdateBody } from './routes/admin';
import { newUserBody, updateUserBody } from './routes/users';
import { campaignBody, campaignUpdateBody, contactsQuery } from './routes/campaigns';
import { dncBody, dncDeleteBody, dncQuery } from './routes/dnc';
import {
  evaluationBody,
  evaluationsQuery,
  respondBody,
  resultsQuery,
  sampleBody,
  scorecardBody,
} from './routes/qa';

const json = (schema: z.ZodType) => ({
  'application/json': { schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) },
});
const ref = (name: string) => ({
  'application/json': { schema: { $ref: `#/components/schemas/${name}` } },
});
const errors = { default: { description: 'error', content: ref('Error') } };
const ok = (description: string, name?: string) => ({
  description,
  ...(name ? { content: ref(name) } : {}),
});
const queryParams = (schema: z.ZodObject) =>
  Object.keys(schema.shape).map((name) => ({
    name,
    in: 'query',
    required: false,
    schema: { type: 'string' },
  }));

/** The API description served at /api/openapi.json; request schemas come from the zod schemas. */
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };

/** The bodiless call controls: POST, 204. */
function callActions() {
  const actions: Record<string, string> = {
    hold: 'Hold the caller (music)',
    resume: 'Take the caller off hold',
    hangup: 'Hang up the call',
    'transfer/complete': 'Hand the caller to the consulted party',
    'transfer/cancel': 'Cancel the consultation; the caller comes back',
  };
  return Object.fromEntries(
    Object.entries(actions).map(([path, summary]) => [
      `/api/calls/{id}/${path}`,
      {
        post: {
          security: [{ bearer: [] }],
          summary,
          parameters: [idParam],
          responses: { 204: { description: 'done' } },
        },
      },
    ]),
  );
}

export function openApiDocument(version: string) {
  const secured = { security: [{ bearer: [] }] };
  const listOf = (summary: string) => ({
    get: { ...secured, summary, responses: { 200: ok('[{code,label}]'), ...errors } },
  });
  return {
    openapi: '3.1.0',
    info: {
      title: 'Hotline API',
      version,
      description: 'CTI for Asterisk call centers. Errors: {error:{code,message,details?}}.',
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Error: {
          type: 'object',
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: {
                  type: 'string',
                  enum: Object.keys(ERRORS),
                  description: 'one per situation: docs/errors.md',
                },
                message: { type: 'string' },
                details: {},
              },
            },
          },
        },
        User: {
          type: 'object',
          required: [
            'id',
            'username',
            'name',
            'role',
            'extension',
            'skills',
            'active',
            'createdAt',
          ],
          properties: {
            id: { type: 'integer' },
            username: { type: 'string' },
            name: { type: 'string' },
            role: { enum: ['agent', 'supervisor', 'qa', 'admin'] },
            extension: { type: ['string', 'null'] },
            skills: { type: 'array', items: { type: 'string' } },
            active: { type: 'boolean' },
            createdAt: { type: 'string', format: 'date-time' },
          },
        },
        Queue: {
          type: 'object',
          required: [
            'name',
            'dids',
            'ringTimeoutSec',
            'ownerFirstSec',
            'serviceLevelSec',
            'skills',
            'members',
            'hours',
            'timezone',
            'callbackOfferAfterSec',
            'openNow',
          ],
          properties: {
            name: { type: 'string' },
            dids: { type: 'array', items: { type: 'string' } },
            ringTimeoutSec: { type: 'integer' },
            ownerFirstSec: { type: 'integer' },
            serviceLevelSec: { type: 'integer' },
            skills: { type: 'array', items: { type: 'string' } },
            members: { type: 'array', items: { type: 'integer' } },
            hours: {
              type: 'array',
              items: { type: 'string' },
              examples: [['mon-fri 08:00-18:00']],
            },
            timezone: { type: 'string' },
            callbackOfferAfterSec: { type: ['integer', 'null'] },
            openNow: { type: 'boolean' },
          },
        },
        Campaign: {
          type: 'object',
          required: [
            'id',
            'name',
            'queue',
            'mode',
            'status',
            'hours',
            'timezone',
            'maxAttempts',
            'retryMinutes',
            'callerId',
            'script',
            'dispositions',
            'recording',
            'abandonCapPct',
            'amd',
            'createdAt',
          ],
          properties: {
            id: { type: 'integer' },
            name: { type: 'string' },
            queue: { type: 'string' },
            mode: { enum: ['preview', 'progressive', 'predictive'] },
            status: { enum: ['draft', 'running', 'paused', 'stopped'] },
            hours: {
              type: 'object',
              required: ['from', 'to'],
              properties: {
                from: { type: 'string', examples: ['09:00'] },
                to: { type: 'string', examples: ['18:00'] },
                days: { type: 'string', examples: ['mon-fri'] },
              },
            },
            timezone: { type: 'string' },
            maxAttempts: { type: 'integer' },
            retryMinutes: {
              type: 'object',
              properties: {
                busy: { type: 'integer' },
                noAnswer: { type: 'integer' },
                failed: { type: 'integer' },
                machine: { type: 'integer' },
              },
            },
            callerId: { type: 'string' },
            script: { type: 'string' },
            dispositions: {
              type: 'array',
              items: {
                type: 'object',
                required: ['code', 'label', 'final'],
                properties: {
                  code: { type: 'string' },
                  label: { type: 'string' },
                  final: { type: 'boolean' },
                  dnc: { type: 'boolean' },
                  callback: { type: 'boolean' },
                },
              },
            },
            recording: { enum: ['always', 'never', 'on-demand'] },
            abandonCapPct: { type: 'number' },
            amd: { type: 'boolean' },
            createdAt: { type: 'string', format: 'date-time' },
          },
        },
        CallRecord: {
          type: 'object',
          required: [
            'id',
            'direction',
            'callerNumber',
            'dialedNumber',
            'startedAt',
            'waitMs',
            'talkMs',
          ],
          properties: {
            id: { type: 'string' },
            direction: { enum: ['inbound', 'outbound'] },
            callerNumber: { type: 'string' },
            dialedNumber: { type: 'string' },
            customerId: { type: ['integer', 'null'] },
            agentId: { type: ['integer', 'null'] },
            queue: { type: ['string', 'null'] },
            startedAt: { type: 'string', format: 'date-time' },
            answeredAt: { type: ['string', 'null'], format: 'date-time' },
            endedAt: { type: ['string', 'null'], format: 'date-time' },
            waitMs: { type: 'integer' },
            talkMs: { type: 'integer' },
            outcome: {
              enum: [...OUTCOMES, null],
            },
            hangupCause: { type: ['string', 'null'] },
            hangupCauseCode: { type: ['integer', 'null'] },
            endedBy: { enum: ['caller', 'agent', 'system', null] },
            state: { type: 'string' },
            recording: { type: ['object', 'null'] },
          },
        },
      },
    },
    paths: {
      '/api/auth/login': {
        post: {
          summary: 'Log in',
          requestBody: { content: json(loginBody) },
          responses: { 200: ok('token and user'), ...errors },
        },
      },
      '/api/auth/logout': {
        post: {
          ...secured,
          summary: 'Revoke the token',
          responses: { 204: ok('logged out'), ...errors },
        },
      },
      '/api/users': {
        post: {
          ...secured,
          summary: 'Create a user (admin)',
          requestBody: { content: json(newUserBody) },
          responses: { 201: ok('the user', 'User'), ...errors },
        },
        get: {
          ...secured,
          summary: 'List users with skills and active flag (admin, supervisor)',
          responses: { 200: ok('{users:[User]}'), ...errors },
        },
      },
      '/api/users/{id}': {
        put: {
          ...secured,
          summary:
            'Change a user (admin): only the fields sent; active:false revokes their tokens and stops their calls; not your own role or active',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
          requestBody: { content: json(updateUserBody) },
          responses: { 200: ok('the user', 'User'), ...errors },
        },
      },
      '/api/users/me': {
        get: { ...secured, summary: 'Who am I', responses: { 200: ok('the user'), ...errors } },
      },
      '/api/customers': {
        post: {
          ...secured,
          summary: 'Create a customer',
          requestBody: { content: json(newCustomerBody) },
          responses: { 201: ok('the customer'), ...errors },
        },
        get: {
          ...secured,
          summary: 'Find customers by any form of a phone number (?phone=) or by name (?q=)',
          parameters: ['phone', 'q', 'limit', 'offset'].map((name) => ({
            name,
            in: 'query',
            schema: { type: 'string' },
          })),
          responses: { 200: ok('customers'), ...errors },
        },
      },
      '/api/customers/{id}': {
        get: {
          ...secured,
          summary: 'One customer',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
          responses: { 200: ok('the customer'), ...errors },
        },
      },
      '/api/agents/me': {
        get: {
          ...secured,
          summary: "The agent's state",
          responses: { 200: ok('state'), ...errors },
        },
      },
      '/api/agents/me/state': {
        put: {
          ...secured,
          summary: 'Set my state',
          requestBody: { content: json(agentStateBody) },
          responses: { 200: ok('state'), ...errors },
        },
      },
      '/api/agents': {
        get: {
          ...secured,
          summary:
            'All agents with state and activity (supervisor, admin); others get {userId, name, extension, state, activity} only',
          responses: { 200: ok('agents'), ...errors },
        },
      },
      '/api/queues': {
        get: {
          ...secured,
          summary: 'All queues (everyone: transfer targets)',
          responses: { 200: ok('{queues:[Queue]}'), ...errors },
        },
        post: {
          ...secured,
          summary: 'Create a queue (admin); a DID another queue has is a 409',
          requestBody: { content: json(newQueueBody) },
          responses: { 201: ok('the queue', 'Queue'), ...errors },
        },
      },
      '/api/queues/{name}': {
        put: {
          ...secured,
          summary:
            'Change a queue (admin): only the fields sent; callbackOfferAfterSec null = never',
          parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: { content: json(queueUpdateBody) },
          responses: { 200: ok('the queue', 'Queue'), ...errors },
        },
      },
      '/api/dispositions': {
        get: {
          ...secured,
          summary: 'Wrap-up dispositions',
          responses: { 200: ok('{dispositions:[{code,label}]}'), ...errors },
        },
        put: {
          ...secured,
          summary: 'Replace the wrap-up dispositions (admin)',
          requestBody: { content: json(dispositionsBody) },
          responses: { 200: ok('{dispositions:[{code,label}]}'), ...errors },
        },
      },
      '/api/calls': {
        get: {
          ...secured,
          summary: 'Call records, newest first (agents: their own)',
          parameters: queryParams(callsQuery),
          responses: { 200: ok('calls'), ...errors },
        },
      },
      '/api/calls/{id}': {
        get: {
          ...secured,
          summary: 'One call record with its timeline',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { 200: ok('the call', 'CallRecord'), ...errors },
        },
      },
      ...callActions(),
      '/api/calls/{id}/transfer': {
        post: {
          ...secured,
          summary: 'Blind or attended transfer to an agent, a queue or an external number',
          parameters: [idParam],
          requestBody: { content: json(transferBody) },
          responses: { 202: ok('transfer started'), ...errors },
        },
      },
      '/api/calls/{id}/wrapup': {
        put: {
          ...secured,
          summary: 'Disposition, notes and optional follow-up; ends after-call work',
          parameters: [idParam],
          requestBody: { content: json(wrapUpBody) },
          responses: { 200: ok('saved'), ...errors },
        },
      },
      '/api/break-reasons': listOf('Break reasons the agent can pick'),
      '/api/complaint-categories': listOf('Complaint categories'),
      '/api/complaints': {
        get: {
          ...secured,
          summary: 'Complaints (?customerId=&status=)',
          responses: { 200: ok('{complaints}'), ...errors },
        },
        post: {
          ...secured,
          summary: 'Open a complaint; creates its follow-up call-back task',
          requestBody: { content: json(newComplaintBody) },
          responses: { 201: ok('the complaint with followUpTask'), ...errors },
        },
      },
      '/api/tasks': {
        get: {
          ...secured,
          summary: 'Call-back tasks (agents: their own)',
          responses: { 200: ok('{tasks}'), ...errors },
        },
      },
      '/api/tasks/{id}': {
        put: {
          ...secured,
          summary: 'Reassign a task or move its due time (supervisor, admin)',
          parameters: [idParam],
          requestBody: { content: json(reassignTaskBody) },
          responses: { 200: ok('the task'), ...errors },
        },
      },
      '/api/tasks/{id}/complete': {
        post: {
          ...secured,
          summary: 'Complete a task with its result',
          parameters: [idParam],
          requestBody: { content: json(completeTaskBody) },
          responses: { 200: ok('the task'), ...errors },
        },
      },
      '/api/qa/scorecards': {
        get: {
          ...secured,
          summary: 'QA scorecards, the default first (qa, supervisor, admin)',
          responses: { 200: ok('{scorecards:[Scorecard]}'), ...errors },
        },
        post: {
          ...secured,
          summary: 'Create a scorecard (qa, admin)',
          requestBody: { content: json(scorecardBody) },
          responses: { 201: ok('the Scorecard'), ...errors },
        },
      },
      '/api/qa/samples': {
        get: {
          ...secured,
          summary: 'Sampling jobs without their items (qa, supervisor, admin)',
          responses: { 200: ok('{samples:[SampleJob]}'), ...errors },
        },
        post: {
          ...secured,
          summary:
            'Draw a reproducible stratified sample of recorded, unevaluated calls and assign ' +
            'reviewers round-robin (qa, supervisor, admin); oversample.lowSatisfaction has no ' +
            'effect yet',
          requestBody: { content: json(sampleBody) },
          responses: { 201: ok('the SampleJob with items'), ...errors },
        },
      },
      '/api/qa/samples/{id}': {
        get: {
          ...secured,
          summary: 'A sampling job with its items (qa, supervisor, admin)',
          parameters: [idParam],
          responses: { 200: ok('the SampleJob'), ...errors },
        },
      },
      '/api/qa/queue': {
        get: {
          ...secured,
          summary: 'Pending sampled calls assigned to me (qa, supervisor, admin)',
          responses: { 200: ok('{items}'), ...errors },
        },
      },
      '/api/qa/evaluations': {
        get: {
          ...secured,
          summary: 'Evaluations (?agentId=&from=&to=); an agent sees their own only',
          parameters: queryParams(evaluationsQuery),
          responses: { 200: ok('{evaluations:[Evaluation]}'), ...errors },
        },
        post: {
          ...secured,
          summary:
            'Submit an evaluation, scored by the server; one per call and reviewer (qa, ' +
            'supervisor, admin)',
          requestBody: { content: json(evaluationBody) },
          responses: { 201: ok('the Evaluation'), 409: ok('already evaluated'), ...errors },
        },
      },
      '/api/qa/evaluations/{id}': {
        get: {
          ...secured,
          summary: 'An evaluation (an agent: their own only)',
          parameters: [idParam],
          responses: { 200: ok('the Evaluation'), ...errors },
        },
      },
      '/api/qa/evaluations/{id}/respond': {
        post: {
          ...secured,
          summary: 'The evaluated agent acknowledges or disputes, once',
          parameters: [idParam],
          requestBody: { content: json(respondBody) },
          responses: { 200: ok('the Evaluation'), 409: ok('already answered'), ...errors },
        },
      },
      '/api/qa/results': {
        get: {
          ...secured,
          summary:
            'Per agent: evaluations, average score, critical fails, ISO-week trend ' +
            '(?from=&to=, default the last 12 weeks; qa, supervisor, admin)',
          parameters: queryParams(resultsQuery),
          responses: { 200: ok('{agents}'), ...errors },
        },
      },
      '/api/campaigns': {
        get: {
          ...secured,
          summary:
            'Campaigns, newest first (supervisor, admin: all; agents: those of queues they are ' +
            'a member of), with the ids of the campaigns I joined',
          responses: { 200: ok('{campaigns:[Campaign], joined:[id]}'), ...errors },
        },
        post: {
          ...secured,
          summary: 'Create a campaign, status draft (supervisor, admin)',
          requestBody: { content: json(campaignBody) },
          responses: { 201: ok('the campaign', 'Campaign'), ...errors },
        },
      },
      '/api/campaigns/{id}': {
        get: {
          ...secured,
          summary:
            'A campaign with stats {contacts, dialed, contacted, remaining, done, ' +
            'abandonRate30d, pacingRatio, agentsOnline} (supervisor, admin; agents of its queue)',
          parameters: [idParam],
          responses: { 200: ok('Campaign + stats'), ...errors },
        },
        put: {
          ...secured,
          summary: 'Change a campaign (supervisor, admin): only the fields sent',
          parameters: [idParam],
          requestBody: { content: json(campaignUpdateBody) },
          responses: { 200: ok('the campaign', 'Campaign'), ...errors },
        },
      },
      ...Object.fromEntries(
        (
          [
            ['start', 'Start (or resume) dialing a campaign (supervisor, admin)'],
            ['pause', 'Pause a running campaign (supervisor, admin)'],
            ['stop', 'Stop a campaign (supervisor, admin)'],
          ] as const
        ).map(([action, summary]) => [
          `/api/campaigns/{id}/${action}`,
          {
            post: {
              ...secured,
              summary,
              parameters: [idParam],
              responses: { 200: ok('the campaign', 'Campaign'), 409: ok('not now'), ...errors },
            },
          },
        ]),
      ),
      '/api/campaigns/{id}/join': {
        post: {
          ...secured,
          summary:
            "Join a campaign: its work comes to me (agents of the campaign's queue, supervisors, admins)",
          parameters: [idParam],
          responses: { 200: ok('{campaignId, joined:true}'), ...errors },
        },
      },
      '/api/campaigns/{id}/leave': {
        post: {
          ...secured,
          summary: 'Leave a campaign',
          parameters: [idParam],
          responses: { 200: ok('{campaignId, joined:false}'), ...errors },
        },
      },
      '/api/campaigns/{id}/contacts': {
        get: {
          ...secured,
          summary: "A campaign's contacts by id (?status=&offset=&limit=; supervisor, admin)",
          parameters: [idParam, ...queryParams(contactsQuery)],
          responses: { 200: ok('{contacts:[Contact], total}'), ...errors },
        },
      },
      '/api/dnc': {
        get: {
          ...secured,
          summary:
            'Do-not-call numbers, newest first (?phone=&campaignId=id|global&offset=&limit=; ' +
            'supervisor, admin)',
          parameters: queryParams(dncQuery),
          responses: {
            200: ok('{numbers:[{id, phone, campaignId, reason, addedBy, createdAt}]}'),
            ...errors,
          },
        },
        post: {
          ...secured,
          summary:
            'Add a number to the do-not-call list, global without campaignId (supervisor, admin)',
          requestBody: { content: json(dncBody) },
          responses: { 201: ok('the entry'), ...errors },
        },
        delete: {
          ...secured,
          summary:
            "Remove a number from the global list, or from a campaign's with campaignId " +
            '(JSON body or query string; supervisor, admin)',
          requestBody: { content: json(dncDeleteBody) },
          responses: { 204: ok('removed'), 404: ok('not on that list'), ...errors },
        },
      },
      '/healthz': {
        get: {
          summary: 'Is ARI connected and the database answering',
          responses: { 200: ok('healthy'), 503: ok('unhealthy') },
        },
      },
    },
  };
}
