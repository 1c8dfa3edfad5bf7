import type { Knex } from 'knex';

/** Issue 3: wrap-up, service level, queue rules, skills, complaints and call-back tasks. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('calls', (t) => {
    t.string('disposition', 64).nullable();
    t.text('notes').nullable();
    t.bigInteger('wrapped_up_at').nullable();
    t.boolean('service_level_met').nullable();
    t.integer('priority').notNullable().defaultTo(0);
  });
  await knex.schema.alterTable('queues', (t) => {
    t.integer('owner_first_sec').nullable();
    t.integer('service_level_sec').nullable();
    t.text('skills').nullable(); // JSON array of skills an agent needs to take this queue's calls
  });
  await knex.schema.createTable('agent_skills', (t) => {
    t.integer('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.string('skill', 64).notNullable();
    t.primary(['user_id', 'skill']);
  });
  await knex.schema.createTable('complaints', (t) => {
    t.increments('id').primary();
    t.integer('customer_id').notNullable().references('customers.id').onDelete('CASCADE').index();
    t.string('call_id', 40).nullable().references('calls.id').onDelete('SET NULL');
    t.string('category', 64).notNullable();
    t.string('severity', 8).notNullable();
    t.text('description').notNullable();
    t.integer('owner_user_id').nullable().references('users.id').onDelete('SET NULL');
    t.integer('created_by').nullable().references('users.id').onDelete('SET NULL');
    t.string('status', 16).notNullable().defaultTo('open').index();
    t.bigInteger('promised_reply_at').nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('resolved_at').nullable();
  });
  await knex.schema.createTable('tasks', (t) => {
    t.increments('id').primary();
    t.string('kind', 32).notNullable();
    t.integer('customer_id').nullable().references('customers.id').onDelete('CASCADE');
    t.string('phone', 20).nullable();
    t.integer('complaint_id').nullable().references('complaints.id').onDelete('CASCADE');
    t.string('call_id', 40).nullable().references('calls.id').onDelete('SET NULL');
    t.string('queue', 64).nullable();
    t.integer('assigned_user_id').nullable().references('users.id').onDelete('SET NULL').index();
    t.bigInteger('due_at').notNullable().index();
    t.string('status', 16).notNullable().defaultTo('open');
    t.text('note').nullable();
    t.string('result', 32).nullable();
    t.text('result_notes').nullable();
    t.integer('attempts').notNullable().defaultTo(0); // dial attempts of a queued call-back
    t.bigInteger('created_at').notNullable();
    t.bigInteger('completed_at').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('tasks');
  await knex.schema.dropTableIfExists('complaints');
  await knex.schema.dropTableIfExists('agent_skills');
  await knex.schema.alterTable('queues', (t) => {
    t.dropColumns('owner_first_sec', 'service_level_sec', 'skills');
  });
  await knex.schema.alterTable('calls', (t) => {
    t.dropColumns('disposition', 'notes', 'wrapped_up_at', 'service_level_met', 'priority');
  });
}
