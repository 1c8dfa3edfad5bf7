/** socket.io events between the service and agents' browsers; shared with web/. */
import type { WallAlertKind, WallDelta, WallSnapshot } from '../api/wall';

export interface PopCustomer {
  id: number;
  name: string;
  company: string | null;
  tier: 'vip' | 'standard';
  owner: { id: number; name: string } | null;
}

export interface PopHistoryItem {
  callId: string;
  startedAt: string;
  direction: 'inbound' | 'outbound';
  outcome: string | null;
  agentName: string | null;
  disposition: string | null;
  notes: string | null;
  /** The caller's satisfaction score for that call (1-5), null when none was given. */
  surveyScore: number | null;
}

export interface PopComplaint {
  id: number;
  category: string;
  severity: 'low' | 'medium' | 'high';
  description: string;
  status: 'open' | 'resolved';
  promisedReplyAt: string | null;
  createdAt: string;
}

/** A campaign call's context on the pop (outbound dialing). */
export interface PopCampaign {
  id: number;
  name: string;
  mode: 'preview' | 'progressive' | 'predictive';
  /** The campaign's script with the contact's fields filled in. */
  script: string;
  dispositions: Array<{
    code: string;
    label: string;
    final: boolean;
    dnc?: boolean;
    callback?: boolean;
  }>;
}

export interface PopContact {
  id: number;
  fields: Record<string, string>;
  attempts: number;
}

export interface ScreenPop {
  callId: string;
  direction: 'inbound' | 'outbound';
  callerNumber: string;
  dialedNumber: string;
  /** The matched customer; null for an unknown caller (or when several match: see `candidates`). */
  customer: PopCustomer | null;
  /** Every customer holding the number when more than one does (the agent picks). */
  candidates: PopCustomer[];
  history: PopHistoryItem[];
  openComplaints: PopComplaint[];
  queue: string | null;
  waitedMs: number;
  /** When the service sent the pop (ISO), for the browser to show and the bench to measure. */
  sentAt: string;
  /** Campaign calls: the campaign (script, dispositions) and the contact. */
  campaign?: PopCampaign;
  contact?: PopContact;
  /** Preview: the call is not placed yet; the agent dials or skips the contact. */
  preview?: boolean;
}

export type CallUpdateState = 'ringing' | 'answered' | 'held' | 'ended';

export interface CallUpdate {
  callId: string;
  state: CallUpdateState;
  /** `ended` for this agent but not necessarily for the call: the offer was withdrawn. */
  withdrawn?: boolean;
  reason?: string;
  at: string;
}

export interface AgentStatePush {
  state: 'available' | 'break' | 'offline';
  reason: string | null;
  since: string;
  activity: 'idle' | 'offered' | 'on-call' | 'wrap-up';
  /** End of after-call work, while `activity` is `wrap-up`. */
  wrapUpUntil: string | null;
}

/** A call-back task as the agent's list shows it (see docs/api-desktop.md). */
export interface TaskPush {
  id: number;
  kind: string;
  customerId: number | null;
  customerName: string | null;
  phone: string | null;
  dueAt: string;
  overdue: boolean;
  status: 'open' | 'done';
  complaintId: number | null;
  note: string | null;
}

/** A high-severity complaint was opened. */
export interface ComplaintAlert {
  kind: 'complaint';
  complaint: {
    id: number;
    customerId: number;
    severity: string;
    category: string;
    description: string;
    createdAt: string;
  };
}

/**
 * A queue's tile on the supervisor wall turned red (raised once when it does, not while it stays
 * red): today's service level fell below the queue's target, or a caller has waited longer than
 * the queue's limit.
 */
export interface QueueAlert {
  kind: WallAlertKind;
  queue: string;
  at: string;
  /** Today's service level (%) and the queue's target. */
  serviceLevelPct: number | null;
  serviceLevelTargetPct: number;
  /** Since when the longest-waiting caller waits, and the queue's limit (s). */
  longestWaitSince: string | null;
  maxWaitAlertSec: number;
}

/** `supervisor:alert`: to supervisors and admins. */
export type SupervisorAlert = ComplaintAlert | QueueAlert;

/** The call's recording as the agent's controls show it (pause while card details are given). */
export interface RecordingPush {
  callId: string;
  status: 'on' | 'paused' | 'failed';
}

/**
 * The link to Asterisk as every browser sees it: `open` (calls reach Hotline), `connecting` (lost,
 * reconnecting), `replaced` (another client took the ARI application: no calls until it is free).
 */
export interface TelephonyStatus {
  state: 'open' | 'connecting' | 'replaced' | 'closed';
  since: string;
}

/** Why a session ended: its sockets get `session:ended` and are then disconnected. */
export type SessionEndReason =
  'logout' | 'password-changed' | 'role-changed' | 'deactivated' | 'expired';

export interface ServerToClientEvents {
  /** On connect and at every change of the Asterisk link. */
  'telephony:status': (status: TelephonyStatus) => void;
  screenpop: (pop: ScreenPop, ack: () => void) => void;
  'call:update': (update: CallUpdate) => void;
  'call:recording': (push: RecordingPush) => void;
  'agent:state': (state: AgentStatePush) => void;
  'task:new': (task: TaskPush) => void;
  /** Supervisors (and admins) only. */
  'supervisor:alert': (alert: SupervisorAlert) => void;
  /**
   * The supervisor wall, to supervisors, admins and qa (numbers masked for qa): the whole wall on
   * connect and after `wall:resync`; then what changed, `seq` by `seq` (docs/api-wall.md).
   */
  'wall:snapshot': (snapshot: WallSnapshot) => void;
  'wall:delta': (delta: WallDelta) => void;
  /** The session this socket was opened with has ended; the server disconnects it next. */
  'session:ended': (ended: { reason: SessionEndReason }) => void;
}

export interface ClientToServerEvents {
  'agent:state': (
    body: { state: AgentStatePush['state']; reason?: string },
    ack: (result: { ok: true; state: AgentStatePush } | { ok: false; error: string }) => void,
  ) => void;
  /** The wall's client missed a delta (a gap in `seq`): send `wall:snapshot` again. */
  'wall:resync': (
    ack?: (result: { ok: true; seq: number } | { ok: false; error: string }) => void,
  ) => void;
}

export interface SocketData {
  userId: number;
  role: string;
  /** The session (token hash, never the token) the socket authenticated with. */
  sessionId: string;
}
