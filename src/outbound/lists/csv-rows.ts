/**
 * Rows of a contact-list CSV (docs/api-outbound.md "Lists (contacts)"), pure: what each data row
 * becomes — a contact of the campaign or a rejection with its reason. The import job
 * (import-job.ts) feeds it chunks of parsed rows and the database's answers for them.
 *
 * Checks, in this order, the first failing one giving the reason:
 * 1. `missing-phone`: the phone column is empty (or absent from a short row);
 * 2. `bad-phone`: not a valid number (normaliseNumber, then libphonenumber's validity per type:
 *    a number that cannot exist would only waste dial attempts);
 * 3. `unknown-agent`: `assignTo` names a user who is not an active agent. The row is REJECTED, not
 *    imported unassigned: a morning distribution with a misspelt name would otherwise hand that
 *    agent's contacts to anyone; the supervisor fixes the name and imports those rows again. An
 *    empty cell means "unassigned" and is fine;
 * 4. `duplicate-in-file`: the number is on an earlier row of the file that was kept (a row rejected
 *    for another reason does not claim its number, so a later good row with it is kept);
 * 5. `duplicate-in-campaign`: the campaign already has a contact with that number;
 * 6. `do-not-call`: on the global or the campaign's DNC list. The row is KEPT (a contact with
 *    status `dnc`, never dialed) and also listed among the errors so that a supervisor sees it.
 *
 * Counting rule (what GET /api/imports/:id shows): rows = accepted + rejected; accepted includes
 * the DNC-flagged contacts and `dnc` counts those (dnc ⊆ accepted); `duplicates` counts both
 * duplicate reasons (duplicates ⊆ rejected); the error list holds rejected + dnc entries.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { ROW_REASONS, type FieldMapping, type ImportReason } from '../../api/imports';
import { normaliseNumber } from '../../customers/normalise-number';
import { zoneOfRegion } from './contact-timezone';

export { ROW_REASONS, type FieldMapping };
export type RowReason = ImportReason;
/** The column holding the username of the agent each contact is assigned to. */
export interface AssignTo {
  column: string;
}

/** One data row as parsed: its 1-based number (the header is row 0), header → value, raw values. */
export interface RowInput {
  row: number;
  record: Record<string, string>;
  values: readonly string[];
}

export interface RowOptions {
  mapping: FieldMapping;
  defaultRegion: string;
  assignTo?: AssignTo | null;
  /** Username (exact) → user id: the active agents an `assignTo` cell may name. */
  usersByName: ReadonlyMap<string, number>;
}

export interface ContactDraft {
  row: number;
  phone: string;
  region: string | null;
  timezone: string | null;
  fields: Record<string, string>;
  assignedUserId: number | null;
}

export interface AcceptedContact extends ContactDraft {
  status: 'new' | 'dnc';
}

export interface RowError {
  row: number;
  reason: RowReason;
  raw: string;
}

/** What a row is before the database is asked: a candidate contact or already a rejection. */
export type PreparedRow =
  { ok: true; contact: ContactDraft; raw: string } | { ok: false; error: RowError };

/** What the database knows of a chunk's numbers, and the numbers kept so far in this file. */
export interface KnownNumbers {
  /** Numbers of rows already kept from this file; classifyRows adds the ones it keeps. */
  seen: Set<string>;
  inCampaign: ReadonlySet<string>;
  dnc: ReadonlySet<string>;
}

export interface ChunkResult {
  contacts: AcceptedContact[];
  /** Rejections and DNC flags, in row order. */
  errors: RowError[];
  counts: { rows: number; accepted: number; rejected: number; duplicates: number; dnc: number };
}

export const RAW_MAX = 1000;

