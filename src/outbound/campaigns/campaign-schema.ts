/**
 * A campaign as the outbound API shows and accepts it (docs/api-outbound.md): the zod schemas of
 * POST/PUT /api/campaigns, the defaults, and the Campaign shape.
 */
import { z } from 'zod';
import { isTimeZone } from '../../routing/opening-hours';
import type { PopCampaign } from '../../screenpop/agent-events';
import { parseCallingHours } from '../dialing/calling-hours';

export type CampaignDisposition = PopCampaign['dispositions'][number];
export type CampaignMode = 'preview' | 'progressive' | 'predictive';
export type CampaignStatus = 'draft' | 'running' | 'paused' | 'stopped';
export type RecordingMode = 'always' | 'never' | 'on-demand';

export interface Campaign {
  id: number;
  name: string;
  queue: string;
  mode: CampaignMode;
  status: CampaignStatus;
  hours: { from: string; to: string; days?: string };
  timezone: string;
  maxAttempts: number;
  retryMinutes: { busy: number; noAnswer: number; failed: number; machine: number };
  callerId: string;
  script: string;
  dispositions: CampaignDisposition[];
  recording: RecordingMode;
  abandonCapPct: number;
  amd: boolean;
  createdAt: string;
}

export const DEFAULT_MAX_ATTEMPTS = 3;
export const DEFAULT_RETRY_MINUTES: Campaign['retryMinutes'] = {
  busy: 10,
  noAnswer: 60,
  failed: 30,
  machine: 240,
};
export const DEFAULT_ABANDON_CAP_PCT = 3;
export const DEFAULT_DISPOSITIONS: readonly CampaignDisposition[] = [
  { code: 'sale', label: 'Sale', final: true },
  { code: 'not-interested', label: 'Not interested', final: true },
  { code: 'call-back', label: 'Call back', final: false, callback: true },
  { code: 'wrong-number', label: 'Wrong number', final: true },
  { code: 'do-not-call', label: 'Do not call', final: true, dnc: true },
];

const clockTime = z.string().regex(/^\d{2}:\d{2}$/, 'a time like 09:00');

export const hoursSchema = z
  .object({
    from: clockTime,
    to: clockTime,
    days: z.string().trim().min(1).max(100).optional(),
  })
  .superRefine((h, ctx) => {
    try {
      parseCallingHours(h);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
    }
  });

const minutes = z
  .number()
  .int()
  .min(0)
  .max(60 * 24 * 30);

export const retryMinutesSchema = z.object({
  busy: minutes,
  noAnswer: minutes,
  failed: minutes,
  machine: minutes,
});

export const dispositionSchema = z
  .object({
    code: z
      .string()
      .trim()
      .min(1)
      .max(32)
      .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only'),
    label: z.string().trim().min(1).max(100),
    final: z.boolean(),
    dnc: z.boolean().optional(),
    callback: z.boolean().optional(),
  })
  .refine((d) => !(d.dnc && d.callback), {
    message: 'a disposition cannot be both dnc and callback',
    path: ['callback'],
  });

export const dispositionsSchema = z
  .array(dispositionSchema)
  .min(1)
  .max(50)
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((d, i) => {
      if (seen.has(d.code))
        ctx.addIssue({ code: 'custom', path: [i, 'code'], message: `duplicate code "${d.code}"` });
      seen.add(d.code);
    });
  });

/** Every field of a campaign a supervisor sets, none with a default (PUT sends only changes). */
const fields = {
  name: z.string().trim().min(1).max(200),
  queue: z.string().trim().min(1).max(64),
  mode: z.enum(['preview', 'progressive', 'predictive']),
  hours: hoursSchema,
  timezone: z.string().refine(isTimeZone, 'unknown time zone'),
  maxAttempts: z.number().int().min(1).max(50),
  retryMinutes: retryMinutesSchema,
  callerId: z
    .string()
    .trim()
    .regex(/^\+?\d{2,20}$/, 'digits, optionally with a leading +'),
  script: z.string().max(20_000),
  dispositions: dispositionsSchema,
  recording: z.enum(['always', 'never', 'on-demand']),
  abandonCapPct: z.number().min(0).max(100),
  amd: z.boolean(),
};

/** POST /api/campaigns. */
export const campaignBody = z.object({
  ...fields,
  maxAttempts: fields.maxAttempts.default(DEFAULT_MAX_ATTEMPTS),
  retryMinutes: retryMinutesSchema.partial().default({}),
  script: fields.script.default(''),
  dispositions: fields.dispositions.optional(),
  recording: fields.recording.default('always'),
  abandonCapPct: fields.abandonCapPct.default(DEFAULT_ABANDON_CAP_PCT),
  amd: fields.amd.default(false),
});

/** PUT /api/campaigns/:id: only the fields sent change (retryMinutes merges per outcome). */
export const campaignUpdateBody = z
  .object({ ...fields, retryMinutes: retryMinutesSchema.partial() })
  .partial()
  .refine((b) => Object.keys(b).length > 0, { message: 'send at least one field' });

export type CampaignInput = z.output<typeof campaignBody>;
export type CampaignPatch = z.output<typeof campaignUpdateBody>;
