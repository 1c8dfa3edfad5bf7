import type { Db } from '../../db/index';
import { num } from '../../db/index';
import type { Clock } from '../../shared/clock';
import type { CampaignDisposition } from '../campaigns/campaign-schema';
import { toCampaign, type CampaignRow, type ContactRow } from '../campaigns/campaign-rows';
import type { DncRepo } from '../dnc/dnc-repo';
import { afterDisposition } from './retry';

export interface AppliedDisposition {
  campaignId: number;
  contactId: number;
  disposition: CampaignDisposition;
  /** The call-back time the agent asked for (a `callback` disposition), epoch ms. */
  callbackAt: number | null;
  userId: number;
  /** Defaults to the clock's now (the wrap-up hook does not pass it). */
  now?: number;
}

/**
 * The contact's fate after a campaign call's wrap-up (`afterDisposition`): do-not-call adds the
 * number to the campaign's list and ends the contact; call-back schedules it for this agent at
 * the asked time (within calling hours); a final disposition ends it; any other is retried like
 * a no-answer, or ends at the attempt limit. A contact of another campaign, or gone, is left alone.
 */
export function createApplyDisposition(db: Db, dnc: Pick<DncRepo, 'add'>, clock: Clock) {
  return async function applyDisposition(o: AppliedDisposition): Promise<void> {
    const now = o.now ?? clock.now();
    await db.transaction(async (trx) => {
      const contact = await trx('campaign_contacts')
        .where({ id: o.contactId, campaign_id: o.campaignId })
        .first<ContactRow | undefined>();
      const row = await trx('campaigns')
        .where({ id: o.campaignId })
        .first<CampaignRow | undefined>();
      if (!contact || !row) return;
      const c = toCampaign(row);
      const decision = afterDisposition({
        disposition: o.disposition,
        requestedCallbackAt: o.callbackAt,
        attempts: num(contact.attempts),
        maxAttempts: c.maxAttempts,
        retryMinutes: c.retryMinutes,
        now,
        hours: c.hours,
        contactTz: contact.timezone,
        campaignTz: c.timezone,
      });
      const base = {
        last_disposition: o.disposition.code,
        claimed_at: null,
        updated_at: now,
      };
      const ended = { next_attempt_at: null, callback_at: null, callback_user_id: null };
      let update: Record<string, unknown>;
      if (decision.final && decision.reason === 'dnc') {
        await dnc.add(
          {
            phone: contact.phone,
            campaignId: o.campaignId,
            reason: `disposition ${o.disposition.code}`,
            userId: o.userId,
          },
          trx,
        );
        update = { ...base, ...ended, status: 'dnc' };
      } else if (decision.final) update = { ...base, ...ended, status: 'done' };
      else if (decision.callback)
        update = {
          ...base,
          status: 'scheduled',
          next_attempt_at: decision.at,
          callback_at: decision.at,
          callback_user_id: o.userId,
        };
      else
        update = {
          ...base,
          status: 'scheduled',
          next_attempt_at: decision.at,
          callback_at: null,
          callback_user_id: null,
        };
      await trx('campaign_contacts').where({ id: contact.id }).update(update);
    });
  };
}
