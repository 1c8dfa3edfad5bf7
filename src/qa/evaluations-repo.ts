import {
  evaluationBody,
  respondBody,
  type AgentResult as ApiAgentResult,
  type Evaluation as ApiEvaluation,
  type EvaluationInput,
} from '../api/qa';
import type { Db } from '../db';
import { isUniqueViolation, num } from '../db';
import type { User } from '../agents/users-repo';
import type { Clock } from '../shared/clock';
import { isoOf } from '../shared/clock';
import { HotlineError, notFound } from '../shared/errors';
import { score, type Answer } from './score';
import type { SamplesRepo } from './samples-repo';
import type { ScorecardsRepo } from './scorecards';

export { evaluationBody, respondBody, type EvaluationInput };

export type Evaluation = ApiEvaluation;

interface EvaluationRow {
  id: number;
  call_id: string;
  agent_id: number | null;
  reviewer_id: number | null;
  reviewer_name: string | null;
  scorecard_id: number | null;
  answers: string;
  comments: string;
  summary: string | null;
  score: number | string;
  critical_failed: boolean | number;
  agent_response: string | null;
  agent_comment: string | null;
  submitted_at: number | string;
}

const toEvaluation = (r: EvaluationRow): Evaluation => ({
  id: r.id,
  callId: r.call_id,
  agentId: r.agent_id,
  reviewerId: r.reviewer_id,
  reviewerName: r.reviewer_name ?? '',
  scorecardId: r.scorecard_id,
  answers: JSON.parse(r.answers) as Answer[],
  comments: JSON.parse(r.comments) as Evaluation['comments'],
  summary: r.summary,
  score: Number(r.score),
  criticalFailed: Boolean(r.critical_failed),
  agentResponse: (r.agent_response as Evaluation['agentResponse']) ?? null,
  agentComment: r.agent_comment,
  submittedAt: isoOf(num(r.submitted_at)) ?? '',
});

export type AgentResult = ApiAgentResult;

/** ISO 8601 week of a UTC time, e.g. 2026-W47 (weeks start on Monday; week 1 holds a Thursday). */
export function isoWeek(ms: number): string {
  const d = new Date(ms);
  const day = (d.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  const thursday = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day + 3);
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * 86_400_000)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

const average = (xs: number[]) =>
  xs.length ? Math.round((xs.reduce((s, x) => s + x, 0) / xs.length) * 100) / 100 : null;

