import { io as connect, type Socket } from 'socket.io-client';
import { applyWallDelta, type WallDelta, type WallSnapshot } from '../../../src/api/wall';
import type { SupervisorAlert } from '../../../src/screenpop/agent-events';
import { waitFor } from '../../support/engine-fixture';
import { asAri, fakeAri, type FakeAri } from '../../support/fake-ari';
import { hotlineFixture, type HotlineFixture } from '../../support/hotline-fixture';

/**
 * The wall over socket.io, the whole service in-process (createHotline) with the fake ARI driving
 * the real engine: who gets the wall (supervisor, admin, qa with masked numbers; agents nothing),
 * deltas after engine facts, a client applying them equal to a fresh snapshot, after a reconnect
 * too, and the threshold alert raised once to supervisors and admins.
 */
jest.setTimeout(20_000);

let fx: HotlineFixture;
let ari: FakeAri;
const sockets: Socket[] = [];
type U = Awaited<ReturnType<HotlineFixture['user']>>;
let sup: U;
let qa: U;
let admin: U;
let agent: U;

/** A browser: its wall as it applies what it is sent, and everything else it got. */
interface Wall {
  socket: Socket;
  state: WallSnapshot | null;
  snapshots: number;
  deltas: WallDelta[];
  gaps: number;
  alerts: SupervisorAlert[];
}

function browser(token: string): Promise<Wall> {
  const socket = connect(fx.url, { auth: { token }, transports: ['websocket'], forceNew: true });
  sockets.push(socket);
  const w: Wall = { socket, state: null, snapshots: 0, deltas: [], gaps: 0, alerts: [] };
  socket.on('wall:snapshot', (s: WallSnapshot) => {
    w.state = s;
    w.snapshots += 1;
  });
  socket.on('wall:delta', (d: WallDelta) => {
    w.deltas.push(d);
    if (!w.state || d.seq <= w.state.seq) return;
    if (d.seq !== w.state.seq + 1) {
      w.gaps += 1;
      socket.emit('wall:resync');
      return;
    }
    w.state = applyWallDelta(w.state, d);
  });
  socket.on('supervisor:alert', (a: SupervisorAlert) => w.alerts.push(a));
  return waitFor(() => socket.connected, 5000, 'socket connected').then(() => w);
}

const api = (token: string, path: string) =>
  fx.send({ method: 'GET', path, headers: { authorization: `Bearer ${token}` } });

const callOf = (w: Wall, id: string) => w.state?.calls.find((c) => c.callId === id);

beforeAll(async () => {
  ari = fakeAri();
  fx = await hotlineFixture({ ari: asAri(ari) });
  sup = await fx.user('sup', 'supervisor');
  qa = await fx.user('qa', 'qa');
  admin = await fx.user('boss', 'admin');
  agent = await fx.user('ann', 'agent', '1001');
  await fx.hotline.agents.setState(agent.id, 'available');
  // The wall flushes within 20 ms of the change: a socket connecting before that would get the
  // snapshot from before it (and the change as the next delta), on a busy machine.
  await waitFor(
    () => fx.hotline.wall.snapshot('supervisor').agents.some((a) => a.state === 'available'),
    3000,
    'the wall shows the agent available',
  );
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await fx.close();
});

