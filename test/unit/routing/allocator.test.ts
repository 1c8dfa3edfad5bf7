/**
 * The agent allocator (src/routing/allocator.ts): who may take a call, whom it prefers, that a
 * claim reserves in the same tick, and the order a freed agent is offered in. A real agent
 * directory and queues on an in-memory database; calls are sessions in a real registry. The last
 * block runs the rule through the engine on a fake ARI (a waiting caller before a due call-back).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createAgentDirectory, type AgentDirectory } from '../../../src/agents/agent-directory';
import { createCallRegistry, type CallRegistry } from '../../../src/calls/call-registry';
import { newSession, type CallSession } from '../../../src/calls/call-session';
import { createDb, migrate, type Db } from '../../../src/db';
import { createAllocator, type Allocator, type Turn } from '../../../src/routing/allocator';
import { createDispatcher } from '../../../src/routing/dispatcher';
import { createQueues, type QueueInfo, type Queues } from '../../../src/routing/queues';
import { systemClock } from '../../../src/shared/clock';
import { silentLogger } from '../../../src/shared/logger';
import { engineFixture, useEngineFakeTimers } from '../../support/engine-fixture';

let db: Db;
let agents: AgentDirectory;
let queues: Queues;
let registry: CallRegistry;
let allocator: Allocator;
let now: number;

beforeEach(async () => {
  db = createDb('sqlite::memory:');
  await migrate(db);
  agents = createAgentDirectory({ db, clock: systemClock });
  queues = createQueues({
    db,
    clock: systemClock,
    defaultQueue: 'general',
    defaultRingTimeoutSec: 15,
  });
  await queues.sync([
    { name: 'general', dids: ['4000'] },
    { name: 'sales', dids: ['5000'] },
  ]);
  registry = createCallRegistry();
  now = 1_000_000;
  allocator = createAllocator({ agents, queues, registry, now: () => now });
});
afterEach(async () => {
  agents.stop();
  await db.destroy();
});

const general = () => queues.get('general')!;
const sales = () => queues.get('sales')!;

/** An agent with a phone, free since `idleSince` (lower = longer idle), in `state`. */
async function agent(
  id: number,
  idleSince: number,
  state: 'available' | 'break' | 'offline' = 'available',
) {
  const user = { id, name: `agent-${id}`, extension: String(1000 + id) };
  // The user row (agent_states refers to it); no password needed here.
  await db('users').insert({
    ...user,
    username: user.name,
    role: 'agent',
    password_hash: '-',
    created_at: 0,
  });
  agents.upsertUser(user);
  await agents.setState(id, state);
  agents.get(id)!.idleSince = idleSince;
  return id;
}

/** A caller waiting in `queue` since `startedAt` (priority 1: VIP). */
function queued(id: string, queue: QueueInfo, startedAt: number, priority = 0): CallSession {
  const s = newSession({
    id,
    callerChannelId: `${id}-ch`,
    callerRaw: '13900000000',
    callerE164: '+8613900000000',
    dialedNumber: '4000',
    queue,
    startedAt,
    log: silentLogger(),
  });
  s.state = 'queued';
  s.priority = priority;
  registry.add(s);
  return s;
}

/** Another call takes the agent (reserved, then talking). */
function busy(id: number, callId = `busy-${id}`) {
  expect(allocator.claimAgent(id, callId)).not.toBeNull();
  agents.onCall(id, callId);
}