export function createEvaluationsRepo(deps: {
  db: Db;
  clock: Clock;
  scorecards: ScorecardsRepo;
  samples: SamplesRepo;
}) {
  const { db, clock } = deps;
  const base = () =>
    db('qa_evaluations as e')
      .leftJoin('users as u', 'u.id', 'e.reviewer_id')
      .select('e.*', 'u.name as reviewer_name');

  const repo = {
    async get(id: number): Promise<Evaluation | null> {
      const row = await base().where('e.id', id).first<EvaluationRow | undefined>();
      return row ? toEvaluation(row) : null;
    },
    async list(f: {
      agentId?: number;
      from?: number;
      to?: number;
      limit: number;
    }): Promise<Evaluation[]> {
      const q = base().orderBy('e.submitted_at', 'desc').orderBy('e.id', 'desc').limit(f.limit);
      if (f.agentId !== undefined) void q.where('e.agent_id', f.agentId);
      if (f.from !== undefined) void q.where('e.submitted_at', '>=', f.from);
      if (f.to !== undefined) void q.where('e.submitted_at', '<', f.to);
      return ((await q) as EvaluationRow[]).map(toEvaluation);
    },
    /** Scores on the server, one per call and reviewer, and marks the call's sample items done. */
    async submit(input: EvaluationInput, reviewer: User): Promise<Evaluation> {
      const call = await db('calls')
        .where({ id: input.callId })
        .first<{ id: string; agent_id: number | null } | undefined>('id', 'agent_id');
      if (!call) throw new HotlineError('HOTLINE_CALL_NOT_FOUND', `call ${input.callId} not found`);
      if (call.agent_id === null)
        throw new HotlineError(
          'HOTLINE_CALL_HAS_NO_AGENT',
          `call ${input.callId} has no agent to evaluate`,
        );
      const form = await deps.scorecards.get(input.scorecardId);
      if (!form)
        throw new HotlineError(
          'HOTLINE_VALIDATION',
          `scorecardId: no scorecard ${input.scorecardId}`,
        );
      const result = score(form, input.answers);
      const taken = () =>
        new HotlineError(
          'HOTLINE_ALREADY_EVALUATED',
          `you have already evaluated call ${input.callId}`,
        );
      if (await db('qa_evaluations').where({ call_id: call.id, reviewer_id: reviewer.id }).first())
        throw taken();
      const now = clock.now();
      let id: number;
      try {
        id = await db.transaction(async (trx) => {
          const [row] = await trx('qa_evaluations')
            .insert({
              call_id: call.id,
              agent_id: call.agent_id,
              reviewer_id: reviewer.id,
              scorecard_id: form.id,
              answers: JSON.stringify(input.answers),
              comments: JSON.stringify(input.comments ?? []),
              summary: input.summary ?? null,
              score: result.score,
              critical_failed: result.criticalFailed,
              submitted_at: now,
              created_at: now,
            })
            .returning<Array<{ id: number }>>('id');
          await deps.samples.markDone(call.id, trx);
          return row!.id;
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw taken();
        throw err;
      }
      return (await repo.get(id))!;
    },
    /** The evaluated agent acknowledges or disputes, once. */
    async respond(
      id: number,
      agent: User,
      response: 'acknowledged' | 'disputed',
      comment: string | null,
    ): Promise<Evaluation> {
      const e = await repo.get(id);
      if (!e) throw notFound('HOTLINE_EVALUATION_NOT_FOUND', `evaluation ${id}`);
      if (e.agentId !== agent.id)
        throw new HotlineError('HOTLINE_FORBIDDEN', 'only the evaluated agent can respond');
      if (e.agentResponse)
        throw new HotlineError(
          'HOTLINE_EVALUATION_ALREADY_RESPONDED',
          `evaluation ${id} already has a response`,
        );
      const n = await db('qa_evaluations')
        .where({ id })
        .whereNull('agent_response')
        .update({ agent_response: response, agent_comment: comment, responded_at: clock.now() });
      if (!n)
        throw new HotlineError(
          'HOTLINE_EVALUATION_ALREADY_RESPONDED',
          `evaluation ${id} already has a response`,
        );
      return (await repo.get(id))!;
    },
    /** Per agent over [from, to): count, average, critical fails and the ISO-week trend. */
    async results(from: number, to: number): Promise<AgentResult[]> {
      const rows = await db('qa_evaluations as e')
        .leftJoin('users as u', 'u.id', 'e.agent_id')
        .whereNotNull('e.agent_id')
        .where('e.submitted_at', '>=', from)
        .where('e.submitted_at', '<', to)
        .orderBy('e.submitted_at', 'asc')
        .select<
          Array<{
            agent_id: number;
            name: string | null;
            score: number | string;
            critical_failed: boolean | number;
            submitted_at: number | string;
          }>
        >('e.agent_id', 'u.name', 'e.score', 'e.critical_failed', 'e.submitted_at');
      const agents = new Map<
        number,
        { name: string; scores: number[]; fails: number; weeks: Map<string, number[]> }
      >();
      for (const r of rows) {
        const a = agents.get(r.agent_id) ?? {
          name: r.name ?? '',
          scores: [],
          fails: 0,
          weeks: new Map<string, number[]>(),
        };
        agents.set(r.agent_id, a);
        const s = Number(r.score);
        a.scores.push(s);
        if (r.critical_failed) a.fails += 1;
        const w = isoWeek(num(r.submitted_at));
        a.weeks.set(w, [...(a.weeks.get(w) ?? []), s]);
      }
      return [...agents.entries()]
        .sort(([a], [b]) => a - b)
        .map(([agentId, a]) => ({
          agentId,
          agentName: a.name,
          evaluations: a.scores.length,
          averageScore: average(a.scores),
          criticalFails: a.fails,
          weeks: [...a.weeks.entries()]
            .sort(([x], [y]) => (x < y ? -1 : 1))
            .map(([week, s]) => ({ week, evaluations: s.length, averageScore: average(s) })),
        }));
    },
  };
  return repo;
}

export type EvaluationsRepo = ReturnType<typeof createEvaluationsRepo>;
