import type { Knex } from 'knex';

/**
 * Issue 9: sessions end after an idle time. `last_seen_at` is the last request, socket event or
 * socket heartbeat sweep that used the session (written at most about once a minute); rows of
 * earlier versions start from their creation time.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sessions', (t) => {
    t.bigInteger('last_seen_at').nullable().index();
    t.index(['user_id']);
  });
  await knex('sessions').update({ last_seen_at: knex.ref('created_at') });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sessions', (t) => {
    t.dropIndex(['user_id']);
    t.dropIndex(['last_seen_at']);
  });
  await knex.schema.alterTable('sessions', (t) => {
    t.dropColumn('last_seen_at');
  });
}