describe('claim: who takes the call', () => {
  it('the longest-idle free agent of the queue (ties: lower id), reserved for the call', async () => {
    await agent(1, 300);
    await agent(2, 100);
    await agent(3, 100);
    const a = allocator.claim({ callId: 'c1', queue: general() });
    expect(a?.userId).toBe(2);
    // Reserved in the same tick: the directory's own agent says so.
    expect(agents.get(2)).toMatchObject({ activity: 'offered', callId: 'c1' });
    expect(a).toBe(agents.get(2));
  });

  it('the account owner first when free, even if others waited longer', async () => {
    await agent(1, 100);
    await agent(2, 900);
    expect(allocator.claim({ callId: 'c1', queue: general(), ownerUserId: 2 })?.userId).toBe(2);
  });

  it('during the owner-first window, only the available owner: nobody while they are busy', async () => {
    await agent(1, 100);
    await agent(2, 900);
    busy(2);
    const req = { callId: 'c1', queue: general(), ownerWindow: { userId: 2, until: now + 10_000 } };
    expect(allocator.claim(req)).toBeNull();
    expect(agents.get(1)!.activity).toBe('idle');
    // The window is over: the rest of the queue may take the call.
    now += 10_000;
    expect(allocator.claim(req)?.userId).toBe(1);
  });

  it('an owner on break does not hold the call up during the window', async () => {
    await agent(1, 100);
    await agent(2, 900, 'break');
    const w = { userId: 2, until: now + 10_000 };
    expect(allocator.claim({ callId: 'c1', queue: general(), ownerWindow: w })?.userId).toBe(1);
  });

  it('only agents who serve the queue: members and skills', async () => {
    await agent(1, 100);
    await agent(2, 200);
    await agent(3, 300);
    await queues.update('sales', { members: [2, 3] });
    agents.setSkills(3, ['cantonese']);
    await queues.update('general', { skills: ['cantonese'] });
    expect(allocator.claim({ callId: 'c1', queue: sales() })?.userId).toBe(2);
    expect(allocator.claim({ callId: 'c2', queue: general() })?.userId).toBe(3);
    expect(allocator.claim({ callId: 'c3', queue: general() })).toBeNull();
  });

  it('`allowed`, `targetAgentId` and `exclude` narrow who may take it', async () => {
    await agent(1, 100);
    await agent(2, 200);
    await agent(3, 300);
    expect(allocator.claim({ callId: 'c1', queue: general(), allowed: new Set([3]) })?.userId).toBe(
      3,
    );
    expect(allocator.claim({ callId: 'c2', queue: general(), targetAgentId: 3 })).toBeNull();
    expect(allocator.claim({ callId: 'c2', queue: general(), exclude: new Set([1]) })?.userId).toBe(
      2,
    );
  });

  it('never an agent on break, offline, without a phone, in wrap-up or already offered', async () => {
    await agent(1, 100, 'break');
    await agent(2, 100, 'offline');
    await agent(3, 100);
    agents.upsertUser({ id: 3, name: 'agent-3', extension: null });
    await agent(4, 100);
    busy(4);
    await agents.release(4, 'busy-4', true, 60_000); // after-call work
    await agent(5, 100);
    allocator.claimAgent(5, 'other');
    expect(allocator.claim({ callId: 'c1', queue: general() })).toBeNull();
  });

  it('two calls never get the same agent', async () => {
    await agent(1, 100);
    await agent(2, 200);
    const first = allocator.claim({ callId: 'c1', queue: general() });
    const second = allocator.claim({ callId: 'c2', queue: general() });
    expect([first?.userId, second?.userId]).toEqual([1, 2]);
    expect(allocator.claim({ callId: 'c3', queue: general() })).toBeNull();
    expect(allocator.claimAgent(1, 'c3')).toBeNull();
    expect(agents.get(1)!.callId).toBe('c1');
  });

  it('a call-back (behindCallers) gets nobody while a caller waits in its queue', async () => {
    await agent(1, 100);
    const caller = queued('in-1', general(), 0);
    expect(allocator.claim({ callId: 'cb', queue: general(), behindCallers: true })).toBeNull();
    expect(agents.get(1)!.activity).toBe('idle');
    // A caller waiting in another queue does not hold it up.
    expect(allocator.claim({ callId: 'cb', queue: sales(), behindCallers: true })?.userId).toBe(1);
    agents.endWrapUp(1, 'cb');
    caller.state = 'ringing'; // offered to someone: no longer waiting
    expect(allocator.claim({ callId: 'cb', queue: general(), behindCallers: true })?.userId).toBe(
      1,
    );
  });
});

