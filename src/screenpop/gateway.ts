import type { Server, Socket } from 'socket.io';
import type { AgentDirectory, AgentView } from '../agents/agent-directory';
import type { Sessions } from '../agents/sessions';
import { HotlineError, type ErrorCode } from '../shared/errors';
import type { Logger } from '../shared/logger';
import type {
  AgentStatePush,
  CallUpdate,
  ClientToServerEvents,
  RecordingPush,
  ScreenPop,
  ServerToClientEvents,
  SocketData,
  SupervisorAlert,
  TaskPush,
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

/**
 * Agents' browsers: token auth at connect, one room per agent, presence, and the pop of the call
 * an agent is being offered or is on, kept until that call ends for them, so a browser that
 * reconnects mid-call gets it again instead of losing it.
 */
export function createScreenPopGateway(deps: {
  io: HotlineIo;
  sessions: Sessions;
  agents: AgentDirectory;
  log: Logger;
}) {
  const { io, log } = deps;
  const current = new Map<number, { pop: ScreenPop; last: CallUpdate | null }>();

  io.use((socket, next) => {
    const auth = socket.handshake.auth as { token?: unknown } | undefined;
    const token = typeof auth?.token === 'string' ? auth.token : undefined;
    deps.sessions
      .resolve(token)
      .then((user) => {
        if (!user) {
          next(refused('HOTLINE_UNAUTHENTICATED', 'missing or invalid token'));
          return;
        }
        socket.data.userId = user.id;
        socket.data.role = user.role;
        next();
      })
      .catch((err: unknown) => {
        log.error({ err }, 'socket auth failed');
        next(refused('HOTLINE_UNAVAILABLE', 'try again'));
      });
  });

  io.on('connection', (socket: HotlineSocket) => {
    const { userId } = socket.data;
    void socket.join(room(userId));
    if (socket.data.role === 'supervisor' || socket.data.role === 'admin')
      void socket.join(SUPERVISORS);
    const agent = deps.agents.presence(userId, 1);
    log.debug({ agentId: userId, sockets: agent?.sockets }, 'agent socket connected');
    if (agent) socket.emit('agent:state', statePush(agent));
    const pending = current.get(userId);
    if (pending) {
      socket.emit('screenpop', pending.pop, () => undefined);
      if (pending.last) socket.emit('call:update', pending.last);
    }
    socket.on('agent:state', (body, ack) => {
      const reply = typeof ack === 'function' ? ack : () => undefined;
      const state = body?.state;
      if (state !== 'available' && state !== 'break' && state !== 'offline') {
        reply({ ok: false, error: 'state must be available, break or offline' });
        return;
      }
      const reason = typeof body.reason === 'string' ? body.reason.slice(0, 64) : null;
      deps.agents
        .choose(userId, state, reason)
        .then((a) => reply({ ok: true, state: statePush(a) }))
        .catch((err: unknown) => {
          if (err instanceof HotlineError && err.status < 500) {
            reply({ ok: false, error: err.message });
            return;
          }
          log.error({ err, agentId: userId }, 'agent state change failed');
          reply({ ok: false, error: 'state change failed' });
        });
    });
    socket.on('disconnect', () => {
      deps.agents.presence(userId, -1);
    });
  });

  deps.agents.onStateChange(({ agent }) => {
    io.to(room(agent.userId)).emit('agent:state', statePush(agent));
  });
  deps.agents.onActivity((agent) => {
    io.to(room(agent.userId)).emit('agent:state', statePush(agent));
  });

  return {
    /**
     * Sends the pop to every socket of the agent and waits for the first acknowledgement, at
     * most `waitAckMs`, so that the browser shows the caller before the phone rings.
     */
    async pop(agentId: number, pop: ScreenPop, waitAckMs: number): Promise<{ acked: boolean }> {
      current.set(agentId, { pop, last: null });
      try {
        // Broadcast acks resolve to one entry per socket that answered (typed as the ack's argument).
        const acks = (await io
          .to(room(agentId))
          .timeout(waitAckMs)
          .emitWithAck('screenpop', pop)) as unknown;
        return { acked: Array.isArray(acks) && acks.length > 0 };
      } catch {
        return { acked: false };
      }
    },
    taskAssigned(userId: number, task: TaskPush): void {
      io.to(room(userId)).emit('task:new', task);
    },
    escalate(complaint: SupervisorAlert['complaint']): void {
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
