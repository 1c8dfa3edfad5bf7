import WebSocket from 'ws';
import type { AsteriskInfo, Bridge, Channel, LiveRecording } from './types';
import { toText } from './events';

/**
 * ARI for `npm run doctor`: each request answers with its HTTP status instead of throwing, since a
 * 401 or a 404 is what the doctor reports on. Only a request that got no answer at all throws a
 * ProbeError (with the system's code: ECONNREFUSED, ENOTFOUND, TIMEOUT…). Everything it changes
 * on Asterisk is temporary and named by the caller (a bridge, a recording, a Local channel in the
 * doctor's own application); it never opens the service's application.
 */
export interface ProbeReply<T> {
  status: number;
  /** The parsed JSON body (undefined when empty or not JSON). */
  body: T | undefined;
}

export class ProbeError extends Error {
  override readonly name = 'ProbeError';
  constructor(
    /** ECONNREFUSED, ENOTFOUND, EHOSTUNREACH, TIMEOUT…, or null. */
    readonly code: string | null,
    message: string,
  ) {
    super(message);
  }
}

export interface ModuleInfo {
  name: string;
  description: string;
  status: string;
}
export interface SoundInfo {
  id: string;
  formats: Array<{ language: string; format: string }>;
}
export interface EndpointInfo {
  technology: string;
  resource: string;
  state?: string;
}
export interface InfoWithConfig extends AsteriskInfo {
  config?: { default_language?: string };
}
export type ConfigTuple = { attribute: string; value: string };

export interface AriProbeOptions {
  baseUrl: string;
  user: string;
  password: string;
  timeoutMs?: number;
  /** The service's own application: openApp refuses it (taking it would deafen a running Hotline). */
  serviceApp: string;
}

const enc = encodeURIComponent;

