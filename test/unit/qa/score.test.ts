import { HotlineError } from '../../../src/shared/errors';
import { checkAnswers, score, type Answer } from '../../../src/qa/score';
import { DEFAULT_SCORECARD, scorecardBody } from '../../../src/qa/scorecards';

const form = {
  sections: [
    {
      title: 'A',
      questions: [
        { id: 'greet', text: 'Greeting', type: 'yes-no' as const, weight: 1 },
        {
          id: 'id',
          text: 'Identity',
          type: 'yes-no' as const,
          weight: 2,
          critical: true,
          allowNa: true,
        },
      ],
    },
    {
      title: 'B',
      questions: [
        { id: 'solve', text: 'Solution', type: 'scale' as const, weight: 3 },
        {
          id: 'tone',
          text: 'Tone',
          type: 'scale' as const,
          weight: 2,
          scaleMax: 3,
          critical: true,
        },
      ],
    },
  ],
};

const answers = (v: Record<string, Answer['value']>): Answer[] =>
  Object.entries(v).map(([questionId, value]) => ({ questionId, value }));

describe('score()', () => {
  it('weights yes/no and scale answers', () => {
    // greet yes 1×1, id yes 1×2, solve 4/5 → 0.75×3, tone 2/3 → 0.5×2 → 6.25 / 8
    expect(score(form, answers({ greet: 'yes', id: 'yes', solve: 4, tone: 2 }))).toEqual({
      score: 78.13,
      criticalFailed: false,
    });
    expect(score(form, answers({ greet: 'yes', id: 'yes', solve: 5, tone: 3 })).score).toBe(100);
    expect(score(form, answers({ greet: 'no', id: 'yes', solve: 1, tone: 3 })).score).toBe(50);
  });

  it('leaves N/A questions out of the weights', () => {
    // greet no 0×1, solve 5 → 1×3, tone 3 → 1×2: 5 / 6
    expect(score(form, answers({ greet: 'no', id: 'na', solve: 5, tone: 3 })).score).toBe(83.33);
  });

  it('fails the whole evaluation on a critical "no" or a critical scale 1', () => {
    expect(score(form, answers({ greet: 'yes', id: 'no', solve: 5, tone: 3 }))).toEqual({
      score: 0,
      criticalFailed: true,
    });
    expect(score(form, answers({ greet: 'yes', id: 'yes', solve: 5, tone: 1 }))).toEqual({
      score: 0,
      criticalFailed: true,
    });
    // a non-critical zero is just a zero
    expect(
      score(form, answers({ greet: 'yes', id: 'yes', solve: 1, tone: 3 })).criticalFailed,
    ).toBe(false);
  });

  it('rejects answers that do not fit the form', () => {
    const problems = (v: Record<string, Answer['value']>) =>
      checkAnswers(form, answers(v)).map((p) => p.message);
    expect(problems({ greet: 'na', id: 'yes', solve: 3, tone: 2 })).toEqual([
      'question greet cannot be N/A',
    ]);
    expect(problems({ greet: 'yes', id: 'yes', solve: 6, tone: 2 })).toEqual([
      'question solve takes 1..5',
    ]);
    expect(problems({ greet: 'yes', id: 'yes', solve: 2.5, tone: 2 })).toEqual([
      'question solve takes 1..5',
    ]);
    expect(problems({ greet: 3, id: 'yes', solve: 3, tone: 2 })).toEqual([
      'question greet takes yes or no',
    ]);
    expect(problems({ greet: 'yes', solve: 3, tone: 2 })).toEqual(['question id is not answered']);
    expect(problems({ greet: 'yes', id: 'yes', solve: 3, tone: 2, extra: 'yes' })).toEqual([
      'no question extra in this form',
    ]);
    expect(
      checkAnswers(form, [
        ...answers({ greet: 'yes', id: 'yes', solve: 3, tone: 2 }),
        { questionId: 'greet', value: 'no' },
      ]).map((p) => p.message),
    ).toEqual(['question greet answered twice']);
    expect(() => score(form, answers({ greet: 'yes' }))).toThrow(HotlineError);
  });
});

describe('scorecards', () => {
  it('validates forms: unique ids, weights > 0, scaleMax 2..10', () => {
    const q = { id: 'a', text: 'A', type: 'yes-no', weight: 1 };
    const ok = { name: 'x', sections: [{ title: 's', questions: [q] }] };
    expect(scorecardBody.safeParse(ok).success).toBe(true);
    const bad = (questions: object[]) =>
      scorecardBody.safeParse({ name: 'x', sections: [{ title: 's', questions }] }).success;
    expect(bad([q, { ...q, text: 'again' }])).toBe(false);
    expect(bad([{ ...q, weight: 0 }])).toBe(false);
    expect(bad([{ ...q, type: 'scale', scaleMax: 1 }])).toBe(false);
    expect(bad([{ ...q, type: 'scale', scaleMax: 11 }])).toBe(false);
    expect(bad([{ ...q, type: 'scale', scaleMax: 10 }])).toBe(true);
    expect(bad([{ ...q, scaleMax: 5 }])).toBe(false);
    expect(scorecardBody.safeParse({ name: 'x', sections: [] }).success).toBe(false);
  });

  it('has a default form from the seeds with identity check and forbidden phrases critical', () => {
    expect(scorecardBody.safeParse(DEFAULT_SCORECARD).success).toBe(true);
    const qs = DEFAULT_SCORECARD.sections.flatMap((s) => s.questions);
    expect(qs.map((q) => q.id)).toEqual([
      'greeting',
      'identity-check',
      'understanding',
      'solution',
      'courtesy',
      'no-forbidden-phrases',
      'closing',
    ]);
    expect(qs.filter((q) => q.critical).map((q) => q.id)).toEqual([
      'identity-check',
      'no-forbidden-phrases',
    ]);
  });
});
