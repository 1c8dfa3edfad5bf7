import type { Knex } from 'knex';

/**
 * Issue 12: an agent's after-call work survives the leader's death. `wrap_up_until` and
 * `wrap_up_call_id` are written when a talked call leaves the agent in wrap-up and cleared when
 * it ends (saved, or its time up); a leader that starts (a takeover, a restart) puts an agent
 * whose wrap-up has not run out back in it, until the same moment (src/agents/agent-directory.ts).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('agent_states', (t) => {
    t.bigInteger('wrap_up_until').nullable();
    t.string('wrap_up_call_id', 64).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('agent_states', (t) => {
    t.dropColumn('wrap_up_until');
    t.dropColumn('wrap_up_call_id');
  });
}
