/**
 * Issue 12, no single point of failure, proven by audio: a failover cluster (two Hotline OS
 * processes on PostgreSQL and Redis, test/support/failover-cluster.ts) against the sandbox. Caller
 * A (440 Hz) talks with agent 1018 (700 Hz); caller B (1000 Hz) waits in the queue hearing music
 * on hold, agent 1019 (1300 Hz) being on a break. tshark captures what Asterisk sends to each of
 * them on loopback while the leader is killed with SIGKILL. From the RTP, per 20 ms packet: A and
 * 1018 keep hearing each other's tone with no gap over MAX_GAP_MS across the kill and the
 * takeover; B hears music (no silence over MAX_GAP_MS) before, during and after the takeover,
 * and it is the class's first track played on from its start (no pause, skip or start-over when
 * the new leader adopts the call); then 1019 is made available through the new leader and B
 * talks with 1019, both hearing each other. The call records come out complete. The figures
 * (takeover, longest gaps, music continuity) are printed.
 * Ports 7610–7611 (HTTP), phones 1018/1019 on 16418/16419, media 17210–17220.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { waitFor } from '../support/engine-fixture';
import { failoverCluster, type Browser, type FailoverCluster } from '../support/failover-cluster';
import {
  samplesTo,
  startRtpCapture,
  toneShare,
  ulawToLinear,
  type RtpPacket,
} from '../support/rtp-capture';
import {
  killAllSipp,
  placeTalkingCall,
  registerPhone,
  startTalkingPhone,
  type Phone,
} from '../support/sipp-peers';

jest.setTimeout(90_000);

const CALLER_A = { from: '13900001810', media: 17210, hz: 440 };
const CALLER_B = { from: '13900001820', media: 17220, hz: 1000 };
const AGENT_1 = { ext: '1018', port: 16418, media: 17218, hz: 700 };
const AGENT_2 = { ext: '1019', port: 16419, media: 17219, hz: 1300 };
/** The longest stretch a party may go without hearing the other across the kill. */
const MAX_GAP_MS = 300;
/** A voice is heard in a window when it carries this share of the energy. */
const HEARD = 0.1;
/** One 20 ms packet carries the voice: its tone is most of the packet's energy. */
const PACKET_TONE = 0.3;
/** One 20 ms packet is not silence: RMS above this (of 32767). */
const PACKET_SOUND_RMS = 50;

let c: FailoverCluster;
const phones: Phone[] = [];
let capture: Awaited<ReturnType<typeof startRtpCapture>> | null = null;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const record = (callId: string) => c.record(callId);
const ended = (callId: string, ms?: number) => c.ended(callId, ms);

/** The packets sent to `port` within [from, to), in capture order. */
const packetsTo = (packets: RtpPacket[], port: number, from: number, to: number) =>
  packets.filter((p) => p.dstPort === port && p.at >= from && p.at < to);

const linear = (p: RtpPacket) => Float64Array.from(p.payload, (u) => ulawToLinear(u));
const rms = (x: Float64Array) => Math.sqrt(x.reduce((a, v) => a + v * v, 0) / (x.length || 1));

/**
 * The longest time in [from, to) with no packet to `port` passing `ok` (a packet covers 20 ms
 * from its capture time): missing packets and packets without the sound both count as a gap.
 */
function longestGap(
  packets: RtpPacket[],
  port: number,
  from: number,
  to: number,
  ok: (samples: Float64Array) => boolean,
): number {
  let last = from;
  let gap = 0;
  for (const p of packetsTo(packets, port, from, to)) {
    if (!ok(linear(p))) continue;
    gap = Math.max(gap, p.at - last);
    last = p.at + 20;
  }
  return Math.max(gap, to - last);
}

/**
 * The first file of the sandbox's music-on-hold class (config/asterisk/musiconhold.conf: the
 * Debian files, `sort = alpha`), decoded by sox to 8 kHz linear samples: what a waiting caller
 * hears first, from its start.
 */
