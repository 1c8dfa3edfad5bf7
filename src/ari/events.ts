import WebSocket from 'ws';
import type { Logger } from '../shared/logger';
import type { RestResponseFrame, WsRestLink } from './rest-over-ws';
import type { AriConnectionState, AriEvent, AriEventType, AriEvents } from './types';

export interface Backoff {
  initialMs: number;
  maxMs: number;
}

export interface AriEventsOptions {
  baseUrl: string;
  user: string;
  password: string;
  app: string;
  log: Logger;
  /** Reconnect delays: capped exponential with jitter, retrying forever. Default 250 / 10000. */
  backoff?: Backoff;
  /** Asterisk sends nothing when idle: a ping every interval is what notices a dead link. */
  pingIntervalMs?: number;
  /** No pong within this long: the socket is terminated and the client reconnects. */
  pongTimeoutMs?: number;
  /** After ApplicationReplaced: how often to ask whether the application is free again. */
  replacedCheckMs?: number;
}

export interface AriEventsClient extends AriEvents, WsRestLink {
  /** Test hook: drops the current socket abruptly, as if the network died. */
  dropConnection(): void;
  /** The types with an `on(type)` listener: what Asterisk is asked to send (createAri). */
  listenedTypes(): AriEventType[];
  /** A listener for a type nobody listened to before was added. */
  onTypeAdded(listener: (type: AriEventType) => void): void;
}

/** Every type in the AriEvent union; the Record makes the compiler insist on completeness. */
const KNOWN_TYPES: Record<AriEventType, true> = {
  StasisStart: true,
  StasisEnd: true,
  ChannelStateChange: true,
  ChannelDestroyed: true,
  ChannelHangupRequest: true,
  ChannelDtmfReceived: true,
  ChannelEnteredBridge: true,
  ChannelLeftBridge: true,
  Dial: true,
  PlaybackStarted: true,
  PlaybackContinuing: true,
  PlaybackFinished: true,
  RecordingStarted: true,
  RecordingFinished: true,
  RecordingFailed: true,
};

const isKnownType = (type: string): type is AriEventType => Object.hasOwn(KNOWN_TYPES, type);

