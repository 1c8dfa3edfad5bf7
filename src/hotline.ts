import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { createAgentDirectory } from './agents/agent-directory';
import { createLoginThrottle, createMemoryCounterStore } from './agents/login-throttle';
import { createRedisCounterStore } from './agents/redis-counter-store';
import { createSessions } from './agents/sessions';
import { createUsersRepo } from './agents/users-repo';
import { createApp } from './app';
import { createAri, type Ari } from './ari';
import { createCallEngine, type CallEngine } from './calls/call-engine';
import { createWrapUp } from './calls/wrap-up';
import { createComplaints, type ComplaintNotifier } from './complaints/complaints';
import { createComplaintsRepo } from './complaints/complaints-repo';
import { createTasksRepo } from './complaints/tasks-repo';
import { createCallsRepo } from './calls/calls-repo';
import { createSurveyStats } from './calls/survey-stats';
import type { Config } from './config';
import { createCustomersRepo } from './customers/customers-repo';
import { createCallerMatcher } from './customers/match-caller';
import { createCallerDirectory, writingThrough } from './customers/caller-directory';
import { createDb, createLeaseDb, createReadDb, isPostgres, migrate, pingDb } from './db';
import { createLease } from './leadership/lease';
import { createLeaseStore } from './leadership/lease-store';
import { createClusterBus, type ClusterBus } from './leadership/cluster-bus';
import { attachClusterSockets, wallCluster } from './leadership/cluster-sockets';
import { advertisedUrl, createLeaderLocator, forwardToLeader } from './leadership/leader-proxy';
import { HotlineError } from './shared/errors';
import { createQueues } from './routing/queues';
import { createQa } from './qa';
import { createCampaignsRepo } from './outbound/campaigns/campaigns-repo';
import { createDialer, type Dialer } from './outbound/dialing/dialer';
import { createDialerStore } from './outbound/dialing/dialer-store';
import { createDncRepo } from './outbound/dnc/dnc-repo';
import { failInterruptedImports } from './outbound/lists/import-job';
import { runRetention, startRetention } from './qa/retention';
import { createRecordingsRepo } from './recordings/recordings-repo';
import { createRecordingStore } from './recordings/store-recording';
import { createMonitorControls, type MonitorControls } from './calls/monitor';
import { createMonitorSessionsRepo } from './monitoring/monitor-sessions-repo';
import { createSettingsRepo, loadList } from './config/settings-repo';
import { createPopBuilder } from './screenpop/build-pop';
import { createCustomerAccessAudit } from './privacy/customer-access-audit';
import { attachRedisAdapter, type RedisClient } from './screenpop/redis-adapter';
import { systemClock, type Clock } from './shared/clock';
import type { Logger } from './shared/logger';
import type { StageSink } from './calls/call-stages';
import { createCallRegistry } from './calls/call-registry';
import { createWall, type Wall } from './supervision/wall';
import { createPrometheusMetrics } from './metrics/prometheus';
import { createAgentStateLog } from './agents/state-log';
import { createReports, reportSettingsOf } from './reports/reports';
import { createDailyReports } from './reports/daily-report';

const VERSION = '0.1.0';

/**
 * The composition root as a function: config → db → capabilities → ARI → http/socket.io.
 * main.ts runs it with the process's config; tests and the demo run it in-process.
 */
