import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import type { Logger } from '../shared/logger';
import type { HotlineIo } from './gateway';

export type RedisClient = ReturnType<typeof createClient>;

/**
 * REDIS_URL set: socket.io rooms span every instance, so a pop emitted by the instance that
 * holds the ARI link reaches an agent whose browser is connected to another instance, and its
 * acknowledgement comes back (the adapter carries broadcasts with acks). `key` prefixes every
 * channel (config `redisKey`, HOTLINE_REDIS_KEY); the two connections are lent to the cluster bus
 * (src/leadership/cluster-bus.ts).
 */
export async function attachRedisAdapter(
  io: HotlineIo,
  url: string,
  log: Logger,
  key = 'socket.io',
): Promise<{
  close: () => Promise<void>;
  ready: () => boolean;
  pub: RedisClient;
  sub: RedisClient;
  key: string;
}> {
  const pub = createClient({ url });
  const sub = pub.duplicate();
  for (const c of [pub, sub]) c.on('error', (err: unknown) => log.error({ err }, 'redis error'));
  await Promise.all([pub.connect(), sub.connect()]);
  io.adapter(createAdapter(pub, sub, { key }));
  log.info({ key }, 'socket.io uses the Redis adapter');
  return {
    pub,
    sub,
    key,
    close: async () => {
      await Promise.allSettled([pub.quit(), sub.quit()]);
    },
    /** Both connections up (/healthz, /readyz): pops and socket closes reach other instances. */
    ready: () => pub.isReady && sub.isReady,
  };
}
