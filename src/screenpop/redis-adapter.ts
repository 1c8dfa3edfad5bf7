import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import type { Logger } from '../shared/logger';
import type { HotlineIo } from './gateway';

/**
 * REDIS_URL set: socket.io rooms span every instance, so a pop emitted by the instance that
 * holds the ARI link reaches an agent whose browser is connected to another instance.
 */
export async function attachRedisAdapter(
  io: HotlineIo,
  url: string,
  log: Logger,
): Promise<{ close: () => Promise<void>; ready: () => boolean }> {
  const pub = createClient({ url });
  const sub = pub.duplicate();
  for (const c of [pub, sub]) c.on('error', (err: unknown) => log.error({ err }, 'redis error'));
  await Promise.all([pub.connect(), sub.connect()]);
  io.adapter(createAdapter(pub, sub));
  log.info('socket.io uses the Redis adapter');
  return {
    close: async () => {
      await Promise.allSettled([pub.quit(), sub.quit()]);
    },
    /** Both connections up (/healthz, /readyz): pops and socket closes reach other instances. */
    ready: () => pub.isReady && sub.isReady,
  };
}
