import { CALL_STAGES, type CallStage, type StageSink } from '../src/calls/call-stages';

/** Percentiles of a sample, in the sample's unit. */
export function percentiles(values: number[]): {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
} {
  const s = [...values].sort((a, b) => a - b);
  const at = (q: number) =>
    s.length ? s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]! : NaN;
  return { n: s.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: s[s.length - 1] ?? NaN };
}

export const fmt = (ms: number) =>
  Number.isFinite(ms) ? `${ms.toFixed(ms < 10 ? 2 : 1)} ms` : 'n/a';

export function row(label: string, p: ReturnType<typeof percentiles>): string {
  return `${label.padEnd(44)} n=${String(p.n).padStart(5)}  p50 ${fmt(p.p50).padStart(9)}  p95 ${fmt(p.p95).padStart(9)}  p99 ${fmt(p.p99).padStart(9)}  max ${fmt(p.max).padStart(9)}`;
}

/** An ARI event's timestamp (`2026-12-02T09:04:08.123+0000`) in ms since the epoch. */
export function asteriskTime(timestamp: string): number {
  return Date.parse(timestamp.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
}

/** Collects the engine's stage marks (src/calls/call-stages.ts) per call: the first time of each. */
export function stageCollector() {
  const byCall = new Map<string, Partial<Record<CallStage, number>>>();
  const sink: StageSink = (callId, stage, at) => {
    const m = byCall.get(callId) ?? {};
    m[stage] ??= at;
    byCall.set(callId, m);
  };
  /** Each stage's time since `start(callId)`, in path order, as rows labelled `label`. */
  function rows(
    label: string,
    callIds: Iterable<string>,
    start: (callId: string) => number | undefined,
  ) {
    const by = new Map<CallStage, number[]>(CALL_STAGES.map((st) => [st, []]));
    for (const id of callIds) {
      const t0 = start(id);
      if (t0 === undefined) continue;
      for (const [st, at] of Object.entries(byCall.get(id) ?? {}))
        by.get(st as CallStage)!.push(at - t0);
    }
    return [...by]
      .filter(([, v]) => v.length)
      .map(([st, v]) => row(`${label}:   stage ${st}`, percentiles(v)));
  }
  return { sink, byCall, rows };
}
