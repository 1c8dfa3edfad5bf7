import { useEffect, useState } from 'react';
import { get } from '../api/client';
import type { CodeLabel } from '../api/types';

/** Code/label lists the service configures; fetched once per session and shared. */
const cache = new Map<string, Promise<CodeLabel[]>>();

export type LookupName = 'dispositions' | 'break-reasons' | 'complaint-categories';
const FIELD: Record<LookupName, string> = {
  dispositions: 'dispositions',
  'break-reasons': 'reasons',
  'complaint-categories': 'categories',
};

function load(name: LookupName): Promise<CodeLabel[]> {
  let p = cache.get(name);
  if (!p) {
    p = get<Record<string, CodeLabel[]>>(`/${name}`).then((r) => r[FIELD[name]] ?? []);
    p.catch(() => cache.delete(name));
    cache.set(name, p);
  }
  return p;
}

/** Forget a list (after an admin changed it). */
export function invalidateLookup(name: LookupName): void {
  cache.delete(name);
}

export function useLookup(name: LookupName): { items: CodeLabel[]; error: unknown } {
  const [items, setItems] = useState<CodeLabel[]>([]);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    load(name)
      .then((list) => {
        if (live) setItems(list);
      })
      .catch((e: unknown) => {
        if (live) setError(e);
      });
    return () => {
      live = false;
    };
  }, [name]);
  return { items, error };
}
