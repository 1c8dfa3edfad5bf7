import { createAgentDirectory } from '../../src/agents/agent-directory';
import { createUsersRepo } from '../../src/agents/users-repo';
import { createCallEngine } from '../../src/calls/call-engine';
import { createCallsRepo, toCallRecord } from '../../src/calls/calls-repo';
import type { AgentNotifier } from '../../src/calls/engine-context';
import { loadConfig } from '../../src/config';
import { createCustomersRepo } from '../../src/customers/customers-repo';
import { createCallerMatcher } from '../../src/customers/match-caller';
import { createDb, migrate } from '../../src/db';
import { createQueues } from '../../src/routing/queues';
import type { CallUpdate, ScreenPop } from '../../src/screenpop/agent-events';
import { createPopBuilder } from '../../src/screenpop/build-pop';
import { systemClock } from '../../src/shared/clock';
import { silentLogger } from '../../src/shared/logger';
import { fakeAri } from './fake-ari';
import { createRecordingsRepo } from '../../src/recordings/recordings-repo';
import { createRecordingStore } from '../../src/recordings/store-recording';
import { createTasksRepo } from '../../src/complaints/tasks-repo';

/** The call engine on an in-memory database, a fake ARI and a recording notifier. */
export async function engineFixture() {
  const config = loadConfig({});
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
    log: silentLogger(),
  });
  engine.attach(ari.events);
  agents.onFree(() => engine.dispatch());

  return {
    db,
    ari,
    engine,
    agents,
    queues,
    customers,
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
    /** The call's record once it is closed. */
    async ended(callId: string) {
      const rec = await waitFor(
        async () => {
          const r = await this.record(callId);
          return r?.endedAt ? r : null;
        },
        3000,
        `call ${callId} closed`,
      );
      return rec;
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
    async close() {
      // Let handlers still running (teardown, the last writes) finish before the database goes.
      await new Promise((r) => setTimeout(r, 100));
      await Promise.all(engine.registry.all().map((s) => s.writes));
      engine.stop();
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
