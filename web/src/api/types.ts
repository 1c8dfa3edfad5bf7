/** Shapes of the HTTP API (docs/api-desktop.md); socket events come from the service's own types. */
export type {
  AgentStatePush,
  CallUpdate,
  CallUpdateState,
  PopComplaint,
  PopCustomer,
  PopHistoryItem,
  PopCampaign,
  PopContact,
  RecordingPush,
  ScreenPop,
  ServerToClientEvents,
  ClientToServerEvents,
  SupervisorAlert,
  TaskPush,
} from '../../../src/screenpop/agent-events';
import type { AgentStatePush, TaskPush } from '../../../src/screenpop/agent-events';

export type Role = 'agent' | 'supervisor' | 'qa' | 'admin';
export type AgentStateName = AgentStatePush['state'];
export type Activity = AgentStatePush['activity'];

export interface SessionUser {
  id: number;
  username: string;
  name: string;
  role: Role;
  extension: string | null;
}

export interface LoginResult {
  token: string;
  user: SessionUser;
}

export interface AgentView {
  userId: number;
  name: string;
  extension: string | null;
  state: AgentStateName;
  reason: string | null;
  since: string;
  activity: Activity;
  callId: string | null;
  connected: boolean;
  wrapUpUntil?: string | null;
}

export interface CodeLabel {
  code: string;
  label: string;
}

export interface Customer {
  id: number;
  name: string;
  company: string | null;
  tier: 'vip' | 'standard';
  ownerUserId: number | null;
  notes: string | null;
  phones: Array<{ e164: string; raw: string }>;
  createdAt: string;
  updatedAt: string;
}

export interface CustomerInput {
  name: string;
  company?: string | null;
  tier?: 'vip' | 'standard';
  phones: string[];
  ownerUserId?: number | null;
  notes?: string | null;
}

export interface CallRecord {
  id: string;
  direction: 'inbound' | 'outbound';
  callerNumber: string;
  dialedNumber: string;
  customerId: number | null;
  agentId: number | null;
  queue: string | null;
  startedAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  waitMs: number;
  talkMs: number;
  outcome: string | null;
  hangupCause: string | null;
  disposition?: string | null;
  notes?: string | null;
}

export interface Complaint {
  id: number;
  customerId: number;
  callId: string | null;
  category: string;
  severity: 'low' | 'medium' | 'high';
  description: string;
  ownerUserId: number | null;
  status: 'open' | 'resolved';
  promisedReplyAt: string | null;
  createdAt: string;
}

export type Task = TaskPush;
export type TaskResult = 'reached' | 'no-answer' | 'resolved' | 'other';

export interface User {
  id: number;
  username: string;
  name: string;
  role: Role;
  extension: string | null;
  createdAt?: string;
  skills?: string[];
  active?: boolean;
}

export interface Queue {
  name: string;
  dids?: string[];
  ringTimeoutSec?: number;
  ownerFirstSec?: number;
  serviceLevelSec?: number;
  skills?: string[];
  members?: number[];
  hours?: string[];
  timezone?: string;
  callbackOfferAfterSec?: number | null;
  /** always: recorded from the answer; never; on-demand: the agent starts it. */
  recording?: 'always' | 'never' | 'on-demand';
  /** Within its opening hours right now. */
  openNow?: boolean;
}

export type TransferTarget =
  | { type: 'agent'; userId: number }
  | { type: 'queue'; name: string }
  | { type: 'external'; number: string };

/* ---- Recordings and QA (docs/api-qa.md) ---- */

export interface Recording {
  id: string;
  callId: string;
  status: 'recording' | 'fetching' | 'stored' | 'error';
  durationMs: number | null;
  bytes: number | null;
  sha256: string | null;
  startedAt: string;
  endedAt: string | null;
  error: string | null;
}

export interface TimelineEvent {
  id?: number;
  at: string;
  type: string;
  agentId?: number | null;
  data: Record<string, unknown> | null;
}

export interface CallDetail extends CallRecord {
  recording: { id: string; durationMs: number } | null;
  recordings?: Recording[];
  timeline: TimelineEvent[];
}

export type QuestionType = 'yes-no' | 'scale';

export interface ScorecardQuestion {
  id: string;
  text: string;
  type: QuestionType;
  weight: number;
  critical?: boolean;
  allowNa?: boolean;
  scaleMax?: number;
}