function causeCode(err: unknown): string | null {
  let e: unknown = err;
  for (let i = 0; i < 4 && e && typeof e === 'object'; i++) {
    const { code, name } = e as { code?: unknown; name?: unknown };
    if (name === 'TimeoutError' || name === 'AbortError') return 'TIMEOUT';
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}

export function createAriProbe(opts: AriProbeOptions) {
  const root = `${opts.baseUrl.replace(/\/+$/, '')}/ari`;
  const timeoutMs = opts.timeoutMs ?? 5000;
  const authorization = `Basic ${Buffer.from(`${opts.user}:${opts.password}`).toString('base64')}`;

  async function send(method: string, path: string, query?: Record<string, string | number>) {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {})) qs.set(k, String(v));
    const url = `${root}${path}${qs.size ? `?${qs.toString()}` : ''}`;
    try {
      return await fetch(url, {
        method,
        headers: { authorization, accept: 'application/json' },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const code = causeCode(err);
      throw new ProbeError(code, `${method} ${path}: ${code ?? String(err)}`);
    }
  }

  async function request<T>(
    method: string,
    path: string,
    query?: Record<string, string | number>,
  ): Promise<ProbeReply<T>> {
    const res = await send(method, path, query);
    const text = await res.text();
    let body: T | undefined;
    try {
      body = text ? (JSON.parse(text) as T) : undefined;
    } catch {
      body = undefined;
    }
    return { status: res.status, body };
  }

  const get = <T>(path: string, query?: Record<string, string | number>) =>
    request<T>('GET', path, query);
  const post = <T>(path: string, query?: Record<string, string | number>) =>
    request<T>('POST', path, query);
  const del = (path: string) => request<unknown>('DELETE', path);

  return {
    info: () => get<InfoWithConfig>('/asterisk/info'),
    application: (app: string) =>
      get<{ channel_ids?: string[]; bridge_ids?: string[] }>(`/applications/${enc(app)}`),
    modules: () => get<ModuleInfo[]>('/asterisk/modules'),
    /** A sound by id, e.g. hotline/no-agents (the slash encoded, as ARI wants it). */
    sound: (id: string) => get<SoundInfo>(`/sounds/${enc(id)}`),
    endpoints: () => get<EndpointInfo[]>('/endpoints'),
    endpoint: (tech: string, resource: string) =>
      get<EndpointInfo>(`/endpoints/${enc(tech)}/${enc(resource)}`),
    /** A sorcery object's settings, e.g. ('res_pjsip', 'endpoint', 'carrier'). Read only. */
    configObject: (configClass: string, type: string, id: string) =>
      get<ConfigTuple[]>(`/asterisk/config/dynamic/${enc(configClass)}/${enc(type)}/${enc(id)}`),
    storedRecording: (name: string) => get<unknown>(`/recordings/stored/${enc(name)}`),
    async storedRecordingFile(name: string): Promise<{ status: number; bytes: Buffer }> {
      const res = await send('GET', `/recordings/stored/${enc(name)}/file`);
      return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()) };
    },
    deleteStoredRecording: (name: string) => del(`/recordings/stored/${enc(name)}`),
    liveRecording: (name: string) => get<LiveRecording>(`/recordings/live/${enc(name)}`),
    stopRecording: (name: string) => post<unknown>(`/recordings/live/${enc(name)}/stop`),

    createBridge: (id: string) =>
      post<Bridge>('/bridges', { type: 'mixing', bridgeId: id, name: id }),
    destroyBridge: (id: string) => del(`/bridges/${enc(id)}`),
    bridgeMoh: (id: string, mohClass: string) =>
      post<unknown>(`/bridges/${enc(id)}/moh`, { mohClass }),
    bridgePlay: (id: string, media: string, playbackId: string) =>
      post<unknown>(`/bridges/${enc(id)}/play`, { media, playbackId }),
    recordBridge: (id: string, name: string) =>
      post<LiveRecording>(`/bridges/${enc(id)}/record`, {
        name,
        format: 'wav',
        ifExists: 'overwrite',
        maxDurationSeconds: 30,
      }),

    /** A channel that is never dialed (Local/…;1 in `app`): something to evaluate functions on. */
    createLocalChannel: (app: string, context: string) =>
      post<Channel>('/channels/create', { endpoint: `Local/s@${context}`, app }),
    channelVar: (id: string, variable: string) =>
      get<{ value?: string }>(`/channels/${enc(id)}/variable`, { variable }),
    hangup: (id: string) => del(`/channels/${enc(id)}`),

    /**
     * Registers a temporary Stasis application of the doctor's own (its event WebSocket), so that
     * a channel can live in it. Refuses the service's application. `closeAfter(channelId)` waits
     * (up to 2 s) for that channel's ChannelDestroyed before closing: Asterisk forgets a closed
     * application only once nothing is subscribed to it, and checks that when a channel leaves
     * Stasis — a socket closed before the channel is gone leaves the application listed until
     * some other channel happens to leave.
     */
    openApp(app: string): Promise<AppSession> {
      if (app === opts.serviceApp) throw new Error(`refusing to open the service's application`);
      const url = `${root.replace(/^http/, 'ws')}/events?app=${enc(app)}&subscribeAll=false`;
      const ws = new WebSocket(url, { headers: { authorization }, handshakeTimeout: timeoutMs });
      ws.on('error', () => undefined); // after the open, a dropped socket is no failure of the doctor
      const destroyed = new Set<string>();
      const waiting = new Map<string, () => void>();
      ws.on('message', (raw) => {
        let ev: { type?: string; channel?: { id?: string } };
        try {
          ev = JSON.parse(toText(raw)) as typeof ev;
        } catch {
          return;
        }
        const id = ev.channel?.id;
        if (ev.type !== 'ChannelDestroyed' || !id) return;
        destroyed.add(id);
        waiting.get(id)?.();
      });
      const closeAfter = async (channelId?: string, maxMs = 2000): Promise<void> => {
        if (channelId && !destroyed.has(channelId))
          await new Promise<void>((done) => {
            const timer = setTimeout(done, maxMs);
            waiting.set(channelId, () => {
              clearTimeout(timer);
              done();
            });
          });
        ws.close();
      };
      return new Promise((resolve, reject) => {
        ws.once('open', () => resolve({ close: () => ws.close(), closeAfter }));
        ws.once('unexpected-response', (_req, res) => {
          reject(new ProbeError(null, `event WebSocket refused: ${res.statusCode}`));
          ws.terminate();
        });
        ws.once('error', (err) => reject(new ProbeError(causeCode(err), err.message)));
      });
    },
  };
}

export type AriProbe = ReturnType<typeof createAriProbe>;

/** The doctor's temporary application (see openApp). */
export interface AppSession {
  close(): void;
  closeAfter(channelId?: string, maxMs?: number): Promise<void>;
}

/** The probe for the service's configured ARI (url, credentials, application, timeout). */
export function probeForConfig(
  ari: { url: string; user: string; password: string; app: string; requestTimeoutMs: number },
  timeoutMs = ari.requestTimeoutMs,
): AriProbe {
  return createAriProbe({
    baseUrl: ari.url,
    user: ari.user,
    password: ari.password,
    timeoutMs,
    serviceApp: ari.app,
  });
}
