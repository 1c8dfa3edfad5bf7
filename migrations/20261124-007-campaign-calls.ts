import type { Knex } from 'knex';

/** Issue 5: a campaign call's record names its campaign and contact (reports, retries, wrap-up). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('calls', (t) => {
    t.integer('campaign_id').nullable().references('campaigns.id').onDelete('SET NULL').index();
    t.integer('contact_id').nullable().references('campaign_contacts.id').onDelete('SET NULL');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('calls', (t) => {
    t.dropColumns('campaign_id', 'contact_id');
  });
}
