import { createMonitorSessionsRepo } from '../../src/monitoring/monitor-sessions-repo';
import { createAgentDirectory } from '../../src/agents/agent-directory';
import { createUsersRepo } from '../../src/agents/users-repo';
import { createCallEngine } from '../../src/calls/call-engine';
import type { MetricsSink } from '../../src/metrics/sink';
import { createCallsRepo, toCallRecord } from '../../src/calls/calls-repo';
import type { AgentNotifier } from '../../src/calls/engine-context';
import { loadConfig } from '../../src/config';
import { createCustomersRepo } from '../../src/customers/customers-repo';
import { createCallerMatcher } from '../../src/customers/match-caller';
import { createDb, migrate, type Db } from '../../src/db';
import { createQueues } from '../../src/routing/queues';
import type { CallUpdate, ScreenPop } from '../../src/screenpop/agent-events';
import { createPopBuilder } from '../../src/screenpop/build-pop';
import { systemClock } from '../../src/shared/clock';
import { silentLogger, type Logger } from '../../src/shared/logger';
import { fakeAri } from './fake-ari';
import type { Config } from '../../src/config';
import { createCampaignsRepo } from '../../src/outbound/campaigns/campaigns-repo';
import { createDialer, type Dialer } from '../../src/outbound/dialing/dialer';
import { createDialerStore } from '../../src/outbound/dialing/dialer-store';
import { createDncRepo } from '../../src/outbound/dnc/dnc-repo';
import { createRecordingsRepo } from '../../src/recordings/recordings-repo';
import { createRecordingStore } from '../../src/recordings/store-recording';
import { createTasksRepo } from '../../src/complaints/tasks-repo';

/**
 * The call engine on an in-memory database, a fake ARI and a recording notifier, wired as
 * src/hotline.ts wires it (an agent who frees up → dispatch, call-backs, dialer). `telephony`
 * overrides the default configuration's; `dialer: true` adds the campaign dialer (not started:
 * call `fx.dialer.start()` as `listen()` does). `log`: the engine's logger (silent by default).
 */
