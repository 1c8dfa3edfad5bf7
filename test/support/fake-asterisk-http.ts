import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { wav as wavFile } from './wav';

/** A PCM WAV: 8 kHz mono 16-bit, `frames` samples of a square wave of height `amplitude`. */
export const wav = (frames: number, amplitude: number): Buffer => wavFile(frames, { amplitude });

/** How the fake Asterisk is (mis)configured; the defaults answer like the sandbox. */
export interface FakeAsteriskSetup {
  user: string;
  password: string;
  version: string;
  /** Applications some client holds (GET /applications/{app} → 200). */
  heldApps: string[];
  modules: string[];
  /** sound id → languages it exists in */
  sounds: Record<string, string[]>;
  /** PJSIP endpoints: resource → state */
  endpoints: Record<string, 'online' | 'offline'>;
  /** PJSIP sorcery objects: "endpoint/carrier" → attributes */
  pjsip: Record<string, Record<string, string>>;
  /** context → extensions that exist (patterns are not modelled: exact numbers) */
  dialplan: Record<string, string[]>;
  /** POST /bridges/{id}/record answers this (500: no recording folder). */
  recordStatus: number;
  /** POST /bridges answers this (403: read_only = yes). */
  bridgeStatus: number;
  /** The file a finished recording holds, by what played in the bridge. */
  recordedFile: { moh: Buffer; tone: Buffer };
}

export interface FakeAsterisk {
  url: string;
  setup: FakeAsteriskSetup;
  /** Every request, as "METHOD /ari/path". */
  requests: string[];
  /** Applications opened over the event WebSocket. */
  wsApps: string[];
  /** What the doctor left behind: bridges, stored and live recordings, channels. */
  readonly leftovers: string[];
  close(): Promise<void>;
}

export const SANDBOX_MODULES = [
  'res_ari.so', 'res_ari_model.so', 'res_http_websocket.so', 'res_ari_events.so',
  'res_ari_channels.so', 'res_ari_bridges.so', 'res_ari_applications.so', 'res_ari_asterisk.so',
  'res_ari_playbacks.so', 'res_ari_recordings.so', 'res_ari_endpoints.so', 'res_ari_sounds.so',
  'res_stasis.so', 'app_stasis.so', 'res_stasis_answer.so', 'res_stasis_playback.so',
  'res_stasis_recording.so', 'res_stasis_snoop.so', 'chan_bridge_media.so', 'res_musiconhold.so',
  'bridge_simple.so', 'bridge_softmix.so', 'func_dialplan.so', 'app_amd.so',
  'res_timing_timerfd.so', 'chan_pjsip.so', 'res_pjsip.so', 'res_pjsip_session.so',
  'res_pjsip_sdp_rtp.so', 'res_rtp_asterisk.so', 'res_pjsip_endpoint_identifier_ip.so',
  'res_pjsip_endpoint_identifier_user.so', 'res_pjsip_registrar.so',
  'res_pjsip_authenticator_digest.so', 'pbx_config.so', 'func_global.so', 'func_strings.so',
  'format_wav.so', 'codec_ulaw.so', 'codec_alaw.so',
]; // prettier-ignore

export function defaultSetup(): FakeAsteriskSetup {
  const sound = ['en'];
  return {
    user: 'hotline',
    password: 'hotline',
    version: '22.10.1',
    heldApps: [],
    modules: [...SANDBOX_MODULES],
    sounds: Object.fromEntries(
      ['no-agents', 'closed', 'callback-offer', 'callback-confirm', 'recording-consent', 'abandoned',
        'survey', 'survey-invalid', 'survey-thanks']
        .map((n) => [`hotline/${n}`, sound]),
    ), // prettier-ignore
    endpoints: { carrier: 'online', '1001': 'online', '1002': 'offline' },
    pjsip: {
      'endpoint/carrier': { context: 'from-carrier', direct_media: 'false', dtmf_mode: 'rfc4733', language: '' },
      'identify/carrier': { endpoint: 'carrier', match: '203.0.113.5/255.255.255.255' },
    }, // prettier-ignore
    dialplan: {
      'from-carrier': ['h', '4000', '+4000', '862150001234', '+862150001234'],
      'hotline-amd': ['s'],
    },
    recordStatus: 201,
    bridgeStatus: 200,
    recordedFile: { moh: wav(16000, 6000), tone: wav(8000, 6000) },
  };
}

