/**
 * Pacing: how many calls the dialer places now. Pure; every decision carries its inputs so the
 * dialer can log them (the rules require every pacing decision to be logged with its inputs).
 *
 * Predictive method. Over the next ring time, the agents who can take an answered call are the F
 * free now plus the S expected to free meanwhile. Each line in flight is answered with
 * probability p (the measured answer rate), so L lines bring about L·p answers with variance
 * L·p·(1−p); S is itself uncertain (variance ≈ S). We dial so that even a high draw fits:
 *
 *     L·p + z·√(L·p·(1−p) + S) ≤ F + S        (z = SAFETY_Z, a one-sided margin)
 *
 * which is cautious for small teams (the spread is large next to F + S) and lets big teams run
 * closer to L·p = F + S. L is then kept within [minRatio·F, maxRatio·F], so `ratio` is lines
 * per free agent and 1.0 is progressive; with no free agent nothing is dialed. Then the
 * measured 30-day abandon rate steers: below half the cap the full L is used; from there to the
 * cap the lines above progressive shrink linearly to none; at or above the cap the decision is
 * progressive (one call per free agent, never more calls than free agents). With fewer than
 * MIN_SAMPLES calls behind the answer rate the estimate is not trusted: progressive.
 *
 * Every line in flight is counted at the full answer rate, although lines that have rung a
 * while are less likely to be answered: this errs on the side of fewer abandons.
 * SAFETY_Z = 1.75 was chosen with `simulateDay` (test/unit/outbound/simulation.test.ts): it keeps
 * the abandon rate near 1 % or below without the cap feedback, at p = 0.2–0.6, 10–30 agents.
 */

/** Below this many measured calls the answer rate is a guess: stay progressive. */
export const MIN_SAMPLES = 50;
/** One-sided margin (in standard deviations) on the answers the lines in flight will bring. */
export const SAFETY_Z = 1.75;
/** The abandon rate (as a fraction of the cap) from which the dialer starts slowing down. */
export const SLOW_DOWN_FROM = 0.5;

export interface PacingInputs {
  /** Agents joined to the campaign and idle now. */
  freeAgents: number;
  /** Agents expected to free within the ring time (may be fractional; see `expectedSoonFree`). */
  agentsSoonFree: number;
  /** Calls placed and ringing now (not yet answered or ended). */
  inFlight: number;
  /** Measured answers-by-a-person ÷ calls, 0..1 (see `estimateAnswerRate` for the prior). */
  answerRate: number;
  /** Calls behind `answerRate`. */
  samples: number;
  /** Mean handle time (talk + wrap-up) of answered calls, seconds. */
  avgHandleSec: number;
  /** Mean time from dialing to answer of answered calls, seconds. */
  avgRingSec: number;
  /** The campaign's abandon rate over 30 days, a fraction 0..1 (`abandonRate(...).rate`). */
  abandonRate30d: number;
  /** The cap in percent (3 = 3 %), as on the campaign. */
  abandonCapPct: number;
  minRatio?: number;
  maxRatio?: number;
}

export interface DialDecision {
  /** Calls to place now (≥ 0, integer). */
  toDial: number;
  /** Lines in flight after this decision per agent counted available (1 = progressive). */
  ratio: number;
  mode: 'progressive' | 'predictive';
  reason: string;
  inputs: PacingInputs & { minRatio: number; maxRatio: number };
}

const num = (x: number) => (Number.isFinite(x) && x > 0 ? x : 0);

/** Progressive: one call in flight per free agent. */
export function progressiveDecision(
  freeAgents: number,
  inFlight: number,
  reason = 'progressive: one call per free agent',
  inputs?: DialDecision['inputs'],
): DialDecision {
  const free = Math.floor(num(freeAgents));
  const ringing = Math.ceil(num(inFlight));
  return {
    toDial: Math.max(0, free - ringing),
    ratio: 1,
    mode: 'progressive',
    reason,
    inputs: inputs ?? {
      freeAgents,
      agentsSoonFree: 0,
      inFlight,
      answerRate: 0,
      samples: 0,
      avgHandleSec: 0,
      avgRingSec: 0,
      abandonRate30d: 0,
      abandonCapPct: 0,
      minRatio: 1,
      maxRatio: 1,
    },
  };
}

/**
 * The largest number of lines L whose answers fit the agents with margin. Answers are ~L·p with
 * variance L·p·q (q = 1−p); agents freeing within the ring time are themselves a count with
 * mean S and variance about S (Poisson), so with F free now:
 *
 *     L·p + z·√(L·p·q + S) ≤ F + S = C
 *
 * With y = C − L·p this is y²/z² + q·y − (C·q + S) = 0, whose positive root gives L = (C − y)/p.
 */
