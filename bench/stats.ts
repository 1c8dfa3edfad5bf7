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
