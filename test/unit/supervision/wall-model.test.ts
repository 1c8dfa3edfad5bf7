import fc from 'fast-check';
import type { AgentView } from '../../../src/agents/agent-directory';
import { applyWallDelta, sortWall, type WallDelta, type WallSnapshot } from '../../../src/api/wall';
import { newSession, type CallSession } from '../../../src/calls/call-session';
import { emptyCounts, type QueueCounts } from '../../../src/metrics/definitions';
import type { QueueInfo } from '../../../src/routing/queues';
import { silentLogger } from '../../../src/shared/logger';
import {
  createWallModel,
  type TodayFigures,
  type WallModel,
} from '../../../src/supervision/wall-model';
import { wallFor } from '../../../src/supervision/wall-privacy';

/**
 * The wall model from a sequence of engine facts, with the sources in hand: every step is a
 * change of a session or an agent as the engine makes it, then a flush. A client that applied
 * every delta since its snapshot holds exactly the model's snapshot at that seq.
 */
const T0 = Date.parse('2026-03-02T02:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

function queue(name: string, over: Partial<QueueInfo> = {}): QueueInfo {
  return {
    id: 1,
    name,
    ringTimeoutSec: 15,
    ownerFirstSec: 0,
    serviceLevelSec: 20,
    skills: new Set(),
    hours: [],
    timezone: 'Asia/Shanghai',
    callbackOfferAfterSec: null,
    members: new Set(),
    recording: 'always',
    survey: 'off',
    serviceLevelTargetPct: 80,
    maxWaitAlertSec: 60,
    ...over,
  };
}

function agent(userId: number, name: string, over: Partial<AgentView> = {}): AgentView {
  return {
    userId,
    name,
    extension: String(1000 + userId),
    state: 'offline',
    reason: null,
    since: T0 - 3_600_000,
    idleSince: T0 - 3_600_000,
    activity: 'idle',
    callId: null,
    sockets: 0,
    skills: new Set(),
    wrapUpUntil: null,
    ...over,
  };
}

let calls: CallSession[];
let agents: AgentView[];
let queues: QueueInfo[];
let today: TodayFigures;
let monitored: Set<string>;
let model: WallModel;
let now: number;
/** What a client holds: the first snapshot, then every delta applied. */
let client: WallSnapshot;
const deltas: WallDelta[] = [];

function call(id: string, q: QueueInfo, startedAt = now): CallSession {
  const s = newSession({
    id,
    callerChannelId: `${id}-ch`,
    callerRaw: '013812345678',
    callerE164: '+8613812345678',
    dialedNumber: '4000',
    queue: q,
    startedAt,
    log: silentLogger(),
  });
  calls.push(s);
  return s;
}

/** A flush at `now`; the client applies its delta (and must equal the snapshot). */
function flush() {
  const out = model.flush(now);
  if (out) {
    deltas.push(out.delta);
    expect(out.delta.seq).toBe(client.seq + 1);
    client = applyWallDelta(client, out.delta);
  }
  expect(client).toEqual(model.snapshot());
  return out;
}

const tile = (name: string) => model.snapshot().queues.find((q) => q.name === name)!;
const row = (id: string) => model.snapshot().calls.find((c) => c.callId === id);
const person = (id: number) => model.snapshot().agents.find((a) => a.userId === id)!;

beforeEach(() => {
  now = T0;
  calls = [];
  queues = [queue('general'), queue('vip', { members: new Set([2]) })];
  agents = [agent(1, 'Ann'), agent(2, 'Bob'), agent(3, 'No phone', { extension: null })];
  today = {
    day: { start: T0 - 36_000_000, end: T0 + 50_400_000, timezone: 'Asia/Shanghai' },
    queues: new Map(),
    agents: new Map(),
    surveys: new Map(),
  };
  monitored = new Set();
  model = createWallModel({
    calls: () => calls,
    agents: () => agents,
    queues: () => queues,
    serves: (q, a) => q.members.size === 0 || q.members.has(a.userId),
    today: () => today,
    monitored: (s) => monitored.has(s.id),
    shortAbandonSec: 5,
  });
  client = model.snapshot();
  deltas.length = 0;
});

describe('the wall model: snapshot and deltas from engine facts', () => {
  it('starts with every queue and every agent with a phone', () => {
    const first = flush()!;
    expect(first.delta.seq).toBe(1);
    expect(first.delta.queues?.map((q) => q.name)).toEqual(['general', 'vip']);
    expect(first.delta.agents?.map((a) => a.name)).toEqual(['Ann', 'Bob']);
    expect(tile('general')).toEqual({
      name: 'general',
      waiting: 0,
      longestWaitSince: null,
      agents: {
        available: 0,
        offered: 0,
        onCall: 0,
        wrapUp: 0,
        break: 0,
        offline: 2,
        breakReasons: {},
      },
      today: {
        answered: 0,
        answeredWithinThreshold: 0,
        abandoned: 0,
        abandonedShort: 0,
        serviceLevelPct: null,
        asaMs: null,
        satisfaction: { average: null, responses: 0, responseRate: null },
      },
      thresholds: {
        serviceLevelSec: 20,
        shortAbandonSec: 5,
        serviceLevelTargetPct: 80,
        maxWaitAlertSec: 60,
      },
      alerts: [],
    });
    expect(tile('vip').agents.offline).toBe(1); // Bob only: the queue's member
    // Nothing changed: no delta, the seq stays.
    expect(flush()).toBeNull();
    expect(model.seq).toBe(1);
  });

  it('follows a call from the queue to the agent, hold, recording pause and the end', () => {
    flush();
    // Ann becomes available, then a caller arrives and waits.
    Object.assign(agents[0]!, { state: 'available', since: (now += 1000) });
    let d = flush()!.delta;
    expect(d.agents).toEqual([
      expect.objectContaining({ userId: 1, state: 'available', since: iso(now) }),
    ]);
    expect(d.queues?.map((q) => q.name)).toEqual(['general']); // vip's agents did not change
    const s = call('c1', queues[0]!);
    s.state = 'queued';
    s.customers = [
      {
        id: 9,
        name: 'Wang Li',
        company: null,
        tier: 'vip',
        ownerUserId: null,
        notes: null,
      } as never,
    ];
    now += 20;
    d = flush()!.delta;
    expect(d.calls).toEqual([
      {
        callId: 'c1',
        direction: 'inbound',
        callerNumber: '+8613812345678',
        customer: { id: 9, name: 'Wang Li' },
        queue: 'general',
        agent: null,
        state: 'queued',
        startedAt: iso(s.startedAt),
        answeredAt: null,
        waitingSince: iso(s.startedAt),
        heldSince: null,
        recording: null,
        monitored: false,
      },
    ]);
    expect(tile('general')).toMatchObject({ waiting: 1, longestWaitSince: iso(s.startedAt) });

    // Offered to Ann: she is "offered", the call rings and still waits.
    now += 500;
    s.state = 'ringing';
    s.agentId = 1;
    Object.assign(agents[0]!, { activity: 'offered', callId: 'c1' });
    flush();
    expect(person(1)).toMatchObject({ state: 'offered', since: iso(now), callId: 'c1' });
    expect(row('c1')).toMatchObject({ state: 'ringing', agent: { id: 1, name: 'Ann' } });
    expect(tile('general')).toMatchObject({ waiting: 1, agents: { available: 0, offered: 1 } });

    // Answered: talking, recorded; the queue has nobody waiting.
    now += 4000;
    s.state = 'talking';
    s.answeredAt = now;
    s.recording = { id: 'r', name: 'r', paused: false, started: Promise.resolve() };
    Object.assign(agents[0]!, { activity: 'on-call' });
    flush();
    expect(row('c1')).toMatchObject({
      state: 'talking',
      answeredAt: iso(now),
      waitingSince: null,
      recording: 'on',
    });
    expect(tile('general')).toMatchObject({
      waiting: 0,
      longestWaitSince: null,
      agents: { onCall: 1 },
    });

    // Held, the recording paused, a supervisor listening.
    now += 10_000;
    const heldAt = now;
    s.state = 'held';
    s.recording.paused = true;
    monitored.add('c1');
    flush();
    expect(row('c1')).toMatchObject({
      heldSince: iso(heldAt),
      recording: 'paused',
      monitored: true,
    });
    now += 5000;
    expect(flush()).toBeNull(); // still held: the same heldSince, nothing to send
    s.state = 'talking';
    s.recording.paused = false;
    flush();
    expect(row('c1')).toMatchObject({ heldSince: null, recording: 'on' });

    // Ended: the call goes, Ann is in wrap-up; ids of what went, not the whole wall.
    now += 30_000;
    s.state = 'ended';
    Object.assign(agents[0]!, { activity: 'wrap-up', wrapUpUntil: now + 60_000 });
    d = flush()!.delta;
    expect(d.removed).toEqual({ calls: ['c1'] });
    expect(d.agents?.map((a) => [a.userId, a.state])).toEqual([[1, 'wrap-up']]);
    expect(d.calls).toBeUndefined();
    calls.length = 0; // and it leaves the registry
    expect(flush()).toBeNull();

    // Wrap-up over: available again, since the end of the wrap-up (not since the morning).
    now += 60_000;
    Object.assign(agents[0]!, { activity: 'idle', callId: null, wrapUpUntil: null });
    flush();
    expect(person(1)).toMatchObject({ state: 'available', since: iso(now) });
  });

  it('counts agents by state and break reason, per queue', () => {
    Object.assign(agents[0]!, { state: 'break', reason: 'lunch', since: now });
    Object.assign(agents[1]!, { state: 'break', reason: null, since: now });
    flush();
    expect(tile('general').agents).toMatchObject({
      break: 2,
      offline: 0,
      breakReasons: { lunch: 1, '': 1 },
    });
    expect(tile('vip').agents).toMatchObject({ break: 1, breakReasons: { '': 1 } });
    expect(person(1)).toMatchObject({ state: 'break', reason: 'lunch' });
  });

  it('restarts the wait of a caller a transfer put back in the queue', () => {
    const s = call('c2', queues[0]!, now - 90_000);
    s.state = 'talking';
    s.answeredAt = now - 80_000;
    flush();
    expect(row('c2')!.waitingSince).toBeNull();
    now += 1000;
    s.state = 'queued'; // blind transfer to the queue
    flush();
    expect(row('c2')!.waitingSince).toBe(iso(now));
    expect(tile('general').longestWaitSince).toBe(iso(now));
  });

  it('shows today’s figures and turns the tile red below the service-level target, alerting once', () => {
    flush();
    // 10 answered, 7 within; 4 abandoned, 2 short → 7 / 12 = 58.3 % < 80 %; ASA 150 s / 10.
    const general: QueueCounts = {
      answered: 10,
      answeredWithinThreshold: 7,
      answeredWaitMs: 150_000,
      abandoned: 4,
      abandonedShort: 2,
    };
    today = {
      ...today,
      queues: new Map([['general', general]]),
      agents: new Map([[1, { calls: 6, talkMs: 720_000 }]]),
    };
    const out = flush()!;
    expect(tile('general').today).toMatchObject({
      serviceLevelPct: 58.3,
      asaMs: 15_000,
      answered: 10,
    });
    expect(tile('general').alerts).toEqual(['service-level']);
    expect(out.alerts.map((a) => [a.kind, a.queue.name])).toEqual([['service-level', 'general']]);
    expect(person(1)).toMatchObject({ callsToday: 6, talkMsToday: 720_000 });
    // Still red at the next change: no second alert.
    today = { ...today, queues: new Map([['general', { ...general, answered: 11 }]]) };
    expect(flush()!.alerts).toEqual([]);
    // Back above the target, then below again: alerted again.
    today = {
      ...today,
      queues: new Map([['general', { ...emptyCounts(), answered: 5, answeredWithinThreshold: 5 }]]),
    };
    expect(flush()!.alerts).toEqual([]);
    expect(tile('general').alerts).toEqual([]);
    today = { ...today, queues: new Map([['general', general]]) };
    expect(flush()!.alerts).toHaveLength(1);
  });

  it('turns the tile red when a caller waits past the limit, with time alone', () => {
    const s = call('c3', queues[0]!);
    s.state = 'queued';
    flush();
    now += 60_000;
    expect(flush()).toBeNull(); // exactly the limit: not yet
    now += 1;
    const out = flush()!;
    expect(out.delta.queues?.[0]).toMatchObject({ name: 'general', alerts: ['longest-wait'] });
    expect(out.alerts.map((a) => a.kind)).toEqual(['longest-wait']);
    now += 1000;
    expect(flush()).toBeNull(); // still red, nothing new
    s.state = 'ended';
    expect(flush()!.delta.queues?.[0]?.alerts).toEqual([]);
  });

  it('removes a queue and an agent that went, and sends a new day', () => {
    flush();
    queues = [queues[0]!];
    agents = agents.filter((a) => a.userId !== 2);
    today = {
      ...today,
      day: { ...today.day, start: today.day.end, end: today.day.end + 86_400_000 },
    };
    const d = flush()!.delta;
    expect(d.removed).toEqual({ queues: ['vip'], agents: [2] });
    expect(d.day?.start).toBe(iso(today.day.start));
  });

  it('lets a client that missed a delta see the gap, and a resync makes it exact again', () => {
    flush();
    const s = call('c4', queues[0]!);
    s.state = 'queued';
    const missed = flush()!.delta;
    s.state = 'ringing';
    s.agentId = 2;
    Object.assign(agents[1]!, { activity: 'offered', callId: 'c4' });
    const next = model.flush((now += 100))!.delta;
    // A client at seq 1 gets seq 3: a gap. It asks for the snapshot and is exact.
    const stale = applyWallDelta(sortWall(client), { seq: 1, at: iso(now) });
    expect(next.seq).toBe(missed.seq + 1);
    expect(next.seq).not.toBe(stale.seq + 1);
    const resynced = model.snapshot();
    expect(resynced.seq).toBe(next.seq);
    expect(resynced.calls.map((c) => [c.callId, c.state])).toEqual([['c4', 'ringing']]);
    // …and a client that did get both deltas holds the same.
    expect(applyWallDelta(applyWallDelta(client, missed), next)).toEqual(resynced);
  });

  it('masks the caller for qa, not for supervisors and admins', () => {
    const s = call('c5', queues[0]!);
    s.state = 'queued';
    const d = flush()!.delta;
    expect(wallFor('supervisor', d).calls?.[0]?.callerNumber).toBe('+8613812345678');
    expect(wallFor('admin', model.snapshot()).calls[0]?.callerNumber).toBe('+8613812345678');
    expect(wallFor('qa', d).calls?.[0]?.callerNumber).toBe('+86 138****5678');
    expect(wallFor('qa', model.snapshot()).calls[0]?.callerNumber).toBe('+86 138****5678');
    // privacy.fullNumberRoles without supervisors: numbers on demand, masked on the wall too.
    expect(wallFor('supervisor', d, ['admin']).calls?.[0]?.callerNumber).toBe('+86 138****5678');
    expect(wallFor('admin', d, ['admin']).calls?.[0]?.callerNumber).toBe('+8613812345678');
    // The model's own copy is untouched.
    expect(model.snapshot().calls[0]?.callerNumber).toBe('+8613812345678');
  });
});

describe('the wall model under any sequence of facts (property)', () => {
  type Op =
    | { t: 'arrive'; q: number }
    | { t: 'offer'; call: number; agent: number }
    | { t: 'answer'; call: number }
    | { t: 'hold'; call: number }
    | { t: 'transfer'; call: number }
    | { t: 'end'; call: number }
    | { t: 'choose'; agent: number; state: 'available' | 'break' | 'offline' }
    | { t: 'time'; ms: number }
    | { t: 'today'; answered: number }
    | { t: 'lose' };
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ t: fc.constant('arrive' as const), q: fc.integer({ min: 0, max: 1 }) }),
    fc.record({
      t: fc.constant('offer' as const),
      call: fc.nat(5),
      agent: fc.integer({ min: 0, max: 1 }),
    }),
    fc.record({ t: fc.constant('answer' as const), call: fc.nat(5) }),
    fc.record({ t: fc.constant('hold' as const), call: fc.nat(5) }),
    fc.record({ t: fc.constant('transfer' as const), call: fc.nat(5) }),
    fc.record({ t: fc.constant('end' as const), call: fc.nat(5) }),
    fc.record({
      t: fc.constant('choose' as const),
      agent: fc.integer({ min: 0, max: 1 }),
      state: fc.constantFrom('available' as const, 'break' as const, 'offline' as const),
    }),
    fc.record({ t: fc.constant('time' as const), ms: fc.integer({ min: 1, max: 90_000 }) }),
    fc.record({ t: fc.constant('today' as const), answered: fc.nat(20) }),
    fc.constant({ t: 'lose' as const }),
  );

  it('a client applying the deltas it gets (and resyncing after a gap) always equals the snapshot', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        now = T0;
        calls = [];
        queues = [queue('general'), queue('vip', { members: new Set([2]) })];
        agents = [agent(1, 'Ann', { state: 'available' }), agent(2, 'Bob')];
        today = { ...today, queues: new Map(), agents: new Map() };
        model = createWallModel({
          calls: () => calls,
          agents: () => agents,
          queues: () => queues,
          serves: (q, a) => q.members.size === 0 || q.members.has(a.userId),
          today: () => today,
          monitored: () => false,
          shortAbandonSec: 5,
        });
        let mine = model.snapshot();
        let lose = false;
        let n = 0;
        for (const o of ops) {
          const live = calls.filter((c) => c.state !== 'ended');
          const s = 'call' in o ? live[o.call % Math.max(1, live.length)] : undefined;
          const a = 'agent' in o ? agents[o.agent]! : undefined;
          switch (o.t) {
            case 'arrive':
              call(`p${n++}`, queues[o.q]!).state = 'queued';
              break;
            case 'offer':
              if (s?.state === 'queued' && a!.activity === 'idle') {
                s.state = 'ringing';
                s.agentId = a!.userId;
                Object.assign(a!, { activity: 'offered', callId: s.id });
              }
              break;
            case 'answer':
              if (s?.state === 'ringing') {
                s.state = 'talking';
                s.answeredAt = now;
                Object.assign(
                  agents.find((x) => x.userId === s.agentId)!,
                  { activity: 'on-call' },
                );
              } else if (s?.state === 'held') s.state = 'talking';
              break;
            case 'hold':
              if (s?.state === 'talking') s.state = 'held';
              break;
            case 'transfer':
            case 'end':
              if (s && s.state !== 'new') {
                const was = agents.find((x) => x.userId === s.agentId);
                if (was) Object.assign(was, { activity: 'idle', callId: null });
                s.agentId = null;
                s.state = o.t === 'end' ? 'ended' : 'queued';
                if (o.t === 'end') calls = calls.filter((c) => c !== s);
              }
              break;
            case 'choose':
              Object.assign(a!, { state: o.state, since: now });
              break;
            case 'time':
              now += o.ms;
              break;
            case 'today':
              today = {
                ...today,
                queues: new Map([
                  ['general', { ...emptyCounts(), answered: o.answered + 1, abandoned: 2 }],
                ]),
              };
              break;
            case 'lose':
              lose = true;
              break;
          }
          const out = model.flush(now);
          if (!out) continue;
          if (lose) {
            lose = false; // this delta never arrives
            continue;
          }
          if (out.delta.seq !== mine.seq + 1)
            mine = model.snapshot(); // the gap: resync
          else mine = applyWallDelta(mine, out.delta);
          expect(mine).toEqual(model.snapshot());
        }
      }),
      { numRuns: 300 },
    );
  });
});
