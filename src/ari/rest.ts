import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Logger } from '../shared/logger';
import { AriError, kindForStatus } from './errors';
import { AriFencedError, type AriFence } from './fence';
import { createInFlightLimit } from './in-flight';
import type { RestOverWs } from './rest-over-ws';
import type {
  Application,
  AriRest,
  AsteriskInfo,
  Bridge,
  Channel,
  LiveRecording,
  Playback,
} from './types';

export interface AriRestOptions {
  /** e.g. http://127.0.0.1:18088; the client appends /ari. */
  baseUrl: string;
  user: string;
  password: string;
  /** Per request, headers and body included. Default 5000. */
  timeoutMs?: number;
  /** Requests in flight at most (in-flight.ts); below Asterisk's http.conf sessionlimit. Default 32. */
  maxInFlight?: number;
  log: Logger;
  /** Requests go over the event WebSocket whenever it is ready (rest-over-ws.ts); else HTTP. */
  ws?: RestOverWs;
  /**
   * The lease (src/leadership/): every request is issued under the epoch the instance leads
   * under when it is made, and refused (AriFencedError, never sent) when there is none, or when
   * the epoch changed before it could be sent (it waited for an HTTP slot). None: always sent.
   */
  fence?: AriFence;
}

type QueryValue = string | number | boolean | string[] | undefined;
type Query = Record<string, QueryValue>;

interface RequestOptions {
  query?: Query;
  body?: Record<string, unknown>;
}

const enc = encodeURIComponent;

/** Repeatable (allowMultiple) parameters travel as one comma-joined value, which ARI accepts. */
function queryPairs(query: Query | undefined): Array<{ name: string; value: string }> {
  const pairs: Array<{ name: string; value: string }> = [];
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    pairs.push({ name, value: Array.isArray(value) ? value.join(',') : String(value) });
  }
  return pairs;
}

function buildQuery(query: Query | undefined): string {
  const params = new URLSearchParams();
  for (const { name, value } of queryPairs(query)) params.append(name, value);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** ARI error bodies look like {"message": "..."} (sometimes {"error": "..."}). */
function errorDetail(status: number, statusText: string, body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object') {
      const { message, error } = parsed as { message?: unknown; error?: unknown };
      if (typeof message === 'string') return `${status} ${message}`;
      if (typeof error === 'string') return `${status} ${error}`;
    }
  } catch {
    // not JSON: fall through
  }
  const text = body.trim().slice(0, 200);
  return `${status} ${text || statusText}`;
}

/** Error-like values without instanceof: errors from fetch may come from another realm. */
function prop(value: unknown, key: 'name' | 'message' | 'cause'): unknown {
  return value !== null && typeof value === 'object' ? Reflect.get(value, key) : undefined;
}

function networkError(method: string, path: string, err: unknown): AriError {
  const name = prop(err, 'name');
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new AriError('timeout', null, method, path, 'timed out', { cause: err });
  }
  // fetch rejects with TypeError('fetch failed') whose cause says why (ECONNREFUSED...).
  const cause = prop(err, 'cause') ?? err;
  const message = prop(cause, 'message');
  const detail = typeof message === 'string' ? message : String(cause);
  return new AriError('unavailable', null, method, path, detail, { cause: err });
}

