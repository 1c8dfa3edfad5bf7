import type { Db } from '../../../src/db';

let seq = 0;

/** A finished call as the engine writes it, inserted directly. */
export async function insertCall(
  db: Db,
  c: {
    id?: string;
    agentId: number | null;
    startedAt: number;
    queue?: string;
    direction?: 'inbound' | 'outbound';
    talkMs?: number;
    outcome?: string;
    legalHold?: boolean;
    /** The caller's satisfaction score (1-5). */
    surveyScore?: number | null;
  },
): Promise<string> {
  const id = c.id ?? `call-${String(++seq).padStart(5, '0')}`;
  await db('calls').insert({
    id,
    direction: c.direction ?? 'inbound',
    caller_number: '13812345678',
    dialed_number: '4000',
    agent_id: c.agentId,
    queue: c.queue ?? 'support',
    state: 'ended',
    started_at: c.startedAt,
    answered_at: c.startedAt + 5000,
    ended_at: c.startedAt + 5000 + (c.talkMs ?? 120_000),
    talk_ms: c.talkMs ?? 120_000,
    outcome: c.outcome ?? 'answered',
    legal_hold: c.legalHold ?? false,
    survey_score: c.surveyScore ?? null,
    survey_at: c.surveyScore != null ? c.startedAt + 130_000 : null,
  });
  return id;
}

export async function insertRecording(
  db: Db,
  r: {
    id?: string;
    callId: string;
    createdAt: number;
    status?: string;
    path?: string | null;
    durationMs?: number;
  },
): Promise<string> {
  const id = r.id ?? `rec-${String(++seq).padStart(5, '0')}`;
  await db('recordings').insert({
    id,
    call_id: r.callId,
    asterisk_name: `ast-${id}`,
    status: r.status ?? 'stored',
    path: r.path === undefined ? `2026/11/24/${id}.wav` : r.path,
    duration_ms: r.durationMs ?? 110_000,
    started_at: r.createdAt,
    ended_at: r.createdAt + 110_000,
    created_at: r.createdAt,
  });
  return id;
}

export async function insertUser(db: Db, username: string, role: string): Promise<number> {
  const [row] = await db('users')
    .insert({ username, name: `${username} name`, role, password_hash: 'x', created_at: 0 })
    .returning<Array<{ id: number }>>('id');
  return row!.id;
}

export async function insertComplaint(db: Db, callId: string): Promise<void> {
  let customer = await db('customers').first<{ id: number } | undefined>('id');
  if (!customer) {
    const [row] = await db('customers')
      .insert({ name: 'Zhang Wei', created_at: 0, updated_at: 0 })
      .returning<Array<{ id: number }>>('id');
    customer = row!;
  }
  await db('complaints').insert({
    customer_id: customer.id,
    call_id: callId,
    category: 'service',
    severity: 'medium',
    description: 'rude agent',
    status: 'open',
    created_at: 0,
  });
}
