import type { Knex } from 'knex';

/**
 * Issue 10, part 3: the post-call satisfaction survey. A call's score (1-5, null = not asked or
 * no answer) and when the caller gave it; both are the projection of the call's
 * `survey-answered` event (src/calls/project-record.ts). A queue's `survey` setting: off |
 * after-agent-hangup (null = off). The index serves QA's low-satisfaction draw and the day's
 * figures by time.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('calls', (t) => {
    t.integer('survey_score').nullable();
    t.bigInteger('survey_at').nullable().index();
  });
  await knex.schema.alterTable('queues', (t) => {
    t.string('survey', 24).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('queues', (t) => {
    t.dropColumn('survey');
  });
  await knex.schema.alterTable('calls', (t) => {
    t.dropIndex(['survey_at']);
  });
  await knex.schema.alterTable('calls', (t) => {
    t.dropColumn('survey_at');
    t.dropColumn('survey_score');
  });
}
