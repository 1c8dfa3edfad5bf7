import {
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  Registry,
  type CounterConfiguration,
} from 'prom-client';
import { WALL_AGENT_STATES, type WallSnapshot } from '../api/wall';
import type { AriConnectionState, AriEvent } from '../ari/types';
import type { CallStage } from '../calls/call-stages';
import type { DialOutcome } from '../outbound/dialing/dialer-types';
import type { WallRole } from '../supervision/wall-privacy';
import type { DialMode, MetricsSink, RecordingFailureStage } from './sink';

/** Every outcome a campaign attempt can have: the Record makes the compiler insist on all. */
const DIAL_OUTCOMES: Record<DialOutcome, true> = {
  answered: true,
  busy: true,
  'no-answer': true,
  failed: true,
  machine: true,
  abandoned: true,
};
const DIAL_MODES: readonly DialMode[] = ['preview', 'progressive', 'predictive'];
const RECORDING_STAGES: readonly RecordingFailureStage[] = ['start', 'asterisk', 'store'];
/** The `result` label of hotline_import_rows_total: disjoint, they add up to the rows read. */
export const IMPORT_RESULTS = ['accepted', 'dnc', 'duplicate', 'invalid'] as const;
const DIRECTIONS = ['inbound', 'outbound'] as const;

/** Seconds: pops are expected within tens of milliseconds, events within a few. */
const POP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const LAG_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** A StasisStart not followed by a pop within this long is forgotten (the caller never got one). */
const POP_PENDING_MS = 3_600_000;

/** Where the gauges are read at scrape time: the live state, never a copy kept here. */
export interface MetricsSources {
  /** The supervisor wall (src/supervision/wall.ts): its model counts waiting calls and agents. */
  wall(): { snapshot(role: WallRole): WallSnapshot };
  /** The ARI event WebSocket's state (src/ari/events.ts). */
  ariState(): AriConnectionState;
  /** The lease's epoch while this instance leads, else null (src/leadership/lease.ts). */
  leaseEpoch?(): number | null;
}

/**
 * The operational metrics of one service instance (GET /metrics, docs/metrics.md): a registry
 * of its own, not prom-client's global one, so that several services in one process (tests)
 * never share or collide. Process metrics from prom-client's collectDefaultMetrics; gauges read
 * the live state when scraped (`collect`); counters and histograms are moved at the sites through
 * `sink` (src/metrics/sink.ts), `stage` (the engine's stage marks) and `ariEvent`.
 */