export function linesFor(freeAgents: number, soonFree: number, p: number, z = SAFETY_Z): number {
  const capacity = freeAgents + soonFree;
  if (capacity <= 0 || p <= 0) return 0;
  const q = 1 - p;
  const z2 = z * z;
  const y = (z2 * (-q + Math.sqrt(q * q + (4 * (capacity * q + soonFree)) / z2))) / 2;
  return Math.max(0, (capacity - y) / p);
}

/** Multiplier (0..1) on the lines above progressive, from the abandon rate's distance to the cap. */
export function capHeadroom(abandonRate: number, capPct: number): number {
  const cap = capPct / 100;
  if (!(cap > 0) || !(abandonRate < cap)) return 0;
  const used = Math.max(0, abandonRate) / cap;
  return Math.min(1, (1 - used) / (1 - SLOW_DOWN_FROM));
}

export function dialDecision(input: PacingInputs): DialDecision {
  const minRatio = Math.max(1, input.minRatio ?? 1);
  const maxRatio = Math.max(minRatio, input.maxRatio ?? 3);
  const inputs = { ...input, minRatio, maxRatio };
  const free = Math.floor(num(input.freeAgents));
  const inFlight = Math.ceil(num(input.inFlight));
  const progressive = (why: string) => progressiveDecision(free, inFlight, why, inputs);

  const p = input.answerRate;
  if (!(p > 0 && p <= 1)) return progressive('progressive: no answer rate');
  if (!(input.samples >= MIN_SAMPLES))
    return progressive(`progressive: ${num(input.samples)} calls measured (< ${MIN_SAMPLES})`);
  if (!(input.avgHandleSec > 0) || !(input.avgRingSec >= 0))
    return progressive('progressive: no handle or ring time measured');
  if (!Number.isFinite(input.abandonRate30d) || !Number.isFinite(input.abandonCapPct))
    return progressive('progressive: abandon rate unknown');
  const headroom = capHeadroom(input.abandonRate30d, input.abandonCapPct);
  if (headroom <= 0) {
    const pct = (input.abandonRate30d * 100).toFixed(2);
    return progressive(
      `progressive: abandon rate ${pct}% at or over the ${input.abandonCapPct}% cap`,
    );
  }

  // Lines wait for free agents: agents still on calls only deepen the dialing of free ones.
  if (free <= 0)
    return {
      toDial: 0,
      ratio: minRatio,
      mode: 'predictive',
      reason: 'predictive: no free agent',
      inputs,
    };
  const soon = num(input.agentsSoonFree);
  // Never below progressive, never above maxRatio lines per free agent.
  const floor = minRatio * free;
  const stat = Math.min(maxRatio * free, Math.max(floor, linesFor(free, soon, p)));
  // The lines above progressive, scaled by the room left under the cap.
  const lines = floor + (stat - floor) * headroom;
  const toDial = Math.max(0, Math.floor(lines + 1e-9) - inFlight);
  const ratio = Math.round((lines / free) * 100) / 100;
  return {
    toDial,
    ratio,
    mode: 'predictive',
    reason:
      `predictive: ${lines.toFixed(1)} lines for ${free} free + ${soon.toFixed(1)} freeing agents ` +
      `at answer rate ${p.toFixed(2)}` +
      (headroom < 1 ? `, slowed to ${Math.round(headroom * 100)}% near the abandon cap` : ''),
    inputs,
  };
}

/**
 * Agents on calls expected to free within the ring time, when the dialer only knows how many are
 * busy: with memoryless handle times each frees within the next `avgRingSec` with probability
 * about avgRingSec ÷ avgHandleSec.
 */
export function expectedSoonFree(busyAgents: number, avgRingSec: number, avgHandleSec: number) {
  if (!(avgHandleSec > 0) || !(busyAgents > 0)) return 0;
  return busyAgents * Math.min(1, Math.max(0, avgRingSec) / avgHandleSec);
}

/**
 * The answer rate with a prior: (answered + prior·weight) ÷ (calls + weight). A new campaign
 * starts at the prior and moves to its own measurement as calls accumulate.
 */
export function estimateAnswerRate(answered: number, calls: number, prior = 0.3, weight = 20) {
  const n = num(calls);
  return (Math.min(num(answered), n) + prior * weight) / (n + weight);
}
