import type { Role } from '../api/auth';
import type { WallCall, WallDelta, WallSnapshot } from '../api/wall';
import { maskPhone } from '../privacy/mask-phone';
import { DEFAULT_FULL_NUMBER_ROLES, numberPolicy } from '../privacy/number-policy';

/** Who sees the wall: supervisors and admins, and qa read-only. Agents get nothing of it. */
export const WALL_ROLES = ['supervisor', 'admin', 'qa'] as const satisfies readonly Role[];
export type WallRole = (typeof WALL_ROLES)[number];

export const isWallRole = (role: string): role is WallRole =>
  (WALL_ROLES as readonly string[]).includes(role);

/**
 * The caller's number as `role` may see it on the wall, by the number policy
 * (docs/privacy.md): whole for the roles of `privacy.fullNumberRoles` (by default supervisors and
 * admins, who call customers back and act on calls); masked (+86 138****5678) for everyone else
 * (qa, and supervisors where numbers are on demand): the wall's calls are nobody's own.
 */
export function wallCallerNumber(
  role: WallRole,
  number: string,
  fullNumberRoles: readonly Role[] = DEFAULT_FULL_NUMBER_ROLES,
): string {
  return numberPolicy(fullNumberRoles)[role]['call.numbers'] === 'full'
    ? number
    : maskPhone(number);
}

/** The snapshot or delta as `role` may see it. */
export function wallFor<T extends WallSnapshot | WallDelta>(
  role: WallRole,
  x: T,
  fullNumberRoles: readonly Role[] = DEFAULT_FULL_NUMBER_ROLES,
): T {
  if (!x.calls?.length) return x;
  const callFor = (c: WallCall): WallCall => {
    const callerNumber = wallCallerNumber(role, c.callerNumber, fullNumberRoles);
    return callerNumber === c.callerNumber ? c : { ...c, callerNumber };
  };
  return { ...x, calls: x.calls.map(callFor) };
}
