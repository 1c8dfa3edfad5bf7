import type { Knex } from 'knex';

/**
 * Issue 12: sockets and requests across instances. The leader publishes in its lease row the HTTP
 * address at which the other instances reach it (`leadership.advertiseUrl`, else derived from
 * the address it listens on): a standby forwards the API's requests there
 * (src/leadership/leader-proxy.ts; docs/architecture/failover.md). Null until it listens.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('leases', (t) => {
    t.string('address', 500).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('leases', (t) => {
    t.dropColumn('address');
  });
}
