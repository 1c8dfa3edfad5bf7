import type { Knex } from 'knex';

/**
 * Issue 9 (least privilege): who looked at which customer's data. One row per customer view,
 * search or export by a non-agent, and per reveal of masked numbers (src/privacy/).
 * Append-only; kept apart from the records it names (no foreign keys: an entry outlives them).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('customer_access_audit', (t) => {
    t.increments('id').primary();
    t.bigInteger('at').notNullable().index();
    t.integer('user_id').nullable().index();
    t.string('role', 16).notNullable();
    t.string('action', 16).notNullable(); // view | search | export | reveal
    t.integer('customer_id').nullable().index();
    t.string('call_id', 64).nullable().index();
    t.string('path', 200).notNullable(); // the request's path (numbers in it masked)
    t.string('detail', 500).nullable(); // the search masked, a reveal's reason
    t.integer('count').nullable(); // records in the answer
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('customer_access_audit');
}
