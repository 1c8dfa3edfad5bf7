/**
 * A campaign as the outbound API shows and accepts it (docs/api-outbound.md): the shapes are in
 * src/api/campaigns.ts; here the server adds the checks that need its own code (calling hours,
 * time zones) at the same fields, and the defaults that are not part of the shape.
 */
import { z } from 'zod';
import {
  campaignBody as apiCampaignBody,
  campaignFields,
  campaignUpdateBody as apiCampaignUpdateBody,
  hoursFields,
  type Campaign,
} from '../../api/campaigns';
import { isTimeZone } from '../../routing/opening-hours';
import { parseCallingHours } from '../dialing/calling-hours';

export {
  DEFAULT_ABANDON_CAP_PCT,
  DEFAULT_MAX_ATTEMPTS,
  dispositionSchema,
  dispositionsSchema,
  retryMinutesSchema,
  type Campaign,
  type CampaignDisposition,
  type CampaignMode,
  type CampaignStatus,
  type RecordingMode,
} from '../../api/campaigns';
import type { CampaignDisposition } from '../../api/campaigns';

export const DEFAULT_RETRY_MINUTES: Campaign['retryMinutes'] = {
  busy: 10,
  noAnswer: 60,
  failed: 30,
  machine: 240,
};
export const DEFAULT_DISPOSITIONS: readonly CampaignDisposition[] = [
  { code: 'sale', label: 'Sale', final: true, success: true },
  { code: 'not-interested', label: 'Not interested', final: true },
  { code: 'call-back', label: 'Call back', final: false, callback: true },
  { code: 'wrong-number', label: 'Wrong number', final: true },
  { code: 'do-not-call', label: 'Do not call', final: true, dnc: true },
];

export const hoursSchema = hoursFields.superRefine((h, ctx) => {
  try {
    parseCallingHours(h);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
  }
});
const timezone = campaignFields.timezone.refine(isTimeZone, 'unknown time zone');

/** POST /api/campaigns. */
export const campaignBody = apiCampaignBody.extend({ hours: hoursSchema, timezone });

/** PUT /api/campaigns/:id: only the fields sent change (retryMinutes merges per outcome). */
export const campaignUpdateBody = apiCampaignUpdateBody.safeExtend({
  hours: hoursSchema.optional(),
  timezone: timezone.optional(),
});

export type CampaignInput = z.output<typeof campaignBody>;
export type CampaignPatch = z.output<typeof campaignUpdateBody>;
