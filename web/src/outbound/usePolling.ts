import { useEffect } from 'react';

/** Calls `fn` every `everyMs` while `active` (the page refreshing live figures). */
export function usePolling(fn: () => void, everyMs: number, active = true): void {
  useEffect(() => {
    if (!active) return;
    const id = window.setInterval(fn, everyMs);
    return () => window.clearInterval(id);
  }, [fn, everyMs, active]);
}
