import { Router } from 'express';
import type { z } from 'zod';
import { numericId } from '../../api/common';
import {
  evaluationBody,
  evaluationsQuery,
  respondBody,
  resultsQuery,
  sampleBody,
  scorecardBody,
  type evaluationSchema,
  type evaluationsListResponse,
  type resultsResponse,
  type reviewQueueResponse,
  type sampleJobSchema,
  type samplesListResponse,
  type scorecardSchema,
  type scorecardsListResponse,
} from '../../api/qa';
import type { Qa } from '../../qa';
import type { Clock } from '../../shared/clock';
import { HotlineError, notFound } from '../../shared/errors';
import { currentUser, parse, route } from '../middleware';

const DAY_MS = 86_400_000;

const idOf = (value: unknown) => parse(numericId, value);

/** docs/api-qa.md: scorecards, sampling, the review queue, evaluations and results. */
export function qaRoutes(deps: { qa: Qa; clock: Clock }) {
  const { scorecards, samples, evaluations } = deps.qa;
  const r = Router();

  r.get(
    '/qa/scorecards',
    // Every role: an agent reads the questions of their own evaluations (forms hold no secrets).
    route(async (_req, res) => {
      res.json({ scorecards: await scorecards.list() } satisfies z.output<
        typeof scorecardsListResponse
      >);
    }),
  );
  r.post(
    '/qa/scorecards',
    route(async (req, res) => {
      const body = parse(scorecardBody, req.body);
      const card: z.output<typeof scorecardSchema> = await scorecards.create(
        body,
        currentUser(req).id,
      );
      res.status(201).json(card);
    }),
  );

  r.post(
    '/qa/samples',
    route(async (req, res) => {
      const body = parse(sampleBody, req.body);
      const job: z.output<typeof sampleJobSchema> = await samples.create(body, currentUser(req).id);
      res.status(201).json(job);
    }),
  );
  r.get(
    '/qa/samples',
    route(async (_req, res) => {
      res.json({ samples: await samples.list() } satisfies z.output<typeof samplesListResponse>);
    }),
  );
  r.get(
    '/qa/samples/:id',
    route(async (req, res) => {
      const id = idOf(req.params.id);
      const job = await samples.get(id);
      if (!job) throw notFound('HOTLINE_QA_SAMPLE_NOT_FOUND', `sample ${id}`);
      res.json(job satisfies z.output<typeof sampleJobSchema>);
    }),
  );
  r.get(
    '/qa/queue',
    route(async (req, res) => {
      res.json({
        items: await samples.queue(currentUser(req).id),
      } satisfies z.output<typeof reviewQueueResponse>);
    }),
  );

  r.post(
    '/qa/evaluations',
    route(async (req, res) => {
      const body = parse(evaluationBody, req.body);
      const e: z.output<typeof evaluationSchema> = await evaluations.submit(body, currentUser(req));
      res.status(201).json(e);
    }),
  );
  r.get(
    '/qa/evaluations',
    route(async (req, res) => {
      const user = currentUser(req);
      const q = parse(evaluationsQuery, req.query);
      // An agent sees their own evaluations only, whatever agentId they ask for.
      const agentId = user.role === 'agent' ? user.id : q.agentId;
      res.json({
        evaluations: await evaluations.list({ ...q, agentId }),
      } satisfies z.output<typeof evaluationsListResponse>);
    }),
  );
  r.get(
    '/qa/evaluations/:id',
    route(async (req, res) => {
      const user = currentUser(req);
      const id = idOf(req.params.id);
      const e = await evaluations.get(id);
      if (!e) throw notFound('HOTLINE_EVALUATION_NOT_FOUND', `evaluation ${id}`);
      if (user.role === 'agent' && e.agentId !== user.id)
        throw new HotlineError('HOTLINE_FORBIDDEN', 'an agent sees their own evaluations only');
      res.json(e satisfies z.output<typeof evaluationSchema>);
    }),
  );
  r.post(
    '/qa/evaluations/:id/respond',
    route(async (req, res) => {
      const id = idOf(req.params.id);
      const body = parse(respondBody, req.body);
      const e: z.output<typeof evaluationSchema> = await evaluations.respond(
        id,
        currentUser(req),
        body.response,
        body.comment ?? null,
      );
      res.json(e);
    }),
  );

  r.get(
    '/qa/results',
    route(async (req, res) => {
      const q = parse(resultsQuery, req.query);
      const to = q.to ?? deps.clock.now();
      const from = q.from ?? to - 84 * DAY_MS; // twelve weeks
      if (from >= to) throw new HotlineError('HOTLINE_VALIDATION', 'from must be before to');
      res.json({
        agents: await evaluations.results(from, to),
      } satisfies z.output<typeof resultsResponse>);
    }),
  );
  return r;
}
