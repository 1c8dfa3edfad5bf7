import { Router } from 'express';
import { z } from 'zod';
import type { Qa } from '../../qa';
import { evaluationBody, respondBody } from '../../qa/evaluations-repo';
import { sampleBody } from '../../qa/samples-repo';
import { scorecardBody } from '../../qa/scorecards';
import type { Clock } from '../../shared/clock';
import { HotlineError, notFound } from '../../shared/errors';
import { currentUser, parse, requireRole, route } from '../middleware';

export { evaluationBody, respondBody, sampleBody, scorecardBody };

const isoTime = z.iso.datetime({ offset: true }).transform((s) => Date.parse(s));
const DAY_MS = 86_400_000;

export const evaluationsQuery = z.object({
  agentId: z.coerce.number().int().positive().optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export const resultsQuery = z.object({ from: isoTime.optional(), to: isoTime.optional() });

const idOf = (value: unknown) => parse(z.coerce.number().int().positive(), value);

/** docs/api-qa.md: scorecards, sampling, the review queue, evaluations and results. */
export function qaRoutes(deps: { qa: Qa; clock: Clock }) {
  const { scorecards, samples, evaluations } = deps.qa;
  const r = Router();
  const reviewers = requireRole('qa', 'supervisor', 'admin');

  r.get(
    '/qa/scorecards',
    // Every role: an agent reads the questions of their own evaluations (forms hold no secrets).
    route(async (_req, res) => {
      res.json({ scorecards: await scorecards.list() });
    }),
  );
  r.post(
    '/qa/scorecards',
    requireRole('qa', 'admin'),
    route(async (req, res) => {
      const body = parse(scorecardBody, req.body);
      res.status(201).json(await scorecards.create(body, currentUser(req).id));
    }),
  );

  r.post(
    '/qa/samples',
    reviewers,
    route(async (req, res) => {
      const body = parse(sampleBody, req.body);
      res.status(201).json(await samples.create(body, currentUser(req).id));
    }),
  );
  r.get(
    '/qa/samples',
    reviewers,
    route(async (_req, res) => {
      res.json({ samples: await samples.list() });
    }),
  );
  r.get(
    '/qa/samples/:id',
    reviewers,
    route(async (req, res) => {
      const id = idOf(req.params.id);
      const job = await samples.get(id);
      if (!job) throw notFound('HOTLINE_QA_SAMPLE_NOT_FOUND', `sample ${id}`);
      res.json(job);
    }),
  );
  r.get(
    '/qa/queue',
    reviewers,
    route(async (req, res) => {
      res.json({ items: await samples.queue(currentUser(req).id) });
    }),
  );

  r.post(
    '/qa/evaluations',
    reviewers,
    route(async (req, res) => {
      const body = parse(evaluationBody, req.body);
      res.status(201).json(await evaluations.submit(body, currentUser(req)));
    }),
  );
  r.get(
    '/qa/evaluations',
    route(async (req, res) => {
      const user = currentUser(req);
      const q = parse(evaluationsQuery, req.query);
      // An agent sees their own evaluations only, whatever agentId they ask for.
      const agentId = user.role === 'agent' ? user.id : q.agentId;
      res.json({ evaluations: await evaluations.list({ ...q, agentId }) });
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
      res.json(e);
    }),
  );
  r.post(
    '/qa/evaluations/:id/respond',
    route(async (req, res) => {
      const id = idOf(req.params.id);
      const body = parse(respondBody, req.body);
      res.json(
        await evaluations.respond(id, currentUser(req), body.response, body.comment ?? null),
      );
    }),
  );

  r.get(
    '/qa/results',
    reviewers,
    route(async (req, res) => {
      const q = parse(resultsQuery, req.query);
      const to = q.to ?? deps.clock.now();
      const from = q.from ?? to - 84 * DAY_MS; // twelve weeks
      if (from >= to) throw new HotlineError('HOTLINE_VALIDATION', 'from must be before to');
      res.json({ agents: await evaluations.results(from, to) });
    }),
  );
  return r;
}
