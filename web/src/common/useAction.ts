import { useCallback, useState } from 'react';

/**
 * The state of a button or form that calls the API: `run(work)` marks it busy, clears the last
 * error, and keeps the error of a failed `work` for `<ErrorMessage>`.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback((work: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    work()
      .catch((err: unknown) => setError(err))
      .finally(() => setBusy(false));
  }, []);
  return { busy, error, setError, run };
}
