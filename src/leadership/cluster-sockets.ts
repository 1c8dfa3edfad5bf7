import type { AgentDirectory, AgentState } from '../agents/agent-directory';
import type { AgentStatePush } from '../screenpop/agent-events';
import {
  statePush,
  type HotlineIo,
  type RemoteSocket,
  type ScreenPopGateway,
} from '../screenpop/gateway';
import type { Logger } from '../shared/logger';
import type { Wall } from '../supervision/wall';
import { isWallRole } from '../supervision/wall-privacy';
import type { WallCluster } from '../supervision/wall-sockets';
import type { ClusterBus } from './cluster-bus';
import type { Lease } from './lease';

/** The bus's messages between a standby and the leader (src/leadership/cluster-bus.ts). */
const MSG = {
  /** ask: a socket connected to a standby; the leader counts and greets it. */
  connected: 'socket:connected',
  /** tell: it disconnected. */
  gone: 'socket:gone',
  /** tell: every socket of a standby (every `presenceEveryMs`, and when a new leader asks). */
  presence: 'socket:presence',
  /** broadcast by a new leader: standbys, tell me your sockets. */
  hello: 'leader:hello',
  /** ask: an agent's choice of state, made on a standby's socket. */
  choose: 'agent:choose',
  /** ask: the leader's wall snapshot to a standby's socket; answers its seq. */
  wall: 'wall:snapshot',
} as const;

/** What the wall needs before the wall exists (createWall takes it). */
export function wallCluster(bus: ClusterBus, lease: Pick<Lease, 'isLeader'>): WallCluster {
  return {
    leading: () => lease.isLeader,
    send: (socketId, role) => bus.ask<number>(MSG.wall, { socketId, role }),
  };
}

/**
 * Browsers on any instance (issue 12). The leader holds the truth about agents (its directory,
 * which the engine allocates from), the telephony link, the live pops and the wall; a standby's
 * sockets are its sockets too:
 * - a socket connecting to a standby is announced to the leader, which counts it in the agent's
 *   presence and greets it (telephony status, the agent's state, the live pop), by socket id
 *   through the adapter; its disconnect is told likewise;
 * - every `presenceEveryMs` a standby tells the leader all its sockets, which the leader takes
 *   as that instance's whole list (so a missed message heals), and the leader forgets the
 *   sockets of an instance not heard from for three periods (it died); a new leader asks every
 *   standby for its list at once;
 * - an agent's `agent:state` on a standby's socket is chosen on the leader's directory; the
 *   state push then reaches every socket of the agent from the leader through the adapter;
 * - the wall: see WallCluster (src/supervision/wall-sockets.ts).
 * Pops (`gateway.pop`) need nothing here: the leader's `emitWithAck` reaches the agent's room on
 * every instance, and the acknowledgements come back through the Redis adapter.
 */
