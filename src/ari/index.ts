import type { Logger } from '../shared/logger';
import { createAriEvents, type AriEventsClient, type Backoff } from './events';
import { createAriRest } from './rest';
import type { AriRest } from './types';

export * from './types';
export * from './errors';
export { createAriRest, type AriRestOptions } from './rest';
export { createAriEvents, backoffDelay, type AriEventsClient, type Backoff } from './events';

export interface AriOptions {
  /** e.g. http://127.0.0.1:18088 (no /ari). */
  baseUrl: string;
  user: string;
  password: string;
  /** The Stasis application this service registers over the events WebSocket. */
  app: string;
  log: Logger;
  timeoutMs?: number;
  /** ARI REST requests in flight at most (src/ari/in-flight.ts). */
  maxInFlight?: number;
  backoff?: Backoff;
  pingIntervalMs?: number;
  pongTimeoutMs?: number;
}

export interface Ari {
  rest: AriRest;
  events: AriEventsClient;
  app: string;
}

/** The REST client and the (not yet started) event stream for one Stasis application. */
export function createAri(opts: AriOptions): Ari {
  const { baseUrl, user, password, app, log } = opts;
  const rest = createAriRest({
    baseUrl,
    user,
    password,
    log,
    timeoutMs: opts.timeoutMs,
    maxInFlight: opts.maxInFlight,
  });
  const events = createAriEvents({
    baseUrl,
    user,
    password,
    app,
    log,
    backoff: opts.backoff,
    pingIntervalMs: opts.pingIntervalMs,
    pongTimeoutMs: opts.pongTimeoutMs,
  });
  return { rest, events, app };
}