export async function createHotline(
  config: Readonly<Config>,
  log: Logger,
  opts: {
    clock?: Clock;
    webDir?: string;
    stages?: StageSink;
    /** An ARI of the caller's (in-process tests and benches: the fake ARI). */
    ari?: Ari;
    /** The wall's timing and a listener of its deltas (the wall bench). */
    wall?: Pick<Parameters<typeof createWall>[0], 'coalesceMs' | 'tickMs' | 'onDelta'>;
  } = {},
) {
  const clock = opts.clock ?? systemClock;
  const db = createDb(config.databaseUrl);
  await migrate(db);
  const readDb = createReadDb(config.databaseUrl, db);
  // The call path's reads (the pop's history and complaints, a caller the directory cannot
  // match) on connections of their own: a month's report or the wall's aggregates on `readDb`
  // never hold up a screen-pop.
  const callPathDb = createReadDb(config.databaseUrl, db);
  // Hot standby: the lease decides whether this instance holds the ARI link and runs the engine,
  // dialer, call-back scheduler, retention and daily jobs (docs/architecture/failover.md).
  // SQLite: one instance, which always leads.
  const leaseDb = createLeaseDb(config.databaseUrl, db, config.leadership.ttlMs);
  const leaseStore = createLeaseStore(leaseDb, 'engine', { timeoutMs: config.leadership.ttlMs });
  const lease = createLease({
    name: 'engine',
    holder:
      config.leadership.instanceId ??
      `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
    store: leaseStore,
    log: log.child({ module: 'lease' }),
    timing: config.leadership,
    sole: !isPostgres(db),
  });
  await lease.start();
  // Several instances (PostgreSQL and REDIS_URL): a standby's browsers and API calls are served
  // by the leader — the API forwarded to its HTTP address (in the lease row), the sockets'
  // business over the cluster bus (docs/architecture/failover.md). One instance: nothing of it.
  const clustered = Boolean(config.redisUrl) && isPostgres(db);
  /** What only the leader may do, asked for on a standby: 503 HOTLINE_NOT_LEADER. */
  const leaderOnly = () => {
    if (!lease.isLeader)
      throw new HotlineError(
        'HOTLINE_NOT_LEADER',
        'this instance is a standby: the instance holding the lease serves calls',
      );
  };

  const users = createUsersRepo(db, clock);
  const sessions = createSessions({
    db,
    users,
    clock,
    ttlMs: config.auth.sessionTtlHours * 3_600_000,
    idleMs: config.auth.idleTimeoutMin * 60_000,
  });
  // With REDIS_URL the counters are shared by every instance (connected further down); until
  // then, or while Redis is down, in this instance's memory.
  let throttleRedis: RedisClient | null = null;
  const loginThrottle = createLoginThrottle({
    store: createRedisCounterStore({
      client: () => throttleRedis,
      prefix: `${config.redisKey}:login-throttle`,
      fallback: createMemoryCounterStore(clock),
      clock,
      log: log.child({ module: 'login-throttle' }),
    }),
    clock,
    limits: {
      maxFailuresPerUser: config.auth.loginThrottle.maxFailuresPerUser,
      maxFailuresPerAddress: config.auth.loginThrottle.maxFailuresPerAddress,
      windowMs: config.auth.loginThrottle.windowMin * 60_000,
    },
  });
  // Caller IDs matched from memory (src/customers/caller-directory.ts), the table the truth.
  const callerDirectory = createCallerDirectory({
    db: readDb,
    customers: createCustomersRepo(readDb, clock),
    log: log.child({ module: 'caller-directory' }),
    maxNumbers: config.telephony.callerDirectoryMax,
  });
  void callerDirectory.start();
  const customers = writingThrough(createCustomersRepo(db, clock), callerDirectory);
  const calls = createCallsRepo(db);
  const settings = createSettingsRepo(db, clock);
  // The config is frozen: the admin API changes this copy's lists in place.
  const desktop = {
    ...config.desktop,
    dispositions: config.desktop.dispositions.map((d) => ({ ...d })),
    breakReasons: config.desktop.breakReasons.map((d) => ({ ...d })),
  };
  await loadList(settings, 'dispositions', desktop.dispositions);
  await loadList(settings, 'breakReasons', desktop.breakReasons);
  const agents = createAgentDirectory({ db, clock, breakReasons: desktop.breakReasons });
  const queues = createQueues({
    db,
    clock,
    defaultQueue: config.telephony.defaultQueue,
    defaultRingTimeoutSec: config.telephony.ringTimeoutSec,
    defaultOwnerFirstSec: config.telephony.ownerFirstSec,
    defaultServiceLevelSec: config.telephony.serviceLevelSec,
    defaultTimezone: config.telephony.timezone,
    defaultRecording: config.telephony.recordingDefault,
    defaultServiceLevelTargetPct: config.telephony.serviceLevelTargetPct,
    defaultMaxWaitAlertSec: config.telephony.maxWaitAlertSec,
  });
  await queues.sync(config.telephony.queues);

  if (config.adminPassword && (await users.count()) === 0) {
    await users.create({
      username: 'admin',
      password: config.adminPassword,
      name: 'Administrator',
      role: 'admin',
    });
    log.info('created user admin from HOTLINE_ADMIN_PASSWORD');
  }
  await agents.load();
  // The agents' state history (reports: logged-in time, states, occupancy): the leader's to
  // write (started in `lead`), as the leader's directory is the one that changes.
  const stateLog = createAgentStateLog({
    db,
    agents,
    clock,
    log: log.child({ module: 'state-log' }),
    timezone: () => config.telephony.timezone,
  });
  // Reports read through the read connection (SQLite: beside the writer, never behind it).
  const reports = createReports({
    db: readDb,
    clock,
    settings: reportSettingsOf(config),
  });
  const dailyReports = createDailyReports({
    db,
    reports,
    clock,
    log: log.child({ module: 'daily-report' }),
    timezone: () => config.telephony.timezone,
    dailyAt: config.reports.dailyAt,
  });

  const ari =
    opts.ari ??
    createAri({
      baseUrl: config.ari.url,
      user: config.ari.user,
      password: config.ari.password,
      app: config.ari.app,
      log: log.child({ module: 'ari' }),
      timeoutMs: config.ari.requestTimeoutMs,
      maxInFlight: config.ari.maxRequestsInFlight,
      restOverWebSocket: config.ari.restOverWebSocket,
      backoff: { initialMs: config.ari.reconnectInitialMs, maxMs: config.ari.reconnectMaxMs },
      pingIntervalMs: config.ari.pingIntervalMs,
      pongTimeoutMs: config.ari.pongTimeoutMs,
      replacedCheckMs: config.ari.replacedCheckMs,
      // Every REST request is issued under the lease's epoch, refused without one (fencing).
      fence: { epoch: () => lease.epoch },
    });

  const complaintsRepo = createComplaintsRepo(db);
  const tasks = createTasksRepo(db);
  let engineRef: CallEngine | null = null;
  let monitorRef: MonitorControls | null = null;
  let notifyRef: ComplaintNotifier | null = null;
  const complaints = createComplaints({
    db,
    calls,
    complaints: complaintsRepo,
    tasks,
    customers,
    clock,
    followUpDays: config.desktop.complaintFollowUpDays,
    categories: config.desktop.complaintCategories,
    notify: {
      escalate: (c) => notifyRef?.escalate(c),
      taskAssigned: (u, t) => notifyRef?.taskAssigned(u, t),
    },
  });
  const dnc = createDncRepo(db, clock);
  const interrupted = await failInterruptedImports(db, clock);
  if (interrupted) log.warn({ interrupted }, 'list imports cut off by a restart marked failed');
  const campaigns = createCampaignsRepo(db, clock, dnc);
  let dialerRef: Dialer | null = null;
  let wallRef: Wall | null = null;
  // GET /metrics: this instance's registry; the gauges read the wall and the ARI link when scraped.
  const metrics = createPrometheusMetrics({
    wall: () => {
      if (!wallRef) throw new Error('wall not ready');
      return wallRef;
    },
    ariState: () => ari.events.state,
    leaseEpoch: () => lease.epoch,
  });
  const wrapUp = createWrapUp({
    calls,
    customers,
    tasks,
    agents,
    clock,
    dispositions: desktop.dispositions,
    campaign: {
      dispositions: (id) => campaigns.dispositions(id),
      applied: (o) => campaigns.applyDisposition(o),
    },
  });

  const recordings = createRecordingsRepo(db);
  const qa = createQa(db, clock);
  await qa.scorecards.ensureDefault();
  const monitorSessions = createMonitorSessionsRepo(db);
  // A session the last run never ended (it stopped or died under it) is over: its legs went
  // with the calls (reconcile-at-start) or are hung up by the resync.
  const unended = await monitorSessions.closeOpen('service-restarted', clock.now());
  if (unended) log.warn({ unended }, 'monitoring sessions left open by the last run closed');
  const web = createApp({
    fullNumberRoles: config.privacy.fullNumberRoles,
    customerAccess: createCustomerAccessAudit(db),
    qa,
    recordings,
    recordingsDir: config.recordingsDir,
    users,
    sessions,
    loginThrottle,
    customers,
    agents,
    calls,
    clock,
    log,
    defaultRegion: config.telephony.defaultRegion,
    version: VERSION,
    webDir: opts.webDir,
    health: async () => ({
      ari: ari.events.state === 'open',
      ariState: ari.events.state,
      database: await pingDb(db),
      ariRest: ari.restVia,
      role: lease.isLeader ? 'leader' : 'standby',
      epoch: lease.epoch,
      ...(redis ? { redis: redis.ready() } : {}),
    }),
    desktopDeps: {
      controls: () => {
        leaderOnly();
        if (!engineRef) throw new Error('call engine not ready');
        return engineRef.controls;
      },
      wrapUp,
      complaints,
      complaintsRepo,
      tasks,
      desktop,
    },
    outboundDeps: {
      campaigns,
      dnc,
      queues,
      defaultRegion: config.telephony.defaultRegion,
      onChange: () => dialerRef?.changed(),
      imports: { db, clock, log: log.child({ module: 'imports' }), metrics: metrics.sink },
      dialer: () => {
        leaderOnly();
        if (!dialerRef) throw new Error('dialer not ready');
        return dialerRef;
      },
    },
    monitoringDeps: {
      controls: () => {
        leaderOnly();
        if (!monitorRef) throw new Error('call engine not ready');
        return monitorRef;
      },
      sessions: monitorSessions,
    },
    adminDeps: {
      queues,
      settings,
      dispositions: desktop.dispositions,
      breakReasons: desktop.breakReasons,
      onChange: () => {
        engineRef?.dispatch();
        wallRef?.queuesChanged();
      },
    },
    wall: () => {
      if (!wallRef) throw new Error('wall not ready');
      return wallRef;
    },
    metrics: { metrics, token: config.metrics.token, allowFrom: config.metrics.allowFrom },
    reportDeps: {
      reports,
      daily: dailyReports,
      db: readDb,
      timezone: () => config.telephony.timezone,
    },
    forward: clustered
      ? forwardToLeader({
          forwarding: () => !lease.isLeader,
          locator: createLeaderLocator({
            store: leaseStore,
            self: lease.holder,
            cacheMs: config.leadership.pollMs,
            log: log.child({ module: 'leader-proxy' }),
          }),
          self: lease.holder,
          log: log.child({ module: 'leader-proxy' }),
        })
      : undefined,
  });
  // Where the others reach this instance, published in the lease row while it leads.
  web.server.on('listening', () =>
    lease.advertise(advertisedUrl(web.server.address(), config.leadership.advertiseUrl)),
  );
  notifyRef = web.gateway;
  // Every browser sees the Asterisk link's state (an agent knows why no calls come).
  ari.events.onConnected(() => web.gateway.telephonyStatus('open'));
  // Only the leader speaks for the phones: a standby closing its link is no outage.
  ari.events.onDisconnected(() => {
    if (lease.isLeader) web.gateway.telephonyStatus(ari.events.state);
  });
  ari.events.onAny((e) => metrics.ariEvent(e));
  const redis = config.redisUrl
    ? await attachRedisAdapter(web.io, config.redisUrl, log, config.redisKey)
    : null;
  throttleRedis = redis?.pub ?? null;
  let bus: ClusterBus | null = null;
  if (redis && clustered) {
    bus = createClusterBus({
      redis: { pub: redis.pub, sub: redis.sub },
      key: redis.key,
      instance: lease.holder,
      leading: () => lease.isLeader,
      log: log.child({ module: 'cluster-bus' }),
    });
    await bus.ready;
  }

  const recordingStore = createRecordingStore({
    rest: ari.rest,
    recordings,
    dir: config.recordingsDir,
    clock,
    log: log.child({ module: 'recordings' }),
    metrics: metrics.sink,
    event: (callId, type, data) => calls.commit(callId, { type, at: clock.now(), data }),
  });
  const registry = createCallRegistry();
  // The supervisor wall: the engine tells it of every fact it commits (observe).
  const wall = createWall({
    io: web.io,
    registry,
    agents,
    queues,
    db: readDb,
    clock,
    timezone: config.telephony.timezone,
    shortAbandonSec: config.telephony.shortAbandonSec,
    fullNumberRoles: config.privacy.fullNumberRoles,
    log: log.child({ module: 'wall' }),
    ...opts.wall,
    cluster: bus ? wallCluster(bus, lease) : undefined,
  });
  wallRef = wall;
  await wall.start();
  const clusterSockets = bus
    ? attachClusterSockets({
        bus,
        io: web.io,
        gateway: web.gateway,
        agents,
        wall,
        lease,
        log: log.child({ module: 'cluster-sockets' }),
      })
    : null;
  const engine = createCallEngine({
    registry,
    observe: (c) => wall.observe(c),
    rest: ari.rest,
    app: config.ari.app,
    telephony: config.telephony,
    calls,
    tasks,
    recordings,
    recordingStore,
    monitorSessions,
    agents,
    queues,
    // The call path's reads go through their own connection (createReadDb).
    matchCaller: createCallerMatcher({
      customers: createCustomersRepo(callPathDb, clock),
      defaultRegion: config.telephony.defaultRegion,
      directory: callerDirectory,
    }),
    buildPop: createPopBuilder({
      calls: createCallsRepo(callPathDb),
      users: createUsersRepo(callPathDb, clock),
      complaints: createComplaintsRepo(callPathDb),
    }),
    notifier: web.gateway,
    clock,
    log: log.child({ module: 'calls' }),
    metrics: metrics.sink,
    // The pop-latency histogram, and whoever else listens (the pop bench).
    stages: (callId, stage, at) => {
      metrics.stage(callId, stage, at);
      opts.stages?.(callId, stage, at);
    },
  });
  engineRef = engine;
  monitorRef = createMonitorControls(engine.ctx, config.monitoring);
  const dialer = createDialer(engine.ctx, createDialerStore(db, clock), {
    tickMs: 1000,
    onPacing: (campaignId, d) => campaigns.setPacingRatio(campaignId, d.ratio),
  });
  dialerRef = dialer;
  engine.attachCampaigns(dialer);
  engine.attach(ari.events);

  // Retention: when leading (at start), then every 24 h; logs ids and counts only.
  const startRetentionJob = () =>
    startRetention(
      () =>
        runRetention({
          db,
          recordingsDir: config.recordingsDir,
          recordingsDays: config.retention.recordingsDays,
          evaluationsDays: config.retention.evaluationsDays,
          now: clock.now(),
          log: log.child({ module: 'retention' }),
        }),
      log,
    );

  let stopped = false;
  let listening = false;
  // The leader's work, started on gaining the lease and stopped on losing it, one change at a time.
  let duties: { retention: { stop(): Promise<void> } } | null = null;
  const startLinks = () => {
    ari.events.start();
    dialer.start();
    dailyReports.start();
  };
  const lead = async (atStart = false) => {
    if (duties || stopped) return;
    // Led after standing by: the agents' states were chosen on the leader of the time, which
    // wrote them down; this directory's copy is from this instance's start.
    if (!atStart && clustered) {
      await agents.load();
      // Its own sockets, for agents it may not have known of when they connected, and the
      // standbys' sockets they told it of meanwhile (their answers to its hello).
      const own = clusterSockets?.remoteCounts() ?? new Map<number, number>();
      for (const s of web.io.of('/').sockets.values())
        own.set(s.data.userId, (own.get(s.data.userId) ?? 0) + 1);
      agents.recount(own);
    }
    if (duties || stopped) return;
    duties = { retention: startRetentionJob() };
    await stateLog.start();
    // The ARI link's first connect adopts the live calls (reconcileAtStart, then resync).
    if (listening) startLinks();
  };
  const standBy = async () => {
    const was = duties;
    if (!was) return;
    duties = null;
    // ARI commands are refused already (the fence reads the lease); now the link closes.
    await ari.events.close();
    engine.release();
    await stateLog.pause();
    dialer.stop();
    await dailyReports.stop();
    await was.retention.stop();
  };
  let transitions: Promise<void> = Promise.resolve();
  lease.onChange((change) => {
    transitions = transitions
      .then(() => (change.leader ? lead() : standBy()))
      .catch((err: unknown) => log.error({ err, change }, 'leadership change failed'));
  });
  if (lease.isLeader) await lead(true);
  return {
    qa,
    db,
    config,
    recordings,
    users,
    customers,
    calls,
    agents,
    queues,
    complaints,
    tasks,
    ari,
    engine,
    campaigns,
    dnc,
    dialer,
    /** The satisfaction survey's figures (today's average and response rate for the wall). */
    surveys: createSurveyStats(db),
    wall,
    /** The operational metrics (GET /metrics). */
    metrics,
    reports,
    dailyReports,
    stateLog,
    ...web,
    /** The lease: leader or standby, and its epoch (src/leadership/lease.ts). */
    lease,
    async listen(port: number, host?: string): Promise<number> {
      listening = true;
      if (duties) startLinks();
      await new Promise<void>((resolve, reject) => {
        web.server.once('error', reject);
        web.server.listen(port, host, () => resolve());
      });
      return (web.server.address() as AddressInfo).port;
    },
    /** Stops taking new work, closes sockets and the ARI link, and the database. */
    async stop(): Promise<void> {
      if (stopped) return;
      stopped = true;
      await transitions;
      await duties?.retention.stop();
      await dailyReports.stop();
      wall.stop();
      // The sockets closing here are told to the leader (the relay), then the relay stops.
      await new Promise<void>((resolve) => {
        void web.io.close(() => resolve());
      });
      clusterSockets?.stop();
      dialer.stop();
      engine.stop();
      await callerDirectory.stop();
      agents.stop();
      await stateLog.stop();
      await ari.events.close();
      // Only once the ARI link is closed may another instance take over.
      await lease.stop();
      await recordingStore.stop();
      await Promise.all(engine.registry.all().map((s) => s.writes));
      if (leaseDb !== db) await leaseDb.destroy();
      await bus?.close();
      await redis?.close();
      await db.destroy();
      if (readDb !== db) await readDb.destroy();
      if (callPathDb !== db) await callPathDb.destroy();
    },
  };
}

export type Hotline = Awaited<ReturnType<typeof createHotline>>;