export async function engineFixture(
  opts: {
    telephony?: Partial<Config['telephony']>;
    dialer?: boolean;
    log?: Logger;
    /** What the engine and the dialer tell the operational metrics (src/metrics/sink.ts). */
    metrics?: MetricsSink;
  } = {},
) {
  const loaded = loadConfig({});
  const config = { ...loaded, telephony: { ...loaded.telephony, ...opts.telephony } };
  const db = createDb('sqlite::memory:');
  await migrate(db);
  const clock = systemClock;
  const users = createUsersRepo(db, clock);
  const customers = createCustomersRepo(db, clock);
  const calls = createCallsRepo(db);
  const agents = createAgentDirectory({ db, clock });
  const queues = createQueues({ db, clock, defaultQueue: 'general', defaultRingTimeoutSec: 15 });
  await queues.sync(config.telephony.queues);
  const ari = fakeAri();
  const log: Array<{
    agentId: number;
    kind: 'pop' | 'update';
    pop?: ScreenPop;
    update?: CallUpdate;
    seq: number;
  }> = [];
  const notifier: AgentNotifier = {
    pop: (agentId, pop) => {
      log.push({ agentId, kind: 'pop', pop, seq: ari.requests.length });
      return Promise.resolve({ acked: true });
    },
    update: (agentId, update) =>
      void log.push({ agentId, kind: 'update', update, seq: ari.requests.length }),
  };
  const recordings = createRecordingsRepo(db);
  const engine = createCallEngine({
    rest: ari.rest,
    app: 'hotline',
    telephony: config.telephony,
    calls,
    tasks: createTasksRepo(db),
    recordings,
    monitorSessions: createMonitorSessionsRepo(db),
    recordingStore: createRecordingStore({
      rest: ari.rest,
      recordings,
      dir: '/nonexistent-recordings',
      clock,
      log: silentLogger(),
      event: () => Promise.resolve(),
      attempts: 1,
    }),
    agents,
    queues,
    matchCaller: createCallerMatcher({ customers, defaultRegion: 'CN' }),
    buildPop: createPopBuilder({ calls, users }),
    notifier,
    clock,
    log: opts.log ?? silentLogger(),
    metrics: opts.metrics,
  });
  const dnc = createDncRepo(db, clock);
  const campaigns = createCampaignsRepo(db, clock, dnc);
  const dialer: Dialer | null = opts.dialer
    ? createDialer(engine.ctx, createDialerStore(db, clock), { tickMs: 1000 })
    : null;
  if (dialer) engine.attachCampaigns(dialer);
  engine.attach(ari.events);

  return {
    db,
    ari,
    engine,
    agents,
    queues,
    customers,
    users,
    calls,
    tasks: engine.ctx.tasks,
    campaigns,
    dnc,
    config,
    /** The campaign dialer (only with `dialer: true`). */
    get dialer(): Dialer {
      if (!dialer) throw new Error('engineFixture({ dialer: true }) for the dialer');
      return dialer;
    },
    notified: log,
    /** An agent with a phone, available unless told otherwise. */
    async agent(
      username: string,
      extension: string,
      state: 'available' | 'break' | 'offline' = 'available',
    ) {
      const u = await users.create({
        username,
        password: 'password-1',
        name: username.toUpperCase(),
        role: 'agent',
        extension,
      });
      agents.upsertUser(u);
      await agents.setState(u.id, state);
      return u;
    },
    ringTimeout(sec: number) {
      queues.get('general')!.ringTimeoutSec = sec;
    },
    async record(callId: string) {
      await Promise.all(engine.registry.all().map((s) => s.writes));
      const row = await calls.get(callId);
      return row
        ? {
            ...toCallRecord(row, Date.now()),
            timeline: (await calls.events(callId)).map((e) => e.type),
          }
        : undefined;
    },
    /**
     * The call's record once it is closed and the engine is done with the call (its agents
     * released, it has left the registry): the record's close is committed while the teardown
     * still runs, so the record alone says nothing of the agents.
     */
    async ended(callId: string) {
      const closed = async () => {
        const r = await this.record(callId);
        return r?.endedAt && !engine.registry.get(callId) ? r : null;
      };
      // Under fake timers, poll without timers (waitFor sleeps on setTimeout).
      if (fakeTimersOn()) return until(db, closed, `call ${callId} closed`);
      return waitFor(closed, 3000, `call ${callId} closed`);
    },
    callIdOf(channelId: string): string | undefined {
      const orig = ari
        .ops('originate')
        .find((r) => (r.args[0] as { channelId: string }).channelId === channelId);
      return orig ? (orig.args[0] as { appArgs: string }).appArgs.split(',')[1] : undefined;
    },
    async lastCallId(): Promise<string> {
      const row = await db('calls').orderBy('started_at', 'desc').first<{ id: string }>('id');
      return row.id;
    },
    /** Lets work in flight (handlers, database writes) finish; fake time does not move. */
    settle: () => settle(db),
    /** Polls `check` without moving fake time (real I/O runs in between). */
    until<T>(check: () => T | Promise<T>, what = 'condition') {
      return until(db, check, what);
    },
    /** Moves fake time on by `ms`, in steps, letting the database answer between steps. */
    advance: (ms: number, stepMs?: number) => advance(db, ms, stepMs),
    async close() {
      // Let handlers still running (teardown, the last writes) finish before the database goes.
      if (fakeTimersOn()) await settle(db);
      else await new Promise((r) => setTimeout(r, 100));
      await Promise.all(engine.registry.all().map((s) => s.writes));
      dialer?.stop();
      engine.stop();
      agents.stop();
      await db.destroy();
    },
  };
}

/** Polls until `check` returns a truthy value (or throws after `ms`). */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  ms = 3000,
  what = 'condition',
): Promise<NonNullable<T>> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

// ---- fake timers ----

/**
 * jest's fake timers for engine tests: timers and Date are fake (the engine's clock is
 * `Date.now`), but promise jobs, process.nextTick and setImmediate stay real so that the
 * database driver's I/O completes. Call before `engineFixture()`.
 */
export function useEngineFakeTimers(now = Date.parse('2026-03-02T02:00:00Z')): void {
  jest.useFakeTimers({
    now,
    doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask', 'hrtime', 'performance'],
  });
}

function fakeTimersOn(): boolean {
  return typeof jest !== 'undefined' && 'clock' in (setTimeout as unknown as object);
}

const turn = () => new Promise<void>((r) => setImmediate(r));

/** Real event-loop turns and database round trips until nothing is left in flight. */
async function settle(db: Db): Promise<void> {
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 10; j++) await turn();
    await db.raw('select 1');
  }
}

async function until<T>(
  db: Db,
  check: () => T | Promise<T>,
  what: string,
): Promise<NonNullable<T>> {
  for (let i = 0; i < 400; i++) {
    const v = await check();
    if (v) return v;
    await turn();
    if (i % 5 === 4) await db.raw('select 1');
  }
  throw new Error(`never happened: ${what}`);
}

/**
 * Fake time on by `ms`. Steps (default 500 ms) keep a database request from waiting through
 * the pool's acquire timeout while time jumps, and let each step's I/O finish before the next.
 */
async function advance(db: Db, ms: number, stepMs = 500): Promise<void> {
  let left = ms;
  while (left > 0) {
    const step = Math.min(stepMs, left);
    await jest.advanceTimersByTimeAsync(step);
    await settle(db);
    left -= step;
  }
}
