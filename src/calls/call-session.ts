import type { Customer } from '../customers/customers-repo';
import type { QueueInfo } from '../routing/queues';
import type { Logger } from '../shared/logger';
import type { PopCampaign, PopContact, ScreenPop } from '../screenpop/agent-events';
import type { MonitorLeg } from './monitor';
import { transition, type CallEvent, type CallState, type Outcome } from './call-state';

/** A consultation or transfer leg: another agent or an external number being rung or talking. */
export interface ConsultLeg {
  channelId: string;
  target:
    | { type: 'agent'; userId: number }
    | { type: 'queue'; name: string }
    | { type: 'external'; number: string };
  /** The agent rung (target agent, or the one picked in the target queue); null = external. */
  agentId: number | null;
  /** attended: the transferring agent talks to the target first; blind: straight through. */
  mode: 'attended' | 'blind';
  answered: boolean;
  /** The agent who asked for the transfer. */
  byAgentId: number | null;
  timer: NodeJS.Timeout | null;
}

/**
 * The post-call satisfaction survey (handlers/survey.ts): the agent hung up first and has left
 * the call; the caller, still in the app, is asked for a score from 1 to 5.
 */
export interface SurveyStage {
  /** The agent the caller is asked about (the one who hung up). */
  readonly agentId: number;
  /** When the agent hung up: where the talk ended and the survey began. */
  readonly startedAt: number;
  /** How the agent's leg ended: the call's hang-up cause (the agent hung up first). */
  readonly agentCause: { code: number; text: string } | null;
  /** The prompt now playing (question, re-prompt, thanks): its playback id. */
  playbackId: string | null;
  /** The one re-prompt after a key that is not 1-5 has been used. */
  reprompted: boolean;
  /** Recorded (a score, or why none): later keys mean nothing. */
  result: 'answered' | 'unanswered' | null;
  /** What ends the current wait: silence after a prompt, a prompt that never ends. */
  deadline: NodeJS.Timeout | null;
  /** The caller's keys, handled one after the other. */
  keys: Promise<void>;
}

/** One inbound call as the engine holds it while it is live. Plain data plus two helpers. */
export interface CallSession {
  readonly id: string;
  /** inbound: a carrier call; outbound: a call-back, preview or campaign call Hotline placed. */
  readonly direction: 'inbound' | 'outbound';
  state: CallState;
  readonly callerChannelId: string;
  bridgeId: string | null;
  /** The channel hearing the waiting music (call-bridge.ts), while it plays. */
  musicChannelId: string | null;
  readonly callerRaw: string;
  readonly callerE164: string | null;
  readonly dialedNumber: string;
  customers: Customer[];
  /** The account owner, when exactly one customer matched and has one. */
  ownerUserId: number | null;
  queue: QueueInfo;
  /** Higher first in the queue: 1 for VIP callers. */
  priority: number;
  /** Only this agent may be offered the call until this time (a busy account owner). */
  reservedFor: { userId: number; until: number } | null;
  /** Transferred to one agent: only they are offered the call (once; then the queue). */
  targetAgentId: number | null;
  readonly startedAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  /** The agent being rung or talking, and their leg. */
  agentId: number | null;
  agentChannelId: string | null;
  attempts: number;
  ringTimer: NodeJS.Timeout | null;
  /** Hang-up causes seen per channel (ChannelHangupRequest / ChannelDestroyed). */
  causes: Map<string, { code: number; text: string }>;
  /**
   * The recording notice ("this call may be recorded"): null if none was played to this caller,
   * else whether it is playing, was heard, or could not be played (policy: no recording then).
   */
  consent: 'playing' | 'played' | 'failed' | null;
  /** The playback whose end moves the call on, and what happens then. */
  playbackId: string | null;
  onPlaybackDone: (() => Promise<void>) | null;
  /** The caller has been offered a call-back: a "1" now means yes. */
  callbackOffered: boolean;
  /** Set by flows that decide the outcome themselves (call-back, closed). */
  outcome: Outcome | null;
  /** Called once when the call has ended, with its outcome (the call-back dialer's bookkeeping). */
  onEnded: ((outcome: Outcome) => Promise<void>) | null;
  /** Only these agents may be offered the call (a campaign's joined telemarketers); null = any. */
  allowedAgents: Set<number> | null;
  /** A campaign call: what the pop shows and where its outcome goes. */
  outbound: { campaign: PopCampaign; contact: PopContact } | null;
  /** The recording of the call's bridge in progress, if any. */
  recording: {
    id: string;
    name: string;
    paused: boolean;
    /** Settles once Asterisk has started (or refused) it: pause and resume wait for it. */
    started: Promise<void>;
  } | null;
  /** The transfer in progress, if any. */
  consult: ConsultLeg | null;
  /** A supervisor or QA monitor listening, whispering or barging (monitor.ts); one at a time. */
  monitor: MonitorLeg | null;
  /** The satisfaction survey under way (state `surveying`), if any. */
  survey: SurveyStage | null;
  /** Timers other than the ring timer (owner-first window); cleared when the call ends. */
  timers: NodeJS.Timeout[];
  readonly log: Logger;
  /** Database writes of this call, in order; never rejects. */
  writes: Promise<void>;
  /**
   * The caller answered into the call's bridge with music: true when done, false when it failed.
   * An inbound call is offered to an agent while this is still under way; the agent's leg waits
   * for it before it is bridged.
   */
  media: Promise<boolean>;
  /** The first offer's pop, read as soon as the caller is matched (before an agent is free). */
  popPrefetch: Promise<ScreenPop> | null;
}