const json = (res: http.ServerResponse, status: number, body?: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(body === undefined ? '' : JSON.stringify(body));
};

/** An ARI HTTP server (node http + ws) that answers like an Asterisk configured by `setup`. */
export async function fakeAsterisk(over: Partial<FakeAsteriskSetup> = {}): Promise<FakeAsterisk> {
  const setup = { ...defaultSetup(), ...over };
  const requests: string[] = [];
  const wsApps: string[] = [];
  const bridges = new Map<string, 'moh' | 'tone' | null>();
  const stored = new Map<string, Buffer>();
  const live = new Set<string>();
  const channels = new Set<string>();
  const authorized = (req: http.IncomingMessage) =>
    req.headers.authorization ===
    `Basic ${Buffer.from(`${setup.user}:${setup.password}`).toString('base64')}`;

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const method = req.method ?? 'GET';
    const path = url.pathname;
    requests.push(`${method} ${path}`);
    const q = (k: string) => url.searchParams.get(k) ?? '';
    if (!path.startsWith('/ari/')) return json(res, 404, { message: 'Not found' });
    if (!authorized(req)) return json(res, 401, { message: 'Authentication required' });
    // Split before decoding: a sound id keeps its %2F-encoded slash (hotline%2Fno-agents).
    const seg = path.slice('/ari/'.length).split('/').map(decodeURIComponent);
    const is = (m: string, pattern: string): string[] | null => {
      const ps = pattern.split('/');
      if (m !== method || ps.length !== seg.length) return null;
      const out: string[] = [];
      for (let i = 0; i < ps.length; i++) {
        if (ps[i] === '*') out.push(seg[i]!);
        else if (ps[i] !== seg[i]) return null;
      }
      return out;
    };
    let m: string[] | null;

    if (is('GET', 'asterisk/info'))
      return json(res, 200, {
        system: { version: setup.version },
        config: { default_language: 'en' },
      });
    if (is('GET', 'asterisk/modules'))
      return json(
        res,
        200,
        setup.modules.map((name) => ({ name, status: 'Running' })),
      );
    if ((m = is('GET', 'applications/*')))
      return setup.heldApps.includes(m[0]!)
        ? json(res, 200, { name: m[0], channel_ids: ['c1', 'c2'], bridge_ids: [] })
        : json(res, 404, { message: 'Application not found' });
    if ((m = is('GET', 'sounds/*'))) {
      const langs = setup.sounds[m[0]!];
      return langs
        ? json(res, 200, {
            id: m[0],
            formats: langs.map((language) => ({ language, format: 'wav' })),
          })
        : json(res, 404, { message: 'Sound not found' });
    }
    if (is('GET', 'endpoints'))
      return json(res, 200, Object.entries(setup.endpoints).map(([resource, state]) => ({ technology: 'PJSIP', resource, state }))); // prettier-ignore
    if ((m = is('GET', 'endpoints/*/*'))) {
      const state = m[0] === 'PJSIP' ? setup.endpoints[m[1]!] : undefined;
      return state
        ? json(res, 200, { technology: m[0], resource: m[1], state })
        : json(res, 404, { message: 'Endpoint not found' });
    }
    if ((m = is('GET', 'asterisk/config/dynamic/res_pjsip/*/*'))) {
      const obj = setup.pjsip[`${m[0]}/${m[1]}`];
      return obj
        ? json(
            res,
            200,
            Object.entries(obj).map(([attribute, value]) => ({ attribute, value })),
          )
        : json(res, 404, { message: `Object with id '${m[1]}' not found` });
    }
    if (is('POST', 'bridges')) {
      if (setup.bridgeStatus !== 200) return json(res, setup.bridgeStatus, { message: 'no' });
      bridges.set(q('bridgeId'), null);
      return json(res, 200, { id: q('bridgeId'), channels: [] });
    }
    if ((m = is('DELETE', 'bridges/*'))) {
      const had = bridges.delete(m[0]!);
      live.delete(m[0]!);
      return json(res, had ? 204 : 404);
    }
    if ((m = is('POST', 'bridges/*/moh')) && bridges.has(m[0]!)) {
      bridges.set(m[0]!, 'moh');
      return json(res, 204);
    }
    if ((m = is('POST', 'bridges/*/play')) && bridges.has(m[0]!)) {
      bridges.set(m[0]!, 'tone');
      return json(res, 201, { id: q('playbackId') });
    }
    if ((m = is('POST', 'bridges/*/record')) && bridges.has(m[0]!)) {
      if (setup.recordStatus !== 201)
        return json(res, setup.recordStatus, { message: 'Internal Server Error' });
      live.add(q('name'));
      stored.set(q('name'), setup.recordedFile[bridges.get(m[0]!) ?? 'moh']);
      return json(res, 201, { name: q('name'), state: 'queued' });
    }
    if ((m = is('GET', 'recordings/live/*')))
      return live.has(m[0]!) ? json(res, 200, { name: m[0], state: 'recording' }) : json(res, 404);
    if ((m = is('POST', 'recordings/live/*/stop')))
      return live.delete(m[0]!) ? json(res, 204) : json(res, 404);
    if ((m = is('GET', 'recordings/stored/*')))
      return stored.has(m[0]!)
        ? json(res, 200, { name: m[0], format: 'wav' })
        : json(res, 404, { message: 'Recording not found' });
    if ((m = is('GET', 'recordings/stored/*/file'))) {
      const file = stored.get(m[0]!);
      if (!file) return json(res, 404, { message: 'Recording not found' });
      res.writeHead(200, { 'content-type': 'audio/wav' });
      return res.end(file);
    }
    if ((m = is('DELETE', 'recordings/stored/*')))
      return stored.delete(m[0]!) ? json(res, 204) : json(res, 404);
    if (is('POST', 'channels/create')) {
      if (!wsApps.includes(q('app'))) return json(res, 400, { message: 'app not registered' });
      const id = `doctor-${channels.size + 1}`;
      channels.add(id);
      return json(res, 200, { id, name: `${q('endpoint')};1` });
    }
    if ((m = is('GET', 'channels/*/variable')) && channels.has(m[0]!)) {
      if (!setup.modules.includes('func_dialplan.so'))
        return json(res, 500, { message: 'Unable to read provided function' });
      const dp = /^DIALPLAN_EXISTS\(([^,]+),([^,]+),1\)$/.exec(q('variable'));
      const exists = dp ? (setup.dialplan[dp[1]!] ?? []).includes(dp[2]!) : false;
      return json(res, 200, { value: exists ? '1' : '0' });
    }
    if ((m = is('DELETE', 'channels/*'))) {
      if (!channels.delete(m[0]!)) return json(res, 404);
      // As Asterisk does: the channel's application hears it go.
      const ev = JSON.stringify({ type: 'ChannelDestroyed', channel: { id: m[0] } });
      for (const c of wss.clients) c.send(ev);
      return json(res, 204);
    }
    return json(res, 404, { message: 'Resource not found' });
  });

  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (!authorized(req) || url.pathname !== '/ari/events') {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      return;
    }
    wsApps.push(url.searchParams.get('app') ?? '');
    wss.handleUpgrade(req, socket, head, (ws) => ws.on('error', () => undefined));
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setup,
    requests,
    wsApps,
    get leftovers() {
      return [...bridges.keys(), ...stored.keys(), ...channels, ...live];
    },
    async close() {
      for (const c of wss.clients) c.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
