import type { Knex } from 'knex';

/**
 * Issue 11: hold time reported apart. `hold_ms` is the record's `holdMs`, the sum of the agent's
 * holds (`held` → `resumed` on the timeline, src/calls/project-record.ts); it lies inside
 * `talk_ms`, which runs from the answer to the end. Calls closed before this migration have 0.
 *
 * Issue 8: the screen-pop's history (a caller's or customer's last calls, newest first) read by
 * (caller_e164 | customer_id, started_at). With the single-column indexes SQLite chose to walk
 * `started_at` backwards and filter, 284 ms per pop over 1 000 000 calls for a caller with few
 * calls (`npm run bench -- reports` prints the read); with these, 2–8 ms. The single-column
 * indexes are prefixes of the new ones, so they go (one index fewer to write per call).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('calls', (t) => {
    t.bigInteger('hold_ms').notNullable().defaultTo(0);
    t.index(['caller_e164', 'started_at']);
    t.index(['customer_id', 'started_at']);
  });
  await knex.schema.alterTable('calls', (t) => {
    t.dropIndex(['caller_e164']);
    t.dropIndex(['customer_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('calls', (t) => {
    t.index(['caller_e164']);
    t.index(['customer_id']);
  });
  await knex.schema.alterTable('calls', (t) => {
    t.dropIndex(['caller_e164', 'started_at']);
    t.dropIndex(['customer_id', 'started_at']);
    t.dropColumn('hold_ms');
  });
}
