/**
 * ARI wire types (a subset of ../shared/asterisk/ari-spec, Asterisk 22) and the small interface the
 * rest of Hotline depends on. Only src/ari/ knows how these travel (REST + WebSocket).
 */

export interface CallerId {
  name: string;
  number: string;
}

export interface DialplanCep {
  context: string;
  exten: string;
  priority: number;
  app_name?: string;
  app_data?: string;
}

export type ChannelState =
  | 'Down'
  | 'Rsrved'
  | 'OffHook'
  | 'Dialing'
  | 'Ring'
  | 'Ringing'
  | 'Up'
  | 'Busy'
  | 'Dialing Offhook'
  | 'Pre-ring'
  | 'Unknown';

export interface Channel {
  id: string;
  name: string;
  state: ChannelState;
  caller: CallerId;
  connected: CallerId;
  accountcode: string;
  dialplan: DialplanCep;
  creationtime: string;
  language: string;
  protocol_id?: string;
  channelvars?: Record<string, string>;
}

export interface Bridge {
  id: string;
  technology: string;
  bridge_type: string;
  bridge_class: string;
  creator: string;
  name: string;
  channels: string[];
  creationtime?: string;
}

export interface Application {
  name: string;
  channel_ids: string[];
  bridge_ids: string[];
  endpoint_ids: string[];
  device_names: string[];
  /** The event filter (`filterEvents`): the types sent; empty = every type. */
  events_allowed?: Array<{ type: string }>;
  events_disallowed?: Array<{ type: string }>;
}

export interface Playback {
  id: string;
  media_uri: string;
  target_uri: string;
  language: string;
  state: 'queued' | 'playing' | 'continuing' | 'done' | 'failed';
}

export interface LiveRecording {
  name: string;
  format: string;
  target_uri: string;
  state: 'queued' | 'recording' | 'paused' | 'done' | 'failed' | 'canceled';
  duration?: number;
  talking_duration?: number;
  silence_duration?: number;
  cause?: string;
}

export interface AsteriskInfo {
  system?: { version: string; entity_id: string };
  status?: { startup_time: string; last_reload_time: string };
}

interface EventBase {
  application: string;
  timestamp: string;
  asterisk_id?: string;
}

export interface StasisStartEvent extends EventBase {
  type: 'StasisStart';
  args: string[];
  channel: Channel;
  replace_channel?: Channel;
}
export interface StasisEndEvent extends EventBase {
  type: 'StasisEnd';
  channel: Channel;
}
export interface ChannelStateChangeEvent extends EventBase {
  type: 'ChannelStateChange';
  channel: Channel;
}
export interface ChannelDestroyedEvent extends EventBase {
  type: 'ChannelDestroyed';
  cause: number;
  cause_txt: string;
  channel: Channel;
}
export interface ChannelHangupRequestEvent extends EventBase {
  type: 'ChannelHangupRequest';
  cause?: number;
  soft?: boolean;
  channel: Channel;
}
export interface ChannelDtmfReceivedEvent extends EventBase {
  type: 'ChannelDtmfReceived';
  digit: string;
  duration_ms: number;
  channel: Channel;
}
export interface ChannelEnteredBridgeEvent extends EventBase {
  type: 'ChannelEnteredBridge';
  bridge: Bridge;
  channel?: Channel;
}
export interface ChannelLeftBridgeEvent extends EventBase {
  type: 'ChannelLeftBridge';
  bridge: Bridge;
  channel: Channel;
}
export interface DialEvent extends EventBase {
  type: 'Dial';
  caller?: Channel;
  peer: Channel;
  dialstring?: string;
  dialstatus: string;
}
interface PlaybackEventOf<T extends string> extends EventBase {
  type: T;
  playback: Playback;
}
export type PlaybackStartedEvent = PlaybackEventOf<'PlaybackStarted'>;
export type PlaybackContinuingEvent = PlaybackEventOf<'PlaybackContinuing'>;
export type PlaybackFinishedEvent = PlaybackEventOf<'PlaybackFinished'>;
export type PlaybackEvent = PlaybackStartedEvent | PlaybackContinuingEvent | PlaybackFinishedEvent;

interface RecordingEventOf<T extends string> extends EventBase {
  type: T;
  recording: LiveRecording;
}
export type RecordingStartedEvent = RecordingEventOf<'RecordingStarted'>;
export type RecordingFinishedEvent = RecordingEventOf<'RecordingFinished'>;
export type RecordingFailedEvent = RecordingEventOf<'RecordingFailed'>;
export type RecordingEvent = RecordingStartedEvent | RecordingFinishedEvent | RecordingFailedEvent;

export type AriEvent =
  | StasisStartEvent
  | StasisEndEvent
  | ChannelStateChangeEvent
  | ChannelDestroyedEvent
  | ChannelHangupRequestEvent
  | ChannelDtmfReceivedEvent
  | ChannelEnteredBridgeEvent
  | ChannelLeftBridgeEvent
  | DialEvent
  | PlaybackEvent
  | RecordingEvent;

export type AriEventType = AriEvent['type'];
export type AriEventOf<T extends AriEventType> = Extract<AriEvent, { type: T }>;

