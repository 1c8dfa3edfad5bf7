import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import express, { type RequestHandler } from 'express';
import { Server } from 'socket.io';
import type { AgentDirectory } from './agents/agent-directory';
import type { LoginThrottle } from './agents/login-throttle';
import type { Sessions } from './agents/sessions';
import type { UsersRepo } from './agents/users-repo';
import type { CallsRepo } from './calls/calls-repo';
import type { CustomersRepo } from './customers/customers-repo';
import { routes } from './api/routes';
import { authorize } from './http/authorize';
import { numberMasking } from './http/number-masking';
import { privacyRoutes } from './http/routes/privacy';
import type { Role } from './api/auth';
import type { CustomerAccessAudit } from './privacy/customer-access-audit';
import { DEFAULT_FULL_NUMBER_ROLES, numberPolicy } from './privacy/number-policy';
import { authenticate, errorHandler } from './http/middleware';
import { openApiDocument } from './http/openapi';
import { noStore, securityHeaders } from './http/security-headers';
import { agentRoutes } from './http/routes/agents';
import { authRoutes } from './http/routes/auth';
import { callRoutes } from './http/routes/calls';
import { recordingRoutes } from './http/routes/recordings';
import type { RecordingsRepo } from './recordings/recordings-repo';
import { customerRoutes } from './http/routes/customers';
import { userRoutes } from './http/routes/users';
import { adminRoutes, type AdminDeps } from './http/routes/admin';
import { desktopRoutes } from './http/routes/desktop';
import { monitoringRoutes } from './http/routes/monitoring';
import { complaintRoutes } from './http/routes/complaints';
import { qaRoutes } from './http/routes/qa';
import { campaignRoutes, type OutboundDeps } from './http/routes/campaigns';
import { dncRoutes } from './http/routes/dnc';
import { dialingRoutes } from './http/routes/dialing';
import { importRoutes, type ImportRoutesDeps } from './http/routes/imports';
import { metricsRoutes, type MetricsRouteDeps } from './http/routes/metrics';
import { wallRoutes, type WallRouteDeps } from './http/routes/wall';
import { reportRoutes, type ReportRouteDeps } from './http/routes/reports';
import type { Dialer } from './outbound/dialing/dialer';
import type { Qa } from './qa';
import type { CallControls } from './calls/call-controls';
import type { WrapUp } from './calls/wrap-up';
import type { Complaints } from './complaints/complaints';
import type { ComplaintsRepo } from './complaints/complaints-repo';
import type { TasksRepo } from './complaints/tasks-repo';
import type { Config } from './config';
import {
  createScreenPopGateway,
  SOCKET_MAX_PAYLOAD_BYTES,
  type HotlineIo,
  type ScreenPopGateway,
} from './screenpop/gateway';
import type { Clock } from './shared/clock';
import { HotlineError } from './shared/errors';
import { projectRoot } from './shared/paths';
import type { Logger } from './shared/logger';

/** Issue 3's capabilities; optional so that tests of the base API can leave them out. */
export interface DesktopDeps {
  controls: () => CallControls;
  wrapUp: WrapUp;
  complaints: Complaints;
  complaintsRepo: ComplaintsRepo;
  tasks: TasksRepo;
  desktop: Config['desktop'];
}

