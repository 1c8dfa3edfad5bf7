import type { Statements } from '../../db/statements';
import type { PopCampaign } from '../../screenpop/agent-events';

/** What the dialer needs of a campaign (the campaigns repo's rows, as the dialer reads them). */
export interface DialCampaign {
  id: number;
  name: string;
  queue: string;
  mode: 'preview' | 'progressive' | 'predictive';
  hours: { from: string; to: string; days?: string };
  timezone: string;
  maxAttempts: number;
  retryMinutes: { busy: number; noAnswer: number; failed: number; machine: number };
  callerId: string;
  script: string;
  dispositions: PopCampaign['dispositions'];
  abandonCapPct: number;
  /** The campaign's recording policy; it replaces its queue's for the campaign's calls. */
  recording: 'always' | 'never' | 'on-demand';
  /**
   * Answering-machine detection on answered customers (progressive, predictive): a machine is
   * hung up with outcome `machine`; a preview campaign's agent hears the line and decides.
   */
  amd: boolean;
}

export interface DialContact {
  id: number;
  campaignId: number;
  phone: string;
  timezone: string | null;
  fields: Record<string, string>;
  attempts: number;
  assignedUserId: number | null;
  /**
   * The telemarketer this contact belongs to right now: the owner of a pending call-back, else
   * the one it was assigned to at import (the morning distribution), else null (anyone).
   */
  ownerUserId: number | null;
}

export type DialOutcome = 'answered' | 'busy' | 'no-answer' | 'failed' | 'machine' | 'abandoned';

/**
 * The dialer's view of the database (campaigns, contacts, do-not-call, attempts): state lives
 * there, not in memory, so a restart neither double-dials nor loses attempts.
 */
export interface DialerStore {
  runningCampaigns(): Promise<DialCampaign[]>;
  joinedAgents(campaignId: number): Promise<number[]>;
  /**
   * Marks up to `limit` due contacts in-progress atomically and returns them. Due: status new or
   * scheduled, next_attempt_at null or <= now, attempts < maxAttempts (a pending call-back is due
   * whatever its attempts). Owners: `forUser` → contacts owned by that user first (call-backs,
   * then assigned), then unowned ones; `owners` → unowned ones or owned by one of those users;
   * no filter → unowned ones only. Oldest due first.
   */
  claimDue(
    campaignId: number,
    now: number,
    limit: number,
    filter?: { forUser?: number; owners?: number[] },
  ): Promise<DialContact[]>;
  /** Back to due (a skip, a rule that forbids dialing now), optionally not before `at`. */
  release(contactId: number, at?: number): Promise<void>;
  /**
   * The attempt's outcome and the contact's next step; `first` (closing the attempt's call
   * record) runs in the same transaction, so an attempt is one transaction, not two.
   */
  recordOutcome(
    contactId: number,
    o: { callId: string; outcome: DialOutcome; at: number; nextAttemptAt: number | null },
    first?: (tx: Statements) => Promise<void>,
  ): Promise<void>;
  markDnc(contactId: number): Promise<void>;
  isBlocked(phone: string, campaignId: number): Promise<boolean>;
  /** Which of these numbers are on the global list or this campaign's (one query). */
  blockedAmong(phones: readonly string[], campaignId: number): Promise<Set<string>>;
  /** Attempts of the last `windowMs` for the abandon rate and pacing. */
  recentAttempts(
    campaignId: number,
    since: number,
  ): Promise<Array<{ at: number; outcome: DialOutcome; talkMs: number }>>;
  /** Every in-progress contact back to due (tests and tools; the dialer uses `orphans`). */
  releaseStale(): Promise<number>;
  /**
   * In-progress contacts claimed before `before` (by an earlier run of the service), each with
   * its campaign and the latest call placed for it since the claim, if any.
   */
  orphans(before: number): Promise<Orphan[]>;
}

/** A contact an earlier run left in progress, and what became of its call. */
export interface Orphan {
  contact: DialContact;
  campaign: DialCampaign;
  /** null: claimed but never dialed. */
  call: { id: string; ended: boolean; outcome: string | null; recorded: boolean } | null;
}
