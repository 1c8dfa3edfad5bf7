import type { DialCampaign, DialContact, DialOutcome } from './dialer-types';
import { nextAttempt } from './retry';

/** When this contact is dialed again after `outcome`, or null when it is done with. */
export function retryAt(
  c: DialCampaign,
  contact: DialContact,
  outcome: DialOutcome,
  now: number,
): number | null {
  const next = nextAttempt({
    outcome,
    attempts: contact.attempts + 1,
    maxAttempts: c.maxAttempts,
    retryMinutes: c.retryMinutes,
    now,
    hours: c.hours,
    contactTz: contact.timezone,
    campaignTz: c.timezone,
  });
  return next.final ? null : next.at;
}