export function attachClusterSockets(deps: {
  bus: ClusterBus;
  io: HotlineIo;
  gateway: ScreenPopGateway;
  agents: AgentDirectory;
  wall: Wall;
  lease: Pick<Lease, 'isLeader' | 'onChange'>;
  log: Logger;
  presenceEveryMs?: number;
  /** How often the leader asks Redis which instances are still there. */
  goneCheckMs?: number;
}) {
  const { bus, agents, gateway, lease, log } = deps;
  const everyMs = deps.presenceEveryMs ?? 5000;
  /** On the leader: the sockets of each other instance, and when it last told us. */
  const remote = new Map<string, { seen: number; sockets: Map<string, RemoteSocket> }>();

  function instanceOf(from: string) {
    let r = remote.get(from);
    if (!r) remote.set(from, (r = { seen: performance.now(), sockets: new Map() }));
    return r;
  }
  function add(from: string, s: RemoteSocket) {
    const r = instanceOf(from);
    r.seen = performance.now();
    if (r.sockets.has(s.socketId)) return;
    r.sockets.set(s.socketId, s);
    agents.presence(s.userId, 1);
    gateway.greet(s);
  }
  function remove(from: string, socketId: string) {
    const r = remote.get(from);
    const s = r?.sockets.get(socketId);
    if (!r || !s) return;
    r.sockets.delete(socketId);
    agents.presence(s.userId, -1);
  }
  function forget(from: string) {
    const r = remote.get(from);
    if (!r) return;
    for (const id of [...r.sockets.keys()]) remove(from, id);
    remote.delete(from);
  }

  const isSocket = (v: unknown): v is RemoteSocket => {
    const s = v as Partial<RemoteSocket> | null;
    return (
      typeof s?.socketId === 'string' && typeof s.userId === 'number' && typeof s.role === 'string'
    );
  };

  bus.handle(MSG.connected, (payload, from) => {
    if (isSocket(payload)) add(from, payload);
    return true;
  });
  bus.handle(MSG.gone, (payload, from) => {
    if (isSocket(payload)) remove(from, payload.socketId);
  });
  bus.handle(MSG.presence, (payload, from) => {
    const list = (payload as { sockets?: unknown } | null)?.sockets;
    if (!Array.isArray(list)) return;
    const now = list.filter(isSocket);
    const ids = new Set(now.map((s) => s.socketId));
    const r = instanceOf(from);
    for (const id of [...r.sockets.keys()]) if (!ids.has(id)) remove(from, id);
    for (const s of now) add(from, s);
    r.seen = performance.now();
  });
  bus.handle(MSG.choose, async (payload): Promise<AgentStatePush> => {
    const p = payload as { userId: number; state: AgentState; reason?: string | null };
    return statePush(await agents.choose(p.userId, p.state, p.reason));
  });
  bus.handle(MSG.wall, (payload) => {
    const p = payload as { socketId?: unknown; role?: unknown };
    if (typeof p.socketId !== 'string' || typeof p.role !== 'string' || !isWallRole(p.role))
      return null;
    return deps.wall.sendTo(p.socketId, p.role);
  });

  /** This instance's sockets (a standby tells the leader). */
  const local = (): RemoteSocket[] =>
    [...deps.io.of('/').sockets.values()].map((s) => ({
      socketId: s.id,
      userId: s.data.userId,
      role: s.data.role,
    }));
  const tellPresence = () => {
    if (!lease.isLeader) bus.tell(MSG.presence, { sockets: local() });
  };
  bus.on(MSG.hello, () => tellPresence());

  lease.onChange((change) => {
    if (change.leader) bus.broadcast(MSG.hello, {});
    // Standing by: the sockets of the others are the next leader's to count.
    else for (const from of [...remote.keys()]) forget(from);
  });

  const timer = setInterval(() => {
    if (!lease.isLeader) {
      tellPresence();
      return;
    }
    const cutoff = performance.now() - 3 * everyMs;
    for (const [from, r] of remote)
      if (r.seen < cutoff) {
        log.warn(
          { instance: from, sockets: r.sockets.size },
          'instance silent: its sockets forgotten',
        );
        forget(from);
      }
  }, everyMs);
  timer.unref();
  // Sooner than the silence: an instance no longer subscribed to its reply channel is gone (a
  // kill -9 closes its Redis connection at once). One that only lost Redis for a moment tells
  // its sockets again within `everyMs` once back, and they count again.
  let checking = false;
  const check = setInterval(() => {
    if (!lease.isLeader || checking || !remote.size) return;
    checking = true;
    const asked = [...remote.keys()];
    void bus
      .listening(asked)
      .then((alive) => {
        if (!alive || !lease.isLeader) return;
        for (const from of asked)
          if (!alive.has(from) && remote.has(from)) {
            log.warn(
              { instance: from, sockets: remote.get(from)!.sockets.size },
              'instance gone from Redis: its sockets forgotten',
            );
            forget(from);
          }
      })
      .finally(() => {
        checking = false;
      });
  }, deps.goneCheckMs ?? 1000);
  check.unref();

  gateway.useRelay({
    remote: () => !lease.isLeader,
    connected: async (s) => {
      await bus.ask(MSG.connected, s);
    },
    disconnected: (s) => bus.tell(MSG.gone, s),
    choose: (userId, state, reason) =>
      bus.ask<AgentStatePush>(MSG.choose, { userId, state, reason: reason ?? null }),
  });

  return {
    /**
     * The other instances' sockets known here, per user: a new leader's recount adds them to
     * its own (standbys answer its hello while it reloads the agents, and a socket is counted
     * into the directory once, when first heard of, so a recount without them lost them).
     */
    remoteCounts(): Map<number, number> {
      const n = new Map<number, number>();
      for (const r of remote.values())
        for (const s of r.sockets.values()) n.set(s.userId, (n.get(s.userId) ?? 0) + 1);
      return n;
    },
    /** The leader's count of other instances' sockets (tests, /healthz later). */
    remoteSockets: () => [...remote.values()].reduce((n, r) => n + r.sockets.size, 0),
    stop(): void {
      clearInterval(timer);
      clearInterval(check);
      gateway.useRelay(null);
    },
  };
}
