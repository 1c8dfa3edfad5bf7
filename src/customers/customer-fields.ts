import { isManager, type Role } from '../api/auth';
import type { Customer } from '../api/customers';
import { HotlineError } from '../shared/errors';

/**
 * Who may set which field of a customer. Tier and account owner decide routing (VIP callers
 * first, the owner rung first), so only supervisors and admins set them; everyone who may edit
 * customers (agents too) sets name, company, numbers and notes. A field sent with the value it
 * already has (or, on create, its default) is no change, so a form that sends every field works
 * for everyone.
 */
export const MANAGED_FIELDS = ['tier', 'ownerUserId'] as const;

type Managed = Pick<Customer, (typeof MANAGED_FIELDS)[number]>;
const DEFAULTS: Managed = { tier: 'standard', ownerUserId: null };

/** Throws HOTLINE_FORBIDDEN when `role` may not make the change: `current` null = a new customer. */
export function checkCustomerFields(
  role: Role,
  body: Partial<{ [K in keyof Managed]: Managed[K] | undefined }>,
  current: Managed | null,
): void {
  if (isManager(role)) return;
  const before = current ?? DEFAULTS;
  const changed = MANAGED_FIELDS.filter(
    (f) => body[f] !== undefined && (body[f] ?? null) !== before[f],
  );
  if (changed.length)
    throw new HotlineError(
      'HOTLINE_FORBIDDEN',
      `${changed.join(', ')}: only a supervisor or admin sets a customer's tier or owner`,
      changed.map((path) => ({ path, message: 'supervisor or admin only' })),
    );
}
