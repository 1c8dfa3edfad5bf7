import type { DialOutcome } from '../outbound/dialing/dialer-types';

/** Why a recording did not end up stored (the `stage` label of hotline_recordings_failed_total). */
export type RecordingFailureStage = 'start' | 'asterisk' | 'store';

/** How a campaign places calls (the `mode` label of hotline_dialer_originates_total). */
export type DialMode = 'preview' | 'progressive' | 'predictive';

/**
 * What the capabilities tell the operational metrics (GET /metrics, src/metrics/prometheus.ts),
 * at the site where it happens. An interface of its own so that the engine, the dialer and the
 * imports do not depend on prom-client; optional everywhere (tests and benches leave it out).
 * Labels are closed sets (stages, modes, outcomes): never a number, a name or an id.
 */
export interface MetricsSink {
  /** A screen-pop went out and no browser of the agent acknowledged it within popAckWaitMs. */
  popAckMissed(): void;
  /** A recording failed: it did not start, Asterisk reported it failed, or storing it failed. */
  recordingFailed(stage: RecordingFailureStage): void;
  /** The dialer asked Asterisk for a call (the customer's leg, or the agent's for a preview). */
  dialerOriginate(mode: DialMode): void;
  /** A campaign attempt ended with this outcome (the contact's next step is decided). */
  dialerOutcome(outcome: DialOutcome): void;
  /** A chunk of a list import was stored: its rows as classified (csv-rows.ts). */
  importRows(counts: { accepted: number; rejected: number; duplicates: number; dnc: number }): void;
}