export interface OriginateParams {
  endpoint: string;
  app: string;
  appArgs?: string;
  callerId?: string;
  timeout?: number;
  channelId?: string;
  otherChannelId?: string;
  originator?: string;
  variables?: Record<string, string>;
}

export interface RecordParams {
  name: string;
  format: string;
  maxDurationSeconds?: number;
  maxSilenceSeconds?: number;
  ifExists?: 'fail' | 'overwrite' | 'append';
  beep?: boolean;
  terminateOn?: 'none' | 'any' | '*' | '#';
}

/** REST calls the call engine makes. Every method rejects with an AriError on failure. */
export interface AriRest {
  asteriskInfo(): Promise<AsteriskInfo>;
  getApplication(app: string): Promise<Application>;
  /** GET /asterisk/variable: a global variable or dialplan function (e.g. DB(family/key)). */
  getVariable(variable: string): Promise<string | null>;
  /** POST /asterisk/variable: sets a global variable; without a value, unsets it. */
  setVariable(variable: string, value?: string): Promise<void>;

  listChannels(): Promise<Channel[]>;
  getChannel(channelId: string): Promise<Channel>;
  originate(params: OriginateParams): Promise<Channel>;
  answer(channelId: string): Promise<void>;
  ring(channelId: string): Promise<void>;
  hangup(channelId: string, reason?: string): Promise<void>;
  startMoh(channelId: string, mohClass?: string): Promise<void>;
  stopMoh(channelId: string): Promise<void>;
  play(channelId: string, media: string | string[], playbackId?: string): Promise<Playback>;
  /** DELETE /playbacks/{id}: stops a playback (PlaybackFinished follows); 404 once it is over. */
  stopPlayback(playbackId: string): Promise<void>;
  setChannelVar(channelId: string, variable: string, value: string): Promise<void>;
  /**
   * POST /channels/{id}/snoop: a channel that hears the snooped one (`spy`) and may speak into it
   * (`whisper`: `out` = what the snooped channel's device hears); it enters `app` with `appArgs`.
   */
  snoop(
    channelId: string,
    p: {
      snoopId: string;
      app: string;
      appArgs: string;
      spy: 'none' | 'in' | 'out' | 'both';
      whisper: 'none' | 'in' | 'out' | 'both';
    },
  ): Promise<Channel>;
  /** POST /channels/{id}/continue: the channel leaves Stasis for this place in the dialplan. */
  continueInDialplan(
    channelId: string,
    to: { context: string; extension: string; priority: number },
  ): Promise<void>;
  /**
   * POST /applications/{app}/subscription: the app keeps getting a channel's events (its hang-up)
   * while the channel runs dialplan outside Stasis.
   */
  subscribeChannel(app: string, channelId: string): Promise<void>;
  /**
   * PUT /applications/{app}/eventFilter (Asterisk 13.26 / 16.3 and later): only these event
   * types are sent to the application.
   */
  filterEvents(app: string, allowed: readonly string[]): Promise<void>;

  listBridges(): Promise<Bridge[]>;
  getBridge(bridgeId: string): Promise<Bridge>;
  createBridge(params: { bridgeId?: string; type?: string; name?: string }): Promise<Bridge>;
  destroyBridge(bridgeId: string): Promise<void>;
  addChannel(bridgeId: string, channelIds: string[], role?: string): Promise<void>;
  removeChannel(bridgeId: string, channelIds: string[]): Promise<void>;
  startBridgeMoh(bridgeId: string, mohClass?: string): Promise<void>;
  stopBridgeMoh(bridgeId: string): Promise<void>;
  recordBridge(bridgeId: string, params: RecordParams): Promise<LiveRecording>;
  /** A recording Asterisk is still writing (404 once it is finished). */
  getLiveRecording(name: string): Promise<LiveRecording>;
  pauseRecording(name: string): Promise<void>;
  unpauseRecording(name: string): Promise<void>;
  stopRecording(name: string): Promise<void>;
  /** Streams a stored recording's file to `dest`; resolves with its size and SHA-256. */
  fetchStoredRecording(name: string, dest: string): Promise<{ bytes: number; sha256: string }>;
  deleteStoredRecording(name: string): Promise<void>;
}

/**
 * `replaced`: another client took the Stasis application over (ApplicationReplaced); Hotline is
 * deaf until the application is free again (events.ts, "won back only when free").
 */
export type AriConnectionState = 'connecting' | 'open' | 'replaced' | 'closed';

/** The event side: one WebSocket per app, reconnecting forever. */
export interface AriEvents {
  readonly state: AriConnectionState;
  on<T extends AriEventType>(type: T, listener: (event: AriEventOf<T>) => void): void;
  off<T extends AriEventType>(type: T, listener: (event: AriEventOf<T>) => void): void;
  /** Fired after every successful (re)connect; `reconnect` is false for the first. */
  onConnected(listener: (info: { reconnect: boolean }) => void): void;
  onDisconnected(listener: (info: { reason: string }) => void): void;
  /**
   * Every event of a known type, after the `on(type)` listeners. Asterisk sends only the types
   * some `on(type)` listener asked for (createAri's event filter), so these are the same types.
   */
  onAny(listener: (event: AriEvent) => void): void;
  start(): void;
  close(): Promise<void>;
}
