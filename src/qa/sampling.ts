import { seededRandom, type Random } from './prng';

/** A call that may be sampled: it has a stored recording and no evaluation yet. */
export interface Candidate {
  callId: string;
  agentId: number;
  /** A complaint was logged against this call. */
  complaint: boolean;
  /** The caller scored it 1 or 2 in the satisfaction survey (calls/handlers/survey.ts). */
  lowSatisfaction?: boolean;
}

export interface DrawOptions {
  seed: string;
  /** Exactly one of perAgent / percent. */
  perAgent?: number;
  percent?: number;
  /** Weight of a complaint call in the draw (1 = no oversampling; the API uses 3). */
  complaintWeight: number;
  /**
   * oversample.lowSatisfaction: an agent's calls scored 1-2 are drawn first (as many as the
   * agent's sample holds), the rest of the sample from their other calls.
   */
  lowSatisfactionFirst?: boolean;
  /** Assigned round-robin in this order. */
  reviewerIds: readonly number[];
}

export interface Drawn {
  callId: string;
  agentId: number;
  reviewerId: number;
}

/** How many of an agent's n calls to draw: perAgent (at most n), or ceil(percent% × n). */
export function sampleSize(n: number, o: Pick<DrawOptions, 'perAgent' | 'percent'>): number {
  if (o.perAgent !== undefined) return Math.min(n, Math.max(0, Math.floor(o.perAgent)));
  const p = o.percent ?? 0;
  // The epsilon keeps 7% of 100 at 7 despite floating point (7 * 100 / 100 = 7.000000000000001).
  return Math.min(n, Math.max(0, Math.ceil((p * n) / 100 - 1e-9)));
}

/** k items drawn without replacement, each with probability proportional to its weight. */
export function weightedDraw<T>(
  items: readonly T[],
  weight: (t: T) => number,
  k: number,
  random: Random,
): T[] {
  const pool = items.map((item) => ({ item, w: weight(item) }));
  const out: T[] = [];
  while (out.length < k && pool.length) {
    const total = pool.reduce((s, p) => s + p.w, 0);
    let r = random() * total;
    let i = 0;
    while (i < pool.length - 1 && r >= pool[i]!.w) {
      r -= pool[i]!.w;
      i++;
    }
    out.push(pool[i]!.item);
    pool.splice(i, 1);
  }
  return out;
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The reproducible stratified sample: candidates grouped per agent (agents by id), each group
 * sorted by call id, then drawn with a PRNG seeded by the job's seed and the agent id, so an
 * agent's draw depends only on the seed and that agent's calls. Reviewers are assigned
 * round-robin over the whole sample in draw order. Same seed + same candidates → same result,
 * whatever order the database returned them in.
 */
export function drawSample(candidates: readonly Candidate[], o: DrawOptions): Drawn[] {
  if (!o.reviewerIds.length) throw new Error('drawSample needs at least one reviewer');
  const perAgent = new Map<number, Candidate[]>();
  for (const c of candidates) {
    const list = perAgent.get(c.agentId) ?? [];
    list.push(c);
    perAgent.set(c.agentId, list);
  }
  const out: Drawn[] = [];
  for (const agentId of [...perAgent.keys()].sort((a, b) => a - b)) {
    const calls = perAgent.get(agentId)!.sort((a, b) => byString(a.callId, b.callId));
    const random = seededRandom(`${o.seed}\u0000agent:${agentId}`);
    const k = sampleSize(calls.length, o);
    const weight = (x: Candidate) => (x.complaint ? o.complaintWeight : 1);
    // Low-satisfaction calls first: a stratum of its own, drawn before the others.
    const low = o.lowSatisfactionFirst ? calls.filter((c) => c.lowSatisfaction) : [];
    const first = weightedDraw(low, weight, k, random);
    const rest = low.length ? calls.filter((c) => !c.lowSatisfaction) : calls;
    const drawn = [...first, ...weightedDraw(rest, weight, k - first.length, random)];
    for (const c of drawn)
      out.push({
        callId: c.callId,
        agentId,
        reviewerId: o.reviewerIds[out.length % o.reviewerIds.length]!,
      });
  }
  return out;
}
