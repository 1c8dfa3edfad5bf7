import type { Logger } from '../shared/logger';
import { createAriEvents, type AriEventsClient, type Backoff } from './events';
import { createAriRest } from './rest';
import { createRestOverWs } from './rest-over-ws';
import type { AriFence } from './fence';
import type { AriRest } from './types';

export * from './types';
export * from './errors';
export { AriFencedError, isAriFenced, type AriFence } from './fence';
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
  /** After ApplicationReplaced: how often to ask whether the application is free (events.ts). */
  replacedCheckMs?: number;
  /** REST requests over the event WebSocket when Asterisk supports it (rest-over-ws.ts). Default true. */
  restOverWebSocket?: boolean;
  /** The lease every REST request is issued under (rest.ts `fence`); none: always sent. */
  fence?: AriFence;
}

export interface Ari {
  rest: AriRest;
  /** How REST requests travel right now. */
  readonly restVia: 'websocket' | 'http';
  events: AriEventsClient;
  app: string;
}

/** The REST client and the (not yet started) event stream for one Stasis application. */
export function createAri(opts: AriOptions): Ari {
  const { baseUrl, user, password, app, log } = opts;
  const events = createAriEvents({
    baseUrl,
    user,
    password,
    app,
    log,
    backoff: opts.backoff,
    pingIntervalMs: opts.pingIntervalMs,
    pongTimeoutMs: opts.pongTimeoutMs,
    replacedCheckMs: opts.replacedCheckMs,
  });
  const ws =
    opts.restOverWebSocket === false
      ? undefined
      : createRestOverWs(events, { timeoutMs: opts.timeoutMs ?? 5000, log });
  const rest = createAriRest({
    baseUrl,
    user,
    password,
    log,
    timeoutMs: opts.timeoutMs,
    maxInFlight: opts.maxInFlight,
    ws,
    fence: opts.fence,
  });
  return {
    rest,
    events,
    app,
    get restVia() {
      return ws?.ready ? 'websocket' : 'http';
    },
  };
}
