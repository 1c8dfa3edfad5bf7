import fs from 'node:fs';
import path from 'node:path';
import type { Role } from '../../../src/agents/users-repo';
import type { HotlineFixture, RawRequest, RawResponse } from '../hotline-fixture';
import type { Principal } from './request-cases';
import { wav } from '../wav';

const PHONES = ['13800138000', '+8613800138000', '010-12345678', '+14155550100', '4000', '1'];

/** A 0.1 s silent WAV: enough for the audio route to stream and to serve ranges of. */

/**
 * The records a fuzz run works on: a user per role (and spare agents for the user routes to
 * change), customers, closed calls (one with a stored recording), a complaint, a campaign with
 * imported contacts, a do-not-call entry; the ids and field values that get a request past
 * validation; and tokens that stay valid (a case may revoke one: it is replaced).
 */
export async function fuzzWorld(fx: HotlineFixture) {
  const tokens = new Map<Principal, string>();
  const userIds: Record<string, number> = {};
  let generation = 0;
  async function become(role: Role) {
    const n = generation++;
    const u = await fx.user(`${role}-${n}`, role, role === 'agent' ? String(1100 + n) : null);
    tokens.set(role, u.token);
    userIds[role] = u.id;
  }
  for (const role of ['admin', 'supervisor', 'agent', 'qa'] as const) await become(role);
  tokens.set('forged', 'forged-token-that-no-session-has');
  const victims = [
    (await fx.user('victim-1', 'agent', '1002')).id,
    (await fx.user('victim-2', 'agent')).id,
  ];

  const asAdmin = (method: string, p: string, body?: unknown, type = 'application/json') =>
    fx.send({
      method,
      path: p,
      headers: { authorization: `Bearer ${tokens.get('admin')!}`, 'content-type': type },
      ...(body === undefined
        ? {}
        : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  const created = async (res: Promise<RawResponse>) => {
    const r = await res;
    if (r.status >= 300) throw new Error(`seeding: ${r.status} ${r.text}`);
    return r.body as { id: number };
  };

  const { hotline, config } = fx;
  const customers = [
    (await created(asAdmin('POST', '/api/customers', { name: 'Anna Li', phones: [PHONES[0]] }))).id,
    (await created(asAdmin('POST', '/api/customers', { name: 'Bo Wu', phones: ['+14155550100'] })))
      .id,
  ];
  const now = Date.now();
  const calls = ['call-1', 'call-2'];
  for (const [i, id] of calls.entries()) {
    await hotline.calls.open(
      {
        id,
        callerNumber: PHONES[0]!,
        callerE164: '+8613800138000',
        dialedNumber: '4000',
        channelId: `chan-${id}`,
      },
      {
        at: now - 60_000,
        data: { direction: 'inbound', queue: 'general', customerId: customers[0]! },
      },
    );
    await hotline.calls.commit(id, {
      type: 'answered',
      at: now - 50_000,
      agentId: i === 0 ? userIds.agent! : null,
    });
    await hotline.calls.commit(
      id,
      { type: 'ended', at: now - 10_000, data: { outcome: 'answered', endedBy: 'caller' } },
      { state: 'ended' },
    );
  }
  await hotline.recordings.create({
    id: 'rec-1',
    callId: 'call-1',
    asteriskName: 'rec-1',
    at: now,
  });
  fs.mkdirSync(config.recordingsDir, { recursive: true });
  fs.writeFileSync(path.join(config.recordingsDir, 'rec-1.wav'), wav(800));
  await hotline.recordings.update('rec-1', { status: 'stored', path: 'rec-1.wav' });

  const category = config.desktop.complaintCategories[0]!.code;
  await created(
    asAdmin('POST', '/api/complaints', {
      customerId: customers[0],
      category,
      severity: 'high',
      description: 'line dropped twice',
    }),
  );
  const campaign = (
    await created(
      asAdmin('POST', '/api/campaigns', {
        name: 'Spring',
        queue: 'general',
        mode: 'preview',
        hours: { from: '09:00', to: '18:00' },
        timezone: 'Asia/Shanghai',
        callerId: '+861012345678',
      }),
    )
  ).id;
  const mapping = encodeURIComponent(JSON.stringify({ phone: 'Mobile', firstName: 'Name' }));
  await asAdmin(
    'POST',
    `/api/campaigns/${campaign}/imports?mapping=${mapping}`,
    'Name,Mobile\nAnna,13800138000\nBo,13900139000\n',
    'text/csv',
  );
  await idleImports(fx);
  await asAdmin('POST', '/api/dnc', { phone: '13700137000' });

  const idsOf = async (table: string) =>
    (await hotline.db(table).select('id').limit(5)).map((r: { id: number | string }) =>
      String(r.id),
    );
  const known: Record<string, readonly string[]> = {
    users: victims.map(String),
    customers: customers.map(String),
    calls,
    recordings: ['rec-1'],
    tasks: await idsOf('tasks'),
    campaigns: [String(campaign)],
    contacts: await idsOf('campaign_contacts'),
    imports: await idsOf('list_imports'),
    qa: ['1', '2'],
    queues: ['general'],
  };
  const userPool = [...Object.values(userIds), ...victims];
  const hints: Record<string, readonly unknown[]> = {
    phone: PHONES,
    phones: PHONES.slice(0, 4),
    hours: ['mon-fri 08:00-18:00', 'mon-sun 00:00-24:00', 'sat 10:00-12:00'],
    members: userPool,
    reviewerIds: [userIds.admin, userIds.qa, userIds.supervisor],
    dids: ['4000', '+861012345678'],
    callerId: ['+861012345678', '4000'],
    timezone: ['Asia/Shanghai', 'UTC', 'Mars/Olympus'],
    queue: ['general', 'nope'],
    callId: calls,
    recordingId: ['rec-1'],
    customerId: customers,
    campaignId: [campaign, 'global'],
    userId: userPool,
    agentId: userPool,
    ownerUserId: userPool,
    assignedUserId: userPool,
    scorecardId: [1],
    disposition: config.desktop.dispositions.map((d) => d.code),
    category: config.desktop.complaintCategories.map((c) => c.code),
    reason: config.desktop.breakReasons.map((b) => b.code),
    mapping: [
      '{"phone":"Mobile"}',
      '{"phone":"Mobile","firstName":"Name"}',
      '{"phone":"Nope"}',
      '{',
      '[]',
    ],
    assignTo: ['{"column":"Agent"}', '{"column":""}'],
    from: ['09:00', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00+08:00'],
    to: ['18:00', '2026-12-31T00:00:00Z', '1970-01-01T00:00:00Z'],
  };

  return {
    tokens,
    hints: (name: string) => hints[name],
    ids: (routePath: string, param: string) =>
      param === 'id' || param === 'name' ? (known[routePath.split('/')[2] ?? ''] ?? []) : [],
    /** The request with the principal's token in the case's style (none: no header at all). */
    withToken(principal: Principal, auth: string, req: RawRequest): RawRequest {
      const token = tokens.get(principal);
      if (principal === 'none' || token === undefined) return req;
      return { ...req, headers: { ...req.headers, authorization: auth.replaceAll('{t}', token) } };
    },
    /** Replaces the tokens a batch revoked (logout, a deactivated or changed user). */
    async renewTokens(): Promise<Principal[]> {
      const renewed: Principal[] = [];
      for (const role of ['admin', 'supervisor', 'agent', 'qa'] as const) {
        const me = await fx.send({
          method: 'GET',
          path: '/api/users/me',
          headers: { authorization: `Bearer ${tokens.get(role)!}` },
        });
        if (me.status === 200 && (me.body as { role?: string }).role === role) continue;
        await become(role);
        renewed.push(role);
      }
      return renewed;
    },
  };
}

/** Waits until no list import is running (they go on after their 202). */
export async function idleImports(fx: HotlineFixture): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const running = await fx.hotline.db('list_imports').where({ status: 'running' }).first('id');
    if (!running) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('list imports still running after 5 s');
}

export type FuzzWorld = Awaited<ReturnType<typeof fuzzWorld>>;
