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
  /** Ask Asterisk for the listened event types only (`eventFilter` below). Default true. */
  filterEvents?: boolean;
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
  if (opts.filterEvents !== false) askOnlyForListenedTypes(events, rest, app, log);
  return {
    rest,
    events,
    app,
    get restVia() {
      return ws?.ready ? 'websocket' : 'http';
    },
  };
}

/**
 * What the filter would drop too: the answers of REST requests sent over the socket
 * (rest-over-ws.ts) and the news that another client took the application over (events.ts).
 */
const ALWAYS_SENT = ['RESTResponse', 'ApplicationReplaced'];

/**
 * Asterisk sends the application every event of its channels and bridges: per inbound call about
 * seventeen, of which the engine handles half (StasisStart/End, hang-up, destroyed, DTMF,
 * playback and recording ends) and skips the rest (state changes, Dial, bridge enter/leave),
 * after Asterisk has written and Hotline parsed them. So on every connect, and when a listener
 * for a new type is added, the application's event filter is set to the listened types (plus
 * `ALWAYS_SENT`). A failure (an Asterisk older than 16.3, the lease lost) leaves every event
 * coming, as before: only slower. Limit: a listener added while connected hears its type from
 * when Asterisk has taken the new filter (its request leaves in the same tick); the engine's
 * listeners are all added before the first connect.
 */
function askOnlyForListenedTypes(
  events: AriEventsClient,
  rest: AriRest,
  app: string,
  log: Logger,
): void {
  let queued = false;
  const send = () => {
    queued = false;
    if (events.state !== 'open') return;
    const allowed = [...new Set<string>([...events.listenedTypes(), ...ALWAYS_SENT])];
    rest.filterEvents(app, allowed).then(
      () => log.debug({ allowed }, 'ARI event filter set'),
      (err: unknown) => log.warn({ err }, 'ARI event filter not set: every event keeps coming'),
    );
  };
  // Listeners added together (in one tick) make one request.
  const soon = () => {
    if (queued) return;
    queued = true;
    queueMicrotask(send);
  };
  events.onConnected(soon);
  events.onTypeAdded(soon);
}
