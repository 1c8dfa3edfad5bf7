import {
  questionSchema,
  scorecardBody,
  type Question,
  type ScorecardInput,
  type Section,
  type Scorecard as ApiScorecard,
} from '../api/qa';
import type { Db } from '../db';
import { num } from '../db';
import type { Clock } from '../shared/clock';
import { isoOf } from '../shared/clock';

export { questionSchema, scorecardBody, type Question, type ScorecardInput, type Section };

/** A scorecard as the API shows it (src/api/qa.ts). */
export type Scorecard = ApiScorecard;

/**
 * The default form, from the seeds' QA items (requirements §4): standard greeting, identity
 * check, understanding of the problem, solution, courtesy, no forbidden phrases (服务禁用语),
 * closing. Texts are the form's content (the UI translates only its own labels).
 */
export const DEFAULT_SCORECARD: ScorecardInput = {
  name: 'Standard call review',
  sections: [
    {
      title: 'Opening',
      questions: [
        {
          id: 'greeting',
          text: 'Standard greeting: company name, own name or agent number, offer of help',
          type: 'yes-no',
          weight: 10,
        },
        {
          id: 'identity-check',
          text: 'Identity check done before discussing account or personal details',
          type: 'yes-no',
          weight: 15,
          critical: true,
          allowNa: true,
        },
      ],
    },
    {
      title: 'Handling',
      questions: [
        {
          id: 'understanding',
          text: 'Understood the problem: listened, asked clarifying questions, restated it',
          type: 'scale',
          scaleMax: 5,
          weight: 20,
        },
        {
          id: 'solution',
          text: 'Gave a correct and complete solution, or a clear next step with a time',
          type: 'scale',
          scaleMax: 5,
          weight: 25,
        },
        {
          id: 'courtesy',
          text: 'Courtesy: polite, patient, positive tone; no interrupting',
          type: 'scale',
          scaleMax: 5,
          weight: 15,
        },
        {
          id: 'no-forbidden-phrases',
          text: 'No forbidden phrases ("not our business", "no way", "don\'t know", …)',
          type: 'yes-no',
          weight: 10,
          critical: true,
        },
      ],
    },
    {
      title: 'Closing',
      questions: [
        {
          id: 'closing',
          text: 'Standard closing: summary, asked if anything else is needed, thanked the caller',
          type: 'yes-no',
          weight: 5,
        },
      ],
    },
  ],
};

interface ScorecardRow {
  id: number;
  name: string;
  is_default: boolean | number;
  definition: string;
  created_by: number | null;
  created_at: number | string;
}

const toScorecard = (r: ScorecardRow): Scorecard => ({
  id: r.id,
  name: r.name,
  isDefault: Boolean(r.is_default),
  sections: (JSON.parse(r.definition) as { sections: Section[] }).sections,
  createdAt: isoOf(num(r.created_at)) ?? '',
});

export function createScorecardsRepo(db: Db, clock: Clock) {
  const repo = {
    async list(): Promise<Scorecard[]> {
      const rows = await db<ScorecardRow>('qa_scorecards')
        .orderBy('is_default', 'desc')
        .orderBy('id', 'asc');
      return rows.map(toScorecard);
    },
    async get(id: number): Promise<Scorecard | null> {
      const row = await db<ScorecardRow>('qa_scorecards').where({ id }).first();
      return row ? toScorecard(row) : null;
    },
    async getDefault(): Promise<Scorecard | null> {
      const row = await db<ScorecardRow>('qa_scorecards')
        .where({ is_default: true })
        .orderBy('id', 'asc')
        .first();
      return row ? toScorecard(row) : null;
    },
    async create(input: ScorecardInput, by: number | null, isDefault = false): Promise<Scorecard> {
      const [row] = await db('qa_scorecards')
        .insert({
          name: input.name,
          is_default: isDefault,
          definition: JSON.stringify({ sections: input.sections }),
          created_by: by,
          created_at: clock.now(),
        })
        .returning<Array<{ id: number }>>('id');
      return (await repo.get(row!.id))!;
    },
    /** Creates the default form when there is none (at start; idempotent). */
    async ensureDefault(): Promise<Scorecard> {
      return (await repo.getDefault()) ?? repo.create(DEFAULT_SCORECARD, null, true);
    },
  };
  return repo;
}

export type ScorecardsRepo = ReturnType<typeof createScorecardsRepo>;
