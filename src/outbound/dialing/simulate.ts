/**
 * A deterministic discrete-event simulation of one campaign day, to check the pacing against
 * what it promises (abandon rate under the cap, agents busier than progressive dialing) without
 * a PBX. Seeded (src/qa/prng.ts): a seed replays the same day. Events are kept in a heap ordered
 * by time, then by creation, so ties resolve the same way every run.
 *
 * The model: identical agents; the dialer decides every second from what a real dialer can see
 * (idle and busy agents, lines ringing, its own running measurements — never the true answer
 * probability); a dialed call is answered by a person with probability `answerProb` after a
 * ring time, otherwise it frees the line after `noAnswerSec`; an answered call takes a free
 * agent at once or waits up to `graceSec` (2 s) for one, else it is abandoned.
 */
import { seededRandom, type Random } from '../../qa/prng';
import {
  dialDecision,
  estimateAnswerRate,
  expectedSoonFree,
  progressiveDecision,
  type DialDecision,
} from './pacing';

export type Dist =
  | { kind: 'fixed'; value: number }
  | { kind: 'uniform'; min: number; max: number }
  | { kind: 'exponential'; mean: number; min?: number }
  | { kind: 'lognormal'; mean: number; sd: number; min?: number };

export interface SimConfig {
  seed: string;
  agents: number;
  /** Probability that a dialed call is answered by a person. */
  answerProb: number;
  /** Talk + wrap-up of an answered call, seconds. */
  handleSec: Dist;
  /** Dial to answer, for answered calls, seconds. */
  ringSec: Dist;
  /** How long an unanswered call (busy, no answer, failed, machine) holds its line, seconds. */
  noAnswerSec: Dist;
  mode?: 'predictive' | 'progressive';
  /** Length of the day, hours (default 8). */
  hours?: number;
  abandonCapPct?: number;
  graceSec?: number;
  /** The previous days of the 30-day window, for the abandon rate the dialer sees (default none). */
  history?: { answered: number; abandoned: number };
  minRatio?: number;
  maxRatio?: number;
}

export interface SimResult {
  calls: number;
  answered: number;
  abandoned: number;
  /** abandoned ÷ answered, this day. */
  abandonRate: number;
  /** Share of agent time spent handling calls, 0..1. */
  utilisation: number;
  /** Mean pacing ratio per minute of the day. */
  ratioOverTime: number[];
  /** Decisions taken per mode (how long the dialer ran progressive). */
  decisions: { progressive: number; predictive: number };
}

/** One draw of a distribution (seconds, never negative). */
export function draw(d: Dist, rnd: Random): number {
  switch (d.kind) {
    case 'fixed':
      return Math.max(0, d.value);
    case 'uniform':
      return d.min + (d.max - d.min) * rnd();
    case 'exponential':
      return Math.max(d.min ?? 0, -d.mean * Math.log(1 - rnd()));
    case 'lognormal': {
      // Parameters of the underlying normal from the wanted mean and sd; Box–Muller for the normal.
      const s2 = Math.log(1 + (d.sd * d.sd) / (d.mean * d.mean));
      const mu = Math.log(d.mean) - s2 / 2;
      const n = Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
      return Math.max(d.min ?? 0, Math.exp(mu + Math.sqrt(s2) * n));
    }
  }
}

type Ev =
  | { t: number; seq: number; kind: 'tick' }
  | { t: number; seq: number; kind: 'answer'; ring: number }
  | { t: number; seq: number; kind: 'unanswered' }
  | { t: number; seq: number; kind: 'free' }
  | { t: number; seq: number; kind: 'deadline'; call: number };

type NewEv = Ev extends infer E ? (E extends Ev ? Omit<E, 'seq'> : never) : never;

/** A binary min-heap on (t, seq). */
class Events {
  private heap: Ev[] = [];
  private seq = 0;
  get size() {
    return this.heap.length;
  }
  push(e: NewEv) {
    const h = this.heap;
    h.push({ ...e, seq: this.seq++ });
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }
  pop(): Ev | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
  private less(a: Ev, b: Ev) {
    return a.t < b.t || (a.t === b.t && a.seq < b.seq);
  }
}

