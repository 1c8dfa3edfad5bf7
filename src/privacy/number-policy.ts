/**
 * Least privilege for phone numbers: who sees which number in full. One table, role × field
 * (the fields are marked on the response shapes, src/api/number-fields.ts), read by the one
 * function that shapes every HTTP answer (src/http/number-masking.ts) and every socket payload
 * that carries a number (src/screenpop/gateway.ts). docs/privacy.md is this table in prose.
 */
import { MANAGERS, ROLES, type Role } from '../api/auth';
import { NUMBER_FIELDS, type NumberField, type NumberRecord } from '../api/number-fields';

/**
 * `full`: the whole number; `masked`: `+86 138****8000`; `own`: whole when the record is the
 * requester's (their call, their task, their contact, a customer they own or are on a call
 * with, the pop they are offered), masked otherwise.
 */
export type Visibility = 'full' | 'masked' | 'own';

/** Roles that may be configured to see every number in full (`privacy.fullNumberRoles`). */
export const FULL_NUMBER_ROLE_CHOICES = MANAGERS;
export type FullNumberRole = (typeof FULL_NUMBER_ROLE_CHOICES)[number];
export const DEFAULT_FULL_NUMBER_ROLES: readonly FullNumberRole[] = MANAGERS;

/** The record whose owner an `own` field asks about (null: the field has no owner). */
export const RECORD_OF: Record<NumberField, NumberRecord | null> = {
  'customer.phones': 'customer',
  'call.numbers': 'call',
  'task.phone': 'task',
  'contact.phone': 'contact',
  'pop.numbers': 'pop',
  'dnc.phone': null,
  'import.row': null,
  'search.echo': null,
  reveal: null,
};

/**
 * The table for a role that is not one of the full-number roles. A full-number role sees `full`
 * wherever this says `own` or `masked`, except where `NEVER_WIDENED` says otherwise. QA is
 * never a full-number role: it sees masked numbers unless it reveals them (audited).
 */
const BASE: Record<Role, Record<NumberField, Visibility>> = {
  agent: {
    'customer.phones': 'own',
    'call.numbers': 'own',
    'task.phone': 'own',
    'contact.phone': 'own',
    'pop.numbers': 'own',
    'dnc.phone': 'masked',
    'import.row': 'masked',
    'search.echo': 'full',
    reveal: 'masked',
  },
  qa: {
    'customer.phones': 'masked',
    'call.numbers': 'masked',
    'task.phone': 'masked',
    'contact.phone': 'masked',
    'pop.numbers': 'masked',
    'dnc.phone': 'masked',
    'import.row': 'masked',
    'search.echo': 'full',
    reveal: 'full',
  },
  supervisor: {
    'customer.phones': 'own',
    'call.numbers': 'own',
    'task.phone': 'own',
    'contact.phone': 'own',
    'pop.numbers': 'own',
    'dnc.phone': 'masked',
    'import.row': 'masked',
    'search.echo': 'full',
    reveal: 'full',
  },
  admin: {
    'customer.phones': 'own',
    'call.numbers': 'own',
    'task.phone': 'own',
    'contact.phone': 'own',
    'pop.numbers': 'own',
    'dnc.phone': 'masked',
    'import.row': 'masked',
    'search.echo': 'full',
    reveal: 'full',
  },
};

/** Fields a full-number role still sees as the base table says: a pop is its recipient's. */
const NEVER_WIDENED: ReadonlySet<NumberField> = new Set(['pop.numbers']);

export type NumberPolicy = Readonly<Record<Role, Readonly<Record<NumberField, Visibility>>>>;

/** The effective table for a deployment's `privacy.fullNumberRoles`. */
export function numberPolicy(fullNumberRoles: readonly Role[]): NumberPolicy {
  const full = new Set<Role>(fullNumberRoles.filter((r) => r !== 'qa' && r !== 'agent'));
  const table = {} as Record<Role, Record<NumberField, Visibility>>;
  for (const role of ROLES) {
    const row = {} as Record<NumberField, Visibility>;
    for (const field of NUMBER_FIELDS)
      row[field] = full.has(role) && !NEVER_WIDENED.has(field) ? 'full' : BASE[role][field];
    table[role] = row;
  }
  return table;
}

/** What the requester knows, for the `own` rule and for numbers they sent themselves. */
export interface Viewer {
  userId: number;
  role: Role;
  /** The call the user is offered, on or wrapping up (the agent directory), if any. */
  liveCallId: string | null;
  /** That call's customer and caller's number: a customer on the user's live call is theirs. */
  liveCustomerIds: ReadonlySet<number>;
  liveNumbers: ReadonlySet<string>;
  /** Numbers (E.164) the request itself carried: showing them back discloses nothing. */
  supplied: ReadonlySet<string>;
}

/** A record as the policy sees it, by kind: who owns it. */
export function isOwnRecord(kind: NumberRecord, record: Record<string, unknown>, v: Viewer) {
  switch (kind) {
    case 'call':
      return record.agentId === v.userId || (v.liveCallId !== null && record.id === v.liveCallId);
    case 'task':
      return record.assignedUserId === v.userId;
    case 'contact':
      return record.assignedUserId === v.userId || record.callbackUserId === v.userId;
    case 'customer': {
      if (record.ownerUserId === v.userId) return true;
      if (typeof record.id === 'number' && v.liveCustomerIds.has(record.id)) return true;
      const phones = Array.isArray(record.phones) ? (record.phones as unknown[]) : [];
      return phones.some((p) => {
        const e164 = (p as { e164?: unknown } | null)?.e164;
        return typeof e164 === 'string' && v.liveNumbers.has(e164);
      });
    }
    case 'pop':
      // A pop is only ever sent to the user it is offered to.
      return true;
  }
}

/** Whole or masked: the table's answer for this role, field and (for `own`) record. */
export function showsFull(visibility: Visibility, own: () => boolean): boolean {
  if (visibility === 'full') return true;
  if (visibility === 'masked') return false;
  return own();
}
