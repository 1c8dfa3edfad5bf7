/**
 * `BENCH_PROFILE=FILE`: a V8 CPU profile of the measured window only (open it in Chrome's
 * DevTools, Performance → Load profile), so a bench's cost can be read without its setup.
 */
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';

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
