/**
 * `BENCH_PROFILE=FILE`: a V8 CPU profile of the measured window only (open it in Chrome's
 * DevTools, Performance → Load profile), so a bench's cost can be read without its setup.
 */
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

export async function profileWindow(): Promise<() => Promise<void>> {
  const file = process.env.BENCH_PROFILE;
  if (!file) return () => Promise.resolve();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    fs.writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
    console.log(`CPU profile of the measured window: ${file}`);
  };
}

/**
 * The service's event loop over a window: how late its callbacks ran (p99, max) and the garbage
 * collector's pauses, the two things that delay every call at once.
 */
export function watchEventLoop(): { stop(): string } {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const gc: number[] = [];
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gc.push(e.duration);
  });
  obs.observe({ entryTypes: ['gc'] });
  return {
    stop() {
      delay.disable();
      obs.disconnect();
      const ms = (ns: number) => (ns / 1e6).toFixed(1);
      const total = gc.reduce((a, b) => a + b, 0);
      return (
        `event loop delay p99 ${ms(delay.percentile(99))} ms, max ${ms(delay.max)} ms; ` +
        `GC ${gc.length} pauses, ${total.toFixed(0)} ms in all, longest ${Math.max(0, ...gc).toFixed(1)} ms`
      );
    },
  };
}
