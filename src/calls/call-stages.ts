/**
 * Where an inbound call is on its way from StasisStart to the agent's phone: the stages the pop
 * bench breaks the latency into. The engine marks them through an injected sink, with
 * sub-millisecond wall-clock times: in the service the pop-latency histogram of GET /metrics
 * listens (src/metrics/prometheus.ts), and the pop bench too.
 */
export const CALL_STAGES = [
  'stasis', // StasisStart handled: the session exists
  'lookup', // caller matched to customers
  'agent', // an agent chosen and reserved
  'pop-built', // the pop's history and complaints read
  'pop-emitted', // handed to socket.io
  'pop-acked', // the browser acknowledged (or the wait ran out)
  'originate', // the agent's leg requested from Asterisk
  'originated', // Asterisk answered the originate request
  'answered', // the caller's channel answered
  'bridged', // the caller in the call's bridge
  'music', // music on hold started
  'record-opened', // the call record written to the database
] as const;
export type CallStage = (typeof CALL_STAGES)[number];

export type StageSink = (callId: string, stage: CallStage, at: number) => void;

/** Wall-clock now with sub-millisecond precision (comparable with SIPp's trace timestamps). */
export const preciseNow = (): number => performance.timeOrigin + performance.now();
