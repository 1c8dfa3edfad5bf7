/**
 * What happens to a contact after a call attempt: done, or due again at some time. Pure; the
 * dialer stores the answer (`nextAttemptAt`) so a restart loses nothing.
 */
import type { DialOutcome } from './dialer-types';
import { nextCallableAt, type CallingHours } from './calling-hours';

export interface RetryMinutes {
  busy: number;
  noAnswer: number;
  failed: number;
  machine: number;
}

export interface RetryInput {
  outcome: DialOutcome;
  /** Attempts made so far, including the one whose outcome this is. */
  attempts: number;
  maxAttempts: number;
  retryMinutes: RetryMinutes;
  now: number;
  hours: CallingHours;
  contactTz: string | null;
  campaignTz: string;
}

export type RetryDecision =
  { final: true; reason: 'answered' | 'max-attempts' } | { final: false; at: number };

const MINUTE = 60_000;

/**
 * The retry delay of an outcome. `abandoned` uses the no-answer delay: the person picked up and
 * was not served (they heard the apology message), so they are called back soon, not after the
 * long machine delay. `answered` has no delay: an answered call is settled by its disposition.
 */
export function retryDelayMinutes(outcome: DialOutcome, m: RetryMinutes): number | null {
  switch (outcome) {
    case 'busy':
      return m.busy;
    case 'no-answer':
    case 'abandoned':
      return m.noAnswer;
    case 'failed':
      return m.failed;
    case 'machine':
      return m.machine;
    case 'answered':
      return null;
  }
}

/**
 * After an attempt: an answered call is final (its disposition may still ask for a call-back,
 * see `callbackAt`/`afterDisposition`); any other outcome is retried after its delay, moved into
 * the contact's calling hours, unless `maxAttempts` attempts have been made (an abandoned call
 * counts as an attempt too: the number was dialed, and the cap bounds how often a person is rung).
 */
export function nextAttempt(i: RetryInput): RetryDecision {
  const delay = retryDelayMinutes(i.outcome, i.retryMinutes);
  if (delay === null) return { final: true, reason: 'answered' };
  if (i.attempts >= i.maxAttempts) return { final: true, reason: 'max-attempts' };
  const due = i.now + Math.max(0, delay) * MINUTE;
  return { final: false, at: nextCallableAt(due, i.hours, i.contactTz, i.campaignTz) };
}

export interface CallbackInput {
  /** The time the person asked for (from the wrap-up's `callbackAt`), if any. */
  requested?: number | null;
  now: number;
  hours: CallingHours;
  contactTz: string | null;
  campaignTz: string;
  /** When no time was given: call back after this many minutes (default 60). */
  defaultMinutes?: number;
}

/**
 * When to ring a contact whose disposition was call-back: the requested time (not in the past),
 * moved into calling hours — a call-back time the agent typed outside hours is kept within them
 * rather than ringing someone at night. A promised call-back does not consume `maxAttempts`.
 */
export function callbackAt(i: CallbackInput): number {
  const want =
    i.requested !== null && i.requested !== undefined && Number.isFinite(i.requested)
      ? Math.max(i.now, i.requested)
      : i.now + (i.defaultMinutes ?? 60) * MINUTE;
  return nextCallableAt(want, i.hours, i.contactTz, i.campaignTz);
}

export interface DispositionInput extends Omit<RetryInput, 'outcome'> {
  disposition: { code: string; final: boolean; dnc?: boolean; callback?: boolean };
  requestedCallbackAt?: number | null;
}

export type DispositionDecision =
  | { final: true; reason: 'dnc' | 'disposition' | 'max-attempts' }
  | { final: false; at: number; callback: boolean };

/**
 * The contact's fate after an answered call's wrap-up: do-not-call and final dispositions end it;
 * call-back schedules it (`callbackAt`, regardless of attempts); a non-final disposition without
 * call-back (a campaign's own, e.g. "left a message") is retried like a no-answer.
 */
export function afterDisposition(i: DispositionInput): DispositionDecision {
  const d = i.disposition;
  if (d.dnc) return { final: true, reason: 'dnc' };
  if (d.callback)
    return {
      final: false,
      callback: true,
      at: callbackAt({ ...i, requested: i.requestedCallbackAt ?? null }),
    };
  if (d.final) return { final: true, reason: 'disposition' };
  const r = nextAttempt({ ...i, outcome: 'no-answer' });
  return r.final
    ? { final: true, reason: 'max-attempts' }
    : { final: false, at: r.at, callback: false };
}
