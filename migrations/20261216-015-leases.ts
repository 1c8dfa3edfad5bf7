import type { Knex } from 'knex';

/**
 * Issue 12: hot standby. `leases` holds one row per lease (today one: `engine`, the right to hold
 * the ARI link and run the call engine, dialer, call-back scheduler, retention and daily jobs).
 * `holder` is the instance that took it, `epoch` goes up by one at every takeover (the fencing
 * token every ARI command is issued under), `expires_at` / `renewed_at` are milliseconds of the
 * database's clock (src/leadership/lease.ts; docs/architecture/failover.md).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('leases', (t) => {
    t.string('name', 64).primary();
    t.string('holder', 200).notNullable();
    t.bigInteger('epoch').notNullable();
    t.bigInteger('expires_at').notNullable();
    t.bigInteger('renewed_at').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('leases');
}
