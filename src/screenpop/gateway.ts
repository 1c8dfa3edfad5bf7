import type { Server, Socket } from 'socket.io';
import type { AgentDirectory, AgentState, AgentView } from '../agents/agent-directory';
import { agentStateBody } from '../api/agents';
import type { Revocation, Sessions } from '../agents/sessions';
import { roleSchema, type Role } from '../api/auth';
import {
  DEFAULT_FULL_NUMBER_ROLES,
  numberPolicy,
  type NumberPolicy,
} from '../privacy/number-policy';
import { popFor, taskPushFor } from '../privacy/socket-payloads';
import { HotlineError, type ErrorCode } from '../shared/errors';
import type { Logger } from '../shared/logger';
import type {
  AgentStatePush,
  CallUpdate,
  ClientToServerEvents,
  ComplaintAlert,
  RecordingPush,
  ScreenPop,
  ServerToClientEvents,
  SessionEndReason,
  SocketData,
  TaskPush,
  TelephonyStatus,
} from './agent-events';

export type HotlineIo = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;
type HotlineSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;

const room = (agentId: number) => `agent:${agentId}`;
const sessionRoom = (sessionId: string) => `session:${sessionId}`;

/**
 * socket.io's maxHttpBufferSize (app.ts): the most bytes one WebSocket message or long-polling
 * POST may have; a bigger one closes that connection (WebSocket 1009). The browser's only event
 * (agent:state) is under 200 bytes; socket.io's default, 1 MB, let anyone make the service parse
 * megabytes per message.
 */
export const SOCKET_MAX_PAYLOAD_BYTES = 16 * 1024;

/** The events a browser may send (ClientToServerEvents); anything else is answered as unknown. */
const CLIENT_EVENTS: ReadonlySet<string> = new Set<keyof ClientToServerEvents>([
  'agent:state',
  'wall:resync', // src/supervision/wall-sockets.ts
]);

/** A refused handshake: socket.io's connect_error gets `CODE: message` and `data: {code, message}`. */
const refused = (code: ErrorCode, message: string) =>
  Object.assign(new Error(`${code}: ${message}`), { data: { code, message } });

export const statePush = (a: AgentView): AgentStatePush => ({
  state: a.state,
  reason: a.reason,
  since: new Date(a.since).toISOString(),
  activity: a.activity,
  wrapUpUntil: a.wrapUpUntil === null ? null : new Date(a.wrapUpUntil).toISOString(),
});

const SUPERVISORS = 'role:supervisor';

/** A browser's socket as another instance knows it (src/leadership/cluster-sockets.ts). */
export interface RemoteSocket {
  socketId: string;
  userId: number;
  role: string;
}

/**
 * On a standby of a cluster (REDIS_URL, PostgreSQL): what the leader does for the sockets
 * connected here, over the cluster bus. The leader's agent directory is the one the engine
 * allocates from, and it alone knows the telephony link and the pop on an agent's screen.
 */
export interface GatewayRelay {
  /** True while the leader speaks for this instance's sockets (this instance stands by). */
  remote(): boolean;
  /** A socket connected here: the leader counts it and greets it (state, telephony, live pop). */
  connected(s: RemoteSocket): Promise<void>;
  disconnected(s: RemoteSocket): void;
  /** The agent's choice, made on the leader's directory. */
  choose(
    userId: number,
    state: AgentState,
    reason: string | null | undefined,
  ): Promise<AgentStatePush>;
}

/**
 * Agents' browsers: token auth at connect, one room per agent, presence, and the pop of the call
 * an agent is being offered or is on, kept until that call ends for them, so a browser that
 * reconnects mid-call gets it again instead of losing it.
 *
 * A socket lives as long as its session: every event it sends is checked against the session
 * first; a revoked session's sockets are told (`session:ended`) and disconnected, on every
 * instance (rooms per session and per user, through the adapter); and a sweep every
 * `sessions.keepAliveEveryMs` counts this instance's connected sockets as use of their sessions
 * (a desktop left open is not logged out for being idle) and ends those whose session ended.
 */
