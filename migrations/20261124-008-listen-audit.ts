import type { Knex } from 'knex';

/**
 * Issue 9 (defect 3): an audit entry of a recording is one listening session (or download) of
 * one user, and says which bytes were served: every response that carries audio bytes extends
 * the entry, or opens a new one. Entries written before this have nulls here (their `range`
 * column, the first request's Range header, is all that is known of them).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('recording_audit', (t) => {
    t.bigInteger('last_at').nullable(); // the session's last request
    t.integer('requests').nullable(); // responses with audio bytes in the session
    t.bigInteger('bytes').nullable(); // bytes served, repeats included
    t.text('ranges').nullable(); // JSON [[first, last], …]: the union of the spans served
    t.bigInteger('file_bytes').nullable(); // the file's size when served
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('recording_audit', (t) => {
    t.dropColumns('last_at', 'requests', 'bytes', 'ranges', 'file_bytes');
  });
}
