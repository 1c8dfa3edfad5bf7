import { randomBytes } from 'node:crypto';
import {
  sampleBody,
  type QueueItem as ApiQueueItem,
  type SampleItem as ApiSampleItem,
  type SampleJob as ApiSampleJob,
  type SampleParams,
} from '../api/qa';
import type { Db } from '../db';
import { num } from '../db';
import type { Clock } from '../shared/clock';
import { isoOf } from '../shared/clock';
import { HotlineError } from '../shared/errors';
import { drawSample, type Candidate } from './sampling';
import type { ScorecardsRepo } from './scorecards';

export { sampleBody, type SampleParams };

export type SampleItem = ApiSampleItem;

export type SampleJob = ApiSampleJob;

export type QueueItem = ApiQueueItem;

/** Weight of a complaint call when oversample.complaints (docs/api-qa.md: ×3). */
export const COMPLAINT_WEIGHT = 3;
/** oversample.lowSatisfaction draws calls the caller scored this or lower (1-5) first. */
export const LOW_SATISFACTION_MAX = 2;
const REVIEWER_ROLES = ['qa', 'supervisor', 'admin'];

interface SampleRow {
  id: number;
  seed: string;
  params: string;
  created_by: number | null;
  created_at: number | string;
}

const toJob = (r: SampleRow): SampleJob => ({
  id: r.id,
  seed: r.seed,
  params: JSON.parse(r.params) as SampleJob['params'],
  createdBy: r.created_by,
  createdAt: isoOf(num(r.created_at)) ?? '',
});

async function chunked<T, R>(
  values: readonly T[],
  fn: (chunk: T[]) => Promise<R[]>,
  size = 500,
): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < values.length; i += size) out.push(...(await fn(values.slice(i, i + size))));
  return out;
}

