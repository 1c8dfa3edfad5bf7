import type { Knex } from 'knex';

/**
 * Issue 4: QA. Scorecards (the form as JSON text), sampling jobs (seed + params for audit) and
 * their items (one sampled call assigned to a reviewer), and evaluations (one per call and
 * reviewer; the score is computed by the server). Times are epoch milliseconds like elsewhere.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('qa_scorecards', (t) => {
    t.increments('id').primary();
    t.string('name', 200).notNullable();
    t.boolean('is_default').notNullable().defaultTo(false);
    t.text('definition').notNullable(); // JSON {sections:[…]}
    t.integer('created_by').nullable().references('users.id').onDelete('SET NULL');
    t.bigInteger('created_at').notNullable();
  });
  await knex.schema.createTable('qa_samples', (t) => {
    t.increments('id').primary();
    t.string('seed', 128).notNullable();
    t.text('params').notNullable(); // JSON: the request as given, with the seed
    t.integer('created_by').nullable().references('users.id').onDelete('SET NULL');
    t.bigInteger('created_at').notNullable().index();
  });
  await knex.schema.createTable('qa_sample_items', (t) => {
    t.increments('id').primary();
    t.integer('sample_id').notNullable().references('qa_samples.id').onDelete('CASCADE');
    t.string('call_id', 40).notNullable().references('calls.id').onDelete('CASCADE');
    t.integer('agent_id').nullable().references('users.id').onDelete('SET NULL');
    t.integer('reviewer_id').nullable().references('users.id').onDelete('SET NULL');
    t.string('status', 16).notNullable().defaultTo('pending'); // pending | done
    t.integer('scorecard_id').nullable().references('qa_scorecards.id').onDelete('SET NULL');
    t.index(['sample_id', 'id']);
    t.index(['reviewer_id', 'status']);
    t.index(['call_id']);
  });
  await knex.schema.createTable('qa_evaluations', (t) => {
    t.increments('id').primary();
    t.string('call_id', 40).notNullable().references('calls.id').onDelete('CASCADE');
    t.integer('agent_id').nullable().references('users.id').onDelete('SET NULL');
    t.integer('reviewer_id').nullable().references('users.id').onDelete('SET NULL');
    t.integer('scorecard_id').nullable().references('qa_scorecards.id').onDelete('SET NULL');
    t.text('answers').notNullable(); // JSON [{questionId, value}]
    t.text('comments').notNullable(); // JSON [{atMs, text}]
    t.text('summary').nullable();
    t.float('score').notNullable();
    t.boolean('critical_failed').notNullable().defaultTo(false);
    t.string('agent_response', 16).nullable(); // acknowledged | disputed
    t.text('agent_comment').nullable();
    t.bigInteger('responded_at').nullable();
    t.bigInteger('submitted_at').notNullable().index();
    t.bigInteger('created_at').notNullable();
    t.unique(['call_id', 'reviewer_id']);
    t.index(['agent_id', 'submitted_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('qa_evaluations');
  await knex.schema.dropTableIfExists('qa_sample_items');
  await knex.schema.dropTableIfExists('qa_samples');
  await knex.schema.dropTableIfExists('qa_scorecards');
}
