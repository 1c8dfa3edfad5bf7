import type { Knex } from 'knex';

/**
 * Issue 12: a queued call-back's attempt in progress is in the database, not only in the
 * leader's memory. `attempt_call_id` is the call record of the attempt being made (set when the
 * attempt starts, only while none is: so no two attempts of a task at once, whichever instance
 * leads), cleared when it is over. A new leader finds a task with an attempt it did not start:
 * its call still up → left alone; its call ended → the attempt is recorded from that call
 * (src/calls/callback-dialer.ts), so the customer is not called again after being reached.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tasks', (t) => {
    t.string('attempt_call_id', 40).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tasks', (t) => {
    t.dropColumn('attempt_call_id');
  });
}
