import { abandonRate } from '../../../src/outbound/campaigns/abandon-rate';
import {
  capHeadroom,
  dialDecision,
  estimateAnswerRate,
  expectedSoonFree,
  linesFor,
  MIN_SAMPLES,
  progressiveDecision,
  SAFETY_Z,
  type PacingInputs,
} from '../../../src/outbound/dialing/pacing';

const inputs: PacingInputs = {
  freeAgents: 5,
  agentsSoonFree: 2,
  inFlight: 0,
  answerRate: 0.2,
  samples: 500,
  avgHandleSec: 180,
  avgRingSec: 12,
  abandonRate30d: 0,
  abandonCapPct: 3,
  minRatio: 1,
  maxRatio: 3,
};

describe('progressiveDecision', () => {
  it('places one call per free agent, counting the calls already ringing', () => {
    expect(progressiveDecision(4, 0)).toMatchObject({ toDial: 4, ratio: 1, mode: 'progressive' });
    expect(progressiveDecision(4, 3).toDial).toBe(1);
    expect(progressiveDecision(2, 5).toDial).toBe(0);
    expect(progressiveDecision(0, 0).toDial).toBe(0);
  });
});

describe('dialDecision', () => {
  it('over-dials with a low answer rate and a clean record, within maxRatio', () => {
    const d = dialDecision(inputs);
    expect(d.mode).toBe('predictive');
    expect(d.toDial).toBeGreaterThan(5);
    expect(d.toDial).toBeLessThanOrEqual(15);
    expect(d.ratio).toBeGreaterThan(1);
    expect(d.ratio).toBeLessThanOrEqual(3);
  });

  it('returns its inputs, for the log', () => {
    expect(dialDecision(inputs).inputs).toEqual(inputs);
    expect(
      dialDecision({ ...inputs, minRatio: undefined, maxRatio: undefined }).inputs,
    ).toMatchObject({
      minRatio: 1,
      maxRatio: 3,
    });
  });

  it('counts the calls already in flight', () => {
    const fresh = dialDecision(inputs).toDial;
    expect(dialDecision({ ...inputs, inFlight: 4 }).toDial).toBe(fresh - 4);
    expect(dialDecision({ ...inputs, inFlight: 100 }).toDial).toBe(0);
  });

  it('is progressive with few samples', () => {
    const d = dialDecision({ ...inputs, samples: MIN_SAMPLES - 1 });
    expect(d).toMatchObject({ mode: 'progressive', toDial: 5, ratio: 1 });
    expect(d.reason).toMatch(/49 calls/);
    expect(d.inputs.samples).toBe(49);
    expect(dialDecision({ ...inputs, samples: MIN_SAMPLES }).mode).toBe('predictive');
  });

  it('is progressive at or over the abandon cap: never more calls than free agents', () => {
    for (const rate of [0.03, 0.031, 0.2]) {
      const d = dialDecision({ ...inputs, abandonRate30d: rate, agentsSoonFree: 10 });
      expect(d).toMatchObject({ mode: 'progressive', toDial: 5, ratio: 1 });
      expect(d.reason).toMatch(/cap/);
    }
  });

  it('slows down as the abandon rate approaches the cap', () => {
    const at = (rate: number) => dialDecision({ ...inputs, abandonRate30d: rate }).toDial;
    expect(at(0.01)).toBe(at(0)); // below half the cap: full speed
    expect(at(0.02)).toBeLessThan(at(0.01));
    expect(at(0.029)).toBeLessThan(at(0.02));
    expect(at(0.029)).toBeGreaterThanOrEqual(5);
    expect(capHeadroom(0, 3)).toBe(1);
    expect(capHeadroom(0.0225, 3)).toBeCloseTo(0.5);
    expect(capHeadroom(0.03, 3)).toBe(0);
    expect(capHeadroom(0, 0)).toBe(0);
  });

  it('dials less per agent as the answer rate rises, never below progressive', () => {
    const lines = [0.1, 0.2, 0.35, 0.6, 0.9].map((p) => dialDecision({ ...inputs, answerRate: p }));
    for (let i = 1; i < lines.length; i++)
      expect(lines[i]!.toDial).toBeLessThanOrEqual(lines[i - 1]!.toDial);
    for (const d of lines) expect(d.toDial).toBeGreaterThanOrEqual(5);
    expect(lines[0]!.toDial).toBe(15); // capped at maxRatio 3 × 5 free agents
  });

  it('dials nothing without a free agent', () => {
    expect(dialDecision({ ...inputs, freeAgents: 0, agentsSoonFree: 4 }).toDial).toBe(0);
  });

  it('is progressive on missing or broken measurements', () => {
    for (const over of [
      { answerRate: 0 },
      { answerRate: NaN },
      { answerRate: 1.5 },
      { avgHandleSec: 0 },
      { abandonRate30d: NaN },
    ])
      expect(dialDecision({ ...inputs, ...over }).mode).toBe('progressive');
    expect(dialDecision({ ...inputs, freeAgents: -3 }).toDial).toBe(0);
  });
});