export interface Scorecard {
  id: number;
  name: string;
  isDefault: boolean;
  sections: Array<{ title: string; questions: ScorecardQuestion[] }>;
  createdAt: string;
}

export interface SampleFilters {
  queue?: string;
  direction?: 'inbound' | 'outbound';
  minDurationSec?: number;
  outcome?: string;
  agentIds?: number[];
}

export interface SampleParams {
  from: string;
  to: string;
  perAgent?: number;
  percent?: number;
  seed?: string;
  filters?: SampleFilters;
  oversample?: { complaints?: boolean; lowSatisfaction?: boolean };
  reviewerIds: number[];
  scorecardId?: number;
}

export interface SampleItem {
  callId: string;
  agentId: number;
  agentName: string;
  reviewerId: number;
  status: 'pending' | 'done';
}

export interface SampleJob {
  id: number;
  seed: string;
  params: SampleParams;
  createdBy: number;
  createdAt: string;
  items?: SampleItem[];
}

export interface QueueItem {
  sampleId: number;
  callId: string;
  agentId: number;
  agentName: string;
  startedAt: string;
  talkMs: number;
  queue: string | null;
  recording: { id: string; durationMs: number | null } | null;
  scorecardId: number | null;
}

export type AnswerValue = 'yes' | 'no' | 'na' | number;

export interface EvaluationComment {
  atMs: number;
  text: string;
}

export interface Evaluation {
  id: number;
  callId: string;
  agentId: number;
  reviewerId: number;
  reviewerName: string;
  scorecardId: number;
  answers: Array<{ questionId: string; value: AnswerValue }>;
  comments: EvaluationComment[];
  summary: string | null;
  score: number;
  criticalFailed: boolean;
  agentResponse: null | 'acknowledged' | 'disputed';
  agentComment: string | null;
  submittedAt: string;
}

export interface AgentResult {
  agentId: number;
  agentName: string;
  evaluations: number;
  averageScore: number | null;
  criticalFails: number;
  weeks: Array<{ week: string; evaluations: number; averageScore: number | null }>;
}

/* ---- Outbound campaigns (docs/api-outbound.md) ---- */

export type CampaignMode = 'preview' | 'progressive' | 'predictive';
export type CampaignStatus = 'draft' | 'running' | 'paused' | 'stopped';

export interface CampaignDisposition {
  code: string;
  label: string;
  final: boolean;
  dnc?: boolean;
  callback?: boolean;
}

export interface CampaignStats {
  contacts: number;
  dialed: number;
  contacted: number;
  remaining: number;
  done: number;
  /** Percent (0–100, like `abandonCapPct`): abandoned ÷ answered by a person, last 30 days. */
  abandonRate30d: number;
  pacingRatio: number;
  agentsOnline: number;
}

export interface Campaign {
  id: number;
  name: string;
  queue: string;
  mode: CampaignMode;
  status: CampaignStatus;
  hours: { from: string; to: string; days?: string };
  timezone: string;
  maxAttempts: number;
  retryMinutes?: { busy: number; noAnswer: number; failed: number; machine: number };
  callerId: string;
  script: string;
  dispositions: CampaignDisposition[];
  recording?: 'always' | 'never' | 'on-demand';
  abandonCapPct: number;
  amd?: boolean;
  createdAt: string;
  /** GET /api/campaigns/:id only. */
  stats?: CampaignStats;
}

/** GET /api/campaigns: agents get the campaigns of the queues they serve. */
export interface CampaignListResult {
  campaigns: Campaign[];
  /** Ids of the campaigns the requesting user has joined. */
  joined?: number[];
}

export interface CampaignInput {
  name: string;
  queue: string;
  mode: CampaignMode;
  hours: { from: string; to: string; days?: string };
  timezone: string;
  maxAttempts: number;
  callerId: string;
  script: string;
  abandonCapPct: number;
}

export type ImportReason =
  | 'bad-phone'
  | 'missing-phone'
  | 'duplicate-in-file'
  | 'duplicate-in-campaign'
  | 'do-not-call'
  | 'unknown-agent';

export interface ImportRowError {
  row: number;
  /** One of ImportReason; a reason the service adds later still shows (its code). */
  reason: string;
  raw: string;
}

export interface ImportJob {
  id: number;
  status: 'running' | 'done' | 'failed';
  rows: number;
  accepted: number;
  rejected: number;
  duplicates: number;
  dnc: number;
  errors: ImportRowError[];
}