describe('claimAgent: a named agent', () => {
  it('reserves an available, idle agent and returns them', async () => {
    await agent(1, 100);
    expect(allocator.claimAgent(1, 'c1')).toBe(agents.get(1));
    expect(agents.get(1)).toMatchObject({ activity: 'offered', callId: 'c1' });
  });

  it('fails if the agent went busy, on break, or is unknown', async () => {
    await agent(1, 100);
    await agent(2, 100, 'break');
    busy(1);
    expect(allocator.claimAgent(1, 'c1')).toBeNull();
    expect(agents.get(1)).toMatchObject({ activity: 'on-call', callId: 'busy-1' });
    expect(allocator.claimAgent(2, 'c1')).toBeNull();
    expect(allocator.claimAgent(99, 'c1')).toBeNull();
  });
});

describe('the pool', () => {
  it('free() lists the free agents of the pool without reserving them', async () => {
    await agent(1, 100);
    await agent(2, 200);
    await agent(3, 300, 'break');
    const free = allocator.free({ queue: general(), allowed: new Set([1, 2, 3]) });
    expect(free.map((a) => a.userId)).toEqual([1, 2]);
    expect(agents.get(1)!.activity).toBe('idle');
    allocator.claimAgent(1, 'c1');
    expect(allocator.free({ queue: general() }).map((a) => a.userId)).toEqual([2]);
  });

  it('anyoneLoggedIn: an agent on break or busy counts, offline or without a phone does not', async () => {
    await agent(1, 100, 'offline');
    expect(allocator.anyoneLoggedIn({ queue: general() })).toBe(false);
    await agent(2, 100, 'break');
    expect(allocator.anyoneLoggedIn({ queue: general() })).toBe(true);
    expect(allocator.anyoneLoggedIn({ queue: general(), allowed: new Set([1]) })).toBe(false);
  });
});

describe('who gets a freed agent', () => {
  it('runs the turns in order: callers, call-backs, campaigns (whatever order they were set in)', () => {
    const ran: Turn[] = [];
    allocator.turn('campaigns', () => ran.push('campaigns'));
    allocator.turn('callers', () => ran.push('callers'));
    allocator.freed(); // no call-back turn yet: skipped
    allocator.turn('callbacks', () => ran.push('callbacks'));
    allocator.freed();
    expect(ran).toEqual(['callers', 'campaigns', 'callers', 'callbacks', 'campaigns']);
  });

  /** The three turns as the engine wires them; one call-back due, and a campaign taking anyone. */
  function wire() {
    const offered: Array<[string, number]> = [];
    const dispatch = createDispatcher({
      registry,
      allocator,
      offer: (s, a) => {
        s.state = 'ringing';
        offered.push([s.id, a.userId]);
        return Promise.resolve();
      },
      noAgents: () => Promise.resolve(),
    });
    const claimed = (who: string, a: { userId: number } | null) => {
      if (a) offered.push([who, a.userId]);
    };
    allocator.turn('callers', dispatch);
    let callbacksDue = 1;
    allocator.turn('callbacks', () => {
      if (!callbacksDue) return;
      const a = allocator.claim({ callId: 'cb', queue: general(), behindCallers: true });
      if (a) callbacksDue -= 1;
      claimed('callback', a);
    });
    allocator.turn('campaigns', () => {
      const [a] = allocator.free({ queue: general() });
      if (a) claimed('campaign', allocator.claimAgent(a.userId, 'ob'));
    });
    return offered;
  }

  it('a waiting caller first: VIP first, then the longest waiting; then call-backs; then campaigns', async () => {
    const offered = wire();
    queued('std-old', general(), 10);
    queued('std-new', general(), 20);
    queued('vip', general(), 30, 1);
    for (const [id, free] of [
      [1, 'vip'],
      [2, 'std-old'],
      [3, 'std-new'],
      [4, 'callback'],
      [5, 'campaign'],
    ] as const) {
      await agent(id, 100);
      allocator.freed();
      expect(offered.at(-1)).toEqual([free, id]);
    }
    expect(offered).toHaveLength(5);
  });

  it('the owner-first window holds the caller for a busy owner; the call-back still waits behind it', async () => {
    const offered = wire();
    await agent(1, 100);
    busy(1);
    const s = queued('owned', general(), 10);
    s.ownerUserId = 1;
    s.reservedFor = { userId: 1, until: now + 10_000 };
    await agent(2, 100);
    allocator.freed();
    // Nobody for the caller (waiting for the owner), and the call-back yields to the caller:
    // the campaign turn gets agent 2.
    expect(offered).toEqual([['campaign', 2]]);
    await agents.release(1, 'busy-1', false); // the owner is free within the window
    allocator.freed();
    expect(offered.at(-1)).toEqual(['owned', 1]);
  });
});