describe('the supervisor wall on socket.io', () => {
  it('snapshots supervisors, admins and qa at connect; agents get nothing and may not resync', async () => {
    const [s, q, a, ag] = await Promise.all([
      browser(sup.token),
      browser(qa.token),
      browser(admin.token),
      browser(agent.token),
    ]);
    await waitFor(() => s.state && q.state && a.state, 3000, 'snapshots');
    expect(s.state!.queues.map((x) => x.name)).toEqual(['general']);
    expect(s.state!.agents.map((x) => [x.name, x.state])).toEqual([['ann name', 'available']]);
    expect(s.state!.day.timezone).toBe('Asia/Shanghai');
    const refused = await new Promise((r) => ag.socket.emit('wall:resync', r));
    expect(refused).toEqual({ ok: false, error: 'the wall is for supervisors, admins and qa' });
    expect(ag.state).toBeNull();
    const asked = await new Promise((r) => s.socket.emit('wall:resync', r));
    expect(asked).toEqual({ ok: true, seq: s.state!.seq });
    await waitFor(() => s.snapshots === 2, 2000, 'second snapshot');
    for (const w of [s, q, a, ag]) w.socket.disconnect();
  });

  it('sends at most one snapshot per half second however often a socket asks', async () => {
    const s = await browser(sup.token);
    await waitFor(() => s.state, 3000, 'snapshot');
    const acks = await Promise.all(
      Array.from({ length: 10 }, () => new Promise((r) => s.socket.emit('wall:resync', r))),
    );
    expect(acks).toEqual(Array.from({ length: 10 }, () => ({ ok: true, seq: s.state!.seq })));
    // The connect's, the first asked for, and one more for the nine that came too soon.
    expect(s.snapshots).toBe(3);
    s.socket.disconnect();
  });

  it('pushes deltas after every engine fact; qa sees the caller masked; clients stay exact', async () => {
    const s = await browser(sup.token);
    const q = await browser(qa.token);
    const ag = await browser(agent.token);
    await waitFor(() => s.state && q.state, 3000, 'snapshots');

    ari.inbound('caller-1', '013812345678');
    const orig = await waitFor(() => ari.originates()[0], 3000, 'agent rung');
    const callId = orig.appArgs!.split(',')[1]!;
    await waitFor(() => callOf(s, callId)?.state === 'ringing', 3000, 'ringing on the wall');
    expect(callOf(s, callId)).toMatchObject({
      callerNumber: '+8613812345678',
      queue: 'general',
      agent: { id: agent.id },
      direction: 'inbound',
      monitored: false,
    });
    await waitFor(() => callOf(q, callId)?.state === 'ringing', 3000, 'ringing for qa');
    expect(callOf(q, callId)!.callerNumber).toBe('+86 138****5678');
    expect(s.state!.agents.find((x) => x.userId === agent.id)!.state).toBe('offered');

    ari.agentAnswers(orig.channelId!, callId);
    await waitFor(() => callOf(s, callId)?.state === 'talking', 3000, 'talking on the wall');
    expect(s.state!.queues[0]).toMatchObject({ waiting: 0, agents: { onCall: 1 } });

    ari.hangupFromFar('caller-1');
    await waitFor(() => s.state!.calls.length === 0, 3000, 'call gone from the wall');
    await waitFor(
      () => s.state!.queues[0]!.today.answered === 1,
      3000,
      "today's figures recomputed",
    );
    // The call leaves the wall as it ends; the agent's after-call work follows the teardown.
    await waitFor(
      () => s.state!.agents.find((x) => x.userId === agent.id)!.state === 'wrap-up',
      3000,
      'agent in wrap-up',
    );
    expect(s.state!.agents.find((x) => x.userId === agent.id)!.callsToday).toBe(1);

    // Pushed, never the whole wall again: deltas only after the snapshot, seq by seq, no gap.
    expect(s.snapshots).toBe(1);
    expect(s.gaps).toBe(0);
    expect(s.deltas.length).toBeGreaterThanOrEqual(3); // ringing, talking, ended (at least)
    // The client's copy is exactly what a fresh snapshot says (GET /api/wall).
    await new Promise((r) => setTimeout(r, 100));
    const fresh = await api(sup.token, '/api/wall');
    expect(fresh.status).toBe(200);
    expect(s.state).toEqual(fresh.body);
    const freshQa = await api(qa.token, '/api/wall');
    expect(q.state).toEqual(freshQa.body);
    // The agent's socket saw nothing of it.
    expect(ag.deltas).toEqual([]);
    expect(ag.state).toBeNull();
    expect((await api(agent.token, '/api/wall')).status).toBe(403);
    fx.hotline.agents.endWrapUp(agent.id, callId);
    await waitFor(
      () => s.state!.agents.find((x) => x.userId === agent.id)!.state === 'available',
      3000,
      'agent available again',
    );
    for (const w of [s, q, ag]) w.socket.disconnect();
  });

  it('is exact again after a reconnect: a new snapshot at the current seq', async () => {
    const s = await browser(sup.token);
    await waitFor(() => s.state, 3000, 'snapshot');
    s.socket.disconnect();
    // Changes while it is away.
    await fx.hotline.agents.setState(agent.id, 'break', 'lunch');
    await waitFor(() => fx.hotline.wall.seq > s.state!.seq, 3000, 'a delta while away');
    const before = s.state!.seq;
    s.socket.connect();
    await waitFor(() => s.snapshots === 2, 3000, 'snapshot after the reconnect');
    expect(s.state!.seq).toBeGreaterThan(before);
    expect(s.state!.agents.find((x) => x.userId === agent.id)).toMatchObject({
      state: 'break',
      reason: 'lunch',
    });
    expect(s.state).toEqual((await api(sup.token, '/api/wall')).body);
    s.socket.disconnect();
    await fx.hotline.agents.setState(agent.id, 'available');
  });

  it('alerts supervisors and admins once when a tile turns red, qa and agents not', async () => {
    const [s, a, q, ag] = await Promise.all([
      browser(sup.token),
      browser(admin.token),
      browser(qa.token),
      browser(agent.token),
    ]);
    await waitFor(() => s.state && a.state && q.state, 3000, 'snapshots');
    // Two callers who hung up after 30 s today: with the two calls answered at once (the one
    // before and the next), 2 within the threshold of 4 counted = 50 % < 80 %.
    const t = Date.now();
    await fx.hotline.db('calls').insert(
      ['old-1', 'old-2'].map((id) => ({
        id,
        direction: 'inbound',
        caller_number: '13900000000',
        dialed_number: '4000',
        queue: 'general',
        state: 'ended',
        started_at: t - 60_000,
        ended_at: t - 30_000,
        wait_ms: 30_000,
        talk_ms: 0,
        outcome: 'abandoned',
      })),
    );
    // The next call's answer makes the wall count again.
    ari.inbound('caller-2', '13900000001');
    const orig = await waitFor(() => ari.originates()[1], 3000, 'agent rung');
    ari.agentAnswers(orig.channelId!, orig.appArgs!.split(',')[1]!);
    await waitFor(() => s.state!.calls[0]?.state === 'talking', 3000, 'talking');
    ari.hangupFromFar('caller-2');
    await waitFor(() => s.alerts.length > 0, 3000, 'alert');
    expect(s.alerts).toEqual([
      expect.objectContaining({
        kind: 'service-level',
        queue: 'general',
        serviceLevelPct: 50,
        serviceLevelTargetPct: 80,
      }),
    ]);
    await waitFor(() => a.alerts.length === 1, 2000, 'admin alerted');
    expect(s.state!.queues[0]!.alerts).toEqual(['service-level']);
    expect(q.state!.queues[0]!.alerts).toEqual(['service-level']); // qa sees the red tile…
    expect(q.alerts).toEqual([]); // …without the alert
    expect(ag.alerts).toEqual([]);
    // Still red after more changes: no second alert.
    await waitFor(() => s.state!.queues[0]!.agents.wrapUp === 1, 2000, 'agent in wrap-up');
    await waitFor(() => s.state!.queues[0]!.today.answered === 2, 2000, 'figures recomputed');
    expect(s.alerts).toHaveLength(1);
    for (const w of [s, a, q, ag]) w.socket.disconnect();
  });
});
