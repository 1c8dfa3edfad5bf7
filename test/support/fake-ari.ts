import type { Ari } from '../../src/ari';
import { AriError } from '../../src/ari/errors';
import type {
  AriEvent,
  AriEventOf,
  AriEventType,
  AriEvents,
  AriRest,
  Bridge,
  Channel,
  OriginateParams,
} from '../../src/ari/types';

/** A channel as ARI describes it, for feeding recorded-shape events to the engine. */
export function channel(id: string, over: Partial<Channel> = {}): Channel {
  return {
    id,
    name: `PJSIP/${id}`,
    state: 'Up',
    caller: { name: '', number: '' },
    connected: { name: '', number: '' },
    accountcode: '',
    dialplan: {
      context: 'from-carrier',
      exten: '4000',
      priority: 2,
      app_name: 'Stasis',
      app_data: 'hotline,inbound,4000',
    },
    creationtime: new Date().toISOString(),
    language: 'en',
    ...over,
  };
}

/**
 * AriRest + AriEvents in memory: records every request, keeps channels and bridges, and lets a
 * test emit events. Pure-logic tests of the engine use it; everything telephony is also tested
 * against the real sandbox.
 */
export function fakeAri() {
  const requests: Array<{ op: string; args: unknown[] }> = [];
  const channels = new Map<string, Channel>();
  const bridges = new Map<string, Bridge>();
  const globals = new Map<string, string>();
  const listeners = new Map<string, Array<(e: AriEvent) => void>>();
  const anyListeners: Array<(e: AriEvent) => void> = [];
  const connected: Array<(i: { reconnect: boolean }) => void> = [];
  const disconnected: Array<(i: { reason: string }) => void> = [];
  const failNext = new Map<string, Error>();
  const notFound = (what: string) => new AriError('not-found', 404, 'GET', what, 'not found');
  const op = async <T>(name: string, args: unknown[], run: () => T): Promise<T> => {
    requests.push({ op: name, args });
    await Promise.resolve();
    const fail = failNext.get(name);
    if (fail) {
      failNext.delete(name);
      throw fail;
    }
    return run();
  };
  const needChannel = (id: string) => {
    const c = channels.get(id);
    if (!c) throw notFound(`channel ${id}`);
    return c;
  };
  /** A channel that ends leaves every bridge it was in, as in Asterisk. */
  const gone = (id: string) => {
    channels.delete(id);
    for (const b of bridges.values()) b.channels = b.channels.filter((c) => c !== id);
  };
  const needBridge = (id: string) => {
    const b = bridges.get(id);
    if (!b) throw notFound(`bridge ${id}`);
    return b;
  };

  const rest: AriRest = {
    asteriskInfo: () => op('asteriskInfo', [], () => ({})),
    getApplication: (app) =>
      op('getApplication', [app], () => ({
        name: app,
        channel_ids: [...channels.keys()],
        bridge_ids: [...bridges.keys()],
        endpoint_ids: [],
        device_names: [],
      })),
    getVariable: (v) => op('getVariable', [v], () => globals.get(v) ?? null),
    setVariable: (v, value) =>
      op('setVariable', [v, value], () => {
        if (value === undefined) globals.delete(v);
        else globals.set(v, value);
      }),
    listChannels: () => op('listChannels', [], () => [...channels.values()]),
    getChannel: (id) => op('getChannel', [id], () => needChannel(id)),
    originate: (p: OriginateParams) =>
      op('originate', [p], () => {
        const c = channel(p.channelId ?? `orig-${requests.length}`, {
          state: 'Down',
          caller: { name: '', number: '' },
        });
        channels.set(c.id, c);
        return c;
      }),
    answer: (id) => op('answer', [id], () => void needChannel(id)),
    ring: (id) => op('ring', [id], () => void needChannel(id)),
    hangup: (id) =>
      op('hangup', [id], () => {
        needChannel(id);
        gone(id);
      }),
    startMoh: (id) => op('startMoh', [id], () => void needChannel(id)),
    stopMoh: (id) => op('stopMoh', [id], () => void needChannel(id)),
    play: (id, media, playbackId) =>
      op('play', [id, media, playbackId], () => {
        needChannel(id);
        return {
          id: playbackId ?? 'pb',
          media_uri: String(media),
          target_uri: `channel:${id}`,
          language: 'en',
          state: 'playing' as const,
        };
      }),
    stopPlayback: (playbackId) => op('stopPlayback', [playbackId], () => undefined),
    setChannelVar: (id, k, v) => op('setChannelVar', [id, k, v], () => void needChannel(id)),
    snoop: (id, p) =>
      op('snoop', [id, p], () => {
        needChannel(id);
        const c = channel(p.snoopId, { name: `Snoop/${id}` });
        channels.set(c.id, c);
        return c;
      }),
    continueInDialplan: (id, to) => op('continueInDialplan', [id, to], () => void needChannel(id)),
    subscribeChannel: (app, id) => op('subscribeChannel', [app, id], () => void needChannel(id)),
    filterEvents: (app, allowed) => op('filterEvents', [app, allowed], () => undefined),
    listBridges: () => op('listBridges', [], () => [...bridges.values()]),
    getBridge: (id) => op('getBridge', [id], () => needBridge(id)),
    createBridge: (p) =>
      op('createBridge', [p], () => {
        const b: Bridge = {
          id: p.bridgeId ?? `b${bridges.size}`,
          technology: 'simple_bridge',
          bridge_type: 'mixing',
          bridge_class: 'stasis',
          creator: 'Stasis',
          name: p.name ?? '',
          channels: [],
        };
        bridges.set(b.id, b);
        return b;
      }),
    destroyBridge: (id) =>
      op('destroyBridge', [id], () => {
        needBridge(id);
        bridges.delete(id);
      }),
    addChannel: (id, chs) =>
      op('addChannel', [id, chs], () => {
        const b = needBridge(id);
        for (const c of chs) needChannel(c);
        b.channels.push(...chs);
      }),
    removeChannel: (id, chs) =>
      op('removeChannel', [id, chs], () => {
        const b = needBridge(id);
        b.channels = b.channels.filter((c) => !chs.includes(c));
      }),
    startBridgeMoh: (id) => op('startBridgeMoh', [id], () => void needBridge(id)),
    stopBridgeMoh: (id) => op('stopBridgeMoh', [id], () => void needBridge(id)),
    recordBridge: (id, p) =>
      op('recordBridge', [id, p], () => ({
        name: p.name,
        format: p.format,
        target_uri: `bridge:${id}`,
        state: 'recording' as const,
      })),
    // Finished as soon as it is stopped (a test that needs a live one uses failNext / overrides).
    getLiveRecording: (name) =>
      op('getLiveRecording', [name], () => {
        throw notFound(`recording ${name}`);
      }),
    pauseRecording: (name) => op('pauseRecording', [name], () => undefined),
    unpauseRecording: (name) => op('unpauseRecording', [name], () => undefined),
    stopRecording: (name) => op('stopRecording', [name], () => undefined),
    deleteStoredRecording: (name) => op('deleteStoredRecording', [name], () => undefined),
    fetchStoredRecording: (name, dest) =>
      op('fetchStoredRecording', [name, dest], () => ({ bytes: 0, sha256: '' })),
  };

  const events: AriEvents = {
    state: 'open',
    on<T extends AriEventType>(type: T, l: (e: AriEventOf<T>) => void) {
      listeners.set(type, [...(listeners.get(type) ?? []), l as (e: AriEvent) => void]);
    },
    off() {},
    onAny: (l) => void anyListeners.push(l),
    onConnected: (l) => void connected.push(l),
    onDisconnected: (l) => void disconnected.push(l),
    start() {},
    close: () => Promise.resolve(),
  };

  return {
    rest,
    events,
    requests,
    channels,
    bridges,
    globals,
    /** The next call of this operation rejects with `err`. */
    failNext: (name: keyof AriRest, err: Error = notFound(name)) => failNext.set(name, err),
    ops: (name?: string) => requests.filter((r) => !name || r.op === name),
    emit(e: AriEvent) {
      for (const l of listeners.get(e.type) ?? []) l(e);
      for (const l of anyListeners) l(e);
    },
    /** A carrier call entering the app. */
    inbound(id: string, callerNumber: string, did = '4000') {
      const c = channel(id, { state: 'Ring', caller: { name: '', number: callerNumber } });
      channels.set(id, c);
      this.emit({
        type: 'StasisStart',
        application: 'hotline',
        timestamp: new Date().toISOString(),
        args: ['inbound', did],
        channel: c,
      });
    },
    /** A leg hangs up (the events Asterisk sends for a Stasis channel). */
    hangupFromFar(id: string) {
      const c = channels.get(id) ?? channel(id);
      gone(id);
      this.emit({
        type: 'StasisEnd',
        application: 'hotline',
        timestamp: new Date().toISOString(),
        channel: c,
      });
    },
    /** An originated agent leg answers: it enters the app with the originate's appArgs. */
    agentAnswers(id: string, callId: string) {
      const c = channels.get(id) ?? channel(id);
      c.state = 'Up';
      this.emit({
        type: 'StasisStart',
        application: 'hotline',
        timestamp: new Date().toISOString(),
        args: ['agent', callId],
        channel: c,
      });
    },
    /** An originated agent leg fails or stops ringing with a Q.850 cause. */
    agentLegDestroyed(id: string, cause: number, text: string) {
      const c = channels.get(id) ?? channel(id);
      gone(id);
      this.emit({
        type: 'ChannelDestroyed',
        application: 'hotline',
        timestamp: new Date().toISOString(),
        cause,
        cause_txt: text,
        channel: c,
      });
    },
    /** An originated leg answers: it enters the app with the originate's own appArgs. */
    answers(id: string) {
      const orig = requests.find(
        (r) => r.op === 'originate' && (r.args[0] as OriginateParams).channelId === id,
      );
      if (!orig) throw new Error(`no originate of ${id}`);
      const c = channels.get(id) ?? channel(id);
      c.state = 'Up';
      channels.set(id, c);
      this.emit({
        type: 'StasisStart',
        application: 'hotline',
        timestamp: new Date().toISOString(),
        args: ((orig.args[0] as OriginateParams).appArgs ?? '').split(','),
        channel: c,
      });
    },
    /** A channel leaves the app for the dialplan (`continue`): StasisEnd. */
    leavesStasis(id: string) {
      this.emit({
        type: 'StasisEnd',
        application: 'hotline',
        timestamp: new Date().toISOString(),
        channel: channels.get(id) ?? channel(id),
      });
    },
    /** A channel back from the dialplan enters the app again, with the dialplan's Stasis args. */
    returnsToStasis(id: string, args: string[]) {
      this.emit({
        type: 'StasisStart',
        application: 'hotline',
        timestamp: new Date().toISOString(),
        args,
        channel: channels.get(id) ?? channel(id),
      });
    },
    /** The originate requests made so far, in order. */
    originates(): OriginateParams[] {
      return requests.filter((r) => r.op === 'originate').map((r) => r.args[0] as OriginateParams);
    },
    /** Channels hung up through ARI, in order. */
    hungUp(): string[] {
      return requests.filter((r) => r.op === 'hangup').map((r) => r.args[0] as string);
    },
    /** A leg's hang-up begins (before StasisEnd / ChannelDestroyed), with its Q.850 cause. */
    hangupRequest(id: string, cause: number) {
      this.emit({
        type: 'ChannelHangupRequest',
        application: 'hotline',
        timestamp: new Date().toISOString(),
        cause,
        channel: channels.get(id) ?? channel(id),
      });
    },
    /** A media playback started through ARI has finished. */
    playbackFinished(playbackId: string) {
      this.emit({
        type: 'PlaybackFinished',
        application: 'hotline',
        timestamp: new Date().toISOString(),
        playback: {
          id: playbackId,
          media_uri: '',
          target_uri: '',
          language: 'en',
          state: 'done',
        },
      });
    },
    /** The caller pressed a key (RFC 4733 or SIP INFO). */
    dtmf(id: string, digit: string) {
      this.emit({
        type: 'ChannelDtmfReceived',
        application: 'hotline',
        timestamp: new Date().toISOString(),
        digit,
        duration_ms: 100,
        channel: channels.get(id) ?? channel(id),
      });
    },
    disconnect() {
      (this.events as { state: string }).state = 'closed';
      for (const l of disconnected) l({ reason: 'test' });
    },
    reconnect() {
      (this.events as { state: string }).state = 'open';
      for (const l of connected) l({ reconnect: true });
    },
    connectFirst() {
      for (const l of connected) l({ reconnect: false });
    },
  };
}

export type FakeAri = ReturnType<typeof fakeAri>;

/** The fake as the service's Ari (createHotline's `ari` option): REST over "http", never started. */
export function asAri(fake: FakeAri, app = 'hotline'): Ari {
  return {
    rest: fake.rest,
    events: fake.events as unknown as Ari['events'],
    app,
    restVia: 'http',
  };
}