export interface AppDeps {
  users: UsersRepo;
  sessions: Sessions;
  /** Failed logins per username and per address (src/agents/login-throttle.ts). */
  loginThrottle: LoginThrottle;
  customers: CustomersRepo;
  agents: AgentDirectory;
  calls: CallsRepo;
  clock: Clock;
  log: Logger;
  defaultRegion: string;
  version: string;
  health: () => Promise<{
    ari: boolean;
    database: boolean;
    ariState?: 'connecting' | 'open' | 'replaced' | 'closed';
    ariRest?: 'websocket' | 'http';
    /** Hot standby (src/leadership/): leading (holds the lease and the ARI link) or waiting. */
    role?: 'leader' | 'standby';
    /** The lease epoch led under; null on a standby. */
    epoch?: number | null;
    /** The socket.io Redis adapter's connections (only with REDIS_URL). */
    redis?: boolean;
  }>;
  webDir?: string;
  /** Recordings: playback, audit, legal hold (absent in tests that do not need them). */
  recordings?: RecordingsRepo;
  recordingsDir?: string;
  desktopDeps?: DesktopDeps;
  /** Queues and dispositions administration; optional like desktopDeps. */
  adminDeps?: AdminDeps;
  /** QA: scorecards, sampling, evaluations, results (docs/api-qa.md); optional like the others. */
  qa?: Qa;
  /** Listen / whisper / barge and its audit; optional like the others. */
  monitoringDeps?: Parameters<typeof monitoringRoutes>[0];
  /** Roles that see every phone number whole (`privacy.fullNumberRoles`; default supervisor, admin). */
  fullNumberRoles?: readonly Role[];
  /** The customer access audit: views, searches, exports, reveals (docs/privacy.md). */
  customerAccess?: CustomerAccessAudit;
  /** Outbound campaigns and the do-not-call list (docs/api-outbound.md); optional likewise. */
  outboundDeps?: OutboundDeps & {
    imports?: Omit<ImportRoutesDeps, 'defaultRegion'>;
    /** The campaign dialer (preview Dial / Skip); built after the app, hence a getter. */
    dialer?: () => Dialer;
  };
  /** The supervisor wall (GET /api/wall; its sockets attach to `io` themselves). */
  wall?: WallRouteDeps['wall'];
  /** GET /metrics (Prometheus), outside /api: its own token or addresses, never a session. */
  metrics?: MetricsRouteDeps;
  /** Reports, exports, daily reports (docs/api-reports.md); optional like the others. */
  reportDeps?: Omit<ReportRouteDeps, 'policy' | 'audit' | 'users' | 'clock' | 'log'>;
  /**
   * Several instances: on a standby, /api requests go to the leader before anything here reads
   * them (src/leadership/leader-proxy.ts); it calls next() when this instance answers itself.
   */
  forward?: RequestHandler;
}

