import { createDb, migrate, type Db } from '../../../src/db';
import type { CampaignInput } from '../../../src/outbound/campaigns/campaign-schema';
import { campaignBody } from '../../../src/outbound/campaigns/campaign-schema';

/** A fresh in-memory SQLite database through the real migrations. */
export async function outboundDb(): Promise<Db> {
  const db = createDb('sqlite::memory:');
  await migrate(db);
  return db;
}

let seq = 0;

/** A user row, inserted directly (the foreign keys of contacts and joins need one). */
export async function insertUser(db: Db, role = 'agent'): Promise<number> {
  const username = `user-${++seq}`;
  const [row] = await db('users')
    .insert({ username, name: username, role, password_hash: 'x', created_at: 0 })
    .returning<Array<{ id: number }>>('id');
  return row!.id;
}

/** A campaign body as POST /api/campaigns would parse it (defaults filled in). */
export function campaignInput(o: Record<string, unknown> = {}): CampaignInput {
  return campaignBody.parse({
    name: `campaign ${++seq}`,
    queue: 'sales',
    mode: 'progressive',
    hours: { from: '00:00', to: '24:00' },
    timezone: 'UTC',
    callerId: '+861088880000',
    ...o,
  });
}

/** A contact row as an import leaves it, inserted directly. */
export async function insertContact(
  db: Db,
  c: {
    campaignId: number;
    phone?: string;
    status?: string;
    attempts?: number;
    nextAttemptAt?: number | null;
    assignedUserId?: number | null;
    callbackAt?: number | null;
    callbackUserId?: number | null;
    timezone?: string | null;
    fields?: Record<string, unknown>;
    createdAt?: number;
  },
): Promise<number> {
  const [row] = await db('campaign_contacts')
    .insert({
      campaign_id: c.campaignId,
      phone: c.phone ?? `+861380000${String(++seq).padStart(4, '0')}`,
      region: 'CN',
      timezone: c.timezone ?? null,
      fields: JSON.stringify(c.fields ?? { firstName: 'Li' }),
      assigned_user_id: c.assignedUserId ?? null,
      status: c.status ?? 'new',
      attempts: c.attempts ?? 0,
      next_attempt_at: c.nextAttemptAt ?? null,
      callback_at: c.callbackAt ?? null,
      callback_user_id: c.callbackUserId ?? null,
      created_at: c.createdAt ?? 0,
      updated_at: c.createdAt ?? 0,
    })
    .returning<Array<{ id: number }>>('id');
  return row!.id;
}

export async function contactRow(db: Db, id: number) {
  return db('campaign_contacts').where({ id }).first<{
    status: string;
    attempts: number;
    next_attempt_at: number | null;
    last_outcome: string | null;
    last_disposition: string | null;
    callback_at: number | null;
    callback_user_id: number | null;
    claimed_at: number | null;
  }>();
}

/** An attempt row, inserted directly (stats and pacing read them). */
export async function insertAttempt(
  db: Db,
  a: { campaignId: number; contactId: number; outcome: string; at: number; talkMs?: number },
): Promise<void> {
  await db('outbound_attempts').insert({
    campaign_id: a.campaignId,
    contact_id: a.contactId,
    outcome: a.outcome,
    at: a.at,
    talk_ms: a.talkMs ?? 0,
  });
}
