import { createMonitorSessionsRepo } from '../../src/monitoring/monitor-sessions-repo';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { io as connect, type Socket } from 'socket.io-client';
import { createAgentDirectory } from '../../src/agents/agent-directory';
import {
  createLoginThrottle,
  createMemoryCounterStore,
  type LoginLimits,
} from '../../src/agents/login-throttle';
import { createSessions } from '../../src/agents/sessions';
import { createUsersRepo, type Role } from '../../src/agents/users-repo';
import { createApp, type AppDeps } from '../../src/app';
import { createReports, reportSettingsOf } from '../../src/reports/reports';
import { createDailyReports } from '../../src/reports/daily-report';
import { createCallsRepo } from '../../src/calls/calls-repo';
import { createCustomersRepo } from '../../src/customers/customers-repo';
import { createDb, migrate } from '../../src/db';
import { systemClock, type Clock } from '../../src/shared/clock';
import { silentLogger } from '../../src/shared/logger';
import { loadConfig } from '../../src/config';
import { createComplaints } from '../../src/complaints/complaints';
import { createComplaintsRepo } from '../../src/complaints/complaints-repo';
import { createTasksRepo } from '../../src/complaints/tasks-repo';
import { createWrapUp } from '../../src/calls/wrap-up';
import { HotlineError } from '../../src/shared/errors';
import { createQa } from '../../src/qa';
import { createRecordingsRepo } from '../../src/recordings/recordings-repo';
import { createCustomerAccessAudit } from '../../src/privacy/customer-access-audit';

/**
 * The HTTP app and socket.io on an in-memory SQLite database, listening on a free port.
 * `allRoutes`: also mount the capabilities this fixture does not build (recordings, admin,
 * outbound, preview dialing) on stubs that throw when used, for tests of the route list itself.
 * `recordingsDir`: mount playback and the audit for real, the files under that folder.
 * `authClock`, `idleMs`, `loginLimits`: the sessions' and login throttle's clock and limits
 * (by default the system clock, no idle limit and the configured login limits).
 * `fullNumberRoles`: `privacy.fullNumberRoles` (by default the configured ones).
 */
