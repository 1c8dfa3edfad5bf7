import type { Db } from '../db';
import type { Clock } from '../shared/clock';
import { createEvaluationsRepo } from './evaluations-repo';
import { createSamplesRepo } from './samples-repo';
import { createScorecardsRepo } from './scorecards';

/** The QA capabilities over one database: scorecards, sampling jobs, evaluations and results. */
export function createQa(db: Db, clock: Clock) {
  const scorecards = createScorecardsRepo(db, clock);
  const samples = createSamplesRepo({ db, clock, scorecards });
  const evaluations = createEvaluationsRepo({ db, clock, scorecards, samples });
  return { scorecards, samples, evaluations };
}

export type Qa = ReturnType<typeof createQa>;
