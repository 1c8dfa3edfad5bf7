import { Router } from 'express';
import type { z } from 'zod';
import {
  agentStateBody,
  type agentViewSchema,
  type agentsListResponse,
  type reducedAgentViewSchema,
} from '../../api/agents';
import type { AgentDirectory, AgentView } from '../../agents/agent-directory';
import { currentUser, parse, route } from '../middleware';

const view = (a: AgentView): z.output<typeof agentViewSchema> => ({
  userId: a.userId,
  name: a.name,
  extension: a.extension,
  state: a.state,
  reason: a.reason,
  since: new Date(a.since).toISOString(),
  activity: a.activity,
  callId: a.callId,
  connected: a.sockets > 0,
  wrapUpUntil: a.wrapUpUntil !== null ? new Date(a.wrapUpUntil).toISOString() : null,
});

/** What an agent may see of colleagues. */
const reducedView = (a: AgentView): z.output<typeof reducedAgentViewSchema> => ({
  userId: a.userId,
  name: a.name,
  extension: a.extension,
  state: a.state,
  activity: a.activity,
});

export function agentRoutes(deps: { agents: AgentDirectory }) {
  const r = Router();
  r.get('/agents/me', (req, res) => {
    const a = deps.agents.get(currentUser(req).id);
    res.json(a ? view(a) : null);
  });
  r.put(
    '/agents/me/state',
    route(async (req, res) => {
      const body = parse(agentStateBody, req.body);
      const a = await deps.agents.choose(currentUser(req).id, body.state, body.reason);
      res.json(view(a));
    }),
  );
  // Everyone: agents pick transfer targets from it, but see no reasons nor presence.
  r.get('/agents', (req, res) => {
    const { role } = currentUser(req);
    const all = deps.agents.all();
    res.json({
      agents: role === 'supervisor' || role === 'admin' ? all.map(view) : all.map(reducedView),
    } satisfies z.output<typeof agentsListResponse>);
  });
  return r;
}
