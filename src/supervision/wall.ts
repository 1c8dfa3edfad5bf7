import type { Role } from '../api/auth';
import type { AgentDirectory } from '../agents/agent-directory';
import type { WallDelta, WallSnapshot } from '../api/wall';
import type { CallRegistry } from '../calls/call-registry';
import type { CallSession } from '../calls/call-session';
import type { CommittedFact } from '../calls/engine-context';
import type { Db } from '../db';
import type { Queues } from '../routing/queues';
import type { QueueAlert } from '../screenpop/agent-events';
import type { HotlineIo } from '../screenpop/gateway';
import type { Clock } from '../shared/clock';
import { isoOf } from '../shared/clock';
import type { Logger } from '../shared/logger';
import { createWallModel, type TileAlert } from './wall-model';
import { attachWallSockets, type WallCluster } from './wall-sockets';
import { createTodayFigures } from './wall-today';
import { wallFor, type WallRole } from './wall-privacy';

/** The facts after whose write today's figures (answered, abandoned, waits, talk, surveys) change. */
const COUNTED_FACTS: ReadonlySet<string> = new Set([
  'answered',
  'ended',
  'transferred',
  'survey-started',
  'survey-answered',
]);

/**
 * Is a supervisor (or QA monitor) listening to, whispering in or barging into this call: their
 * phone answered (calls/monitor.ts). Its start and end are committed facts (monitor-started,
 * monitor-ended), so the wall's delta follows at once.
 */
export function isBeingMonitored(s: CallSession): boolean {
  return s.monitor?.answered === true;
}

/**
 * The supervisor wall (issue 10): the model (wall-model.ts) built from the engine's registry,
 * the agent directory and the queues; deltas pushed over socket.io after every change, a change
 * being a fact the engine commits (`observe`), an agent's state or activity, or today's figures
 * recomputed. Changes within `coalesceMs` (20 ms) go out as one delta; a tick every second
 * (`tickMs`) catches what changes with time alone (a wait passing its limit, a new day) and what
 * no event announces (a browser connecting). Deltas travel on this instance only (`io.local`):
 * each instance's wall is its own calls and agents, with its own `seq` — except with `cluster`
 * (several instances on Redis), where the leader's wall is every instance's.
 */
export function createWall(deps: {
  io: HotlineIo;
  registry: CallRegistry;
  agents: AgentDirectory;
  queues: Queues;
  /** The read connection (createReadDb): today's aggregates never wait behind the call path. */
  db: Db;
  clock: Clock;
  timezone: string;
  shortAbandonSec: number;
  log: Logger;
  coalesceMs?: number;
  tickMs?: number;
  /**
   * Every delta as sent, with the CPU its flush took (build, diff, mask, encode and hand to the
   * sockets, µs of this process): the wall bench listens.
   */
  onDelta?: (delta: WallDelta, stats: { cpuMicros: number }) => void;
  /** `privacy.fullNumberRoles` (the number policy): who sees callers' numbers whole. */
  fullNumberRoles?: readonly Role[];
  /** Whether a call is being monitored; `isBeingMonitored` by default. */
  monitored?: (s: CallSession) => boolean;
  /** Several instances: the leader's wall on every instance's sockets (wall-sockets.ts). */
  cluster?: WallCluster;
}) {
  const coalesceMs = deps.coalesceMs ?? 20;
  const log = deps.log;
  const today = createTodayFigures({
    db: deps.db,
    clock: deps.clock,
    timezone: deps.timezone,
    shortAbandonSec: deps.shortAbandonSec,
    log,
    onChange: () => touch(),
  });
  const model = createWallModel({
    calls: () => deps.registry.all(),
    agents: () => deps.agents.all(),
    queues: () => deps.queues.all(),
    serves: (q, a) => deps.queues.serves(q, a),
    today: () => today.current(),
    monitored: deps.monitored ?? isBeingMonitored,
    shortAbandonSec: deps.shortAbandonSec,
  });
  let timer: NodeJS.Timeout | null = null;
  let ticker: NodeJS.Timeout | null = null;
  let heal: NodeJS.Timeout | null = null;
  let stopped = false;
  const sockets = attachWallSockets({
    io: deps.io,
    snapshot: (role) => snapshot(role),
    fullNumberRoles: deps.fullNumberRoles,
    log,
    cluster: deps.cluster,
  });

  function snapshot(role: WallRole): WallSnapshot {
    return wallFor(role, model.snapshot(), deps.fullNumberRoles);
  }

  function alertOf(a: TileAlert): QueueAlert {
    return {
      kind: a.kind,
      queue: a.queue.name,
      at: isoOf(deps.clock.now())!,
      serviceLevelPct: a.queue.today.serviceLevelPct,
      serviceLevelTargetPct: a.queue.thresholds.serviceLevelTargetPct,
      longestWaitSince: a.queue.longestWaitSince,
      maxWaitAlertSec: a.queue.thresholds.maxWaitAlertSec,
    };
  }

  /** Builds the wall and sends what changed (nothing if nothing did). */
  function flush(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    if (stopped) return;
    const cpu = deps.onDelta ? process.cpuUsage() : null;
    const out = model.flush(deps.clock.now());
    if (!out) return;
    sockets.delta(out.delta);
    for (const a of out.alerts) {
      log.info({ queue: a.queue.name, kind: a.kind }, 'wall tile turned red');
      sockets.alert(alertOf(a));
    }
    if (cpu) {
      const used = process.cpuUsage(cpu);
      deps.onDelta?.(out.delta, { cpuMicros: used.user + used.system });
    }
  }

  /** Something on the wall may have changed: a delta within `coalesceMs`. */
  function touch(): void {
    if (timer || stopped) return;
    timer = setTimeout(flush, coalesceMs);
  }

  deps.agents.onStateChange(() => touch());
  deps.agents.onActivity(() => touch());

  return {
    /** The engine's commit hook (EngineContext.observe): never throws. */
    observe(c: CommittedFact): void {
      try {
        touch();
        if (COUNTED_FACTS.has(c.fact.type))
          void c.written.then(() => today.invalidate()).catch(() => undefined);
      } catch (err) {
        log.error({ err }, 'wall observer failed');
      }
    },
    touch,
    /** Queues or their thresholds changed (admin): the tiles follow. */
    queuesChanged(): void {
      touch();
    },
    /** The wall as `role` may see it, as of the last delta (GET /api/wall). */
    snapshot,
    /** The snapshot to one socket of any instance (a standby asked, for its socket): its seq. */
    sendTo: (socketId: string, role: WallRole) => sockets.sendTo(socketId, role),
    /** Loads today's figures, sends the first state and starts the timers. */
    async start(): Promise<void> {
      await today.load();
      flush();
      const tickMs = deps.tickMs ?? 1000;
      ticker = setInterval(() => {
        today.checkDay(deps.clock.now());
        flush();
      }, tickMs);
      ticker.unref();
      // Whatever no fact announced (a record closed by a restart's reconciliation): once a minute.
      heal = setInterval(() => today.invalidate(), 60_000);
      heal.unref();
    },
    stop(): void {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (ticker) clearInterval(ticker);
      if (heal) clearInterval(heal);
      today.stop();
    },
    get seq() {
      return model.seq;
    },
  };
}

export type Wall = ReturnType<typeof createWall>;
