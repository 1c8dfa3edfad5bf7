/**
 * Listen, whisper, barge against the real sandbox, proven by audio: the caller (SIPp, 440 Hz),
 * the agent's phone (1020, 700 Hz) and the supervisor's own phone (1901, 1000 Hz) each talk a
 * tone; tshark captures what Asterisk sends to each of them on loopback, and a Goertzel filter
 * says whose voice each one hears in each mode.
 */
import { waitFor } from '../support/engine-fixture';
import { startRtpCapture, samplesTo, toneShare, type RtpPacket } from '../support/rtp-capture';
import {
  killAllSipp,
  placeTalkingCall,
  registerPhone,
  startTalkingPhone,
  type Phone,
} from '../support/sipp-peers';
import { serviceFixture, type ServiceFixture } from '../support/service-fixture';

jest.setTimeout(120_000);

const CALLER = { media: 17100, hz: 440 };
const AGENT = { ext: '1020', port: 16320, media: 17110, hz: 700 };
const SUPERVISOR = { ext: '1901', port: 16391, media: 17120, hz: 1000 };
/** A voice is heard when it carries this share of the energy; absent below the second. */
const HEARD = 0.1;
const SILENT = 0.03;

let fx: ServiceFixture;
const phones: Phone[] = [];

beforeAll(async () => {
  fx = await serviceFixture({ telephony: { ringTimeoutSec: 10, wrapUpSec: 0 } });
  for (const p of [AGENT, SUPERVISOR]) {
    await registerPhone({ ext: p.ext, contactPort: p.port });
    phones.push(
      await startTalkingPhone({
        ext: p.ext,
        port: p.port,
        mediaPort: p.media,
        hz: p.hz,
        ringMs: 300,
      }),
    );
  }
});

afterAll(async () => {
  for (const p of phones) await p.stop();
  killAllSipp();
  await fx?.close();
});

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