/** express + socket.io on one http.Server that is not listening yet (tests use it directly). */
export function createApp(deps: AppDeps) {
  const policy = numberPolicy(deps.fullNumberRoles ?? DEFAULT_FULL_NUMBER_ROLES);
  /** The gateway is built below, with the socket.io server; requests come after. */
  const later: { gateway?: ScreenPopGateway } = {};
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  // Before anything that can answer: every response, errors and static files included.
  app.use(securityHeaders());
  app.use(['/api', '/healthz', '/readyz', '/metrics'], noStore);
  // Before the body is read: a forwarded request's body streams to the leader as sent.
  if (deps.forward) app.use('/api', deps.forward);
  app.use(express.json({ limit: '256kb' }));

  // Healthy: the database answers and, when leading, the ARI link is open; a standby needs no
  // ARI link (it is healthy, just not leading). Redis is reported, and counted by /readyz.
  app.get('/healthz', (_req, res, next) => {
    deps
      .health()
      .then((h) => {
        const ok = h.database && (h.ari || h.role === 'standby');
        res.status(ok ? 200 : 503).json({ ok, ...h });
      })
      .catch(next);
  });
  // For load balancers: can this instance serve the API and sockets (leader or standby alike)?
  app.get('/readyz', (_req, res, next) => {
    deps
      .health()
      .then((h) => {
        const ready = h.database && h.redis !== false;
        res.status(ready ? 200 : 503).json({
          ready,
          database: h.database,
          ...(h.redis === undefined ? {} : { redis: h.redis }),
          ...(h.role ? { role: h.role } : {}),
        });
      })
      .catch(next);
  });
  if (deps.metrics) app.use(metricsRoutes(deps.metrics));
  // Built once: converting every schema costs milliseconds of CPU, on a route that needs no token.
  let apiDocument: ReturnType<typeof openApiDocument> | undefined;
  app.get('/api/openapi.json', (_req, res) => {
    res.json((apiDocument ??= openApiDocument(deps.version)));
  });

  const api = express.Router();
  api.use(authRoutes(deps));
  api.use(authenticate(deps.sessions));
  // Every route's roles, as the route table declares them (src/api/routes.ts).
  api.use(authorize(routes));
  // Every answer's phone numbers as the number policy shows them to the requester, and the
  // customer access audit (src/privacy/).
  api.use(
    numberMasking({
      policy,
      defaultRegion: deps.defaultRegion,
      agents: deps.agents,
      calls: deps.calls,
      clock: deps.clock,
      audit: deps.customerAccess,
      livePop: (userId) => later.gateway?.currentPop(userId),
    }),
  );
  api.use(userRoutes({ ...deps, onChange: deps.adminDeps?.onChange }));
  api.use(customerRoutes(deps));
  if (deps.customerAccess)
    api.use(
      privacyRoutes({ calls: deps.calls, customers: deps.customers, audit: deps.customerAccess }),
    );
  api.use(agentRoutes(deps));
  api.use(callRoutes(deps));
  if (deps.recordings && deps.recordingsDir)
    api.use(
      recordingRoutes({
        recordings: deps.recordings,
        calls: deps.calls,
        dir: deps.recordingsDir,
        clock: deps.clock,
        log: deps.log,
      }),
    );
  if (deps.adminDeps) api.use(adminRoutes(deps.adminDeps));
  if (deps.qa) api.use(qaRoutes({ qa: deps.qa, clock: deps.clock }));
  if (deps.outboundDeps) {
    api.use(campaignRoutes(deps.outboundDeps));
    api.use(dncRoutes(deps.outboundDeps));
    const { imports, dialer, defaultRegion } = deps.outboundDeps;
    if (imports) api.use(importRoutes({ ...imports, defaultRegion }));
    if (dialer) api.use(dialingRoutes({ dialer }));
  }
  if (deps.wall) api.use(wallRoutes({ wall: deps.wall }));
  if (deps.reportDeps)
    api.use(
      reportRoutes({
        ...deps.reportDeps,
        policy,
        audit: deps.customerAccess,
        users: deps.users,
        clock: deps.clock,
        log: deps.log,
      }),
    );
  if (deps.desktopDeps) {
    api.use(desktopRoutes(deps.desktopDeps));
    api.use(
      complaintRoutes({
        ...deps.desktopDeps,
        users: deps.users,
        clock: deps.clock,
        agents: deps.agents,
        calls: deps.calls,
      }),
    );
  }
  if (deps.monitoringDeps) api.use(monitoringRoutes(deps.monitoringDeps));
  api.use((req, _res, next) =>
    next(new HotlineError('HOTLINE_NOT_FOUND', `no route ${req.method} ${req.path}`)),
  );
  app.use('/api', api);

  // The built web app (npm run build / build:web); without one, a page that says how to build it.
  const built = path.join(projectRoot(), 'web/dist');
  const webDir = deps.webDir ?? (fs.existsSync(path.join(built, 'index.html')) ? built : null);
  if (webDir) app.use(express.static(webDir, { index: 'index.html', maxAge: 0 }));
  else
    app.get('/', (_req, res) => {
      res
        .type('html')
        .send(
          '<!doctype html><meta charset="utf-8"><title>Hotline</title>' +
            '<p>The web app is not built. Run <code>npm run build:web</code> (or ' +
            '<code>npm run demo</code>, which builds it) and reload.</p>',
        );
    });
  // Any other method or path (PUT /healthz, a file the web app does not have): the contract's 404,
  // not express's HTML page.
  app.use((req, _res, next) =>
    next(new HotlineError('HOTLINE_NOT_FOUND', `no route ${req.method} ${req.path}`)),
  );
  app.use(errorHandler(deps.log));

  const server = http.createServer(app);
  const io: HotlineIo = new Server(server, {
    serveClient: true,
    pingInterval: 10_000,
    pingTimeout: 8_000,
    maxHttpBufferSize: SOCKET_MAX_PAYLOAD_BYTES,
  });
  // socket.io's HTTP long-polling answers (screen pops travel there when WebSocket cannot) do not
  // pass through express: engine.io already sends them no-store; nosniff as well.
  io.engine.on('headers', (headers: Record<string, string>) => {
    headers['X-Content-Type-Options'] = 'nosniff';
  });
  const gateway = createScreenPopGateway({
    io,
    sessions: deps.sessions,
    agents: deps.agents,
    log: deps.log,
    policy,
  });
  later.gateway = gateway;
  return { app, server, io, gateway };
}
