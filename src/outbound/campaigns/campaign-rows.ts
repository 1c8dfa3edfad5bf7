/**
 * Rows of `campaigns` and `campaign_contacts` (migration 006) and their API shapes. JSON columns
 * are parsed here; bigint times come back as strings from PostgreSQL (`num`).
 */
import { CONTACT_STATUSES, type Contact as ApiContact } from '../../api/campaigns';
import { num } from '../../db/index';
import { isoOf } from '../../shared/clock';
import type {
  Campaign,
  CampaignDisposition,
  CampaignMode,
  CampaignStatus,
} from './campaign-schema';
import { DEFAULT_RETRY_MINUTES } from './campaign-schema';
import type { DialCampaign, DialOutcome } from '../dialing/dialer-types';

export interface CampaignRow {
  id: number;
  name: string;
  queue: string;
  mode: string;
  status: string;
  hours: string;
  timezone: string;
  max_attempts: number;
  retry_minutes: string;
  caller_id: string;
  script: string;
  dispositions: string;
  recording: string;
  abandon_cap_pct: number | string;
  amd: boolean | number;
  created_by: number | null;
  created_at: number | string;
  updated_at: number | string;
}

export { CONTACT_STATUSES };
export type ContactStatus = (typeof CONTACT_STATUSES)[number];

export interface ContactRow {
  id: number;
  campaign_id: number;
  import_id: number | null;
  phone: string;
  region: string | null;
  timezone: string | null;
  fields: string;
  assigned_user_id: number | null;
  status: string;
  attempts: number | string;
  next_attempt_at: number | string | null;
  last_outcome: string | null;
  last_disposition: string | null;
  callback_at: number | string | null;
  callback_user_id: number | null;
  claimed_at: number | string | null;
  created_at: number | string;
  updated_at: number | string;
}

/** A contact as GET /api/campaigns/:id/contacts shows it. */
/** A contact as GET /api/campaigns/:id/contacts shows it (src/api/campaigns.ts). */
export type Contact = ApiContact;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** The dialer's outcomes (dialing/dialer-types.ts) and the API's (src/api/campaigns.ts) agree. */
const outcomesAgree: Same<DialOutcome, NonNullable<ApiContact['lastOutcome']>> = true;
void outcomesAgree;

function parseJson(text: string | null | undefined): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A contact's custom fields as strings (a list may have stored numbers). */
export function parseFields(text: string | null | undefined): Record<string, string> {
  const v = parseJson(text);
  if (!isRecord(v)) return {};
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v))
    if (typeof x === 'string') out[k] = x;
    else if (typeof x === 'number' || typeof x === 'boolean') out[k] = String(x);
    else if (x !== null && x !== undefined) out[k] = JSON.stringify(x);
  return out;
}

function parseHours(text: string): Campaign['hours'] {
  const v = parseJson(text);
  if (!isRecord(v)) return { from: '00:00', to: '24:00' };
  const h: Campaign['hours'] = { from: String(v.from), to: String(v.to) };
  if (typeof v.days === 'string') h.days = v.days;
  return h;
}

function parseRetryMinutes(text: string): Campaign['retryMinutes'] {
  const v = parseJson(text);
  const m = { ...DEFAULT_RETRY_MINUTES };
  if (isRecord(v))
    for (const k of Object.keys(m) as Array<keyof typeof m>)
      if (typeof v[k] === 'number') m[k] = v[k];
  return m;
}

function parseDispositions(text: string): CampaignDisposition[] {
  const v = parseJson(text);
  if (!Array.isArray(v)) return [];
  return v.filter(isRecord).map((d) => ({
    code: String(d.code),
    label: String(d.label),
    final: Boolean(d.final),
    ...(d.dnc ? { dnc: true } : {}),
    ...(d.callback ? { callback: true } : {}),
    ...(d.success ? { success: true } : {}),
  }));
}

export function toCampaign(r: CampaignRow): Campaign {
  return {
    id: r.id,
    name: r.name,
    queue: r.queue,
    mode: r.mode as CampaignMode,
    status: r.status as CampaignStatus,
    hours: parseHours(r.hours),
    timezone: r.timezone,
    maxAttempts: num(r.max_attempts),
    retryMinutes: parseRetryMinutes(r.retry_minutes),
    callerId: r.caller_id,
    script: r.script,
    dispositions: parseDispositions(r.dispositions),
    recording: r.recording as Campaign['recording'],
    abandonCapPct: num(r.abandon_cap_pct),
    amd: Boolean(r.amd),
    createdAt: isoOf(num(r.created_at))!,
  };
}

/** What the dialer reads of a campaign. */
export function toDialCampaign(r: CampaignRow): DialCampaign {
  const c = toCampaign(r);
  return {
    id: c.id,
    name: c.name,
    queue: c.queue,
    mode: c.mode,
    hours: c.hours,
    timezone: c.timezone,
    maxAttempts: c.maxAttempts,
    retryMinutes: c.retryMinutes,
    callerId: c.callerId,
    script: c.script,
    dispositions: c.dispositions,
    abandonCapPct: c.abandonCapPct,
    recording: c.recording,
    amd: c.amd,
  };
}

export function toContact(r: ContactRow): Contact {
  return {
    id: r.id,
    campaignId: r.campaign_id,
    phone: r.phone,
    region: r.region,
    timezone: r.timezone,
    fields: parseFields(r.fields),
    assignedUserId: r.assigned_user_id,
    status: r.status as ContactStatus,
    attempts: num(r.attempts),
    nextAttemptAt: isoOf(num(r.next_attempt_at, true)),
    lastOutcome: r.last_outcome as DialOutcome | null,
    callbackAt: isoOf(num(r.callback_at, true)),
    callbackUserId: r.callback_user_id,
  };
}
