import type { Knex } from 'knex';

/** Times are epoch milliseconds (bigint): the same on sqlite3 and PostgreSQL, no zone games. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.increments('id').primary();
    t.string('username', 64).notNullable().unique();
    t.string('name', 200).notNullable();
    t.string('role', 16).notNullable();
    t.string('password_hash', 255).notNullable();
    t.string('extension', 32).nullable().unique();
    t.boolean('disabled').notNullable().defaultTo(false);
    t.bigInteger('created_at').notNullable();
  });
  await knex.schema.createTable('sessions', (t) => {
    t.string('token_hash', 64).primary();
    t.integer('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.bigInteger('created_at').notNullable();
    t.bigInteger('expires_at').notNullable().index();
  });
  await knex.schema.createTable('customers', (t) => {
    t.increments('id').primary();
    t.string('name', 200).notNullable();
    t.string('company', 200).nullable();
    t.string('tier', 16).notNullable().defaultTo('standard');
    t.integer('owner_user_id').nullable().references('users.id').onDelete('SET NULL');
    t.text('notes').nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.index(['name']);
  });
  await knex.schema.createTable('customer_phones', (t) => {
    t.increments('id').primary();
    t.integer('customer_id').notNullable().references('customers.id').onDelete('CASCADE');
    t.string('e164', 20).notNullable().index();
    t.string('raw', 64).notNullable();
    t.unique(['customer_id', 'e164']);
  });
  await knex.schema.createTable('queues', (t) => {
    t.increments('id').primary();
    t.string('name', 64).notNullable().unique();
    t.integer('ring_timeout_sec').nullable();
    t.bigInteger('created_at').notNullable();
  });
  await knex.schema.createTable('queue_dids', (t) => {
    t.string('did', 64).primary();
    t.integer('queue_id').notNullable().references('queues.id').onDelete('CASCADE');
  });
  await knex.schema.createTable('queue_members', (t) => {
    t.integer('queue_id').notNullable().references('queues.id').onDelete('CASCADE');
    t.integer('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.primary(['queue_id', 'user_id']);
  });
  await knex.schema.createTable('agent_states', (t) => {
    t.integer('user_id').primary().references('users.id').onDelete('CASCADE');
    t.string('state', 16).notNullable();
    t.string('reason', 64).nullable();
    t.bigInteger('since').notNullable();
    t.bigInteger('last_call_ended_at').nullable();
  });
  await knex.schema.createTable('calls', (t) => {
    t.string('id', 40).primary();
    t.string('direction', 8).notNullable();
    t.string('caller_number', 64).notNullable();
    t.string('caller_e164', 20).nullable().index();
    t.string('dialed_number', 64).notNullable();
    t.integer('customer_id').nullable().references('customers.id').onDelete('SET NULL').index();
    t.integer('agent_id').nullable().references('users.id').onDelete('SET NULL').index();
    t.string('queue', 64).nullable();
    t.string('state', 16).notNullable();
    t.string('channel_id', 64).nullable().index();
    t.bigInteger('started_at').notNullable().index();
    t.bigInteger('answered_at').nullable();
    t.bigInteger('ended_at').nullable();
    t.bigInteger('wait_ms').nullable();
    t.bigInteger('talk_ms').nullable();
    t.string('outcome', 16).nullable().index();
    t.string('hangup_cause', 64).nullable();
    t.integer('hangup_cause_code').nullable();
    t.string('ended_by', 8).nullable();
  });
  await knex.schema.createTable('call_events', (t) => {
    t.increments('id').primary();
    t.string('call_id', 40).notNullable().references('calls.id').onDelete('CASCADE');
    t.bigInteger('at').notNullable();
    t.string('type', 32).notNullable();
    t.integer('agent_id').nullable();
    t.text('data').nullable();
    t.index(['call_id', 'id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'call_events',
    'calls',
    'agent_states',
    'queue_members',
    'queue_dids',
    'queues',
    'customer_phones',
    'customers',
    'sessions',
    'users',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
}