const quoteCsv = (v: string) =>
  /[",\r\n]/.test(v) || /^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;

/** The row's values joined back as a CSV line (quoted where needed), cut to RAW_MAX characters. */
export function rawLine(values: readonly string[]): string {
  const line = values.map(quoteCsv).join(',');
  return line.length > RAW_MAX ? line.slice(0, RAW_MAX) : line;
}

/** A valid number in E.164 with its region and (single) zone, or null. */
export function readPhone(
  raw: string,
  defaultRegion: string,
): { e164: string; region: string | null; timezone: string | null } | null {
  const n = normaliseNumber(raw, defaultRegion);
  if (!n) return null;
  const parsed = parsePhoneNumberFromString(n.e164);
  if (!parsed?.isValid()) return null;
  const region = parsed.country ?? null;
  return { e164: parsed.number, region, timezone: region ? zoneOfRegion(region) : null };
}

/**
 * The contact's fields: mapped fields under their field names (phone excluded: it is the
 * contact's number), then every other named column under its header, values trimmed. The
 * assignTo column is the assignment, not a field. A mapped field wins over a column of the same
 * name.
 */
export function fieldsOf(
  record: Record<string, string>,
  mapping: FieldMapping,
  assignTo?: AssignTo | null,
): Record<string, string> {
  const fields: Record<string, string> = {};
  const used = new Set<string>(Object.values(mapping));
  if (assignTo) used.add(assignTo.column);
  for (const [header, value] of Object.entries(record)) {
    if (!header || used.has(header)) continue;
    fields[header] = value.trim();
  }
  for (const [field, column] of Object.entries(mapping)) {
    if (field === 'phone') continue;
    fields[field] = (record[column] ?? '').trim();
  }
  return fields;
}

/** header → value for one row; a short row's missing cells read as empty, extra ones as unnamed. */
export function rowInput(
  header: readonly string[],
  values: readonly string[],
  row: number,
): RowInput {
  const record: Record<string, string> = {};
  header.forEach((h, i) => {
    if (h) record[h] = values[i] ?? '';
  });
  return { row, record, values };
}

/**
 * Why a header cannot be imported with this mapping (null when it can): every mapped column and
 * the assignTo column must be in it, and no column name may appear twice (which one would a field
 * take?). Column names are compared trimmed, as read.
 */
export function headerProblem(
  header: readonly string[],
  mapping: FieldMapping,
  assignTo?: AssignTo | null,
): string | null {
  if (!header.some(Boolean)) return 'the file has no header row';
  const seen = new Set<string>();
  for (const h of header) {
    if (h && seen.has(h)) return `column "${h}" appears twice in the header`;
    seen.add(h);
  }
  for (const [field, column] of Object.entries(mapping))
    if (!seen.has(column)) return `mapping.${field}: column "${column}" is not in the header`;
  if (assignTo && !seen.has(assignTo.column))
    return `assignTo.column: column "${assignTo.column}" is not in the header`;
  return null;
}

/** Checks 1–3: what one row says on its own. */
export function prepareRow(input: RowInput, opts: RowOptions): PreparedRow {
  const raw = rawLine(input.values);
  const reject = (reason: RowReason): PreparedRow => ({
    ok: false,
    error: { row: input.row, reason, raw },
  });
  const phoneText = (input.record[opts.mapping.phone] ?? '').trim();
  if (!phoneText) return reject('missing-phone');
  const phone = readPhone(phoneText, opts.defaultRegion);
  if (!phone) return reject('bad-phone');
  let assignedUserId: number | null = null;
  if (opts.assignTo) {
    const username = (input.record[opts.assignTo.column] ?? '').trim();
    if (username) {
      const id = opts.usersByName.get(username);
      if (id === undefined) return reject('unknown-agent');
      assignedUserId = id;
    }
  }
  return {
    ok: true,
    raw,
    contact: {
      row: input.row,
      phone: phone.e164,
      region: phone.region,
      timezone: phone.timezone,
      fields: fieldsOf(input.record, opts.mapping, opts.assignTo),
      assignedUserId,
    },
  };
}

/** The distinct numbers of a chunk's candidates: what to ask the database about. */
export function phonesOf(prepared: readonly PreparedRow[]): string[] {
  const out = new Set<string>();
  for (const p of prepared) if (p.ok) out.add(p.contact.phone);
  return [...out];
}

/** Checks 4–6 with the database's answers; adds kept numbers to `known.seen`. */
export function classifyRows(prepared: readonly PreparedRow[], known: KnownNumbers): ChunkResult {
  const result: ChunkResult = {
    contacts: [],
    errors: [],
    counts: { rows: 0, accepted: 0, rejected: 0, duplicates: 0, dnc: 0 },
  };
  const { counts } = result;
  for (const p of prepared) {
    counts.rows += 1;
    if (!p.ok) {
      counts.rejected += 1;
      result.errors.push(p.error);
      continue;
    }
    const { contact, raw } = p;
    const duplicate = known.seen.has(contact.phone)
      ? 'duplicate-in-file'
      : known.inCampaign.has(contact.phone)
        ? 'duplicate-in-campaign'
        : null;
    if (duplicate) {
      counts.rejected += 1;
      counts.duplicates += 1;
      result.errors.push({ row: contact.row, reason: duplicate, raw });
      continue;
    }
    known.seen.add(contact.phone);
    counts.accepted += 1;
    if (known.dnc.has(contact.phone)) {
      counts.dnc += 1;
      result.contacts.push({ ...contact, status: 'dnc' });
      result.errors.push({ row: contact.row, reason: 'do-not-call', raw });
    } else {
      result.contacts.push({ ...contact, status: 'new' });
    }
  }
  return result;
}

/** Both steps for rows whose database answers are known up front (tests, small lists). */
export function processRows(
  rows: readonly RowInput[],
  opts: RowOptions,
  known: KnownNumbers,
): ChunkResult {
  return classifyRows(
    rows.map((r) => prepareRow(r, opts)),
    known,
  );
}