it('listen: the supervisor hears both, nobody hears them; whisper: only the agent does; barge: both do', async () => {
  const agent = await fx.agent('agent1020', AGENT.ext);
  const sue = await fx.agent('sue', SUPERVISOR.ext, 'supervisor');
  const browser = await fx.browser(agent.token);
  await fx.setState(agent.token, 'available');
  const capture = await startRtpCapture([CALLER.media, AGENT.media, SUPERVISOR.media]);
  let packets: RtpPacket[] = [];
  const windows: Record<string, [number, number]> = {};
  try {
    const call = placeTalkingCall({
      from: '13977770001',
      to: '4000',
      mediaPort: CALLER.media,
      hz: CALLER.hz,
      holdMs: 40_000,
    });
    const popped = await waitFor(() => browser.pops[0], 15_000, 'pop');
    const callId = popped.pop.callId;
    await waitFor(() => browser.updates.some((u) => u.state === 'answered'), 15_000, 'answered');
    const live = () => fx.hotline.engine.registry.get(callId);
    const callerChannel = live()!.callerChannelId;
    /** Lets the new audio path settle, then marks a 2-second window of it. */
    const listenFor = async (name: string) => {
      await new Promise((r) => setTimeout(r, 1200));
      const from = Date.now();
      await new Promise((r) => setTimeout(r, 2000));
      windows[name] = [from, Date.now()];
    };
    await listenFor('call');

    const started = await fx
      .http()
      .post(`/api/calls/${callId}/monitor`)
      .set(auth(sue.token))
      .send({ mode: 'listen' });
    expect(started.status).toBe(202);
    expect(started.body.monitor).toMatchObject({ callId, userId: sue.id, mode: 'listen' });
    await waitFor(
      () => live()?.monitor?.answered && live()?.monitor?.snoopChannelId,
      15_000,
      "supervisor's phone answered, snoop placed",
    );
    // A second monitor is refused while this one lasts.
    const busy = await fx
      .http()
      .post(`/api/calls/${callId}/monitor`)
      .set(auth(sue.token))
      .send({ mode: 'listen' });
    expect(busy.status).toBe(409);
    await listenFor('listen');

    await fx
      .http()
      .put(`/api/calls/${callId}/monitor`)
      .set(auth(sue.token))
      .send({ mode: 'whisper' })
      .expect(200);
    await listenFor('whisper');

    await fx
      .http()
      .put(`/api/calls/${callId}/monitor`)
      .set(auth(sue.token))
      .send({ mode: 'barge' })
      .expect(200);
    await listenFor('barge');

    await fx.http().delete(`/api/calls/${callId}/monitor`).set(auth(sue.token)).expect(204);
    await fx.http().post(`/api/calls/${callId}/hangup`).set(auth(agent.token)).expect(204);
    await call;
    const ended = await fx.ended(sue.token, callId);
    expect(ended.timeline.map((e) => e.type)).toEqual(
      expect.arrayContaining(['monitor-started', 'monitor-mode', 'monitor-ended']),
    );
    const audit = await fx
      .http()
      .get('/api/monitor-sessions')
      .query({ callId })
      .set(auth(sue.token))
      .expect(200);
    expect(audit.body.sessions).toEqual([
      expect.objectContaining({
        userId: sue.id,
        endReason: 'stopped',
        modes: [
          expect.objectContaining({ mode: 'listen' }),
          expect.objectContaining({ mode: 'whisper' }),
          expect.objectContaining({ mode: 'barge' }),
        ],
      }),
    ]);
    // No leg left behind: nothing of the call or its monitoring remains in Asterisk (its
    // caller's channel, and every channel Hotline named after the call: agent, monitor, snoop).
    await waitFor(
      async () =>
        (await fx.hotline.ari.rest.listChannels()).every(
          (c) => c.id !== callerChannel && !c.id.includes(callId),
        ),
      10_000,
      'every channel of the call gone',
    );
    expect((await fx.hotline.ari.rest.listBridges()).filter((b) => b.id.includes(callId))).toEqual(
      [],
    );
  } finally {
    packets = await capture.stop();
  }

  /** What `who` hears of `voice` in window `w`. */
  const share = (w: string, who: { media: number }, voice: { hz: number }) =>
    toneShare(samplesTo(packets, who.media, ...windows[w]!), voice.hz);
  const heard: Record<string, Record<string, number>> = {};
  for (const w of Object.keys(windows))
    heard[w] = {
      'caller<-agent': share(w, CALLER, AGENT),
      'caller<-supervisor': share(w, CALLER, SUPERVISOR),
      'agent<-caller': share(w, AGENT, CALLER),
      'agent<-supervisor': share(w, AGENT, SUPERVISOR),
      'supervisor<-caller': share(w, SUPERVISOR, CALLER),
      'supervisor<-agent': share(w, SUPERVISOR, AGENT),
    };
  console.log(
    'monitoring: share of each voice in what each party hears\n' +
      Object.entries(heard)
        .map(
          ([w, h]) =>
            `  ${w.padEnd(8)} ${Object.entries(h)
              .map(([k, v]) => `${k} ${v.toFixed(2)}`)
              .join('  ')}`,
        )
        .join('\n'),
  );
  // The call itself: caller and agent hear each other.
  expect(heard.call!['caller<-agent']).toBeGreaterThan(HEARD);
  expect(heard.call!['agent<-caller']).toBeGreaterThan(HEARD);
  // listen: the supervisor hears both voices; neither caller nor agent hears the supervisor.
  expect(heard.listen!['supervisor<-caller']).toBeGreaterThan(HEARD);
  expect(heard.listen!['supervisor<-agent']).toBeGreaterThan(HEARD);
  expect(heard.listen!['caller<-supervisor']).toBeLessThan(SILENT);
  expect(heard.listen!['agent<-supervisor']).toBeLessThan(SILENT);
  // whisper: the agent hears the supervisor, the caller does not.
  expect(heard.whisper!['agent<-supervisor']).toBeGreaterThan(HEARD);
  expect(heard.whisper!['caller<-supervisor']).toBeLessThan(SILENT);
  expect(heard.whisper!['supervisor<-caller']).toBeGreaterThan(HEARD);
  // barge: everyone hears the supervisor.
  expect(heard.barge!['agent<-supervisor']).toBeGreaterThan(HEARD);
  expect(heard.barge!['caller<-supervisor']).toBeGreaterThan(HEARD);
  expect(heard.barge!['supervisor<-caller']).toBeGreaterThan(HEARD);
});
