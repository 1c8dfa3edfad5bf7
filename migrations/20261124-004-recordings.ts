import type { Knex } from 'knex';

/**
 * Issue 4: recordings (one row per recording of a call, the file under RECORDINGS_DIR with its
 * SHA-256), the audit trail of who listened to or downloaded which, the legal hold on a call, and
 * the recording policy per queue.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('recordings', (t) => {
    t.string('id', 40).primary();
    t.string('call_id', 40).notNullable().references('calls.id').onDelete('CASCADE').index();
    t.string('asterisk_name', 120).notNullable().unique();
    // recording → fetching → stored | error; deleted by retention (row then removed)
    t.string('status', 16).notNullable();
    t.string('path', 255).nullable(); // relative to RECORDINGS_DIR, e.g. 2026/11/24/<id>.wav
    t.bigInteger('bytes').nullable();
    t.string('sha256', 64).nullable();
    t.integer('duration_ms').nullable();
    t.bigInteger('started_at').notNullable();
    t.bigInteger('ended_at').nullable();
    t.integer('attempts').notNullable().defaultTo(0);
    t.text('error').nullable();
    t.bigInteger('created_at').notNullable().index();
  });
  await knex.schema.createTable('recording_audit', (t) => {
    t.increments('id').primary();
    t.string('recording_id', 40).notNullable().index(); // kept after the recording is deleted
    t.string('call_id', 40).notNullable();
    t.integer('user_id').nullable().references('users.id').onDelete('SET NULL');
    t.string('action', 16).notNullable(); // listen | download
    t.string('range', 64).nullable();
    t.bigInteger('at').notNullable().index();
  });
  await knex.schema.alterTable('calls', (t) => {
    t.boolean('legal_hold').notNullable().defaultTo(false);
  });
  await knex.schema.alterTable('queues', (t) => {
    t.string('recording', 16).nullable(); // always | never | on-demand; null = the default
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('queues', (t) => {
    t.dropColumn('recording');
  });
  await knex.schema.alterTable('calls', (t) => {
    t.dropColumn('legal_hold');
  });
  await knex.schema.dropTableIfExists('recording_audit');
  await knex.schema.dropTableIfExists('recordings');
}
