import type { Knex } from 'knex';

/**
 * Issue 5: outbound campaigns. A campaign's settings (hours, retry delays, dispositions) are JSON
 * text; contacts are its list rows (one per number per campaign, custom fields as JSON); every
 * dial attempt is a row of `outbound_attempts` (abandon rate and pacing over 30 days read it);
 * do-not-call numbers are global (campaign_id null) or per campaign; a CSV import keeps every
 * rejected row with its reason. Times are epoch milliseconds like elsewhere.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('campaigns', (t) => {
    t.increments('id').primary();
    t.string('name', 200).notNullable().unique();
    t.string('queue', 64).notNullable();
    t.string('mode', 16).notNullable(); // preview | progressive | predictive
    t.string('status', 16).notNullable().defaultTo('draft'); // draft | running | paused | stopped
    t.text('hours').notNullable(); // JSON {from, to, days?}
    t.string('timezone', 64).notNullable();
    t.integer('max_attempts').notNullable().defaultTo(3);
    t.text('retry_minutes').notNullable(); // JSON {busy, noAnswer, failed, machine}
    t.string('caller_id', 32).notNullable();
    t.text('script').notNullable().defaultTo('');
    t.text('dispositions').notNullable(); // JSON [{code,label,final,dnc?,callback?}]
    t.string('recording', 16).notNullable().defaultTo('always');
    t.float('abandon_cap_pct').notNullable().defaultTo(3);
    t.boolean('amd').notNullable().defaultTo(false);
    t.integer('created_by').nullable().references('users.id').onDelete('SET NULL');
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
  });
  await knex.schema.createTable('campaign_agents', (t) => {
    t.integer('campaign_id').notNullable().references('campaigns.id').onDelete('CASCADE');
    t.integer('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.bigInteger('joined_at').notNullable();
    t.primary(['campaign_id', 'user_id']);
    t.index(['user_id']);
  });
  await knex.schema.createTable('list_imports', (t) => {
    t.increments('id').primary();
    t.integer('campaign_id').notNullable().references('campaigns.id').onDelete('CASCADE');
    t.string('status', 16).notNullable(); // running | done | failed
    t.text('mapping').notNullable(); // JSON as given
    t.integer('rows').notNullable().defaultTo(0);
    t.integer('accepted').notNullable().defaultTo(0);
    t.integer('rejected').notNullable().defaultTo(0);
    t.integer('duplicates').notNullable().defaultTo(0);
    t.integer('dnc').notNullable().defaultTo(0);
    t.text('failure').nullable();
    t.integer('created_by').nullable().references('users.id').onDelete('SET NULL');
    t.bigInteger('created_at').notNullable();
    t.bigInteger('finished_at').nullable();
  });
  await knex.schema.createTable('list_import_errors', (t) => {
    t.increments('id').primary();
    t.integer('import_id').notNullable().references('list_imports.id').onDelete('CASCADE');
    t.integer('row').notNullable(); // 1-based data row (the header is row 0)
    t.string('reason', 32).notNullable();
    t.text('raw').notNullable();
    t.index(['import_id', 'row']);
  });
  await knex.schema.createTable('campaign_contacts', (t) => {
    t.increments('id').primary();
    t.integer('campaign_id').notNullable().references('campaigns.id').onDelete('CASCADE');
    t.integer('import_id').nullable().references('list_imports.id').onDelete('SET NULL');
    t.string('phone', 20).notNullable(); // E.164
    t.string('region', 2).nullable();
    t.string('timezone', 64).nullable();
    t.text('fields').notNullable(); // JSON {firstName: …, custom: …}
    t.integer('assigned_user_id').nullable().references('users.id').onDelete('SET NULL');
    // new | scheduled | in-progress | done | dnc
    t.string('status', 16).notNullable().defaultTo('new');
    t.integer('attempts').notNullable().defaultTo(0);
    t.bigInteger('next_attempt_at').nullable();
    t.string('last_outcome', 16).nullable();
    t.string('last_disposition', 32).nullable();
    t.bigInteger('callback_at').nullable();
    t.integer('callback_user_id').nullable().references('users.id').onDelete('SET NULL');
    t.bigInteger('claimed_at').nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.unique(['campaign_id', 'phone']);
    t.index(['campaign_id', 'status', 'next_attempt_at']);
  });
  await knex.schema.createTable('outbound_attempts', (t) => {
    t.increments('id').primary();
    t.integer('campaign_id').notNullable().references('campaigns.id').onDelete('CASCADE');
    t.integer('contact_id').notNullable().references('campaign_contacts.id').onDelete('CASCADE');
    t.string('call_id', 40).nullable().references('calls.id').onDelete('SET NULL');
    t.string('outcome', 16).notNullable(); // answered | busy | no-answer | failed | machine | abandoned
    t.bigInteger('talk_ms').notNullable().defaultTo(0);
    t.bigInteger('at').notNullable();
    t.index(['campaign_id', 'at']);
    t.index(['contact_id']);
  });
  await knex.schema.createTable('dnc_numbers', (t) => {
    t.increments('id').primary();
    t.string('phone', 20).notNullable();
    t.integer('campaign_id').nullable().references('campaigns.id').onDelete('CASCADE');
    t.string('reason', 200).nullable();
    t.integer('added_by').nullable().references('users.id').onDelete('SET NULL');
    t.bigInteger('created_at').notNullable();
    t.index(['phone']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'dnc_numbers',
    'outbound_attempts',
    'campaign_contacts',
    'list_import_errors',
    'list_imports',
    'campaign_agents',
    'campaigns',
  ])
    await knex.schema.dropTableIfExists(table);
}
