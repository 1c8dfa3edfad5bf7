import { useEffect, useState } from 'react';
import { get } from '../api/client';
import type { Role, User } from '../api/types';
import { useSession } from '../auth/SessionProvider';

const REVIEWER_ROLES: Role[] = ['qa', 'supervisor', 'admin'];

export interface ReviewerOption {
  id: number;
  name: string;
  role: Role;
}

/** Who may review: active qa, supervisor and admin users; just me when I may not list users. */
export function useReviewerOptions(): { options: ReviewerOption[]; onlyMe: boolean } {
  const { user } = useSession();
  const me: ReviewerOption[] = user ? [{ id: user.id, name: user.name, role: user.role }] : [];
  const [options, setOptions] = useState<ReviewerOption[] | null>(null);
  useEffect(() => {
    if (!user) return;
    let live = true;
    get<{ users: User[] }>('/users')
      .then((r) => {
        if (!live) return;
        const list = r.users
          .filter((u) => u.active !== false && REVIEWER_ROLES.includes(u.role))
          .map((u) => ({ id: u.id, name: u.name, role: u.role }));
        setOptions(list.length ? list : null);
      })
      // 403 for qa users: they can only name themselves.
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [user]);
  return { options: options ?? me, onlyMe: options === null };
}
