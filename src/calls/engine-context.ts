import type { AriRest } from '../ari/types';
import type { AgentDirectory } from '../agents/agent-directory';
import type { Config } from '../config';
import type { MatchCaller } from '../customers/match-caller';
import type { Allocator } from '../routing/allocator';
import type { Queues } from '../routing/queues';
import type { BuildPop } from '../screenpop/build-pop';
import type { CallUpdate, RecordingPush, ScreenPop } from '../screenpop/agent-events';
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import type { CallRegistry } from './call-registry';
import type { CallsRepo } from './calls-repo';
import type { TasksRepo } from '../complaints/tasks-repo';
import type { RecordingsRepo } from '../recordings/recordings-repo';
import type { RecordingStore } from '../recordings/store-recording';
import type { StageSink } from './call-stages';
import type { OriginateLeg } from './originate';
import type { MonitorSessionsRepo } from '../monitoring/monitor-sessions-repo';
import type { CallSession } from './call-session';
import type { CallFact } from './calls-repo';
import type { MetricsSink } from '../metrics/sink';

/**
 * A fact about a live call, as it is committed (before its write lands): the supervisor wall
 * listens (src/supervision). `written` settles once the fact is in the database.
 */
export interface CommittedFact {
  session: CallSession;
  fact: CallFact;
  written: Promise<void>;
}

/** What agents' screens are told; the socket.io gateway in production, a fake in unit tests. */
export interface AgentNotifier {
  pop(agentId: number, pop: ScreenPop, waitAckMs: number): Promise<{ acked: boolean }>;
  update(agentId: number, update: CallUpdate): void;
  recording?(agentId: number, push: RecordingPush): void;
}

/** Everything the call handlers use, injected once by the engine. */
export interface EngineContext {
  rest: AriRest;
  app: string;
  telephony: Config['telephony'];
  calls: CallsRepo;
  tasks: TasksRepo;
  recordings: RecordingsRepo;
  recordingStore: RecordingStore;
  /** The monitoring audit (listen / whisper / barge). */
  monitorSessions: MonitorSessionsRepo;
  agents: AgentDirectory;
  queues: Queues;
  matchCaller: MatchCaller;
  buildPop: BuildPop;
  notifier: AgentNotifier;
  registry: CallRegistry;
  clock: Clock;
  log: Logger;
  /** Marks where a call is on its way to the agent (the pop bench listens); optional. */
  stages?: StageSink;
  /** The operational metrics (GET /metrics) told at the sites; optional. */
  metrics?: MetricsSink;
  /** Told of every fact committed about a live call (commit.ts), synchronously; optional. */
  observe?: (committed: CommittedFact) => void;
  /** Places a leg of a kind of legs.ts: every originate goes through it (call-engine.ts). */
  originate: OriginateLeg;
  /** The one place that chooses and reserves agents (routing/allocator.ts; call-engine.ts). */
  allocator: Allocator;
  /** Offers waiting calls to free agents; safe to call any time, from anywhere. */
  dispatch(): void;
}