export function createPrometheusMetrics(sources: MetricsSources) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const counter = <L extends string>(c: Omit<CounterConfiguration<L>, 'registers'>) =>
    new Counter<L>({ ...c, registers });

  // ---- gauges: the live state at scrape time ----
  /** One snapshot per scrape for the three wall gauges (they are collected one after another). */
  let scrape: { at: number; wall: WallSnapshot } | null = null;
  const wallNow = (): WallSnapshot => {
    const now = Date.now();
    if (!scrape || now - scrape.at > 100) scrape = { at: now, wall: sources.wall().snapshot('qa') };
    return scrape.wall;
  };

  new Gauge({
    name: 'hotline_calls_waiting',
    help: 'Callers waiting for an agent (new, queued or ringing), per queue, as the supervisor wall counts them',
    labelNames: ['queue'],
    registers,
    collect() {
      this.reset();
      for (const q of wallNow().queues) this.set({ queue: q.name }, q.waiting);
    },
  });
  new Gauge({
    name: 'hotline_agents',
    help: 'Agents with a phone by what they are doing (the wall state: the call activity wins over the chosen state)',
    labelNames: ['state'],
    registers,
    collect() {
      const by = new Map<string, number>(WALL_AGENT_STATES.map((s) => [s, 0]));
      for (const a of wallNow().agents) by.set(a.state, (by.get(a.state) ?? 0) + 1);
      for (const [state, n] of by) this.set({ state }, n);
    },
  });
  new Gauge({
    name: 'hotline_calls_live',
    help: 'Calls in progress on this instance (not ended), by direction',
    labelNames: ['direction'],
    registers,
    collect() {
      const by = new Map<string, number>(DIRECTIONS.map((d) => [d, 0]));
      for (const c of wallNow().calls) by.set(c.direction, (by.get(c.direction) ?? 0) + 1);
      for (const [direction, n] of by) this.set({ direction }, n);
    },
  });
  new Gauge({
    name: 'hotline_ari_link_up',
    help: '1 when the ARI event WebSocket to Asterisk is open, else 0 (connecting, replaced, closed)',
    registers,
    collect() {
      this.set(sources.ariState() === 'open' ? 1 : 0);
    },
  });

  new Gauge({
    name: 'hotline_leader',
    help: '1 while this instance holds the lease (drives calls, dialer, schedules), 0 on a standby',
    registers,
    collect() {
      this.set(sources.leaseEpoch?.() != null ? 1 : 0);
    },
  });

  // ---- histograms and counters: moved where it happens ----
  const eventLag = new Histogram({
    name: 'hotline_ari_event_lag_seconds',
    help: "ARI events: time from Asterisk's event timestamp to Hotline handling it (includes any clock offset between the hosts)",
    buckets: LAG_BUCKETS,
    registers,
  });
  const popLatency = new Histogram({
    name: 'hotline_pop_latency_seconds',
    help: "Inbound calls: StasisStart to the screen-pop handed to the agent's browsers, not counting the time the caller waited for a free agent",
    buckets: POP_BUCKETS,
    registers,
  });
  const popAcksMissed = counter({
    name: 'hotline_pop_acks_missed_total',
    help: 'Screen-pops no browser of the agent acknowledged within telephony.popAckWaitMs (the phone rang anyway)',
  });
  const recordingsFailed = counter<'stage'>({
    name: 'hotline_recordings_failed_total',
    help: 'Recordings that failed: did not start (start), Asterisk reported a failure (asterisk), or could not be stored (store)',
    labelNames: ['stage'],
  });
  const dialerOriginates = counter<'mode'>({
    name: 'hotline_dialer_originates_total',
    help: 'Calls the campaign dialer asked Asterisk for, by campaign mode',
    labelNames: ['mode'],
  });
  const dialerOutcomes = counter<'outcome'>({
    name: 'hotline_dialer_outcomes_total',
    help: 'Campaign attempts ended, by outcome',
    labelNames: ['outcome'],
  });
  const importRows = counter<'result'>({
    name: 'hotline_import_rows_total',
    help: 'Contact list rows imported, by result: accepted, dnc (accepted, on a do-not-call list), duplicate, invalid',
    labelNames: ['result'],
  });
  // Every label value from the start, so that rate() and increase() see the first increment.
  for (const stage of RECORDING_STAGES) recordingsFailed.inc({ stage }, 0);
  for (const mode of DIAL_MODES) dialerOriginates.inc({ mode }, 0);
  for (const outcome of Object.keys(DIAL_OUTCOMES)) dialerOutcomes.inc({ outcome }, 0);
  for (const result of IMPORT_RESULTS) importRows.inc({ result }, 0);

  const sink: MetricsSink = {
    popAckMissed: () => popAcksMissed.inc(),
    recordingFailed: (stage) => recordingsFailed.inc({ stage }),
    dialerOriginate: (mode) => dialerOriginates.inc({ mode }),
    dialerOutcome: (outcome) => dialerOutcomes.inc({ outcome }),
    importRows(c) {
      importRows.inc({ result: 'accepted' }, c.accepted - c.dnc);
      importRows.inc({ result: 'dnc' }, c.dnc);
      importRows.inc({ result: 'duplicate' }, c.duplicates);
      importRows.inc({ result: 'invalid' }, c.rejected - c.duplicates);
    },
  };

  /** Calls between StasisStart and their pop: when each stage was marked (wall-clock ms). */
  const pending = new Map<
    string,
    { stasis: number; lookup: number | null; agent: number | null }
  >();
  function stage(callId: string, st: CallStage, at: number): void {
    if (st === 'stasis') {
      // Insertion order is age order: forget the calls that never got a pop.
      for (const [id, p] of pending) {
        if (at - p.stasis < POP_PENDING_MS) break;
        pending.delete(id);
      }
      pending.set(callId, { stasis: at, lookup: null, agent: null });
      return;
    }
    const p = pending.get(callId);
    if (!p) return;
    if (st === 'lookup') p.lookup = at;
    else if (st === 'agent') p.agent = at;
    else if (st === 'pop-emitted') {
      pending.delete(callId);
      // From the caller matched to an agent chosen the caller waited in the queue: not ours.
      const waited = p.lookup !== null && p.agent !== null ? Math.max(0, p.agent - p.lookup) : 0;
      popLatency.observe(Math.max(0, at - p.stasis - waited) / 1000);
    }
  }

  /** An ARI event as it arrives (events.onAny): its lag behind Asterisk's timestamp. */
  function ariEvent(e: AriEvent, now = Date.now()): void {
    const sent = Date.parse(e.timestamp);
    if (Number.isFinite(sent)) eventLag.observe(Math.max(0, now - sent) / 1000);
  }

  return {
    registry,
    sink,
    stage,
    ariEvent,
    /** The Prometheus text exposition format's media type (version 0.0.4). */
    contentType: registry.contentType,
    /** The text exposition of every metric, gauges read now. */
    async text(): Promise<string> {
      scrape = null;
      try {
        return await registry.metrics();
      } finally {
        scrape = null;
      }
    },
  };
}

export type PrometheusMetrics = ReturnType<typeof createPrometheusMetrics>;
