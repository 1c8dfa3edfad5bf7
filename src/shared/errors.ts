/**
 * The error catalogue: one code per situation a client can see, with its HTTP status and what it
 * means, grouped by capability (like fastify's lib/errors.js). The error middleware turns a
 * HotlineError into the contract's `{error:{code, message, details?}}`; docs/errors.md lists
 * every code (test/unit/shared/error-catalogue.test.ts keeps the two, and the code, in step).
 */
export const ERRORS = {
  // auth
  HOTLINE_UNAUTHENTICATED: {
    status: 401,
    description: 'No bearer token, or an unknown, expired or revoked one (also socket.io)',
  },
  HOTLINE_BAD_CREDENTIALS: {
    status: 401,
    description: 'Login with a wrong username or password (the same answer for both)',
  },
  HOTLINE_TOO_MANY_LOGIN_ATTEMPTS: {
    status: 429,
    description:
      'Too many failed logins for that username or from that address; Retry-After says when to try again',
  },
  HOTLINE_FORBIDDEN: {
    status: 403,
    description: "The user's role, queue membership or tie to the record does not allow this",
  },

  // users and queues (admin)
  HOTLINE_USER_NOT_FOUND: { status: 404, description: 'No user with that id' },
  HOTLINE_USERNAME_TAKEN: { status: 409, description: 'Another user has that username' },
  HOTLINE_EXTENSION_TAKEN: { status: 409, description: 'Another user has that extension' },
  HOTLINE_NO_EXTENSION: {
    status: 409,
    description: 'The agent has no extension, so there is no phone to ring',
  },
  HOTLINE_QUEUE_NOT_FOUND: { status: 404, description: 'No queue with that name' },
  HOTLINE_QUEUE_NAME_TAKEN: { status: 409, description: 'Another queue has that name' },
  HOTLINE_DID_TAKEN: {
    status: 409,
    description: 'A DID belongs to another queue; details name the DID and the queue',
  },

  // customers
  HOTLINE_CUSTOMER_NOT_FOUND: { status: 404, description: 'No customer with that id' },

  // calls and the agent desktop
  HOTLINE_CALL_NOT_FOUND: {
    status: 404,
    description: 'No call with that id (or, for an agent, not theirs)',
  },
  HOTLINE_CALL_NOT_CONNECTED: {
    status: 409,
    description: 'Hanging up or recording a call that is not talking, held or consulting',
  },
  HOTLINE_CALL_NOT_TALKING: { status: 409, description: 'Holding a call that is not talking' },
  HOTLINE_CALL_NOT_HELD: { status: 409, description: 'Resuming a call that is not on hold' },

  // monitoring (listen / whisper / barge)
  HOTLINE_MONITOR_BUSY: {
    status: 409,
    description: 'The call already has a monitor (one at a time); details name the session',
  },
  HOTLINE_MONITOR_OWN_CALL: { status: 403, description: 'Monitoring a call you are the agent of' },
  HOTLINE_MONITOR_MODE_FORBIDDEN: {
    status: 403,
    description: 'The role may not use that mode (QA: listen only unless configured)',
  },
  HOTLINE_NOT_MONITORING: {
    status: 404,
    description: 'Changing or ending a monitoring session that is not yours or does not exist',
  },
  HOTLINE_MONITOR_FAILED: {
    status: 502,
    description: "The monitor's phone could not be rung (Asterisk refused the originate)",
  },

  // transfers
  HOTLINE_CALL_NOT_TRANSFERABLE: {
    status: 409,
    description: 'Transferring a call that is not talking or held',
  },
  HOTLINE_NO_FREE_AGENT: {
    status: 409,
    description: 'Transfer to a queue that has no free agent right now',
  },
  HOTLINE_AGENT_NOT_FREE: {
    status: 409,
    description: 'The agent a transfer would ring is not free right now',
  },
  HOTLINE_NO_CONSULTATION: {
    status: 409,
    description: 'Completing or cancelling a transfer with no consultation in progress',
  },
  HOTLINE_CONSULT_NOT_ANSWERED: {
    status: 409,
    description: 'Completing a transfer before its target has answered',
  },

  // complaints and tasks
  HOTLINE_TASK_NOT_FOUND: {
    status: 404,
    description: 'No task with that id (or, for an agent, not assigned to them)',
  },
  HOTLINE_TASK_ALREADY_DONE: {
    status: 409,
    description: 'Completing or reassigning a task that is done',
  },

  // recordings and QA
  HOTLINE_CALL_ALREADY_RECORDING: {
    status: 409,
    description: 'Starting the recording of a call that is being recorded',
  },
  HOTLINE_CALL_NOT_RECORDING: {
    status: 409,
    description: 'Pausing or resuming the recording of a call that is not being recorded',
  },
  HOTLINE_RECORDING_NO_BRIDGE: {
    status: 409,
    description: 'Starting a recording on a call that has no bridge to record',
  },
  HOTLINE_QUEUE_NEVER_RECORDED: {
    status: 403,
    description: "Starting a recording on a call whose queue's policy is never to record",
  },
  HOTLINE_RECORDING_NOT_FOUND: {
    status: 404,
    description: 'No recording with that id (or, for an agent, not of their call)',
  },
  HOTLINE_RECORDING_NOT_STORED: {
    status: 409,
    description: 'Playing a recording that is not stored (still recording, or failed)',
  },
  HOTLINE_RECORDING_FILE_MISSING: {
    status: 404,
    description: 'A stored recording whose audio file cannot be read',
  },
  HOTLINE_RANGE_NOT_SATISFIABLE: {
    status: 416,
    description:
      'A well-formed Range with no byte in the file; Content-Range: bytes */size says its size',
  },
  HOTLINE_QA_SAMPLE_NOT_FOUND: { status: 404, description: 'No QA sample with that id' },
  HOTLINE_EVALUATION_NOT_FOUND: { status: 404, description: 'No evaluation with that id' },
  HOTLINE_CALL_HAS_NO_AGENT: {
    status: 409,
    description: 'Evaluating a call that no agent answered',
  },
  HOTLINE_ALREADY_EVALUATED: {
    status: 409,
    description: 'The reviewer has evaluated this call already',
  },
  HOTLINE_EVALUATION_ALREADY_RESPONDED: {
    status: 409,
    description: 'The agent has acknowledged or disputed this evaluation already',
  },

  // campaigns, imports, do-not-call and dialing
  HOTLINE_CAMPAIGN_NOT_FOUND: { status: 404, description: 'No campaign with that id' },
  HOTLINE_CAMPAIGN_NAME_TAKEN: { status: 409, description: 'Another campaign has that name' },
  HOTLINE_CAMPAIGN_NOT_RUNNING: {
    status: 409,
    description: 'Pausing a campaign that is not running (draft or stopped)',
  },
  HOTLINE_IMPORT_NOT_FOUND: { status: 404, description: 'No import with that id' },
  HOTLINE_DNC_ENTRY_NOT_FOUND: {
    status: 404,
    description: 'Removing a number that is not on that do-not-call list',
  },
  HOTLINE_PREVIEW_NOT_FOUND: {
    status: 404,
    description: 'No preview of that contact offered to this agent',
  },
  HOTLINE_PREVIEW_ALREADY_DIALING: {
    status: 409,
    description: 'Dialing or skipping a preview that is dialing already',
  },
  HOTLINE_NUMBER_ON_DNC: {
    status: 409,
    description: 'Dialing a preview whose number is on a do-not-call list (it is skipped)',
  },
  HOTLINE_OUTSIDE_CALLING_HOURS: {
    status: 409,
    description: "Dialing a preview outside the contact's calling hours (it is put back)",
  },

  // system: any request
  HOTLINE_VALIDATION: {
    status: 400,
    description:
      'Body, query or path does not match the schema (or is not JSON, or cannot be decoded)',
  },
  HOTLINE_BAD_PHONE_NUMBER: {
    status: 400,
    description: 'A phone number that is not a possible number',
  },
  // reports
  HOTLINE_DAILY_REPORT_NOT_FOUND: {
    status: 404,
    description: 'No daily report kept for that day (GET /api/reports/daily lists them)',
  },

  HOTLINE_NOT_FOUND: { status: 404, description: 'No such API route (or other path or method)' },
  HOTLINE_PAYLOAD_TOO_LARGE: { status: 413, description: 'Request body over the size limit' },
  HOTLINE_UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    description: 'A body in a charset or Content-Encoding the service cannot decode',
  },
  HOTLINE_INTERNAL: { status: 500, description: 'A bug; logged with its stack, never returned' },
  HOTLINE_NOT_LEADER: {
    status: 503,
    description:
      'This instance is a standby (it does not hold the lease): it refuses call controls and ARI commands; the leader serves them',
  },
  HOTLINE_UNAVAILABLE: {
    status: 503,
    description: 'A dependency is down (socket.io: the session could not be checked); try again',
  },
} as const satisfies Record<string, { status: number; description: string }>;

export type ErrorCode = keyof typeof ERRORS;
/** The codes of a missing record, for `notFound`. */
export type NotFoundCode = Extract<ErrorCode, `HOTLINE_${string}_NOT_FOUND`>;

export class HotlineError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'HotlineError';
    this.status = ERRORS[code].status;
  }
}

/** A missing record: `notFound('HOTLINE_TASK_NOT_FOUND', 'task 7')` → "task 7 not found". */
export const notFound = (code: NotFoundCode, what: string) =>
  new HotlineError(code, `${what} not found`);

/** The contract's error body for a HotlineError (details only when there are some). */
export const errorBody = (err: HotlineError) => ({
  error: {
    code: err.code,
    message: err.message,
    ...(err.details === undefined ? {} : { details: err.details }),
  },
});
