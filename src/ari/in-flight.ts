/**
 * At most `max` ARI requests in flight; the rest wait their turn, the call path's first. Asterisk's
 * HTTP server serves a limited number of sessions (http.conf `sessionlimit`, 100 by default,
 * the event WebSocket included) and drops connections past it ("other side closed"): a burst of
 * calls, each answering, bridging and ringing at once, went past it. Urgent requests (ringing an
 * agent) are taken before the others (answering, music, teardown) once a slot frees up.
 */
export function createInFlightLimit(max: number) {
  let active = 0;
  const urgent: Array<() => void> = [];
  const normal: Array<() => void> = [];

  function next(): void {
    const start = urgent.shift() ?? normal.shift();
    if (start) start();
  }

  return {
    async run<T>(work: () => Promise<T>, isUrgent = false): Promise<T> {
      if (active >= max)
        await new Promise<void>((resolve) => (isUrgent ? urgent : normal).push(resolve));
      else active += 1;
      try {
        return await work();
      } finally {
        // Hand the slot straight to the next waiter (active stays the same), or free it.
        if (urgent.length || normal.length) next();
        else active -= 1;
      }
    },
    get waiting() {
      return urgent.length + normal.length;
    },
    get active() {
      return active;
    },
  };
}
