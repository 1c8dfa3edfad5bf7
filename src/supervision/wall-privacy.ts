import type { Role } from '../api/auth';
import type { WallCall, WallDelta, WallSnapshot } from '../api/wall';
import { maskNumber } from '../customers/normalise-number';

/** Who sees the wall: supervisors and admins, and qa read-only. Agents get nothing of it. */
export const WALL_ROLES = ['supervisor', 'admin', 'qa'] as const satisfies readonly Role[];
export type WallRole = (typeof WALL_ROLES)[number];

export const isWallRole = (role: string): role is WallRole =>
  (WALL_ROLES as readonly string[]).includes(role);

/**
 * The caller's number as `role` may see it on the wall: whole for supervisors and admins, who
 * call customers back and act on calls; masked (+86 138****5678) for qa, who review calls and do
 * not need it. The one place the wall decides this: the general masking policy replaces it.
 */
export function wallCallerNumber(role: WallRole, number: string): string {
  return role === 'qa' ? maskNumber(number) : number;
}

const callFor = (role: WallRole, c: WallCall): WallCall => {
  const callerNumber = wallCallerNumber(role, c.callerNumber);
  return callerNumber === c.callerNumber ? c : { ...c, callerNumber };
};

/** The snapshot or delta as `role` may see it. */
export function wallFor<T extends WallSnapshot | WallDelta>(role: WallRole, x: T): T {
  if (!x.calls?.length) return x;
  return { ...x, calls: x.calls.map((c) => callFor(role, c)) };
}