describe('the rule through the engine (fake ARI)', () => {
  let fx: Awaited<ReturnType<typeof engineFixture>>;
  beforeEach(async () => {
    useEngineFakeTimers();
    fx = await engineFixture({ telephony: { wrapUpSec: 0 } });
  });
  afterEach(async () => {
    await fx.close();
    jest.useRealTimers();
  });

  it('a freed agent goes to the waiting caller, not to the due call-back of the same queue; then to the call-back', async () => {
    const ann = await fx.agent('ann', '1001', 'break');
    fx.ari.connectFirst(); // the call-back poller starts
    await fx.tasks.create({
      kind: 'callback',
      customerId: null,
      phone: '+8613800001111',
      queue: 'general',
      assignedUserId: null,
      dueAt: Date.now(),
      now: Date.now(),
    });
    fx.ari.inbound('caller-1', '13900000001');
    await fx.settle();
    const callId = await fx.lastCallId();
    await fx.agents.setState(ann.id, 'available');
    const ring = await fx.until(() => fx.ari.originates()[0], 'Ann rung');
    expect(ring.appArgs).toBe(`agent,${callId}`);
    await fx.advance(6_000); // a call-back poll: Ann is taken, and the caller comes first anyway
    expect(fx.ari.originates().filter((o) => o.appArgs?.startsWith('callback,'))).toHaveLength(0);

    // The caller hangs up while Ann's phone rings: she is free, nobody waits: the call-back.
    fx.ari.hangupFromFar('caller-1');
    await fx.ended(callId);
    const cb = await fx.until(
      () => fx.ari.originates().find((o) => o.appArgs?.startsWith('callback,')),
      'call-back rung',
    );
    expect(cb.endpoint).toBe('PJSIP/1001');
    expect(fx.agents.get(ann.id)).toMatchObject({ activity: 'offered' });
  });
});

describe('one allocator', () => {
  it('nothing in src/ but the allocator reserves agents, chooses one or reads who is free', () => {
    const src = path.resolve(__dirname, '../../../src');
    const files = (fs.readdirSync(src, { recursive: true }) as string[]).filter((f) =>
      f.endsWith('.ts'),
    );
    const using = (re: RegExp) =>
      files.filter((f) => re.test(fs.readFileSync(path.join(src, f), 'utf8'))).sort();
    const allocator = path.join('routing', 'allocator.ts');
    expect(using(/\.reserve\(/)).toEqual([allocator]);
    expect(using(/\bchooseAgent\(/)).toEqual([allocator]);
    expect(using(/(?<![.\w])(isFree|anyoneLoggedIn)\(/)).toEqual([
      allocator,
      path.join('routing', 'choose-agent.ts'),
    ]);
  });
});
