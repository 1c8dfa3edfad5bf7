import type { Role } from '../api/auth';
import type { AccessAction, AccessAuditEntry } from '../api/privacy';
import type { Db } from '../db';
import { num } from '../db';
import { isoOf } from '../shared/clock';

/** One entry as written: who, what, which customer or call (src/privacy/access-entry.ts). */
export interface AccessEntryInput {
  at: number;
  userId: number;
  role: Role;
  action: AccessAction;
  customerId: number | null;
  callId: string | null;
  path: string;
  detail: string | null;
  count: number | null;
}

export interface AccessAuditFilter {
  userId?: number;
  customerId?: number;
  callId?: string;
  action?: AccessAction;
  from?: number;
  to?: number;
  limit: number;
  offset: number;
}

interface Row {
  id: number;
  at: number | string;
  user_id: number | null;
  user_name: string | null;
  role: Role;
  action: AccessAction;
  customer_id: number | null;
  call_id: string | null;
  path: string;
  detail: string | null;
  count: number | null;
}

const TABLE = 'customer_access_audit';

/** The customer access audit (migration 010): append-only, read by admins. */
export function createCustomerAccessAudit(db: Db) {
  return {
    async write(e: AccessEntryInput): Promise<void> {
      await db(TABLE).insert({
        at: e.at,
        user_id: e.userId,
        role: e.role,
        action: e.action,
        customer_id: e.customerId,
        call_id: e.callId?.slice(0, 64) ?? null,
        path: e.path.slice(0, 200),
        detail: e.detail?.slice(0, 500) ?? null,
        count: e.count,
      });
    },

    async list(f: AccessAuditFilter): Promise<AccessAuditEntry[]> {
      const q = db(`${TABLE} as a`)
        .leftJoin('users as u', 'u.id', 'a.user_id')
        .select<Row[]>('a.*', 'u.name as user_name')
        .orderBy([
          { column: 'a.at', order: 'desc' },
          { column: 'a.id', order: 'desc' },
        ])
        .limit(f.limit)
        .offset(f.offset);
      if (f.userId !== undefined) q.where('a.user_id', f.userId);
      if (f.customerId !== undefined) q.where('a.customer_id', f.customerId);
      if (f.callId !== undefined) q.where('a.call_id', f.callId);
      if (f.action !== undefined) q.where('a.action', f.action);
      if (f.from !== undefined) q.where('a.at', '>=', f.from);
      if (f.to !== undefined) q.where('a.at', '<', f.to);
      return (await q).map((r) => ({
        id: num(r.id),
        at: isoOf(num(r.at))!,
        userId: num(r.user_id, true),
        userName: r.user_name,
        role: r.role,
        action: r.action,
        customerId: num(r.customer_id, true),
        callId: r.call_id,
        path: r.path,
        detail: r.detail,
        count: num(r.count, true),
      }));
    },
  };
}

export type CustomerAccessAudit = ReturnType<typeof createCustomerAccessAudit>;
