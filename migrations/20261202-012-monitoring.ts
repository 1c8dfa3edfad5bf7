import type { Knex } from 'knex';

/**
 * Issue 10: every listen / whisper / barge session, for the audit: who monitored which call, the
 * modes with their times (JSON [[mode, at], …]), when the monitor's phone answered, when and why
 * it ended (`monitor-hangup`, `call-ended`, `transferred`, `stopped`, `no-answer`, `failed`, …).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('monitor_sessions', (t) => {
    t.string('id', 36).primary();
    t.string('call_id', 64).notNullable().references('id').inTable('calls');
    t.integer('user_id').notNullable().references('id').inTable('users');
    t.string('mode', 16).notNullable(); // the current (or last) mode
    t.text('modes').notNullable();
    t.bigInteger('requested_at').notNullable();
    t.bigInteger('answered_at').nullable();
    t.bigInteger('ended_at').nullable();
    t.string('end_reason', 32).nullable();
    t.index(['call_id']);
    t.index(['user_id', 'requested_at']);
    t.index(['requested_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('monitor_sessions');
}