export function createSamplesRepo(deps: { db: Db; clock: Clock; scorecards: ScorecardsRepo }) {
  const { db, clock } = deps;

  /** Calls in [from, to) matching the filters, with a stored recording and no evaluation. */
  async function candidates(p: SampleParams): Promise<Candidate[]> {
    const q = db('calls as c')
      .select(
        'c.id',
        'c.agent_id',
        db.raw(
          'case when exists (select 1 from complaints k where k.call_id = c.id) then 1 else 0 end as has_complaint',
        ),
        'c.survey_score',
      )
      .whereNotNull('c.agent_id')
      .where('c.started_at', '>=', Date.parse(p.from))
      .where('c.started_at', '<', Date.parse(p.to))
      .whereExists(function () {
        void this.select(db.raw('1'))
          .from('recordings as r')
          .whereRaw('r.call_id = c.id')
          .where('r.status', 'stored');
      })
      .whereNotExists(function () {
        void this.select(db.raw('1')).from('qa_evaluations as e').whereRaw('e.call_id = c.id');
      });
    const f = p.filters ?? {};
    if (f.queue !== undefined) void q.where('c.queue', f.queue);
    if (f.direction !== undefined) void q.where('c.direction', f.direction);
    if (f.outcome !== undefined) void q.where('c.outcome', f.outcome);
    if (f.minDurationSec !== undefined) void q.where('c.talk_ms', '>=', f.minDurationSec * 1000);
    if (f.agentIds !== undefined) void q.whereIn('c.agent_id', f.agentIds);
    const rows = (await q) as Array<{
      id: string;
      agent_id: number;
      has_complaint: number | string;
      survey_score: number | null;
    }>;
    return rows.map((r) => ({
      callId: r.id,
      agentId: r.agent_id,
      complaint: Number(r.has_complaint) === 1,
      lowSatisfaction: r.survey_score !== null && r.survey_score <= LOW_SATISFACTION_MAX,
    }));
  }

  async function items(sampleId: number): Promise<SampleItem[]> {
    const rows = await db('qa_sample_items as i')
      .leftJoin('users as u', 'u.id', 'i.agent_id')
      .where('i.sample_id', sampleId)
      .orderBy('i.id', 'asc')
      .select<
        Array<{
          call_id: string;
          agent_id: number;
          name: string | null;
          reviewer_id: number;
          status: string;
        }>
      >('i.call_id', 'i.agent_id', 'u.name', 'i.reviewer_id', 'i.status');
    return rows.map((r) => ({
      callId: r.call_id,
      agentId: r.agent_id,
      agentName: r.name ?? '',
      reviewerId: r.reviewer_id,
      status: r.status === 'done' ? 'done' : 'pending',
    }));
  }

  const repo = {
    candidates,
    async create(p: SampleParams, by: number): Promise<SampleJob> {
      const scorecard = p.scorecardId
        ? await deps.scorecards.get(p.scorecardId)
        : await deps.scorecards.ensureDefault();
      if (!scorecard)
        throw new HotlineError('HOTLINE_VALIDATION', `scorecardId: no scorecard ${p.scorecardId}`);
      const reviewers = await db('users').whereIn('id', p.reviewerIds).select<
        Array<{
          id: number;
          role: string;
          disabled: boolean | number;
        }>
      >('id', 'role', 'disabled');
      for (const id of p.reviewerIds) {
        const u = reviewers.find((r) => r.id === id);
        if (!u || u.disabled || !REVIEWER_ROLES.includes(u.role))
          throw new HotlineError(
            'HOTLINE_VALIDATION',
            `reviewerIds: user ${id} is not an active qa, supervisor or admin`,
          );
      }
      const seed = p.seed ?? randomBytes(12).toString('hex');
      const drawn = drawSample(await candidates(p), {
        seed,
        perAgent: p.perAgent,
        percent: p.percent,
        complaintWeight: p.oversample?.complaints ? COMPLAINT_WEIGHT : 1,
        lowSatisfactionFirst: p.oversample?.lowSatisfaction === true,
        reviewerIds: p.reviewerIds,
      });
      const params = { ...p, seed, scorecardId: scorecard.id };
      const id = await db.transaction(async (trx) => {
        const [row] = await trx('qa_samples')
          .insert({ seed, params: JSON.stringify(params), created_by: by, created_at: clock.now() })
          .returning<Array<{ id: number }>>('id');
        const sampleId = row!.id;
        for (let i = 0; i < drawn.length; i += 200)
          await trx('qa_sample_items').insert(
            drawn.slice(i, i + 200).map((d) => ({
              sample_id: sampleId,
              call_id: d.callId,
              agent_id: d.agentId,
              reviewer_id: d.reviewerId,
              status: 'pending',
              scorecard_id: scorecard.id,
            })),
          );
        return sampleId;
      });
      return (await repo.get(id))!;
    },
    async list(limit = 200): Promise<SampleJob[]> {
      const rows = await db<SampleRow>('qa_samples').orderBy('id', 'desc').limit(limit);
      return rows.map(toJob);
    },
    async get(id: number): Promise<SampleJob | null> {
      const row = await db<SampleRow>('qa_samples').where({ id }).first();
      return row ? { ...toJob(row), items: await items(id) } : null;
    },
    /** Pending items assigned to the reviewer whose call nobody has evaluated yet. */
    async queue(reviewerId: number): Promise<QueueItem[]> {
      const rows = await db('qa_sample_items as i')
        .join('calls as c', 'c.id', 'i.call_id')
        .leftJoin('users as u', 'u.id', 'i.agent_id')
        .where('i.reviewer_id', reviewerId)
        .where('i.status', 'pending')
        .whereNotExists(function () {
          void this.select(db.raw('1'))
            .from('qa_evaluations as e')
            .whereRaw('e.call_id = i.call_id');
        })
        .orderBy('i.sample_id', 'asc')
        .orderBy('i.id', 'asc')
        .select<
          Array<{
            sample_id: number;
            call_id: string;
            agent_id: number;
            name: string | null;
            started_at: number | string;
            talk_ms: number | string | null;
            queue: string | null;
            scorecard_id: number | null;
            survey_score: number | null;
          }>
        >(
          'i.sample_id',
          'i.call_id',
          'i.agent_id',
          'u.name',
          'c.started_at',
          'c.talk_ms',
          'c.queue',
          'i.scorecard_id',
          'c.survey_score',
        );
      const callIds = [...new Set(rows.map((r) => r.call_id))];
      const recs = await chunked(
        callIds,
        (ids) =>
          db('recordings')
            .whereIn('call_id', ids)
            .where('status', 'stored')
            .orderBy('started_at', 'asc')
            .orderBy('id', 'asc')
            .select('id', 'call_id', 'duration_ms') as Promise<
            Array<{ id: string; call_id: string; duration_ms: number | null }>
          >,
      );
      const recording = new Map<string, { id: string; durationMs: number | null }>();
      for (const r of recs)
        if (!recording.has(r.call_id))
          recording.set(r.call_id, { id: r.id, durationMs: num(r.duration_ms, true) });
      // The same call can be in two jobs: show it once.
      const seen = new Set<string>();
      const out: QueueItem[] = [];
      for (const r of rows) {
        if (seen.has(r.call_id)) continue;
        seen.add(r.call_id);
        out.push({
          sampleId: r.sample_id,
          callId: r.call_id,
          agentId: r.agent_id,
          agentName: r.name ?? '',
          startedAt: isoOf(num(r.started_at)) ?? '',
          talkMs: num(r.talk_ms, true),
          queue: r.queue,
          recording: recording.get(r.call_id) ?? null,
          scorecardId: r.scorecard_id,
          surveyScore: r.survey_score ?? null,
        });
      }
      return out;
    },
    /** The call is evaluated: every pending item of it is done. */
    async markDone(callId: string, trx: Db = db): Promise<void> {
      await trx('qa_sample_items').where({ call_id: callId, status: 'pending' }).update({
        status: 'done',
      });
    },
  };
  return repo;
}

export type SamplesRepo = ReturnType<typeof createSamplesRepo>;
