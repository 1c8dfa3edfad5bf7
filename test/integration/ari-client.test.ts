import { randomUUID } from 'node:crypto';
import { AriError, createAri, isAriNotFound, type Ari } from '../../src/ari';
import { silentLogger } from '../../src/shared/logger';

/** The ARI client against the real Asterisk sandbox (scripts/pbx.sh). */
const baseUrl = process.env.ARI_URL ?? 'http://127.0.0.1:18088';
const user = process.env.ARI_USER ?? 'hotline';
const password = process.env.ARI_PASSWORD ?? 'hotline';
const app = `hotline-ari-test-${randomUUID().slice(0, 8)}`;

jest.setTimeout(20_000);

async function waitFor(what: string, cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

let ari: Ari;
const connects: boolean[] = [];
const disconnects: string[] = [];
const bridgeId = `${app}-bridge`;

beforeAll(async () => {
  ari = createAri({
    baseUrl,
    user,
    password,
    app,
    log: silentLogger(),
    backoff: { initialMs: 50, maxMs: 500 },
    pingIntervalMs: 500,
    pongTimeoutMs: 2000,
  });
  ari.events.onConnected(({ reconnect }) => connects.push(reconnect));
  ari.events.onDisconnected(({ reason }) => disconnects.push(reason));
  ari.events.start();
  await waitFor('the events socket', () => connects.length === 1);
});

afterAll(async () => {
  await ari.rest.destroyBridge(bridgeId).catch(() => undefined);
  await ari.events.close();
});

describe('ARI client against the sandbox Asterisk', () => {
  it('talks to Asterisk 22', async () => {
    const info = await ari.rest.asteriskInfo();
    expect(info.system?.version).toMatch(/^22\./);
    expect(ari.events.state).toBe('open');
    expect(connects).toEqual([false]);
  });

  it('asks Asterisk for the listened event types only, and Asterisk keeps the filter', async () => {
    const allowed = async () =>
      ((await ari.rest.getApplication(app)).events_allowed ?? []).map((e) => e.type).sort();
    /** The filter travels as a request of its own after the connect: wait until it holds. */
    const eventually = async (want: string[]) => {
      const deadline = Date.now() + 5000;
      while (JSON.stringify(await allowed()) !== JSON.stringify(want) && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await allowed()).toEqual(want);
    };
    // No listener yet: only what must always pass (REST answers, a take-over).
    await eventually(['ApplicationReplaced', 'RESTResponse']);
    ari.events.on('StasisEnd', () => undefined);
    await eventually(['ApplicationReplaced', 'RESTResponse', 'StasisEnd']);
  });

  it('sends REST requests over the event WebSocket (Asterisk 22.4+ answers the probe)', async () => {
    await waitFor('REST over the socket', () => ari.restVia === 'websocket');
    const bridge = await ari.rest.createBridge({ bridgeId: `${app}-ws`, type: 'mixing' });
    expect(bridge.id).toBe(`${app}-ws`);
    await ari.rest.destroyBridge(bridge.id);
    // Asterisk tears a bridge down on its own thread: over the socket the next request can come
    // before that is done, so the bridge is gone "soon", not at once.
    let err: unknown = null;
    for (let i = 0; i < 50 && !isAriNotFound(err); i += 1) {
      err = await ari.rest.getBridge(bridge.id).then(
        () => null,
        (e: unknown) => e,
      );
      if (!isAriNotFound(err)) await new Promise((r) => setTimeout(r, 20));
    }
    expect(isAriNotFound(err)).toBe(true);
  });

  it('registers the Stasis application over the events socket', async () => {
    const application = await ari.rest.getApplication(app);
    expect(application.name).toBe(app);
    expect(application.channel_ids).toEqual([]);
  });

  it('creates, lists and destroys a bridge', async () => {
    const bridge = await ari.rest.createBridge({ bridgeId, type: 'mixing', name: 'ari-test' });
    expect(bridge).toMatchObject({ id: bridgeId, bridge_type: 'mixing', name: 'ari-test' });
    expect((await ari.rest.listBridges()).map((b) => b.id)).toContain(bridgeId);
    expect((await ari.rest.getBridge(bridgeId)).channels).toEqual([]);

    const again = await ari.rest.createBridge({ bridgeId }).catch((e: unknown) => e);
    expect(again).toMatchObject({ kind: 'conflict', status: 409 });

    await ari.rest.startBridgeMoh(bridgeId);
    await ari.rest.stopBridgeMoh(bridgeId);
    await expect(ari.rest.destroyBridge(bridgeId)).resolves.toBeUndefined();
    // Asterisk finishes a bridge's teardown in the bridge's own thread, just after the 204.
    const deadline = Date.now() + 2000;
    while ((await ari.rest.listBridges()).some((b) => b.id === bridgeId)) {
      if (Date.now() > deadline) throw new Error('the destroyed bridge is still listed');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const gone = await ari.rest.destroyBridge(bridgeId).catch((e: unknown) => e);
    expect(isAriNotFound(gone)).toBe(true);
  });

  it('rejects an unknown channel with a not-found AriError', async () => {
    const err: unknown = await ari.rest.getChannel('nope').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AriError);
    expect(err).toMatchObject({ kind: 'not-found', status: 404, path: '/channels/nope' });
    expect((err as AriError).message).toContain('Channel not found');
    await expect(ari.rest.hangup('nope')).rejects.toMatchObject({ kind: 'not-found' });
  });

  it('originates into the app and receives the channel events by type', async () => {
    // Local/s@hotline-amd: the sandbox dialplan's `Hangup()` extension, so the legs end at once.
    const channelId = `${app}-leg`;
    const destroyed: string[] = [];
    const seen: string[] = [];
    ari.events.on('ChannelDestroyed', (e) => destroyed.push(e.channel.id));
    ari.events.onAny((e) => seen.push(e.type));
    const channel = await ari.rest.originate({
      endpoint: 'Local/s@hotline-amd',
      app,
      appArgs: 'ari-test',
      channelId,
      otherChannelId: `${app}-leg2`,
      timeout: 5,
      variables: { HOTLINE_ARI_TEST: '1' },
    });
    expect(channel.id).toBe(channelId);
    await waitFor('ChannelDestroyed', () => destroyed.includes(channelId));
    expect(seen).toContain('ChannelDestroyed');
  });

  it('sets, reads and unsets a global variable', async () => {
    const name = `HOTLINE_ARI_TEST_${app.slice(-8)}`;
    await ari.rest.setVariable(name, '1700000000.5|16');
    await expect(ari.rest.getVariable(name)).resolves.toBe('1700000000.5|16');
    await ari.rest.setVariable(name);
    await expect(ari.rest.getVariable(name)).resolves.toBeNull();
  });

  it('reconnects after the connection drops, and the app is registered again', async () => {
    ari.events.dropConnection();
    await waitFor('the reconnect', () => connects.length === 2);
    expect(connects).toEqual([false, true]);
    expect(disconnects).toHaveLength(1);
    expect(ari.events.state).toBe('open');
    expect((await ari.rest.getApplication(app)).name).toBe(app);
  });
});
