import type { Knex } from 'knex';

/**
 * Issue 11: reports. `agent_state_log` is every agent's history of what they chose (state,
 * break reason) and what the telephony did with them (activity), one row per stretch of time
 * with the same three (the agent directory writes it, src/agents/state-log.ts): logged-in time,
 * time per state and break reason and occupancy are sums of these rows, clipped to a period.
 * `ended_at` null = the stretch goes on. Offline with nothing to do is not written.
 * `agent_time_daily` is the same time summed per local day (a rollup written as each stretch
 * ends). `daily_reports` keeps the report the service produces each day for the day before
 * (src/reports/daily-report.ts), as JSON. The indexes serve the reports' aggregate queries.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('agent_state_log', (t) => {
    t.increments('id').primary();
    t.integer('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.string('state', 16).notNullable(); // available | break | offline
    t.string('reason', 64).nullable(); // the break reason
    t.string('activity', 16).notNullable(); // idle | offered | on-call | wrap-up
    t.bigInteger('started_at').notNullable();
    t.bigInteger('ended_at').nullable();
    t.index(['user_id', 'started_at']);
    t.index(['started_at']);
    t.index(['ended_at']);
  });
  // The state log summed per local day (telephony.timezone), written as each stretch ends: the
  // reports by day, week and month read these instead of clipping every stretch of the range.
  await knex.schema.createTable('agent_time_daily', (t) => {
    t.string('day', 10).notNullable();
    t.integer('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.string('state', 16).notNullable();
    t.string('reason', 64).notNullable().defaultTo(''); // '' = no break reason
    t.string('activity', 16).notNullable();
    t.bigInteger('ms').notNullable();
    t.primary(['day', 'user_id', 'state', 'reason', 'activity']);
  });
  await knex.schema.createTable('daily_reports', (t) => {
    t.string('day', 10).primary(); // YYYY-MM-DD in telephony.timezone
    t.string('timezone', 64).notNullable();
    t.bigInteger('period_start').notNullable();
    t.bigInteger('period_end').notNullable();
    t.text('content').notNullable(); // JSON: the per-queue and per-agent report
    t.bigInteger('created_at').notNullable();
  });
  await knex.schema.alterTable('calls', (t) => {
    t.index(['agent_id', 'started_at']);
    t.index(['campaign_id', 'started_at']);
  });
  await knex.schema.alterTable('call_events', (t) => {
    t.index(['type', 'at']);
  });
  await knex.schema.alterTable('complaints', (t) => {
    t.index(['created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('complaints', (t) => {
    t.dropIndex(['created_at']);
  });
  await knex.schema.alterTable('call_events', (t) => {
    t.dropIndex(['type', 'at']);
  });
  await knex.schema.alterTable('calls', (t) => {
    t.dropIndex(['campaign_id', 'started_at']);
    t.dropIndex(['agent_id', 'started_at']);
  });
  await knex.schema.dropTableIfExists('daily_reports');
  await knex.schema.dropTableIfExists('agent_time_daily');
  await knex.schema.dropTableIfExists('agent_state_log');
}
