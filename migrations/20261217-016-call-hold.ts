import type { Knex } from 'knex';

/**
 * Issue 11: hold time reported apart. `hold_ms` is the record's `holdMs`, the sum of the agent's
 * holds (`held` → `resumed` on the timeline, src/calls/project-record.ts); it lies inside
 * `talk_ms`, which runs from the answer to the end. Calls closed before this migration have 0.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('calls', (t) => {
    t.bigInteger('hold_ms').notNullable().defaultTo(0);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('calls', (t) => {
    t.dropColumn('hold_ms');
  });
}
