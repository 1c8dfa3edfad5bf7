import type { Db } from '../db';

/** The satisfaction survey's figures for a set of calls. */
export interface SurveyFigures {
  /** Callers asked: calls with a `survey-started` event (the agent hung up first). */
  asked: number;
  /** Of those, the ones who pressed a score (1-5). */
  answered: number;
  /** The mean of the scores given, null when none was. */
  averageScore: number | null;
  /** answered / asked, null when nobody was asked. */
  responseRate: number | null;
}

export interface SurveySummary extends SurveyFigures {
  /** The same per queue, by queue name. */
  queues: Array<SurveyFigures & { queue: string | null }>;
}

const figures = (asked: number, answered: number, total: number): SurveyFigures => ({
  asked,
  answered,
  averageScore: answered ? Math.round((total / answered) * 100) / 100 : null,
  responseRate: asked ? Math.round((answered / asked) * 1000) / 1000 : null,
});

/** Per queue, over calls started in [from, to): callers asked, scores given and their sum. */
export async function surveyRowsIn(
  db: Db,
  from: number,
  to: number,
): Promise<Array<{ queue: string | null; asked: number; answered: number; total: number }>> {
  const rows = await db('calls as c')
    .where('c.started_at', '>=', from)
    .andWhere('c.started_at', '<', to)
    .whereExists(function () {
      void this.select(db.raw('1'))
        .from('call_events as e')
        .whereRaw('e.call_id = c.id')
        .where('e.type', 'survey-started');
    })
    .groupBy('c.queue')
    .orderBy('c.queue')
    .select<
      Array<{
        queue: string | null;
        asked: number | string;
        answered: number | string;
        total: number | string | null;
      }>
    >(
      'c.queue',
      db.raw('count(*) as asked'),
      db.raw('count(c.survey_score) as answered'),
      db.raw('sum(c.survey_score) as total'),
    );
  return rows.map((r) => ({
    queue: r.queue,
    asked: Number(r.asked),
    answered: Number(r.answered),
    total: Number(r.total ?? 0),
  }));
}

/**
 * The survey's figures over calls started in [from, to) (epoch ms), overall and per queue.
 * Read-only; served by the calls' start-time index, the survey found through each call's
 * timeline. The wall counts with the same rows (metrics/period-counts.ts `surveyCountsIn`).
 */
export function createSurveyStats(db: Db) {
  return {
    async between(from: number, to: number): Promise<SurveySummary> {
      const rows = await surveyRowsIn(db, from, to);
      const queues = rows.map((r) => ({
        queue: r.queue,
        ...figures(r.asked, r.answered, r.total),
      }));
      const sum = (f: (q: (typeof rows)[number]) => number) => rows.reduce((n, r) => n + f(r), 0);
      return {
        ...figures(
          sum((r) => r.asked),
          sum((r) => r.answered),
          sum((r) => r.total),
        ),
        queues,
      };
    },
  };
}

export type SurveyStats = ReturnType<typeof createSurveyStats>;