describe('linesFor', () => {
  it('solves L·p + z·√(L·p·q + S) = F + S', () => {
    for (const [f, s, p] of [
      [5, 0, 0.2],
      [3, 2.5, 0.35],
      [20, 4, 0.6],
    ] as const) {
      const l = linesFor(f, s, p);
      expect(l * p + SAFETY_Z * Math.sqrt(l * p * (1 - p) + s)).toBeCloseTo(f + s, 9);
    }
    expect(linesFor(0, 0, 0.3)).toBe(0);
  });
});

describe('helpers', () => {
  it('estimateAnswerRate starts at the prior and follows the measurement', () => {
    expect(estimateAnswerRate(0, 0)).toBeCloseTo(0.3);
    expect(estimateAnswerRate(200, 1000)).toBeCloseTo((200 + 6) / 1020);
  });

  it('expectedSoonFree is busy × ring ÷ handle, at most all busy agents', () => {
    expect(expectedSoonFree(18, 12, 180)).toBeCloseTo(1.2);
    expect(expectedSoonFree(4, 300, 180)).toBe(4);
    expect(expectedSoonFree(4, 12, 0)).toBe(0);
  });
});

describe('abandonRate', () => {
  const DAY = 86_400_000;
  const now = Date.parse('2026-11-23T10:00:00Z');
  const row = (at: number, answeredByPerson: boolean, abandoned = false) => ({
    at,
    answeredByPerson,
    abandoned,
  });

  it('is abandoned ÷ answered by a person; machines and unanswered calls do not count', () => {
    const rows = [
      row(now - DAY, true),
      row(now - DAY, true),
      row(now - DAY, true),
      row(now - DAY, true, true),
      row(now - DAY, false), // no answer or machine
    ];
    expect(abandonRate(rows, now)).toEqual({ rate: 0.25, answered: 4, abandoned: 1 });
  });

  it('counts an abandoned row as answered even when the flag is missing', () => {
    expect(abandonRate([row(now, false, true)], now)).toEqual({
      rate: 1,
      answered: 1,
      abandoned: 1,
    });
  });

  it('covers (now − 30 days, now]: the edge row has left, future rows are ignored', () => {
    const rows = [
      row(now - 30 * DAY, true, true), // exactly 30 days old: out
      row(now - 30 * DAY + 1, true, true), // in
      row(now, true), // in
      row(now + 1, true, true), // future: out
    ];
    expect(abandonRate(rows, now)).toEqual({ rate: 0.5, answered: 2, abandoned: 1 });
    expect(abandonRate(rows, now, 7)).toEqual({ rate: 0, answered: 1, abandoned: 0 });
  });

  it('is 0 with nothing answered', () => {
    expect(abandonRate([], now)).toEqual({ rate: 0, answered: 0, abandoned: 0 });
  });
});