/** Delay before reconnect attempt `attempt` (0-based): min(max, initial·2^n), minus up to half. */
export function backoffDelay(attempt: number, b: Backoff, random: () => number = Math.random) {
  const base = Math.min(b.maxMs, b.initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(base / 2 + (base / 2) * random());
}

/** A WebSocket message as text, whatever the frames it came in. */
export function toText(data: WebSocket.RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  return Buffer.from(data).toString('utf8');
}

export function createAriEvents(opts: AriEventsOptions): AriEventsClient {
  const { log } = opts;
  const backoff = opts.backoff ?? { initialMs: 250, maxMs: 10_000 };
  const pingIntervalMs = opts.pingIntervalMs ?? 5000;
  const pongTimeoutMs = opts.pongTimeoutMs ?? 5000;
  const url =
    `${opts.baseUrl.replace(/\/+$/, '').replace(/^http/, 'ws')}/ari/events` +
    `?app=${encodeURIComponent(opts.app)}&subscribeAll=false`;
  const authorization = `Basic ${Buffer.from(`${opts.user}:${opts.password}`).toString('base64')}`;

  type Listener = (event: AriEvent) => void;
  const byType = new Map<AriEventType, Set<Listener>>();
  const anyListeners = new Set<Listener>();
  const connectedListeners = new Set<(info: { reconnect: boolean }) => void>();
  const disconnectedListeners = new Set<(info: { reason: string }) => void>();
  const responseListeners = new Set<(frame: RestResponseFrame) => void>();
  const typeAddedListeners = new Set<(type: AriEventType) => void>();

  let state: AriConnectionState = 'closed';
  let stopped = true;
  let socket: WebSocket | null = null;
  let everConnected = false;
  let attempt = 0;
  let reconnectTimer: NodeJS.Timeout | null = null;
  let closeWaiters: Array<() => void> = [];
  let dropCurrent: (why: string) => void = () => {};
  let replacedChecks = 0;
  const replacedCheckMs = opts.replacedCheckMs ?? 5000;

  function safely<A>(listener: (arg: A) => void, arg: A, type: string) {
    try {
      listener(arg);
    } catch (err) {
      log.error({ err, type }, 'ARI event listener failed');
    }
  }

  function dispatch(data: WebSocket.RawData) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(toText(data));
    } catch (err) {
      log.warn({ err }, 'ARI event is not JSON: skipped');
      return;
    }
    const type: unknown = parsed && typeof parsed === 'object' ? Reflect.get(parsed, 'type') : null;
    if (typeof type !== 'string') {
      log.warn('ARI event without a type: skipped');
      return;
    }
    if (type === 'RESTResponse') {
      for (const l of [...responseListeners]) safely(l, parsed as RestResponseFrame, type);
      return;
    }
    if (type === 'ApplicationReplaced') {
      replaced();
      return;
    }
    if (!isKnownType(type)) {
      log.debug({ type }, 'ARI event of an unhandled type: skipped');
      return;
    }
    const event = parsed as AriEvent;
    for (const l of [...(byType.get(type) ?? [])]) safely(l, event, type);
    for (const l of [...anyListeners]) safely(l, event, type);
  }

  /**
   * Another client connected to the same application: Asterisk now sends it every event and this
   * socket hears nothing. Loud, reported as down (`replaced`), and never taken back by force: the
   * socket closes and the application is asked for again only once nobody holds it (checkFree),
   * so two instances cannot take it from each other in turn.
   */
  function replaced() {
    if (state !== 'open') return;
    state = 'replaced';
    replacedChecks = 0;
    log.error(
      { app: opts.app },
      'ARI application taken over by another client (ApplicationReplaced): Hotline receives no calls ' +
        'until it is free again. Only one Hotline may use an ARI application; stop the other client.',
    );
    dropCurrent('replaced by another client of the application');
  }

  /** While replaced: is the application free (404: no client holds it)? Then connect again. */
  function checkFree() {
    reconnectTimer = null;
    if (stopped) return;
    replacedChecks += 1;
    const appUrl = `${opts.baseUrl.replace(/\/+$/, '')}/ari/applications/${encodeURIComponent(opts.app)}`;
    fetch(appUrl, { headers: { authorization }, signal: AbortSignal.timeout(replacedCheckMs) })
      .then(async (res) => {
        await res.arrayBuffer();
        return res.status;
      })
      .then(
        (status) => {
          if (stopped || state !== 'replaced') return;
          if (status === 404) {
            log.warn({ app: opts.app }, 'ARI application free again: connecting');
            connect();
            return;
          }
          // Still held: say so now and then, not at every check.
          if (replacedChecks % 12 === 0)
            log.error({ app: opts.app }, 'ARI application still held by another client');
          reconnectTimer = setTimeout(checkFree, replacedCheckMs);
        },
        (err: unknown) => {
          if (stopped || state !== 'replaced') return;
          log.debug({ err }, 'ARI application check failed');
          reconnectTimer = setTimeout(checkFree, replacedCheckMs);
        },
      );
  }

  function connect() {
    reconnectTimer = null;
    state = 'connecting';
    const ws = new WebSocket(url, {
      headers: { Authorization: authorization },
      handshakeTimeout: pingIntervalMs + pongTimeoutMs,
    });
    socket = ws;
    let opened = false;
    let heartbeat: NodeJS.Timeout | null = null;
    let pongTimer: NodeJS.Timeout | null = null;
    let lastError: string | undefined;
    let dropReason: string | undefined;
    const terminate = (why: string) => {
      dropReason = why;
      ws.terminate();
    };
    dropCurrent = terminate;

    ws.on('open', () => {
      opened = true;
      state = 'open';
      attempt = 0;
      const reconnect = everConnected;
      everConnected = true;
      log.info({ app: opts.app, reconnect }, 'ARI events connected');
      heartbeat = setInterval(() => {
        if (pongTimer || ws.readyState !== WebSocket.OPEN) return;
        pongTimer = setTimeout(() => {
          log.warn({ pongTimeoutMs }, 'ARI events: no pong, dropping the connection');
          terminate(`no pong within ${pongTimeoutMs} ms`);
        }, pongTimeoutMs);
        ws.ping();
      }, pingIntervalMs);
      for (const l of [...connectedListeners]) safely(l, { reconnect }, 'connected');
    });
    ws.on('pong', () => {
      if (pongTimer) clearTimeout(pongTimer);
      pongTimer = null;
    });
    ws.on('message', (data) => dispatch(data));
    ws.on('error', (err) => {
      lastError = err.message;
      log.debug({ err: err.message }, 'ARI events socket error');
    });
    ws.on('close', (code, reasonBuf) => {
      if (heartbeat) clearInterval(heartbeat);
      if (pongTimer) clearTimeout(pongTimer);
      if (socket === ws) socket = null;
      const wasReplaced = state === 'replaced';
      state = stopped ? 'closed' : wasReplaced ? 'replaced' : 'connecting';
      const reason = dropReason ?? (reasonBuf.toString() || lastError || `code ${code}`);
      if (opened) {
        log[stopped ? 'info' : 'warn']({ reason }, 'ARI events disconnected');
        for (const l of [...disconnectedListeners]) safely(l, { reason }, 'disconnected');
      }
      const waiters = closeWaiters;
      closeWaiters = [];
      waiters.forEach((resolve) => resolve());
      if (stopped) return;
      if (wasReplaced) {
        reconnectTimer = setTimeout(checkFree, replacedCheckMs);
        return;
      }
      const delayMs = backoffDelay(attempt, backoff);
      attempt += 1;
      log[opened || attempt % 10 === 1 ? 'warn' : 'debug'](
        { attempt, delayMs, reason },
        'ARI events: reconnecting',
      );
      reconnectTimer = setTimeout(connect, delayMs);
    });
  }

  return {
    get state() {
      return state;
    },
    on(type, listener) {
      const set = byType.get(type) ?? new Set<Listener>();
      set.add(listener as Listener);
      if (!byType.has(type)) {
        byType.set(type, set);
        for (const l of [...typeAddedListeners]) safely(l, type, 'type added');
      }
    },
    off(type, listener) {
      byType.get(type)?.delete(listener as Listener);
    },
    onAny: (listener) => void anyListeners.add(listener),
    listenedTypes: () => [...byType.keys()],
    onTypeAdded: (listener) => void typeAddedListeners.add(listener),
    onConnected: (listener) => void connectedListeners.add(listener),
    onDisconnected: (listener) => void disconnectedListeners.add(listener),
    onResponse: (listener) => void responseListeners.add(listener),
    send(frame) {
      if (state !== 'open' || socket?.readyState !== WebSocket.OPEN) return false;
      corkedUntilNextTick(socket);
      socket.send(frame);
      return true;
    },
    start() {
      if (!stopped) return;
      stopped = false;
      if (!socket) connect();
    },
    close() {
      stopped = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      reconnectTimer = null;
      const ws = socket;
      if (!ws) {
        state = 'closed';
        return Promise.resolve();
      }
      const closed = new Promise<void>((resolve) => closeWaiters.push(resolve));
      if (ws.readyState === WebSocket.OPEN) {
        ws.close(1000, 'client closing');
        // A dead peer never answers the close handshake: do not wait ws's 30 s for it.
        setTimeout(() => ws.terminate(), 1000).unref();
      } else {
        ws.terminate();
      }
      return closed;
    },
    dropConnection() {
      if (socket) dropCurrent('dropped by dropConnection()');
    },
  };
}

/**
 * The requests sent in one tick leave in one write: a burst of calls sends several per call at
 * once (answer, bridge, music, record), and each write is a system call and a wake-up of Asterisk.
 * ws has no public cork: its TCP socket is `_socket` (there since ws 1); without it, frames go
 * one write each as before.
 */
const corked = new WeakSet<WebSocket>();
function corkedUntilNextTick(ws: WebSocket): void {
  const tcp = (ws as unknown as { _socket?: { cork(): void; uncork(): void } })._socket;
  if (!tcp || corked.has(ws)) return;
  corked.add(ws);
  tcp.cork();
  process.nextTick(() => {
    corked.delete(ws);
    tcp.uncork();
  });
}