export async function appFixture(
  opts: {
    allRoutes?: boolean;
    recordingsDir?: string;
    authClock?: Clock;
    idleMs?: number;
    loginLimits?: Partial<LoginLimits>;
    fullNumberRoles?: Role[];
  } = {},
) {
  const db = createDb('sqlite::memory:');
  await migrate(db);
  const clock = systemClock;
  const authClock = opts.authClock ?? clock;
  const users = createUsersRepo(db, clock);
  const sessions = createSessions({
    db,
    users,
    clock: authClock,
    ttlMs: 3_600_000,
    idleMs: opts.idleMs,
  });
  const customers = createCustomersRepo(db, clock);
  const calls = createCallsRepo(db);
  const config = loadConfig({});
  const agents = createAgentDirectory({ db, clock, breakReasons: config.desktop.breakReasons });
  /** What the app's health() answers (/healthz, /readyz); tests change it. */
  const health: Awaited<ReturnType<AppDeps['health']>> = { ari: true, database: true };
  const loginThrottle = createLoginThrottle({
    store: createMemoryCounterStore(authClock),
    clock: authClock,
    limits: {
      maxFailuresPerUser: config.auth.loginThrottle.maxFailuresPerUser,
      maxFailuresPerAddress: config.auth.loginThrottle.maxFailuresPerAddress,
      windowMs: config.auth.loginThrottle.windowMin * 60_000,
      ...opts.loginLimits,
    },
  });
  const complaintsRepo = createComplaintsRepo(db);
  const tasks = createTasksRepo(db);
  const notified: Array<{ kind: 'escalate' | 'task'; id: number; userId?: number }> = [];
  let gateway: ReturnType<typeof createApp>['gateway'] | null = null;
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
      escalate: (c) => {
        notified.push({ kind: 'escalate', id: c.id });
        gateway?.escalate(c);
      },
      taskAssigned: (userId, t) => {
        notified.push({ kind: 'task', id: t.id, userId });
        gateway?.taskAssigned(userId, t);
      },
    },
  });
  const wrapUp = createWrapUp({
    calls,
    customers,
    tasks,
    agents,
    clock,
    dispositions: config.desktop.dispositions,
  });
  const qa = createQa(db, clock);
  await qa.scorecards.ensureDefault();
  const recordings = createRecordingsRepo(db);
  const customerAccess = createCustomerAccessAudit(db);
  const reports = createReports({
    db,
    clock,
    settings: reportSettingsOf(config),
  });
  const dailyReports = createDailyReports({
    db,
    reports,
    clock,
    log: silentLogger(),
    timezone: () => config.telephony.timezone,
    dailyAt: config.reports.dailyAt,
  });
  const web = createApp({
    reportDeps: { reports, daily: dailyReports, db, timezone: () => config.telephony.timezone },
    fullNumberRoles: opts.fullNumberRoles ?? config.privacy.fullNumberRoles,
    customerAccess,
    ...(opts.allRoutes ? stubCapabilities() : {}),
    ...(opts.recordingsDir ? { recordings, recordingsDir: opts.recordingsDir } : {}),
    qa,
    users,
    sessions,
    loginThrottle,
    customers,
    agents,
    calls,
    clock,
    log: silentLogger(),
    defaultRegion: 'CN',
    version: 'test',
    health: () => Promise.resolve({ ...health }),
    desktopDeps: {
      controls: () => {
        throw new HotlineError('HOTLINE_UNAVAILABLE', 'no call engine in this test');
      },
      wrapUp,
      complaints,
      complaintsRepo,
      tasks,
      desktop: config.desktop,
    },
    monitoringDeps: {
      controls: () => {
        throw new HotlineError('HOTLINE_UNAVAILABLE', 'no call engine in this test');
      },
      sessions: createMonitorSessionsRepo(db),
    },
  });
  gateway = web.gateway;
  await new Promise<void>((r) => web.server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(web.server.address() as AddressInfo).port}`;
  const sockets: Socket[] = [];

  const fx = {
    db,
    users,
    sessions,
    agents,
    calls,
    customers,
    health,
    notified,
    tasks,
    qa,
    recordings,
    customerAccess,
    reports,
    dailyReports,
    ...web,
    url,
    http: () => request(web.app),
    async user(username: string, role: Role, extension: string | null = null) {
      const u = await users.create({
        username,
        password: 'password-1',
        name: `${username} name`,
        role,
        extension,
      });
      agents.upsertUser(u);
      const res = await request(web.app)
        .post('/api/auth/login')
        .send({ username, password: 'password-1' });
      return { ...u, token: res.body.token as string };
    },
    socket(token: string | undefined): Socket {
      const s = connect(url, {
        auth: token ? { token } : {},
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
      });
      sockets.push(s);
      return s;
    },
    async close() {
      for (const s of sockets) s.disconnect();
      await new Promise<void>((r) => void web.io.close(() => r()));
      await db.destroy();
    },
  };
  return fx;
}

export type AppFixture = Awaited<ReturnType<typeof appFixture>>;

/** Dependencies whose every property throws: enough to mount routes that are never called. */
function unusable<T>(name: string): T {
  return new Proxy(
    {},
    {
      get: (_t, prop) => {
        if (prop === 'then') return undefined;
        throw new Error(`${name}.${String(prop)}: not available in this fixture`);
      },
    },
  ) as T;
}

function stubCapabilities(): Pick<
  AppDeps,
  'recordings' | 'recordingsDir' | 'adminDeps' | 'outboundDeps' | 'wall' | 'metrics'
> {
  return {
    wall: () => unusable('wall'),
    // No token, no addresses: GET /metrics is mounted and off (404).
    metrics: { metrics: unusable('metrics') },
    recordings: unusable('recordings'),
    recordingsDir: '/nonexistent',
    adminDeps: {
      queues: unusable('queues'),
      settings: unusable('settings'),
      dispositions: [],
      breakReasons: [],
    },
    outboundDeps: {
      campaigns: unusable('campaigns'),
      dnc: unusable('dnc'),
      queues: unusable('queues'),
      defaultRegion: 'CN',
      imports: { db: unusable('db'), clock: systemClock, log: silentLogger() },
      dialer: () => unusable('dialer'),
    },
  };
}

export function once<T>(socket: Socket, event: string, timeoutMs = 3000): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
    socket.once(event, (value: T) => {
      clearTimeout(t);
      resolve(value);
    });
  });
}