export function newSession(init: {
  id: string;
  /** Absent: inbound. */
  direction?: 'inbound' | 'outbound';
  callerChannelId: string;
  callerRaw: string;
  callerE164: string | null;
  dialedNumber: string;
  queue: QueueInfo;
  startedAt: number;
  log: Logger;
}): CallSession {
  return {
    ...init,
    direction: init.direction ?? 'inbound',
    state: 'new',
    bridgeId: null,
    musicChannelId: null,
    customers: [],
    ownerUserId: null,
    priority: 0,
    reservedFor: null,
    targetAgentId: null,
    answeredAt: null,
    endedAt: null,
    agentId: null,
    agentChannelId: null,
    attempts: 0,
    ringTimer: null,
    causes: new Map(),
    playbackId: null,
    onPlaybackDone: null,
    callbackOffered: false,
    outcome: null,
    consult: null,
    monitor: null,
    survey: null,
    recording: null,
    consent: null,
    outbound: null,
    allowedAgents: null,
    onEnded: null,
    timers: [],
    writes: Promise.resolve(),
    media: Promise.resolve(true),
    popPrefetch: null,
  };
}

/** Applies an event through the transition table; false (and a debug line) if not allowed now. */
export function fire(s: CallSession, event: CallEvent): boolean {
  const next = transition(s.state, event);
  if (!next) {
    s.log.debug({ state: s.state, event }, 'call event ignored in this state');
    return false;
  }
  s.log.debug({ from: s.state, to: next, event }, 'call state');
  s.state = next;
  return true;
}

/** Queues a database write after the call's earlier ones; failures are logged, never thrown. */
export function persist(
  s: CallSession,
  what: string,
  write: () => Promise<unknown>,
): Promise<void> {
  s.writes = s.writes
    .then(
      () => write().then(() => undefined),
      () => undefined,
    )
    .catch((err: unknown) => {
      s.log.error({ err, what }, 'call record write failed');
    });
  return s.writes;
}

export function clearRingTimer(s: CallSession): void {
  if (s.ringTimer) clearTimeout(s.ringTimer);
  s.ringTimer = null;
}

export function clearTimers(s: CallSession): void {
  clearRingTimer(s);
  for (const t of s.timers) clearTimeout(t);
  s.timers = [];
}