function firstMohTrack(): Float64Array {
  const dir = path.join(
    process.env.PBX_ROOT ?? '/var/lib/hotline-pbx/sid',
    'usr/share/asterisk/moh',
  );
  const file = fs.readdirSync(dir).sort()[0]!;
  const raw = execFileSync(
    'sox',
    [path.join(dir, file), '-t', 'raw', '-e', 'signed', '-b', '16', '-r', '8000', '-c', '1', '-'],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  const out = new Float64Array(raw.length >> 1);
  for (let i = 0; i < out.length; i += 1) out[i] = raw.readInt16LE(i * 2);
  return out;
}

/** The best normalised correlation (0…1) of `x` with `y` at offsets [lo, hi], and where. */
function bestMatch(x: Float64Array, y: Float64Array, lo: number, hi: number) {
  const ex = Math.sqrt(x.reduce((a, v) => a + v * v, 0));
  let best = { corr: 0, at: lo };
  for (let o = Math.max(0, lo); o <= hi && o + x.length <= y.length; o += 1) {
    let dot = 0;
    let ey = 0;
    for (let k = 0; k < x.length; k += 1) {
      dot += x[k]! * y[o + k]!;
      ey += y[o + k]! * y[o + k]!;
    }
    const corr = ex > 0 && ey > 0 ? dot / (ex * Math.sqrt(ey)) : 0;
    if (corr > best.corr) best = { corr, at: o };
  }
  return best;
}

/**
 * Whether the music the caller on `port` heard until `to` is the first track played on from its
 * start: the caller's stream, cut in half-second chunks, each found in the track where the one
 * before it ended (±20 ms). A pause, a skip or a start-over at the takeover puts a chunk
 * elsewhere in the track (or nowhere): its correlation there drops. The lowest chunk
 * correlation (about 1 for music that carried on; G.711 and the mixing cost a little).
 */
function musicContinuity(packets: RtpPacket[], port: number, to: number) {
  const track = firstMohTrack();
  const heard = samplesTo(packets, port, 0, to);
  const CHUNK = 4000;
  // Where the music begins in the caller's stream: 1 s in, searched over the track's first 3 s.
  let start = 8000;
  let pos = bestMatch(heard.subarray(start, start + CHUNK), track, 0, 24_000);
  let lowest = pos.corr;
  for (start += CHUNK; start + CHUNK <= heard.length; start += CHUNK) {
    const expected = pos.at + CHUNK;
    pos = bestMatch(heard.subarray(start, start + CHUNK), track, expected - 160, expected + 160);
    lowest = Math.min(lowest, pos.corr);
  }
  // The time span checked: from the packet holding sample 8000 to the one where the last chunk ended.
  const own = packets.filter((p) => p.dstPort === port && p.at < to);
  const at = (sample: number) => own[Math.min(own.length - 1, Math.floor(sample / 160))]!.at;
  return { lowest, from: at(8000), to: at(start) };
}

beforeAll(async () => {
  c = await failoverCluster({
    ports: [7610, 7611],
    name: 'audio',
    config: {
      telephony: { ringTimeoutSec: 8, wrapUpSec: 0, popAckWaitMs: 500, recordingDefault: 'never' },
    },
  });
  for (const p of [AGENT_1, AGENT_2]) {
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
}, 120_000);

afterAll(async () => {
  capture?.kill();
  for (const p of phones) await p.stop();
  killAllSipp();
  await c?.close();
});

it('kill -9 of the leader: the talking call goes on without a gap, the queued caller hears music throughout and then reaches an agent', async () => {
  const ann = await c.agent('audio1018', AGENT_1.ext);
  const bob = await c.agent('audio1019', AGENT_2.ext);
  // The agents' browsers are on the standby (the leader after the kill).
  const annBrowser: Browser = await c.browser(ann.token);
  const bobBrowser: Browser = await c.browser(bob.token);
  await sleep(300); // the leader counts the standby's sockets
  expect((await c.setState(c.standby, ann.token, 'available')).status).toBe(200);
  expect((await c.setState(c.standby, bob.token, 'break')).status).toBe(200);

  capture = await startRtpCapture([CALLER_A.media, CALLER_B.media, AGENT_1.media, AGENT_2.media]);
  let packets: RtpPacket[] = [];
  let killedAt = 0;
  let takeoverMs = 0;
  let talkWindow: [number, number] = [0, 0];
  let idA = '';
  let idB = '';
  const holdA = 18_000;
  const holdB = 26_000;
  try {
    // (1) A talks with 1018.
    const callA = placeTalkingCall({
      from: CALLER_A.from,
      to: '4000',
      mediaPort: CALLER_A.media,
      hz: CALLER_A.hz,
      holdMs: holdA,
    });
    const popA = await waitFor(() => annBrowser.pops[0], 10_000, 'pop of caller A');
    idA = popA.callId;
    await waitFor(
      () => annBrowser.updates.some((u) => u.callId === idA && u.state === 'answered'),
      10_000,
      'A answered by 1018',
    );
    // (2) B waits: 1018 is on A's call, 1019 on a break.
    const callB = placeTalkingCall({
      from: CALLER_B.from,
      to: '4000',
      mediaPort: CALLER_B.media,
      hz: CALLER_B.hz,
      holdMs: holdB,
    });
    const queued = await waitFor(
      async () =>
        c
          .db('calls')
          .whereNot({ id: idA })
          .where({ state: 'queued' })
          .first<{ id: string } | undefined>('id'),
      10_000,
      'B queued',
    );
    idB = queued.id;
    await sleep(4000); // music and talk settled, the "before" window

    killedAt = Date.now();
    takeoverMs = await c.kill();
    await sleep(3000); // the "after" window
    expect(await record(idA)).toMatchObject({ endedAt: null, agentId: ann.id });
    expect(await record(idB)).toMatchObject({ endedAt: null, agentId: null });

    // 1019 comes back from the break, through the new leader: B reaches it.
    expect((await c.setState(c.leader, bob.token, 'available')).status).toBe(200);
    await waitFor(
      () => bobBrowser.updates.some((u) => u.callId === idB && u.state === 'answered'),
      10_000,
      'B answered by 1019',
    );
    await sleep(1200); // the new audio path settles
    const from = Date.now();
    await sleep(2000);
    talkWindow = [from, Date.now()];

    const [resA, resB] = await Promise.all([callA, callB]);
    expect(resA.exitCode).toBe(0);
    expect(resB.exitCode).toBe(0);
  } finally {
    packets = await capture.stop();
    capture = null;
  }

  // Across the kill: from 2.5 s before it to 3 s after the takeover.
  const before: [number, number] = [killedAt - 2500, killedAt];
  const during: [number, number] = [killedAt, killedAt + takeoverMs];
  const after: [number, number] = [killedAt + takeoverMs, killedAt + takeoverMs + 3000];
  const span: [number, number] = [before[0], after[1]];
  const tone = (hz: number) => (x: Float64Array) => toneShare(x, hz) > PACKET_TONE;
  const sound = (x: Float64Array) => rms(x) > PACKET_SOUND_RMS;
  const gaps = {
    'A<-1018': longestGap(packets, CALLER_A.media, ...span, tone(AGENT_1.hz)),
    '1018<-A': longestGap(packets, AGENT_1.media, ...span, tone(CALLER_A.hz)),
    'B<-music': longestGap(packets, CALLER_B.media, ...span, sound),
  };
  const windowRms = (port: number, w: [number, number]) => rms(samplesTo(packets, port, ...w));
  const musicRms = {
    before: windowRms(CALLER_B.media, before),
    during: windowRms(CALLER_B.media, during),
    after: windowRms(CALLER_B.media, after),
  };
  // The music carried on: the first track, from its start, through the kill and the takeover.
  const music = musicContinuity(packets, CALLER_B.media, after[1]);
  const share = (port: number, w: [number, number], hz: number) =>
    toneShare(samplesTo(packets, port, ...w), hz);
  const heard = {
    'A<-1018': [before, during, after].map((w) => share(CALLER_A.media, w, AGENT_1.hz)),
    '1018<-A': [before, during, after].map((w) => share(AGENT_1.media, w, CALLER_A.hz)),
    'B<-1019': share(CALLER_B.media, talkWindow, AGENT_2.hz),
    '1019<-B': share(AGENT_2.media, talkWindow, CALLER_B.hz),
  };
  const f = (v: number, digits = 2) => v.toFixed(digits);
  const musicLine = Object.values(musicRms)
    .map((v) => f(v, 0))
    .join('/');
  console.log(
    [
      `failover-audio: takeover ${takeoverMs} ms (kill -9 → the standby leads with ARI open)`,
      `  longest gap (ms): ${Object.entries(gaps)
        .map(([k, v]) => `${k} ${f(v, 0)}`)
        .join(', ')} (limit ${MAX_GAP_MS})`,
      `  tone share before/during/after: A<-1018 ${heard['A<-1018'].map((v) => f(v)).join('/')}, ` +
        `1018<-A ${heard['1018<-A'].map((v) => f(v)).join('/')}`,
      `  B's music RMS before/during/after ${musicLine}, continuity ${f(music.lowest, 3)} ` +
        `over ${f((music.to - music.from) / 1000, 1)} s`,
      `  then B with 1019: B<-1019 ${f(heard['B<-1019'])}, 1019<-B ${f(heard['1019<-B'])}`,
    ].join('\n'),
  );
  expect(takeoverMs).toBeLessThan(5000);
  // The talking call: both hear each other in every window, never silent over MAX_GAP_MS.
  for (const v of [...heard['A<-1018'], ...heard['1018<-A']]) expect(v).toBeGreaterThan(HEARD);
  expect(gaps['A<-1018']).toBeLessThanOrEqual(MAX_GAP_MS);
  expect(gaps['1018<-A']).toBeLessThanOrEqual(MAX_GAP_MS);
  // The queued caller: music before, during and after the takeover, no silence over MAX_GAP_MS.
  for (const v of Object.values(musicRms)) expect(v).toBeGreaterThan(PACKET_SOUND_RMS * 4);
  expect(gaps['B<-music']).toBeLessThanOrEqual(MAX_GAP_MS);
  expect(music.from).toBeLessThan(before[0]);
  expect(music.to).toBeGreaterThan(after[1] - 600);
  expect(music.lowest).toBeGreaterThan(0.9);
  // …and then talks with 1019.
  expect(heard['B<-1019']).toBeGreaterThan(HEARD);
  expect(heard['1019<-B']).toBeGreaterThan(HEARD);

  // The records: both calls answered by their agent, ended by the caller, adopted once.
  const recA = await ended(idA);
  expect(recA).toMatchObject({ outcome: 'answered', agentId: ann.id, endedBy: 'caller' });
  expect(recA.talkMs).toBeGreaterThan(holdA - 2000);
  expect(recA.talkMs).toBeLessThan(holdA + 1500);
  expect(recA.timeline.map((e) => e.type)).toEqual([
    'started',
    'queued',
    'offered',
    'answered',
    'adopted-after-restart',
    'ended',
  ]);
  const recB = await ended(idB);
  expect(recB).toMatchObject({ outcome: 'answered', agentId: bob.id, endedBy: 'caller' });
  // Waited through the takeover, answered by 1019 after it, then talked until it hung up.
  expect(recB.waitMs).toBeGreaterThan(takeoverMs + 3000);
  expect(Date.parse(recB.answeredAt!)).toBeGreaterThan(killedAt + takeoverMs);
  expect(recB.waitMs + recB.talkMs).toBeGreaterThan(holdB - 1500);
  expect(recB.waitMs + recB.talkMs).toBeLessThan(holdB + 1500);
  expect(recB.timeline.map((e) => e.type)).toEqual([
    'started',
    'queued',
    'adopted-after-restart',
    'offered',
    'answered',
    'ended',
  ]);
  // No other call was made of them (no duplicate adopted, no orphan record).
  expect((await c.db('calls').select('id')).map((r: { id: string }) => r.id).sort()).toEqual(
    [idA, idB].sort(),
  );
  console.log(
    `failover-audio records: A talk ${recA.talkMs} ms; B wait ${recB.waitMs} ms, talk ${recB.talkMs} ms`,
  );
});
