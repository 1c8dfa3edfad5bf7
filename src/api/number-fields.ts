/**
 * Phone numbers in responses, marked where the shapes are declared: every string that carries a
 * phone number is made with `phoneString(field)` (or `phoneBlob` / `phoneText`), and every record
 * whose owner decides what a role sees is registered with `numberRecord(kind)`. The server's
 * number policy (src/privacy/number-policy.ts) masks by these marks, for every route of the table,
 * and test/unit/privacy/number-fields.test.ts fails on a number-like field left unmarked.
 * Imports only `zod` (the web app bundles this folder).
 */
import { z } from 'zod';

/** The fields of the policy table (role × field). */
export const NUMBER_FIELDS = [
  /** A customer's numbers: `Customer.phones[].e164` and `.raw`. */
  'customer.phones',
  /** A call record's `callerNumber` and `dialedNumber`, and numbers in its timeline. */
  'call.numbers',
  /** A call-back task's `phone`. */
  'task.phone',
  /** An outbound list contact's `phone`. */
  'contact.phone',
  /** A screen-pop's `callerNumber` and `dialedNumber` (socket.io). */
  'pop.numbers',
  /** A do-not-call entry's number. */
  'dnc.phone',
  /** A rejected CSV row as it was in the file. */
  'import.row',
  /** The requester's own search input, normalised (`GET /api/customers?phone=` → `e164`). */
  'search.echo',
  /** The answer of a reveal (POST …/reveal): what the request asked to see, audited. */
  'reveal',
] as const;
export type NumberField = (typeof NUMBER_FIELDS)[number];

/** Records whose owner may see their numbers in full (`own` in the policy table). */
export const NUMBER_RECORDS = ['customer', 'call', 'task', 'contact', 'pop'] as const;
export type NumberRecord = (typeof NUMBER_RECORDS)[number];

export interface NumberFieldMeta {
  numberField: NumberField;
  /** `string`: the value is one number; `text`: numbers inside free text; `json`: any JSON
   * value whose number-like keys (number, phone, caller…) hold numbers. */
  form: 'string' | 'text' | 'json';
}
export const numberFields = z.registry<NumberFieldMeta>();
export const numberRecords = z.registry<{ numberRecord: NumberRecord }>();

/** A string that is one phone number. */
export const phoneString = (field: NumberField) =>
  z.string().register(numberFields, { numberField: field, form: 'string' });

/** Free text that may hold phone numbers (a CSV row). */
export const phoneText = (field: NumberField) =>
  z.string().register(numberFields, { numberField: field, form: 'text' });

/** Free-form JSON whose number-like keys hold phone numbers (a timeline event's data). */
export function phoneBlob<S extends z.ZodType>(field: NumberField, schema: S): S {
  numberFields.add(schema, { numberField: field, form: 'json' });
  return schema;
}

/** Marks an object schema as a record of `kind` (returns the same schema). */
export function numberRecord<S extends z.ZodType>(kind: NumberRecord, schema: S): S {
  numberRecords.add(schema, { numberRecord: kind });
  return schema;
}

/** `true` on a record where the policy masked at least one number (the web app offers a reveal). */
export const numbersMasked = z
  .boolean()
  .optional()
  .meta({ description: 'true when numbers of this record are masked for the requester' });
