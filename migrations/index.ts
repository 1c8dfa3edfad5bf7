import type { Knex } from 'knex';
import * as initial from './20261124-001-initial';
import * as desktop from './20261124-002-desktop';
import * as admin from './20261124-003-admin';
import * as recordings from './20261124-004-recordings';
import * as qa from './20261124-005-qa';
import * as campaigns from './20261124-006-campaigns';
import * as campaignCalls from './20261124-007-campaign-calls';
import * as listenAudit from './20261124-008-listen-audit';
import * as sessionIdle from './20261124-009-session-idle';
import * as customerAccessAudit from './20261124-010-customer-access-audit';
import * as survey from './20261202-011-survey';
import * as monitoring from './20261202-012-monitoring';
import * as queueAlertThresholds from './20261202-013-queue-alert-thresholds';
import * as reports from './20261209-014-reports';
import * as leases from './20261216-015-leases';
import * as callHoldAndHistory from './20261217-016-call-hold-and-history';
import * as leaseAddress from './20261223-017-lease-address';
import * as agentWrapUp from './20261230-018-agent-wrap-up';
import * as callbackAttempt from './20261231-019-callback-attempt';
import * as reportIndexes from './20270107-020-report-indexes';

/** Migrations are TypeScript modules listed here, so the same list runs under tsx, ts-jest and
 * the compiled build, on sqlite3 and PostgreSQL alike. Append; never edit a released one. */
const migrations: Record<string, Knex.Migration> = {
  '20261124-001-initial': initial,
  '20261124-002-desktop': desktop,
  '20261124-003-admin': admin,
  '20261124-004-recordings': recordings,
  '20261124-005-qa': qa,
  '20261124-006-campaigns': campaigns,
  '20261124-007-campaign-calls': campaignCalls,
  '20261124-008-listen-audit': listenAudit,
  '20261124-009-session-idle': sessionIdle,
  '20261124-010-customer-access-audit': customerAccessAudit,
  '20261202-011-survey': survey,
  '20261202-012-monitoring': monitoring,
  '20261202-013-queue-alert-thresholds': queueAlertThresholds,
  '20261209-014-reports': reports,
  '20261216-015-leases': leases,
  '20261217-016-call-hold-and-history': callHoldAndHistory,
  '20261223-017-lease-address': leaseAddress,
  '20261230-018-agent-wrap-up': agentWrapUp,
  '20261231-019-callback-attempt': callbackAttempt,
  '20270107-020-report-indexes': reportIndexes,
};

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: () => Promise.resolve(Object.keys(migrations)),
  getMigrationName: (name) => name,
  getMigration: (name) => {
    const m = migrations[name];
    if (!m) throw new Error(`unknown migration ${name}`);
    return Promise.resolve(m);
  },
};
