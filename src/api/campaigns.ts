import { z } from 'zod';
import { components, isoString } from './common';
import { numberRecord, phoneString } from './number-fields';

export const campaignModeSchema = z.enum(['preview', 'progressive', 'predictive']);
export type CampaignMode = z.infer<typeof campaignModeSchema>;
export const campaignStatusSchema = z.enum(['draft', 'running', 'paused', 'stopped']);
export type CampaignStatus = z.infer<typeof campaignStatusSchema>;
export const recordingModeSchema = z.enum(['always', 'never', 'on-demand']);
export type RecordingMode = z.infer<typeof recordingModeSchema>;

export const DEFAULT_MAX_ATTEMPTS = 3;
export const DEFAULT_ABANDON_CAP_PCT = 3;

const clockTime = z.string().regex(/^\d{2}:\d{2}$/, 'a time like 09:00');

/**
 * Calling hours, e.g. `{from:'09:00', to:'18:00', days:'mon-fri'}`. The server checks the rule
 * itself (outbound/campaigns/campaign-schema.ts) at this field.
 */
export const hoursFields = z.object({
  from: clockTime,
  to: clockTime,
  days: z.string().trim().min(1).max(100).optional(),
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
    /** A final disposition that is the campaign's goal (a sale): the reports' conversion. */
    success: z.boolean().optional(),
  })
  .refine((d) => !(d.dnc && d.callback), {
    message: 'a disposition cannot be both dnc and callback',
    path: ['callback'],
  })
  .refine((d) => !d.success || d.final, {
    message: 'only a final disposition can be a success',
    path: ['success'],
  });
export type CampaignDisposition = z.infer<typeof dispositionSchema>;

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
export const campaignFields = {
  name: z.string().trim().min(1).max(200),
  queue: z.string().trim().min(1).max(64),
  mode: campaignModeSchema,
  hours: hoursFields,
  /** An IANA time zone (checked by the server). */
  timezone: z.string(),
  maxAttempts: z.number().int().min(1).max(50),
  retryMinutes: retryMinutesSchema,
  callerId: z
    .string()
    .trim()
    .regex(/^\+?\d{2,20}$/, 'digits, optionally with a leading +'),
  script: z.string().max(20_000),
  dispositions: dispositionsSchema,
  recording: recordingModeSchema,
  abandonCapPct: z.number().min(0).max(100),
  amd: z.boolean(),
};

/** POST /api/campaigns (supervisor, admin): a draft campaign. */
export const campaignBody = z.object({
  ...campaignFields,
  maxAttempts: campaignFields.maxAttempts.default(DEFAULT_MAX_ATTEMPTS),
  retryMinutes: retryMinutesSchema.partial().default({}),
  script: campaignFields.script.default(''),
  dispositions: campaignFields.dispositions.optional(),
  recording: campaignFields.recording.default('always'),
  abandonCapPct: campaignFields.abandonCapPct.default(DEFAULT_ABANDON_CAP_PCT),
  amd: campaignFields.amd.default(false),
});
export type CampaignInput = z.input<typeof campaignBody>;

/** PUT /api/campaigns/:id: only the fields sent change (retryMinutes merges per outcome). */
export const campaignUpdateBody = z
  .object({ ...campaignFields, retryMinutes: retryMinutesSchema.partial() })
  .partial()
  .refine((b) => Object.keys(b).length > 0, { message: 'send at least one field' });

export const campaignSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    queue: z.string(),
    mode: campaignModeSchema,
    status: campaignStatusSchema,
    hours: z.object({ from: z.string(), to: z.string(), days: z.string().optional() }),
    timezone: z.string(),
    maxAttempts: z.number().int(),
    retryMinutes: z.object({
      busy: z.number(),
      noAnswer: z.number(),
      failed: z.number(),
      machine: z.number(),
    }),
    callerId: z.string(),
    script: z.string(),
    dispositions: z.array(
      z.object({
        code: z.string(),
        label: z.string(),
        final: z.boolean(),
        dnc: z.boolean().optional(),
        callback: z.boolean().optional(),
        success: z.boolean().optional(),
      }),
    ),
    recording: recordingModeSchema,
    abandonCapPct: z.number(),
    amd: z.boolean(),
    createdAt: isoString,
  })
  .register(components, { id: 'Campaign' });
export type Campaign = z.infer<typeof campaignSchema>;

export const campaignStatsSchema = z.object({
  contacts: z.number().int(),
  /** Contacts dialed at least once. */
  dialed: z.number().int(),
  /** Contacts with at least one answered attempt. */
  contacted: z.number().int(),
  /** Still to work: new, scheduled or being dialed. */
  remaining: z.number().int(),
  /** Finished: done or do-not-call. */
  done: z.number().int(),
  /** Percent (0–100, like `abandonCapPct`): abandoned ÷ answered by a person, last 30 days. */
  abandonRate30d: z.number(),
  pacingRatio: z.number(),
  /** Telemarketers joined to the campaign. */
  agentsOnline: z.number().int(),
});
export type CampaignStats = z.infer<typeof campaignStatsSchema>;

/** GET /api/campaigns/:id. */
export const campaignDetailResponse = campaignSchema.extend({ stats: campaignStatsSchema });

/** GET /api/campaigns: agents get the campaigns of the queues they serve. */
export const campaignsListResponse = z.object({
  campaigns: z.array(campaignSchema),
  /** Ids of the campaigns the requesting user has joined. */
  joined: z.array(z.number().int()),
});

export const joinResponse = z.object({ campaignId: z.number().int(), joined: z.boolean() });

export const CONTACT_STATUSES = ['new', 'scheduled', 'in-progress', 'done', 'dnc'] as const;
export const contactStatusSchema = z.enum(CONTACT_STATUSES);
export const DIAL_OUTCOMES = [
  'answered',
  'busy',
  'no-answer',
  'failed',
  'machine',
  'abandoned',
] as const;
export const dialOutcomeSchema = z.enum(DIAL_OUTCOMES);

/** GET /api/campaigns/:id/contacts (supervisor, admin). */
export const contactsQuery = z.object({
  status: contactStatusSchema.optional(),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const contactSchema = numberRecord(
  'contact',
  z.object({
    id: z.number().int(),
    campaignId: z.number().int(),
    phone: phoneString('contact.phone'),
    region: z.string().nullable(),
    timezone: z.string().nullable(),
    fields: z.record(z.string(), z.string()),
    assignedUserId: z.number().int().nullable(),
    status: contactStatusSchema,
    attempts: z.number().int(),
    nextAttemptAt: isoString.nullable(),
    lastOutcome: dialOutcomeSchema.nullable(),
    callbackAt: isoString.nullable(),
    callbackUserId: z.number().int().nullable(),
  }),
).register(components, { id: 'Contact' });
export type Contact = z.infer<typeof contactSchema>;
export const contactsListResponse = z.object({
  contacts: z.array(contactSchema),
  total: z.number().int(),
});
