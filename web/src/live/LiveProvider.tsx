import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useReducer,
  useState,
  type ReactNode,
} from 'react';
import { io, type Socket } from 'socket.io-client';
import { get } from '../api/client';
import type {
  AgentStatePush,
  AgentView,
  ClientToServerEvents,
  PopCustomer,
  RecordingPush,
  ServerToClientEvents,
  SupervisorAlert,
  Task,
  TelephonyStatus,
} from '../api/types';
import { useSession } from '../auth/SessionProvider';
import { callsReducer, type CallEntry, type Consult } from './calls-reducer';
import { createWallStore, type WallStore } from './wall-store';

export type AgentLive = AgentStatePush & { extension: string | null };

export type AlertEntry = SupervisorAlert & {
  key: number;
  receivedAt: number;
};

interface Live {
  connected: boolean;
  /** The service's link to Asterisk (telephony:status); null until the first push. */
  telephony: TelephonyStatus['state'] | null;
  agent: AgentLive | null;
  calls: CallEntry[];
  alerts: AlertEntry[];
  /** Tasks pushed since login (task:new), newest first. */
  pushedTasks: Task[];
  /** Bumped whenever the agent's call list may have changed (a call ended, a wrap-up saved). */
  callsVersion: number;
  /** The supervisor wall (supervisors, admins, qa): its own store, read with useWall(). */
  wall: WallStore;
  setAgent: (view: AgentView | AgentStatePush) => void;
  setCustomer: (callId: string, customer: PopCustomer) => void;
  wrapped: (callId: string, disposition: string) => void;
  setConsult: (callId: string, consult: Consult | null) => void;
  setRecording: (push: RecordingPush) => void;
  dismiss: (callId: string) => void;
  dismissAlert: (key: number) => void;
  /** The pop card of this call is on the screen: acknowledge the pop (the phone rings then). */
  popPainted: (callId: string) => void;
}

/**
 * A pop is acknowledged once its card is painted, not on receipt: the service rings the phone
 * after the acknowledgement, so "pop before ring" holds for the screen. An agent away from the
 * desktop tab has no card to paint: the pop is acknowledged after this long, so the ring is not
 * held up until the service stops waiting (telephony.popAckWaitMs).
 */
const UNPAINTED_ACK_MS = 100;

const LiveContext = createContext<Live | null>(null);
type HotlineSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * The agent's live connection: socket.io to the service (pops, call updates, state, tasks,
 * supervisor alerts) and what it has told us so far.
 */
export function LiveProvider({ children }: { children: ReactNode }) {
  /** Pops received and not yet acknowledged, by call id. */
  const [acks] = useState(() => new Map<string, () => void>());
  const acknowledge = useCallback(
    (callId: string) => {
      const ack = acks.get(callId);
      acks.delete(callId);
      ack?.();
    },
    [acks],
  );
  const popPainted = useCallback(
    (callId: string) => {
      if (!acks.has(callId)) return;
      // The frame after React's commit, then past its paint: the card is on the screen.
      requestAnimationFrame(() =>
        window.setTimeout(() => {
          performance.mark(`hotline:pop-painted:${callId}`);
          acknowledge(callId);
        }, 0),
      );
    },
    [acks, acknowledge],
  );
  const { token, logout } = useSession();
  const [connected, setConnected] = useState(false);
  const [telephony, setTelephony] = useState<TelephonyStatus['state'] | null>(null);
  const [agent, setAgentState] = useState<AgentLive | null>(null);
  const [calls, dispatch] = useReducer(callsReducer, []);
  const [alerts, setAlerts] = useState<AlertEntry[]>([]);
  const [pushedTasks, setPushedTasks] = useState<Task[]>([]);
  const [callsVersion, setCallsVersion] = useState(0);
  const [wall] = useState(createWallStore);

  const setAgent = useCallback((v: AgentView | AgentStatePush) => {
    setAgentState((prev) => ({
      state: v.state,
      reason: v.reason,
      since: v.since,
      activity: v.activity,
      wrapUpUntil: v.wrapUpUntil ?? null,
      extension: 'extension' in v ? v.extension : (prev?.extension ?? null),
    }));
  }, []);

  useEffect(() => {
    if (!token) return;
    const refreshMe = () => {
      get<AgentView | null>('/agents/me')
        .then((me) => {
          if (me) setAgent(me);
        })
        .catch(() => undefined);
    };
    // WebSocket first, HTTP long-polling only if it fails (a proxy that blocks upgrades): behind
    // a load balancer over several instances a WebSocket needs no sticky sessions, long-polling
    // does (docs/architecture/failover.md).
    const socket: HotlineSocket = io({
      auth: { token },
      transports: ['websocket', 'polling'],
      tryAllTransports: true,
    });
    acks.clear();
    const detachWall = wall.attach(socket);
    socket.on('connect', () => {
      setConnected(true);
      refreshMe();
    });
    socket.on('disconnect', () => setConnected(false));
    // Logged out elsewhere, password or role changed, deactivated, expired: back to the login.
    socket.on('session:ended', () => logout());
    socket.on('connect_error', (err) => {
      setConnected(false);
      if (err.message.startsWith('HOTLINE_UNAUTHENTICATED')) logout();
    });
    socket.on('screenpop', (pop, ack) => {
      if (typeof ack === 'function') {
        acks.set(pop.callId, ack);
        window.setTimeout(() => acknowledge(pop.callId), UNPAINTED_ACK_MS);
      }
      dispatch({ type: 'pop', pop, now: Date.now() });
    });
    socket.on('call:update', (update) => {
      dispatch({ type: 'update', update, now: Date.now() });
      if (update.state === 'ended') setCallsVersion((n) => n + 1);
    });
    socket.on('call:recording', (push) => dispatch({ type: 'recording', push }));
    socket.on('agent:state', (s) => setAgent(s));
    socket.on('telephony:status', (s) => setTelephony(s.state));
    socket.on('task:new', (task) => {
      setPushedTasks((list) => [task, ...list.filter((x) => x.id !== task.id)]);
    });
    socket.on('supervisor:alert', (alert) => {
      setAlerts((list) =>
        [{ ...alert, key: Date.now() + Math.random(), receivedAt: Date.now() }, ...list].slice(
          0,
          5,
        ),
      );
    });
    return () => {
      detachWall();
      socket.removeAllListeners();
      socket.disconnect();
      setConnected(false);
      dispatch({ type: 'reset' });
    };
  }, [token, logout, setAgent, acks, acknowledge, wall]);

  const value = useMemo<Live>(
    () => ({
      connected,
      telephony,
      agent,
      calls,
      alerts,
      pushedTasks,
      callsVersion,
      wall,
      setAgent,
      setCustomer: (callId, customer) => dispatch({ type: 'customer', callId, customer }),
      wrapped: (callId, disposition) => {
        dispatch({ type: 'wrapped', callId, disposition });
        setCallsVersion((n) => n + 1);
      },
      setConsult: (callId, consult) => dispatch({ type: 'consult', callId, consult }),
      setRecording: (push) => dispatch({ type: 'recording', push }),
      dismiss: (callId) => dispatch({ type: 'dismiss', callId }),
      dismissAlert: (key) => setAlerts((list) => list.filter((a) => a.key !== key)),
      popPainted,
    }),
    [
      connected,
      telephony,
      agent,
      calls,
      alerts,
      pushedTasks,
      callsVersion,
      wall,
      setAgent,
      popPainted,
    ],
  );
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

export function useLive(): Live {
  const ctx = useContext(LiveContext);
  if (!ctx) throw new Error('useLive outside LiveProvider');
  return ctx;
}