/** Runs one day. Pure: the same config gives the same result. */
export function simulateDay(cfg: SimConfig): SimResult {
  const rnd = seededRandom(cfg.seed);
  const mode = cfg.mode ?? 'predictive';
  const daySec = (cfg.hours ?? 8) * 3600;
  const grace = cfg.graceSec ?? 2;
  const capPct = cfg.abandonCapPct ?? 3;
  const hist = cfg.history ?? { answered: 0, abandoned: 0 };

  const ev = new Events();
  let idle = cfg.agents;
  let ringing = 0;
  const waiting: Array<{ call: number; since: number }> = [];
  let nextCall = 0;
  let calls = 0;
  let answered = 0;
  let abandoned = 0;
  let resolved = 0; // calls whose outcome the dialer knows (answered or not)
  let ringSum = 0;
  let handleSum = 0;
  let handled = 0;
  let busySec = 0;
  const decisions = { progressive: 0, predictive: 0 };
  const ratioSum: number[] = [];
  const ratioN: number[] = [];

  const connect = (t: number) => {
    idle--;
    const h = draw(cfg.handleSec, rnd);
    handleSum += h;
    handled++;
    busySec += Math.max(0, Math.min(t + h, daySec) - Math.min(t, daySec));
    ev.push({ t: t + h, kind: 'free' });
  };

  ev.push({ t: 0, kind: 'tick' });
  for (let e = ev.pop(); e; e = ev.pop()) {
    const t = e.t;
    switch (e.kind) {
      case 'tick': {
        const avgHandleSec = (handleSum + 180 * 5) / (handled + 5); // prior: 3 minutes
        const avgRingSec = (ringSum + 15 * 5) / (answered + 5); // prior: 15 s
        const free = Math.max(0, idle - waiting.length);
        let d: DialDecision;
        if (mode === 'progressive') d = progressiveDecision(free, ringing);
        else {
          const ans = hist.answered + answered;
          d = dialDecision({
            freeAgents: free,
            agentsSoonFree: expectedSoonFree(cfg.agents - idle, avgRingSec, avgHandleSec),
            inFlight: ringing,
            answerRate: estimateAnswerRate(answered, resolved),
            samples: resolved,
            avgHandleSec,
            avgRingSec,
            abandonRate30d: ans ? (hist.abandoned + abandoned) / ans : 0,
            abandonCapPct: capPct,
            minRatio: cfg.minRatio ?? 1,
            maxRatio: cfg.maxRatio ?? 3,
          });
        }
        decisions[d.mode]++;
        const minute = Math.floor(t / 60);
        ratioSum[minute] = (ratioSum[minute] ?? 0) + d.ratio;
        ratioN[minute] = (ratioN[minute] ?? 0) + 1;
        for (let i = 0; i < d.toDial; i++) {
          calls++;
          ringing++;
          if (rnd() < cfg.answerProb) {
            const ring = draw(cfg.ringSec, rnd);
            ev.push({ t: t + ring, kind: 'answer', ring });
          } else ev.push({ t: t + draw(cfg.noAnswerSec, rnd), kind: 'unanswered' });
        }
        if (t + 1 < daySec) ev.push({ t: t + 1, kind: 'tick' });
        break;
      }
      case 'answer':
        ringing--;
        resolved++;
        answered++;
        ringSum += e.ring;
        if (idle > waiting.length) connect(t);
        else {
          const call = nextCall++;
          waiting.push({ call, since: t });
          ev.push({ t: t + grace, kind: 'deadline', call });
        }
        break;
      case 'unanswered':
        ringing--;
        resolved++;
        break;
      case 'free':
        idle++;
        if (waiting.length) {
          waiting.shift();
          connect(t);
        }
        break;
      case 'deadline': {
        const i = waiting.findIndex((w) => w.call === e.call);
        if (i >= 0) {
          waiting.splice(i, 1);
          abandoned++;
        }
        break;
      }
    }
  }

  return {
    calls,
    answered,
    abandoned,
    abandonRate: answered ? abandoned / answered : 0,
    utilisation: busySec / (cfg.agents * daySec),
    ratioOverTime: ratioSum.map((s, i) => s / (ratioN[i] ?? 1)),
    decisions,
  };
}
