import { randomBytes } from 'node:crypto';
import { ERRORS, HotlineError, type ErrorCode } from '../shared/errors';
import type { Logger } from '../shared/logger';

/** The two Redis connections it borrows (the socket.io adapter's): one publishes, one listens. */
export interface BusRedis {
  pub: {
    publish(channel: string, message: string): Promise<unknown>;
    /** PUBSUB NUMSUB: who still listens (a killed instance's connection is gone at once). */
    pubSubNumSub?(channels: string[]): Promise<Record<string, number>>;
  };
  sub: {
    subscribe(
      channels: string[],
      listener: (message: string, channel: string) => void,
    ): Promise<unknown>;
    unsubscribe(
      channels: string[],
      listener?: (message: string, channel: string) => void,
    ): Promise<unknown>;
  };
}

interface Envelope {
  kind: string;
  from: string;
  /** Set when an answer is awaited. */
  id?: string;
  payload: unknown;
}

interface Reply {
  id: string;
  ok: boolean;
  value?: unknown;
  error?: { code?: string; message: string };
}

type Handler = (payload: unknown, from: string) => unknown;

/**
 * What a standby asks of the leader, over Redis pub/sub beside the socket.io adapter (the same
 * two connections, channels under the same key): `ask` waits for the answer (at most
 * `timeoutMs`), `tell` does not. Every instance listens on the leader's channel and only the one
 * leading right now (`leading()`) answers, so no subscription changes hands at a takeover; a
 * message that arrives while nobody leads gets no answer (ask: HOTLINE_NOT_LEADER after the
 * timeout). `broadcast` / `on` reach every other instance (a new leader asking the standbys to
 * tell it their sockets). A handler's HotlineError comes back as one, with its code.
 *
 * Channels: `KEY-cluster#leader`, `KEY-cluster#all`, `KEY-cluster#reply#INSTANCE`.
 */
export function createClusterBus(deps: {
  redis: BusRedis;
  key: string;
  instance: string;
  leading: () => boolean;
  log: Logger;
  timeoutMs?: number;
}) {
  const { redis, instance, log } = deps;
  const timeoutMs = deps.timeoutMs ?? 3000;
  const channel = {
    leader: `${deps.key}-cluster#leader`,
    all: `${deps.key}-cluster#all`,
    reply: (to: string) => `${deps.key}-cluster#reply#${to}`,
  };
  const handlers = new Map<string, Handler>();
  const listeners = new Map<string, Array<(payload: unknown, from: string) => void>>();
  const waiting = new Map<
    string,
    { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }
  >();
  let closed = false;

  const publish = (ch: string, message: unknown) =>
    redis.pub
      .publish(ch, JSON.stringify(message))
      .catch((err: unknown) => log.warn({ err, channel: ch }, 'cluster bus: publish failed'));

  function answer(e: Envelope, reply: Omit<Reply, 'id'>) {
    if (e.id) void publish(channel.reply(e.from), { id: e.id, ...reply });
  }

  async function onLeaderMessage(e: Envelope) {
    if (!deps.leading()) return;
    const handler = handlers.get(e.kind);
    if (!handler) {
      answer(e, { ok: false, error: { message: `no handler for ${e.kind}` } });
      return;
    }
    try {
      answer(e, { ok: true, value: (await handler(e.payload, e.from)) ?? null });
    } catch (err) {
      if (err instanceof HotlineError) {
        answer(e, { ok: false, error: { code: err.code, message: err.message } });
        return;
      }
      log.error({ err, kind: e.kind, from: e.from }, 'cluster bus: handler failed');
      answer(e, { ok: false, error: { message: `${e.kind} failed` } });
    }
  }

  function onReply(r: Reply) {
    const w = waiting.get(r.id);
    if (!w) return; // answered already (two leaders for a moment), or timed out
    waiting.delete(r.id);
    clearTimeout(w.timer);
    if (r.ok) w.resolve(r.value);
    else if (r.error?.code && r.error.code in ERRORS)
      w.reject(new HotlineError(r.error.code as ErrorCode, r.error.message));
    else w.reject(new Error(r.error?.message ?? 'the leader refused'));
  }

  const listener = (message: string, ch: string) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(message);
    } catch {
      return;
    }
    if (ch === channel.reply(instance)) onReply(parsed as Reply);
    else if (ch === channel.leader) void onLeaderMessage(parsed as Envelope);
    else if (ch === channel.all) {
      const e = parsed as Envelope;
      if (e.from === instance) return;
      for (const l of listeners.get(e.kind) ?? [])
        try {
          l(e.payload, e.from);
        } catch (err) {
          log.error({ err, kind: e.kind }, 'cluster bus: listener failed');
        }
    }
  };
  const channels = [channel.leader, channel.all, channel.reply(instance)];
  const subscribed = redis.sub.subscribe(channels, listener);

  return {
    instance,
    /** Subscribed (the first message may be sent after this). */
    ready: subscribed,
    /** Asks the leader and waits for its answer; HOTLINE_NOT_LEADER when none comes in time. */
    ask<T>(kind: string, payload: unknown): Promise<T> {
      if (closed) return Promise.reject(new Error('cluster bus closed'));
      const id = randomBytes(8).toString('hex');
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(
            new HotlineError(
              'HOTLINE_NOT_LEADER',
              `no leader answered ${kind} within ${timeoutMs} ms: try again`,
            ),
          );
        }, timeoutMs);
        timer.unref();
        waiting.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
        void publish(channel.leader, { kind, from: instance, id, payload } satisfies Envelope);
      });
    },
    /** Tells the leader (no answer; lost when nobody leads). */
    tell(kind: string, payload: unknown): void {
      if (!closed)
        void publish(channel.leader, { kind, from: instance, payload } satisfies Envelope);
    },
    /** What the leader answers to `kind` (run only while this instance leads). */
    handle(kind: string, handler: Handler): void {
      handlers.set(kind, handler);
    },
    /** To every other instance. */
    broadcast(kind: string, payload: unknown): void {
      if (!closed) void publish(channel.all, { kind, from: instance, payload } satisfies Envelope);
    },
    /**
     * Of `instances`, those still subscribed to their reply channel, i.e. alive with their Redis
     * connection up (Redis drops a killed process's subscriptions when its socket closes); null
     * when it cannot be told (no NUMSUB, or Redis did not answer).
     */
    async listening(instances: string[]): Promise<Set<string> | null> {
      if (closed || !redis.pub.pubSubNumSub || !instances.length) return null;
      try {
        const counts = await redis.pub.pubSubNumSub(instances.map(channel.reply));
        return new Set(instances.filter((i) => Number(counts[channel.reply(i)] ?? 0) > 0));
      } catch (err) {
        log.debug({ err }, 'cluster bus: PUBSUB NUMSUB failed');
        return null;
      }
    },
    on(kind: string, l: (payload: unknown, from: string) => void): void {
      listeners.set(kind, [...(listeners.get(kind) ?? []), l]);
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      for (const [id, w] of waiting) {
        clearTimeout(w.timer);
        w.reject(new Error('cluster bus closed'));
        waiting.delete(id);
      }
      await subscribed.catch(() => undefined);
      await redis.sub.unsubscribe(channels, listener).catch(() => undefined);
    },
  };
}

export type ClusterBus = ReturnType<typeof createClusterBus>;