export function createScreenPopGateway(deps: {
  io: HotlineIo;
  sessions: Sessions;
  agents: AgentDirectory;
  log: Logger;
  /** The number policy for the pops and tasks pushed (default: supervisors and admins full). */
  policy?: NumberPolicy;
}) {
  const { io, log } = deps;
  const policy = deps.policy ?? numberPolicy(DEFAULT_FULL_NUMBER_ROLES);
  const current = new Map<number, { pop: ScreenPop; last: CallUpdate | null }>();
  /**
   * The role of each user with a socket here (a user's sockets share it: a new role ends their
   * sessions). A user connected only to another instance counts as an agent: a pop or task is
   * only ever pushed to the user it is for, whom the table shows it (`own`).
   */
  const roles = new Map<number, Role>();
  const roleOf = (userId: number): Role => roles.get(userId) ?? 'agent';
  let relay: GatewayRelay | null = null;

  io.use((socket, next) => {
    const auth = socket.handshake.auth as { token?: unknown } | undefined;
    const token = typeof auth?.token === 'string' ? auth.token : undefined;
    deps.sessions
      .session(token)
      .then((session) => {
        if (!session) {
          next(refused('HOTLINE_UNAUTHENTICATED', 'missing or invalid token'));
          return;
        }
        socket.data.userId = session.user.id;
        socket.data.role = session.user.role;
        socket.data.sessionId = session.id;
        next();
      })
      .catch((err: unknown) => {
        log.error({ err }, 'socket auth failed');
        next(refused('HOTLINE_UNAVAILABLE', 'try again'));
      });
  });

  let telephony: TelephonyStatus = { state: 'connecting', since: new Date().toISOString() };

  /** Tells the sockets why and disconnects them (wherever they are connected). */
  function end(target: ReturnType<HotlineIo['in']> | HotlineSocket, reason: SessionEndReason) {
    target.emit('session:ended', { reason });
    if ('disconnectSockets' in target) target.disconnectSockets(true);
    else target.disconnect(true);
  }

  deps.sessions.onRevoked((r: Revocation) => {
    log.debug(
      { reason: r.reason, agentId: r.kind === 'user' ? r.userId : undefined },
      'session revoked: closing its sockets',
    );
    if (r.kind === 'session') end(io.in(sessionRoom(r.sessionId)), r.reason);
    else if (r.keep) end(io.in(room(r.userId)).except(sessionRoom(r.keep)), r.reason);
    else end(io.in(room(r.userId)), r.reason);
  });

  let sweeping = false;
  /** This instance's sockets: their sessions are in use; those that ended close. */
  async function sweep(): Promise<void> {
    if (sweeping) return;
    sweeping = true;
    try {
      const sockets = [...io.of('/').sockets.values()];
      if (!sockets.length) return;
      const alive = await deps.sessions.keepAlive([
        ...new Set(sockets.map((s) => s.data.sessionId)),
      ]);
      for (const s of sockets) if (!alive.has(s.data.sessionId)) end(s, 'expired');
    } catch (err) {
      log.error({ err }, 'socket session sweep failed');
    } finally {
      sweeping = false;
    }
  }
  const timer = setInterval(() => void sweep(), deps.sessions.keepAliveEveryMs);
  timer.unref();
  io.httpServer?.once('close', () => clearInterval(timer));

  io.on('connection', (socket: HotlineSocket) => {
    const { userId, sessionId } = socket.data;
    const role = roleSchema.safeParse(socket.data.role);
    if (role.success) roles.set(userId, role.data);
    // A standby's link state, directory and pops are not the truth: the leader greets the socket.
    const via = relay?.remote() ? relay : null;
    if (!via) socket.emit('telephony:status', telephony);
    void socket.join([room(userId), sessionRoom(sessionId)]);
    // Every event is checked against the session: revoked on another instance a moment ago, or
    // ended by time, it goes no further. Counts as use of the session.
    socket.use((_packet, next) => {
      deps.sessions
        .check(sessionId)
        .then((session) => {
          if (session) next();
          else end(socket, 'expired');
        })
        .catch((err: unknown) => {
          log.error({ err, agentId: userId }, 'socket session check failed');
          next(new Error('HOTLINE_UNAVAILABLE: try again'));
        });
    });
    socket.on('error', (err) => log.debug({ err, agentId: userId }, 'socket event refused'));
    if (socket.data.role === 'supervisor' || socket.data.role === 'admin')
      void socket.join(SUPERVISORS);
    const agent = deps.agents.presence(userId, 1);
    log.debug({ agentId: userId, sockets: agent?.sockets }, 'agent socket connected');
    const remoteSocket: RemoteSocket = { socketId: socket.id, userId, role: socket.data.role };
    if (via)
      via.connected(remoteSocket).catch((err: unknown) => {
        // No leader answered (a takeover): what this instance knows, until the leader greets.
        log.warn({ err, agentId: userId }, 'socket not announced to the leader');
        socket.emit('telephony:status', telephony);
      });
    else {
      if (agent) socket.emit('agent:state', statePush(agent));
      const pending = current.get(userId);
      if (pending) {
        socket.emit('screenpop', popFor(policy, roleOf(userId), pending.pop), () => undefined);
        if (pending.last) socket.emit('call:update', pending.last);
      }
    }
    socket.on('agent:state', (body, ack) => {
      const reply = typeof ack === 'function' ? ack : () => undefined;
      // The same rules as PUT /api/agents/me/state; the error never echoes what was sent.
      const parsed = agentStateBody.safeParse(body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        reply({ ok: false, error: `${issue?.path.join('.') || 'body'}: ${issue?.message}` });
        return;
      }
      const { state, reason } = parsed.data;
      const leader = relay?.remote() ? relay : null;
      (leader
        ? leader.choose(userId, state, reason)
        : deps.agents.choose(userId, state, reason).then(statePush)
      )
        .then((pushed) => reply({ ok: true, state: pushed }))
        .catch((err: unknown) => {
          if (err instanceof HotlineError && err.status < 500) {
            reply({ ok: false, error: err.message });
            return;
          }
          log.error({ err, agentId: userId }, 'agent state change failed');
          reply({ ok: false, error: 'state change failed' });
        });
    });
    // An event the service does not handle: an acknowledgement it asked for says so.
    socket.onAny((event: unknown, ...args: unknown[]) => {
      if (typeof event === 'string' && CLIENT_EVENTS.has(event)) return;
      const name = String(event).slice(0, 64);
      log.debug({ agentId: userId, event: name }, 'unknown socket event');
      const ack = args[args.length - 1];
      if (typeof ack === 'function')
        (ack as (r: unknown) => void)({ ok: false, error: `unknown event ${name}` });
    });
    socket.on('disconnect', () => {
      deps.agents.presence(userId, -1);
      if (relay?.remote()) relay.disconnected(remoteSocket);
    });
  });

  deps.agents.onStateChange(({ agent }) => {
    io.to(room(agent.userId)).emit('agent:state', statePush(agent));
  });
  deps.agents.onActivity((agent) => {
    io.to(room(agent.userId)).emit('agent:state', statePush(agent));
  });

  return {
    /** A standby's sockets are spoken for by the leader through this (cluster-sockets.ts). */
    useRelay(r: GatewayRelay | null): void {
      relay = r;
    },
    /**
     * On the leader: a socket connected to another instance gets what a socket connected here
     * gets at once (telephony link, the agent's state, the live pop and its last update).
     */
    greet(s: RemoteSocket): void {
      const role = roleSchema.safeParse(s.role);
      if (role.success) roles.set(s.userId, role.data);
      const to = io.to(s.socketId);
      to.emit('telephony:status', telephony);
      const agent = deps.agents.get(s.userId);
      if (agent) to.emit('agent:state', statePush(agent));
      const pending = current.get(s.userId);
      if (pending) {
        // Without an acknowledgement (the ring waited for one already): a broadcast asking for
        // one would hold a timer per socket.io and the adapter for as long as it may wait.
        const emit = to.emit.bind(to) as unknown as (ev: 'screenpop', pop: ScreenPop) => boolean;
        emit('screenpop', popFor(policy, roleOf(s.userId), pending.pop));
        if (pending.last) to.emit('call:update', pending.last);
      }
    },
    /** The Asterisk link changed: every browser is told (agents see why no calls come). */
    telephonyStatus(state: TelephonyStatus['state']): void {
      if (state === telephony.state) return;
      telephony = { state, since: new Date().toISOString() };
      io.emit('telephony:status', telephony);
    },
    /** Runs the sweep of connected sockets now (it also runs every `keepAliveEveryMs`). */
    sweepSessions: sweep,
    /**
     * Sends the pop to every socket of the agent, wherever connected (with the Redis adapter, a
     * socket on another instance acknowledges through it), and waits for their acknowledgements,
     * at most `waitAckMs`, so that the browser shows the caller before the phone rings. Acked:
     * at least one socket answered (another of the agent's sockets that stays silent costs the
     * wait, not the ack).
     */
    async pop(agentId: number, pop: ScreenPop, waitAckMs: number): Promise<{ acked: boolean }> {
      current.set(agentId, { pop, last: null });
      try {
        // Broadcast acks resolve to one entry per socket that answered (typed as the ack's argument).
        const acks = (await io
          .to(room(agentId))
          .timeout(waitAckMs)
          .emitWithAck('screenpop', popFor(policy, roleOf(agentId), pop))) as unknown;
        return { acked: Array.isArray(acks) && acks.length > 0 };
      } catch (err) {
        // Timed out: socket.io gives the acknowledgements that did arrive.
        const some = (err as { responses?: unknown } | null)?.responses;
        return { acked: Array.isArray(some) && some.length > 0 };
      }
    },
    /** The pop of the call the user is offered or on, as built (the number policy's `own`). */
    currentPop(userId: number): ScreenPop | undefined {
      return current.get(userId)?.pop;
    },
    taskAssigned(userId: number, task: TaskPush): void {
      io.to(room(userId)).emit('task:new', taskPushFor(policy, roleOf(userId), task));
    },
    escalate(complaint: ComplaintAlert['complaint']): void {
      io.to(SUPERVISORS).emit('supervisor:alert', { kind: 'complaint', complaint });
    },
    recording(agentId: number, push: RecordingPush): void {
      io.to(room(agentId)).emit('call:recording', push);
    },
    update(agentId: number, update: CallUpdate): void {
      const pending = current.get(agentId);
      if (pending?.pop.callId === update.callId) {
        if (update.state === 'ended') current.delete(agentId);
        else pending.last = update;
      }
      io.to(room(agentId)).emit('call:update', update);
    },
  };
}

export type ScreenPopGateway = ReturnType<typeof createScreenPopGateway>;
