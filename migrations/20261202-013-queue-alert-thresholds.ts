import type { Knex } from 'knex';

/**
 * Issue 10: the supervisor wall's thresholds per queue. A queue's tile turns red (and supervisors
 * get a `supervisor:alert`) when today's service level is below `service_level_target_pct` or a
 * caller has waited longer than `max_wait_alert_sec`. NULL = the call center's defaults
 * (telephony.serviceLevelTargetPct, telephony.maxWaitAlertSec).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('queues', (t) => {
    t.integer('service_level_target_pct').nullable();
    t.integer('max_wait_alert_sec').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('queues', (t) => {
    t.dropColumn('service_level_target_pct');
    t.dropColumn('max_wait_alert_sec');
  });
}
