import { z } from 'zod';
import { queueFields } from '../api/admin';
import { codeLabel } from '../api/common';
import { isAddressRule } from '../metrics/access';
import { isTimeZone, parseRule } from '../routing/opening-hours';

const port = z.coerce.number().int().min(1).max(65535);
const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);
const databaseUrl = z
  .string()
  .regex(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, 'must be sqlite:PATH or postgres://…');
const httpUrl = z
  .string()
  .url()
  .regex(/^https?:\/\//, 'must be an http(s) URL');

/**
 * A queue's rules (src/api/admin.ts, the shape POST /api/queues documents), with the checks that
 * need the service's own code: opening-hours rules and time zones.
 */
export const queueConfigSchema = queueFields.extend({
  /** Opening hours, e.g. ["mon-fri 08:00-18:00"]; none = always open. */
  hours: z
    .array(z.string())
    .default([])
    .superRefine((hours, ctx) => {
      for (const h of hours) {
        try {
          parseRule(h);
        } catch (err) {
          ctx.addIssue({ code: 'custom', message: (err as Error).message });
        }
      }
    }),
  timezone: z.string().refine(isTimeZone, 'unknown time zone').optional(),
});

export const configSchema = z.object({
  port,
  databaseUrl,
  logLevel,
  recordingsDir: z.string().min(1),
  adminPassword: z.string().min(8, 'must be at least 8 characters').optional(),
  redisUrl: z
    .string()
    .regex(/^rediss?:\/\/.+/, 'must be a redis:// URL')
    .optional(),
  /**
   * The prefix of every Redis channel the instances share (HOTLINE_REDIS_KEY): the socket.io
   * adapter's `key` and the cluster bus's channels. Instances talk only to those with the same.
   */
  redisKey: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[\w.:-]+$/, 'letters, digits, . _ : - only')
    .default('socket.io'),
  ari: z.object({
    url: httpUrl,
    user: z.string().min(1),
    password: z.string().min(1),
    app: z
      .string()
      .min(1)
      .regex(/^[\w.-]+$/, 'letters, digits, . _ - only'),
    requestTimeoutMs: z.number().int().min(100).max(60000),
    maxRequestsInFlight: z.number().int().min(1).max(1000),
    restOverWebSocket: z.boolean(),
    reconnectInitialMs: z.number().int().min(10).max(60000),
    reconnectMaxMs: z.number().int().min(100).max(600000),
    pingIntervalMs: z.number().int().min(100).max(600000),
    pongTimeoutMs: z.number().int().min(100).max(600000),
    replacedCheckMs: z.number().int().min(50).max(600000),
  }),
  telephony: z.object({
    /** ISO 3166 region used to read national numbers (e.g. CN, DE, US). */
    defaultRegion: z.string().regex(/^[A-Z]{2}$/, 'must be a two-letter region code such as CN'),
    /** Dial string of an agent's phone; {extension} is replaced. */
    agentEndpoint: z.string().includes('{extension}', { message: 'must contain {extension}' }),
    ringTimeoutSec: z.number().int().min(5).max(120),
    /** How long the pop may wait for the browser's acknowledgement before the phone rings. */
    popAckWaitMs: z.number().int().min(0).max(5000),
    /** Customers' numbers kept in memory for the caller-ID match; above it the table answers. */
    callerDirectoryMax: z.number().int().min(0).max(5_000_000),
    mohClass: z.string().min(1),
    noAgentMessage: z
      .string()
      .regex(
        /^(sound|recording|tone|digits|number):.+/,
        'must be an ARI media URI such as sound:NAME',
      ),
    defaultQueue: z.string().min(1),
    queues: z.array(queueConfigSchema).min(1),
    /** After-call work: how long an agent has for the wrap-up before being offered calls again. */
    wrapUpSec: z.number().int().min(0).max(3600),
    /** The call center's time zone: opening hours are read in it unless a queue has its own. */
    timezone: z.string().refine(isTimeZone, 'unknown time zone'),
    closedMessage: z.string().regex(/^(sound|recording|tone|digits|number):.+/),
    callbackOfferMessage: z.string().regex(/^(sound|recording|tone|digits|number):.+/),
    callbackConfirmMessage: z.string().regex(/^(sound|recording|tone|digits|number):.+/),
    /** How long to wait for the caller's "1" after the call-back offer when closed. */
    callbackDigitWaitSec: z.number().min(1).max(60),
    ownerFirstSec: z.number().int().min(0).max(600),
    serviceLevelSec: z.number().int().min(1).max(600),
    /** The supervisor wall's defaults for queues that set none (src/metrics/definitions.ts). */
    serviceLevelTargetPct: z.number().int().min(1).max(100),
    maxWaitAlertSec: z.number().int().min(5).max(3600),
    /** A caller who hangs up within this many seconds does not count against the service level. */
    shortAbandonSec: z.number().int().min(0).max(60),
    /** Dial string towards the public network (transfers out, call-backs); {number} is E.164. */
    trunkEndpoint: z.string().includes('{number}', { message: 'must contain {number}' }),
    /** The caller ID presented on calls the service places to the public network. */
    outboundCallerId: z.string().regex(/^\+?\d{2,20}$/, 'digits only, optionally with +'),
    /** How long an external number rings before the attempt counts as no answer. */
    externalRingSec: z.number().int().min(15).max(120),
    /** Queued call-backs: attempts before giving up, and minutes between attempts. */
    callbackMaxAttempts: z.number().int().min(1).max(10),
    /**
     * Answering-machine detection (campaigns with `amd`): the dialplan context that runs AMD()
     * and returns the channel to the app (config/asterisk/extensions.conf, [hotline-amd]).
     */
    amdContext: z.string().regex(/^[A-Za-z0-9_.-]{1,80}$/, 'a dialplan context name'),
    /**
     * The silence after a greeting that makes AMD() say HUMAN (passed to AMD() by the dialplan),
     * so the 2-second abandon clock of a HUMAN result started that long before it.
     */
    amdAfterGreetingMs: z.number().int().min(0).max(5000),
    /** A predictive call answered with no agent free within 2 s hears this, then is hung up. */
    abandonMessage: z.string().regex(/^(sound|recording|tone|digits|number):.+/),
    /** Queues without their own recording policy. */
    recordingDefault: z.enum(['always', 'never', 'on-demand']),
    /** Played to the caller before the agent is connected on a recorded queue; "" = none. */
    recordingConsentMessage: z
      .string()
      .regex(/^((sound|recording|tone|digits|number):.+)?$/, 'an ARI media URI or ""'),
    /**
     * A queue recorded `always` whose notice could not be played (missing prompt): false = the
     * call is not recorded and says why; true = recorded anyway.
     */
    recordWithoutConsent: z.boolean(),
    callbackRetryMin: z
      .number()
      .min(0.05)
      .max(24 * 60),
    /**
     * The post-call satisfaction survey (queues with `survey: after-agent-hangup`): the question
     * ("press 1 to 5"), the re-prompt after a key that is not 1-5 (once), and the thanks after a
     * score, played to the caller once the agent has hung up.
     */
    surveyMessage: z.string().regex(/^(sound|recording|tone|digits|number):.+/),
    surveyInvalidMessage: z.string().regex(/^(sound|recording|tone|digits|number):.+/),
    surveyThanksMessage: z.string().regex(/^(sound|recording|tone|digits|number):.+/),
    /** Silence this long after the question (or the re-prompt) ends = no answer. */
    surveyDigitWaitSec: z.number().min(1).max(60),
  }),
  desktop: z.object({
    dispositions: z.array(codeLabel).min(1),
    breakReasons: z.array(codeLabel).min(1),
    complaintCategories: z.array(codeLabel).min(1),
    /** Every complaint gets a follow-up call-back task due within this many days. */
    complaintFollowUpDays: z.number().min(0.01).max(60),
  }),
  /**
   * Hot standby (src/leadership/, docs/architecture/failover.md): the lease that decides which
   * instance holds the ARI link and runs the engine. PostgreSQL only; SQLite always leads.
   */
  leadership: z
    .object({
      /** This instance's name in the lease row (HOTLINE_INSTANCE_ID); default host:pid:random. */
      instanceId: z.string().min(1).max(200).optional(),
      /**
       * The HTTP base URL at which the other instances reach this one (HOTLINE_ADVERTISE_URL):
       * published in the lease row while leading, standbys forward the API there. Default: the
       * address listened on, or this host's first non-internal IPv4 address when listening on
       * every address.
       */
      advertiseUrl: httpUrl.optional(),
      ttlMs: z.number().int().min(100).max(600000),
      renewMs: z.number().int().min(20).max(600000),
      pollMs: z.number().int().min(20).max(600000),
      marginMs: z.number().int().min(10).max(600000),
    })
    .refine((l) => l.marginMs < l.ttlMs && l.renewMs < l.ttlMs - l.marginMs, {
      message: 'needs marginMs < ttlMs and renewMs < ttlMs - marginMs',
    }),
  /** Reports (src/reports/): when the daily report of the day before is produced, local time. */
  reports: z.object({
    dailyAt: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a local time HH:MM'),
  }),
  /** Listen / whisper / barge: the modes QA may use (supervisors and admins: all). */
  monitoring: z.object({
    qaModes: z.array(z.enum(['listen', 'whisper', 'barge'])).max(3),
  }),
  /** How long recordings and QA evaluations are kept (days); the retention job deletes older ones. */
  retention: z.object({
    recordingsDays: z.number().int().min(1).max(36500),
    evaluationsDays: z.number().int().min(1).max(36500),
  }),
  /** Least privilege for phone numbers (src/privacy/number-policy.ts, docs/privacy.md). */
  privacy: z.object({
    /**
     * Roles that see every phone number whole (audited); the others see masked numbers on
     * records that are not theirs and reveal them on demand. QA is never one of them.
     */
    fullNumberRoles: z
      .array(z.enum(['supervisor', 'admin'], 'supervisor or admin (qa and agents never)'))
      .max(2),
  }),
  /** GET /metrics (Prometheus; src/http/routes/metrics.ts): off (404) unless one is set. */
  metrics: z.object({
    /** Bearer token a scraper sends (HOTLINE_METRICS_TOKEN). */
    token: z.string().min(16, 'must be at least 16 characters').optional(),
    /** Client addresses or subnets that may scrape without the token, e.g. ["127.0.0.1"]. */
    allowFrom: z
      .array(z.string().refine(isAddressRule, 'an IP address or subnet (10.0.0.0/8)'))
      .max(100),
  }),
  auth: z.object({
    /** A session ends this long after login at the latest. */
    sessionTtlHours: z
      .number()
      .min(0.1)
      .max(24 * 30),
    /** It ends earlier after this long without a request, a socket event or a connected socket. */
    idleTimeoutMin: z
      .number()
      .min(1)
      .max(24 * 60),
    /** Failed logins allowed per username and per address within the window, then 429. */
    loginThrottle: z.object({
      maxFailuresPerUser: z.number().int().min(1).max(1000),
      maxFailuresPerAddress: z.number().int().min(1).max(100000),
      windowMin: z
        .number()
        .min(0.1)
        .max(24 * 60),
    }),
  }),
});

export type Config = z.infer<typeof configSchema>;
export type QueueConfig = z.infer<typeof queueConfigSchema>;
/** A queue as written (defaults not yet applied). */
export type QueueConfigInput = z.input<typeof queueConfigSchema>;
