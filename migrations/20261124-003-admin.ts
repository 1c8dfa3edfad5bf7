import type { Knex } from 'knex';

/**
 * Admin API: queues keep all their settings in the database (the config only seeds new ones),
 * and a key/value `settings` table holds what an admin edits at run time (e.g. dispositions).
 * `queues.hours` NULL marks a row written before this migration: the next start fills hours,
 * time zone and call-back offer from the config once.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('queues', (t) => {
    t.text('hours').nullable(); // JSON array of rules such as "mon-fri 08:00-18:00"
    t.string('timezone', 64).nullable(); // null = the call center's time zone
    t.integer('callback_offer_after_sec').nullable(); // null = never offer a call-back
  });
  await knex.schema.createTable('settings', (t) => {
    t.string('key', 64).primary();
    t.text('value').notNullable(); // JSON
    t.bigInteger('updated_at').notNullable();
    t.integer('updated_by').nullable().references('users.id').onDelete('SET NULL');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('settings');
  await knex.schema.alterTable('queues', (t) => {
    t.dropColumns('hours', 'timezone', 'callback_offer_after_sec');
  });
}
