/**
 * Shapes of the HTTP API: the service's own zod schemas (src/api, the source of
 * /api/openapi.json), so that the browser and the service cannot disagree on a body. Socket
 * events come from the service's typed events (src/screenpop/agent-events.ts).
 */
import type { z } from 'zod';
import type {
  Campaign as ApiCampaign,
  CampaignStats,
  campaignsListResponse,
  UserDetail,
} from '../../../src/api';
import type { TaskPush } from '../../../src/screenpop/agent-events';

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
  TelephonyStatus,
} from '../../../src/screenpop/agent-events';

export type {
  AccessAction,
  AccessAuditEntry,
  Activity,
  AgentResult,
  AgentStateName,
  AgentView,
  AnswerValue,
  CallDetail,
  CallRecord,
  CallReveal,
  CampaignDisposition,
  CampaignInput,
  CampaignMode,
  CampaignStats,
  CampaignStatus,
  CodeLabel,
  Complaint,
  Customer,
  CustomerInput,
  CustomerReveal,
  Evaluation,
  EvaluationComment,
  ImportReason,
  ImportRowError,
  LoginResult,
  QueueItem,
  QuestionType,
  Recording,
  Role,
  SampleFilters,
  SampleItem,
  SampleJob,
  SampleParams,
  Scorecard,
  ScorecardQuestion,
  SessionUser,
  TaskResult,
  TimelineEvent,
  TransferTarget,
} from '../../../src/api';

/** A user as GET/POST/PUT /api/users show it (with skills and whether active). */
export type User = UserDetail;
/** GET /api/queues. */
export type { QueueView as Queue } from '../../../src/api';
/** A campaign; `stats` on GET /api/campaigns/:id only. */
export type Campaign = ApiCampaign & { stats?: CampaignStats };
/** GET /api/campaigns: agents get the campaigns of the queues they serve. */
export type CampaignListResult = z.output<typeof campaignsListResponse>;
/** Call-back tasks: GET /api/tasks gives the whole API task, `task:new` pushes this part of it. */
export type Task = TaskPush;
/** GET /api/imports/:id. */
export type { ImportReport as ImportJob } from '../../../src/api';
