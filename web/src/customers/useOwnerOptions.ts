import { useEffect, useState } from 'react';
import { get } from '../api/client';
import type { User } from '../api/types';
import { useSession } from '../auth/SessionProvider';

export interface OwnerOption {
  id: number;
  name: string;
}

/** Who can own an account: every user when we may list them, else just ourselves. */
export function useOwnerOptions(): OwnerOption[] {
  const { user } = useSession();
  const [options, setOptions] = useState<OwnerOption[]>(
    user ? [{ id: user.id, name: user.name }] : [],
  );
  useEffect(() => {
    if (!user || (user.role !== 'admin' && user.role !== 'supervisor')) return;
    let live = true;
    get<{ users: User[] }>('/users')
      .then((r) => {
        if (live)
          setOptions(
            r.users.filter((u) => u.active !== false).map((u) => ({ id: u.id, name: u.name })),
          );
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [user]);
  return options;
}
