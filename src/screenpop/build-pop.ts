import type { CallsRepo } from '../calls/calls-repo';
import type { Customer } from '../customers/customers-repo';
import type { UsersRepo } from '../agents/users-repo';
import type { ComplaintsRepo } from '../complaints/complaints-repo';
import { isoOf } from '../shared/clock';
import type { PopCustomer, ScreenPop } from './agent-events';

const HISTORY_LIMIT = 10;

/** Gathers what the agent sees when the phone rings. Runs before the ring: its reads run side by side. */
export function createPopBuilder(deps: {
  calls: CallsRepo;
  users: UsersRepo;
  complaints?: ComplaintsRepo;
}) {
  const ownerName = new Map<number, string>();
  async function toPopCustomer(c: Customer): Promise<PopCustomer> {
    let owner: PopCustomer['owner'] = null;
    if (c.ownerUserId !== null) {
      let name = ownerName.get(c.ownerUserId);
      if (name === undefined) {
        name = (await deps.users.get(c.ownerUserId))?.name ?? '';
        ownerName.set(c.ownerUserId, name);
      }
      owner = { id: c.ownerUserId, name };
    }
    return { id: c.id, name: c.name, company: c.company, tier: c.tier, owner };
  }

  return async function buildPop(call: {
    id: string;
    direction: 'inbound' | 'outbound';
    callerNumber: string;
    callerE164: string | null;
    dialedNumber: string;
    customers: Customer[];
    queue: string | null;
    waitedMs: number;
    campaign?: ScreenPop['campaign'];
    contact?: ScreenPop['contact'];
    preview?: boolean;
  }): Promise<ScreenPop> {
    // The reads side by side: this runs before the agent's phone rings.
    const only = call.customers.length === 1 ? call.customers[0]! : null;
    const [candidates, rows, complaints] = await Promise.all([
      Promise.all(call.customers.map(toPopCustomer)),
      deps.calls.history(
        only ? { customerId: only.id } : { e164: call.callerE164 ?? undefined },
        HISTORY_LIMIT,
        call.id,
      ),
      only && deps.complaints
        ? deps.complaints.list({ customerId: only.id, status: 'open', limit: 20 })
        : Promise.resolve([]),
    ]);
    const customer = candidates.length === 1 ? candidates[0]! : null;
    return {
      callId: call.id,
      direction: call.direction,
      callerNumber: call.callerE164 ?? call.callerNumber,
      dialedNumber: call.dialedNumber,
      customer,
      candidates: candidates.length > 1 ? candidates : [],
      history: rows.map((r) => ({
        callId: r.id,
        startedAt: isoOf(Number(r.started_at))!,
        direction: r.direction === 'outbound' ? 'outbound' : 'inbound',
        outcome: r.outcome,
        agentName: r.agent_name,
        disposition: r.disposition,
        notes: r.notes,
        surveyScore: r.survey_score ?? null,
      })),
      openComplaints: complaints.map((c) => ({
        id: c.id,
        category: c.category,
        severity: c.severity,
        description: c.description,
        status: c.status,
        promisedReplyAt: c.promisedReplyAt,
        createdAt: c.createdAt,
      })),
      queue: call.queue,
      waitedMs: call.waitedMs,
      sentAt: new Date().toISOString(),
      ...(call.campaign ? { campaign: call.campaign } : {}),
      ...(call.contact ? { contact: call.contact } : {}),
      ...(call.preview ? { preview: true } : {}),
    };
  };
}

export type BuildPop = ReturnType<typeof createPopBuilder>;