export function createAriRest(opts: AriRestOptions): AriRest {
  const root = `${opts.baseUrl.replace(/\/+$/, '')}/ari`;
  const timeoutMs = opts.timeoutMs ?? 5000;
  const authorization = `Basic ${Buffer.from(`${opts.user}:${opts.password}`).toString('base64')}`;

  const limit = createInFlightLimit(opts.maxInFlight ?? 32);

  /**
   * Over the event WebSocket when it is ready (no HTTP session, a fraction of the CPU); otherwise
   * HTTP, where ringing a phone (POST /channels) goes ahead of the in-flight queue.
   */
  function request<T>(method: string, path: string, ro: RequestOptions = {}): Promise<T> {
    const fence = opts.fence;
    const issued = fence?.epoch() ?? null;
    if (fence && issued === null) return Promise.reject(fenced(method, path, null, null));
    if (opts.ws?.ready) return sendWs<T>(method, path, ro);
    return limit.run(
      () => {
        // The lease may have changed hands while this request waited for a slot.
        const current = fence?.epoch() ?? null;
        if (fence && current !== issued)
          return Promise.reject(fenced(method, path, issued, current));
        return send<T>(method, path, ro);
      },
      method === 'POST' && path === '/channels',
    );
  }

  function fenced(method: string, path: string, issued: number | null, current: number | null) {
    opts.log.warn({ method, path, issued, current }, 'ARI request refused: not the leader');
    return new AriFencedError(method, path, issued, current);
  }

  /** A response's status and text → the parsed body, or the AriError it stands for. */
  function answer<T>(
    method: string,
    path: string,
    status: number,
    statusText: string,
    text: string,
  ): T {
    if (status < 200 || status > 299) {
      const detail = errorDetail(status, statusText, text);
      throw new AriError(kindForStatus(status), status, method, path, detail);
    }
    // 204 and other empty bodies: the caller expects void.
    return (text ? (JSON.parse(text) as unknown) : undefined) as T;
  }

  function failed(method: string, path: string, status: number | null, err: unknown): AriError {
    const error = err instanceof AriError ? err : toError(method, path, status, err);
    opts.log.debug({ method, path, status: error.status, kind: error.kind }, 'ARI request failed');
    return error;
  }

  async function sendWs<T>(method: string, path: string, ro: RequestOptions): Promise<T> {
    let status: number | null = null;
    try {
      const res = await opts.ws!.request(method, path, queryPairs(ro.query), ro.body);
      status = res.status;
      return answer<T>(method, path, res.status, res.statusText, res.text);
    } catch (err) {
      throw failed(method, path, status, err);
    }
  }

  async function send<T>(method: string, path: string, ro: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { authorization, accept: 'application/json' };
    if (ro.body) headers['content-type'] = 'application/json';
    let status: number | null = null;
    try {
      const res = await fetch(`${root}${path}${buildQuery(ro.query)}`, {
        method,
        headers,
        body: ro.body ? JSON.stringify(ro.body) : undefined,
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = res.status;
      return answer<T>(method, path, res.status, res.statusText, await res.text());
    } catch (err) {
      throw failed(method, path, status, err);
    }
  }

  /** A failure after the response arrived (body cut off or unparsable) vs. before it. */
  function toError(method: string, path: string, status: number | null, err: unknown): AriError {
    const name = prop(err, 'name');
    if (status === null || name === 'TimeoutError' || name === 'AbortError') {
      return networkError(method, path, err);
    }
    const detail = `${status} unreadable response: ${String(prop(err, 'message'))}`;
    return new AriError('server', status, method, path, detail, { cause: err });
  }

  const get = <T>(path: string, query?: Query) => request<T>('GET', path, { query });
  const post = <T>(path: string, query?: Query, body?: Record<string, unknown>) =>
    request<T>('POST', path, { query, body });
  const del = (path: string, query?: Query) => request<void>('DELETE', path, { query });
  const ch = (id: string) => `/channels/${enc(id)}`;
  const br = (id: string) => `/bridges/${enc(id)}`;
  const rec = (name: string) => `/recordings/live/${enc(name)}`;

  return {
    asteriskInfo: () => get<AsteriskInfo>('/asterisk/info'),
    getApplication: (app) => get<Application>(`/applications/${enc(app)}`),
    async getVariable(variable) {
      // ARI answers 200 {"value": ""} for an unset variable: that is null here.
      const res = await get<{ value?: unknown }>('/asterisk/variable', { variable });
      return typeof res.value === 'string' && res.value !== '' ? res.value : null;
    },
    setVariable: (variable, value) => post<void>('/asterisk/variable', { variable, value }),

    listChannels: () => get<Channel[]>('/channels'),
    getChannel: (id) => get<Channel>(ch(id)),
    originate(p) {
      const query: Query = {
        endpoint: p.endpoint,
        app: p.app,
        appArgs: p.appArgs,
        callerId: p.callerId,
        timeout: p.timeout,
        channelId: p.channelId,
        otherChannelId: p.otherChannelId,
        originator: p.originator,
      };
      return post<Channel>(
        '/channels',
        query,
        p.variables ? { variables: p.variables } : undefined,
      );
    },
    answer: (id) => post<void>(`${ch(id)}/answer`),
    ring: (id) => post<void>(`${ch(id)}/ring`),
    hangup: (id, reason) => del(ch(id), { reason }),
    startMoh: (id, mohClass) => post<void>(`${ch(id)}/moh`, { mohClass }),
    stopMoh: (id) => del(`${ch(id)}/moh`),
    play: (id, media, playbackId) => post<Playback>(`${ch(id)}/play`, { media, playbackId }),
    stopPlayback: (playbackId) => del(`/playbacks/${enc(playbackId)}`),
    setChannelVar: (id, variable, value) => post<void>(`${ch(id)}/variable`, { variable, value }),
    snoop: (id, p) =>
      post<Channel>(`${ch(id)}/snoop`, {
        snoopId: p.snoopId,
        app: p.app,
        appArgs: p.appArgs,
        spy: p.spy,
        whisper: p.whisper,
      }),
    continueInDialplan: (id, to) =>
      post<void>(`${ch(id)}/continue`, {
        context: to.context,
        extension: to.extension,
        priority: to.priority,
      }),
    subscribeChannel: (app, id) =>
      post<void>(`/applications/${enc(app)}/subscription`, { eventSource: `channel:${id}` }),
    filterEvents: (app, allowed) =>
      request<void>('PUT', `/applications/${enc(app)}/eventFilter`, {
        body: { allowed: allowed.map((type) => ({ type })) },
      }),

    listBridges: () => get<Bridge[]>('/bridges'),
    getBridge: (id) => get<Bridge>(br(id)),
    createBridge: ({ bridgeId, type, name }) => post<Bridge>('/bridges', { bridgeId, type, name }),
    destroyBridge: (id) => del(br(id)),
    addChannel: (id, channel, role) => post<void>(`${br(id)}/addChannel`, { channel, role }),
    removeChannel: (id, channel) => post<void>(`${br(id)}/removeChannel`, { channel }),
    startBridgeMoh: (id, mohClass) => post<void>(`${br(id)}/moh`, { mohClass }),
    stopBridgeMoh: (id) => del(`${br(id)}/moh`),
    recordBridge: (id, p) =>
      post<LiveRecording>(`${br(id)}/record`, {
        name: p.name,
        format: p.format,
        maxDurationSeconds: p.maxDurationSeconds,
        maxSilenceSeconds: p.maxSilenceSeconds,
        ifExists: p.ifExists,
        beep: p.beep,
        terminateOn: p.terminateOn,
      }),
    getLiveRecording: (name) => get<LiveRecording>(rec(name)),
    pauseRecording: (name) => post<void>(`${rec(name)}/pause`),
    unpauseRecording: (name) => del(`${rec(name)}/pause`),
    stopRecording: (name) => post<void>(`${rec(name)}/stop`),
    deleteStoredRecording: (name) => del(`/recordings/stored/${enc(name)}`),
    async fetchStoredRecording(name, dest) {
      const path = `/recordings/stored/${enc(name)}/file`;
      if (opts.fence && opts.fence.epoch() === null) throw fenced('GET', path, null, null);
      let res: Response;
      try {
        // A long call's file is tens of MB: a generous timeout for the whole transfer.
        res = await fetch(`${root}${path}`, {
          headers: { authorization },
          signal: AbortSignal.timeout(Math.max(timeoutMs, 120_000)),
        });
      } catch (err) {
        throw networkError('GET', path, err);
      }
      if (!res.ok || !res.body) {
        const detail = errorDetail(res.status, res.statusText, await res.text());
        throw new AriError(kindForStatus(res.status), res.status, 'GET', path, detail);
      }
      const hash = createHash('sha256');
      let bytes = 0;
      const body = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream);
      body.on('data', (chunk: Buffer) => {
        hash.update(chunk);
        bytes += chunk.length;
      });
      try {
        await pipeline(body, fs.createWriteStream(dest, { flags: 'wx' }));
      } catch (err) {
        await fs.promises.rm(dest, { force: true });
        throw toError('GET', path, res.status, err);
      }
      return { bytes, sha256: hash.digest('hex') };
    },
  };
}
