import { z } from 'zod';
import { components, isoString } from './common';

export const AGENT_STATES = ['available', 'break', 'offline'] as const;
export const agentStateSchema = z.enum(AGENT_STATES);
export type AgentStateName = z.infer<typeof agentStateSchema>;
export const activitySchema = z.enum(['idle', 'offered', 'on-call', 'wrap-up']);
export type Activity = z.infer<typeof activitySchema>;

/** PUT /api/agents/me/state. */
export const agentStateBody = z.object({
  state: agentStateSchema,
  reason: z.string().trim().max(64).nullish(),
});

/** An agent's state as supervisors (and the agent themself) see it. */
export const agentViewSchema = z
  .object({
    userId: z.number().int(),
    name: z.string(),
    extension: z.string().nullable(),
    state: agentStateSchema,
    reason: z.string().nullable(),
    since: isoString,
    activity: activitySchema,
    callId: z.string().nullable(),
    connected: z.boolean(),
    wrapUpUntil: isoString.nullable(),
  })
  .register(components, { id: 'AgentView' });
export type AgentView = z.infer<typeof agentViewSchema>;

/** What an agent may see of colleagues (transfer targets): no reasons nor presence. */
export const reducedAgentViewSchema = agentViewSchema.pick({
  userId: true,
  name: true,
  extension: true,
  state: true,
  activity: true,
});

/** GET /api/agents/me: null when the user is not in the agent directory. */
export const myAgentResponse = agentViewSchema.nullable();
export const agentsListResponse = z.object({
  agents: z.array(z.union([agentViewSchema, reducedAgentViewSchema])),
});
