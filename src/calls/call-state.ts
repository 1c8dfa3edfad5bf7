import { OUTCOMES } from '../api/calls';

/**
 * The inbound call's states and the only transitions allowed between them. Pure: the session
 * asks `transition(state, event)` and acts on the answer; anything else is a bug or a stale
 * ARI event, and is logged and ignored.
 *
 *   new ──answered──► queued ──offered──► ringing ──agent-answered──► talking ──hangup──► ended
 *                      ▲  │                 │                        hold ▲│ resume      ▲
 *                      │  │                 │                             │▼             │
 *                      │  │                 │                            held ──hangup───┘
 *                      │  └─no-agents──► announcing ──announced──►  ended
 *                      └──agent-missed──────┘, and `transferred` from talking / held
 *   (caller-hangup / failed from any live state)
 *
 * Transfers: talking/held ──consult──► consulting (caller on hold, the agent talks to the
 * target) ──consult-complete──► talking (caller with the target) | ──consult-cancel──► talking.
 * Blind to an external number: talking/held ──transfer-out──► transferring (caller hears music,
 * the number rings) ──consult-complete──► talking | ──consult-failed──► queued (back to the queue).
 *
 * Call-backs (outbound, agent first): new ──dial──► dialing (the agent is on the line, the
 * customer rings; the customer's leg plays the caller's part) ──callee-answered──► talking.
 *
 * Satisfaction survey (a queue with `survey: after-agent-hangup`): the agent hangs up first,
 * talking/held ──survey──► surveying (the agent is gone, into wrap-up; the caller, still in the
 * app, hears the question and presses 1-5) ──survey-done──► ended (answered, no answer, or a
 * prompt that failed); the caller hanging up during it is the usual caller-hangup.
 */
export const CALL_STATES = [
  'new',
  'queued',
  'ringing',
  'talking',
  'held',
  'consulting',
  'transferring',
  'dialing',
  'announcing',
  'surveying',
  'ended',
] as const;
export type CallState = (typeof CALL_STATES)[number];

export type CallEvent =
  | 'caller-answered'
  | 'offered'
  | 'agent-answered'
  | 'agent-missed'
  | 'no-agents'
  | 'announced'
  | 'caller-hangup'
  | 'agent-hangup'
  | 'hold'
  | 'resume'
  | 'transferred'
  | 'closed'
  | 'callback-accepted'
  | 'consult'
  | 'consult-complete'
  | 'consult-cancel'
  | 'transfer-out'
  | 'consult-failed'
  | 'dial'
  | 'callee-answered'
  | 'survey'
  | 'survey-done'
  | 'failed';

const TABLE: Record<CallState, Partial<Record<CallEvent, CallState>>> = {
  new: { 'caller-answered': 'queued', dial: 'dialing', 'caller-hangup': 'ended', failed: 'ended' },
  // An outbound call-back: the agent is on the line, the customer's number rings.
  dialing: {
    'callee-answered': 'talking',
    'caller-hangup': 'ended',
    'agent-hangup': 'ended',
    failed: 'ended',
  },
  queued: {
    offered: 'ringing',
    'no-agents': 'announcing',
    closed: 'announcing',
    'callback-accepted': 'announcing',
    'caller-hangup': 'ended',
    failed: 'ended',
  },
  ringing: {
    'agent-answered': 'talking',
    'agent-missed': 'queued',
    'caller-hangup': 'ended',
    failed: 'ended',
  },
  talking: {
    survey: 'surveying',
    hold: 'held',
    transferred: 'queued',
    consult: 'consulting',
    'transfer-out': 'transferring',
    'caller-hangup': 'ended',
    'agent-hangup': 'ended',
    failed: 'ended',
  },
  held: {
    survey: 'surveying',
    resume: 'talking',
    transferred: 'queued',
    consult: 'consulting',
    'transfer-out': 'transferring',
    'caller-hangup': 'ended',
    'agent-hangup': 'ended',
    failed: 'ended',
  },
  consulting: {
    'consult-complete': 'talking',
    'consult-cancel': 'talking',
    'caller-hangup': 'ended',
    'agent-hangup': 'ended',
    failed: 'ended',
  },
  transferring: {
    'consult-complete': 'talking',
    'consult-failed': 'queued',
    'caller-hangup': 'ended',
    failed: 'ended',
  },
  announcing: {
    announced: 'ended',
    'callback-accepted': 'announcing',
    'caller-hangup': 'ended',
    failed: 'ended',
  },
  // The agent hung up first: only the caller is left, answering the satisfaction survey.
  surveying: {
    'survey-done': 'ended',
    'caller-hangup': 'ended',
    failed: 'ended',
  },
  ended: {},
};

export function transition(state: CallState, event: CallEvent): CallState | null {
  return TABLE[state][event] ?? null;
}

/** The outcomes are the API's (src/api/calls.ts): one list for the engine, the API and the web. */
export type Outcome = (typeof OUTCOMES)[number];
export { OUTCOMES };

/** The outcome a call ends with, from the state it was in when it ended. */
export function outcomeOf(
  lastLiveState: CallState,
  event: CallEvent,
  everAnswered = false,
): Outcome {
  const answered =
    everAnswered ||
    isConnected(lastLiveState) ||
    lastLiveState === 'transferring' ||
    lastLiveState === 'surveying';
  if (event === 'failed') return answered ? 'answered' : 'failed';
  if (answered) return 'answered';
  if (lastLiveState === 'announcing') return 'no-agent';
  return 'abandoned';
}

/** An agent is connected to the caller (talking, holding them, or consulting about them). */
export const isConnected = (state: CallState) =>
  state === 'talking' || state === 'held' || state === 'consulting';
