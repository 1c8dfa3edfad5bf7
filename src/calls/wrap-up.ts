import type { AgentDirectory } from '../agents/agent-directory';
import { isManager } from '../api/auth';
import type { User } from '../agents/users-repo';
import type { TasksRepo } from '../complaints/tasks-repo';
import type { Clock } from '../shared/clock';
import { HotlineError } from '../shared/errors';
import type { CallsRepo } from './calls-repo';
import type { CustomersRepo } from '../customers/customers-repo';
import type { PopCampaign } from '../screenpop/agent-events';

type CampaignDisposition = PopCampaign['dispositions'][number];

/**
 * After the call: disposition, notes, an optional follow-up task ("time, reason, handler,
 * result", 002). Saving it ends the agent's after-call work. Only a supervisor or admin may wrap
 * up any call; anyone else (agents; qa never gets here) only a call they answered.
 */
export function createWrapUp(deps: {
  calls: CallsRepo;
  customers: Pick<CustomersRepo, 'get'>;
  tasks: TasksRepo;
  agents: AgentDirectory;
  clock: Clock;
  dispositions: ReadonlyArray<{ code: string }>;
  /** Campaign calls: the campaign's own dispositions, and what one means for the contact. */
  campaign?: {
    dispositions(campaignId: number): Promise<ReadonlyArray<CampaignDisposition> | null>;
    applied(o: {
      campaignId: number;
      contactId: number;
      disposition: CampaignDisposition;
      callbackAt: number | null;
      userId: number;
    }): Promise<void>;
  };
}) {
  return async function wrapUp(
    callId: string,
    user: User,
    body: {
      disposition: string;
      notes?: string | null;
      customerId?: number | null;
      followUp?: { dueAt: number; note?: string | null } | null;
      /** Campaign calls: when to call back (a disposition with `callback`). */
      callbackAt?: number | null;
    },
  ): Promise<void> {
    const call = await deps.calls.find(callId);
    const answeredBy = call
      ? (await deps.calls.events(callId)).filter((e) => e.type === 'answered').map((e) => e.agentId)
      : [];
    if (!call || (!isManager(user.role) && !answeredBy.includes(user.id))) {
      throw new HotlineError('HOTLINE_CALL_NOT_FOUND', `call ${callId} not found`);
    }
    const campaignId = call.campaignId;
    const campaignList =
      campaignId !== null && deps.campaign ? await deps.campaign.dispositions(campaignId) : null;
    const chosen = campaignList?.find((d) => d.code === body.disposition) ?? null;
    if (campaignList ? !chosen : !deps.dispositions.some((d) => d.code === body.disposition)) {
      throw new HotlineError(
        'HOTLINE_VALIDATION',
        `disposition: unknown disposition "${body.disposition}"`,
        {
          path: 'disposition',
        },
      );
    }
    const now = deps.clock.now();
    if (body.followUp && body.followUp.dueAt < now - 60_000) {
      throw new HotlineError('HOTLINE_VALIDATION', 'followUp.dueAt: must not be in the past');
    }
    if (chosen?.callback && (!body.callbackAt || body.callbackAt < now - 60_000))
      throw new HotlineError(
        'HOTLINE_VALIDATION',
        'callbackAt: a call-back disposition needs a time that is not in the past',
      );
    // An unmatched caller the agent identified (picked among several, or created): link them.
    const customerId = body.customerId ?? null;
    if (customerId !== null && !(await deps.customers.get(customerId)))
      throw new HotlineError('HOTLINE_VALIDATION', `customerId: no customer ${customerId}`);
    const linkCustomer = customerId !== null && call.customerId === null;
    // The record's disposition, wrap-up time and linked customer are the event's projection;
    // the notes (free text) stay off the timeline.
    await deps.calls.commit(
      callId,
      {
        type: 'wrap-up',
        at: now,
        agentId: user.id,
        data: {
          disposition: body.disposition,
          followUp: Boolean(body.followUp),
          ...(linkCustomer ? { customerId } : {}),
        },
      },
      { notes: body.notes ?? null },
    );
    if (body.followUp) {
      await deps.tasks.create({
        kind: 'follow-up',
        customerId: linkCustomer ? customerId : call.customerId,
        phone: call.callerE164,
        callId,
        queue: call.queue,
        assignedUserId: user.id,
        dueAt: body.followUp.dueAt,
        note: body.followUp.note ?? null,
        now,
      });
    }
    if (chosen && campaignId !== null && call.contactId !== null && deps.campaign)
      await deps.campaign.applied({
        campaignId,
        contactId: call.contactId,
        disposition: chosen,
        callbackAt: chosen.callback ? (body.callbackAt ?? null) : null,
        userId: user.id,
      });
    deps.agents.endWrapUp(user.id, callId);
  };
}

export type WrapUp = ReturnType<typeof createWrapUp>;
