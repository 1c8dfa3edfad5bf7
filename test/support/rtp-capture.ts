/**
 * Who hears what, from the wire: tshark captures the RTP Asterisk sends to SIPp peers on
 * loopback (one media port per peer), and the G.711 u-law payload is decoded and searched for
 * the peers' tones with a Goertzel filter. Audio claims are proven by audio, not by events.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);

export interface RtpPacket {
  /** Capture time, epoch ms. */
  at: number;
  dstPort: number;
  payload: Buffer;
}

/** G.711 u-law byte → 16-bit linear sample. */
export function ulawToLinear(u: number): number {
  const x = ~u & 0xff;
  const sign = x & 0x80;
  const exponent = (x >> 4) & 0x07;
  const mantissa = x & 0x0f;
  const magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84;
  return sign ? -magnitude : magnitude;
}

/**
 * The share of the signal's energy at `hz` (0…1): a pure tone of `hz` gives about 1, two equal
 * tones about 0.5 each, silence or other frequencies about 0. Goertzel over the whole block.
 */
export function toneShare(samples: Float64Array, hz: number, rate = 8000): number {
  const n = samples.length;
  if (n === 0) return 0;
  let energy = 0;
  for (const s of samples) energy += s * s;
  if (energy < n * 4) return 0; // digital silence (below ±2 of 32767)
  const coeff = 2 * Math.cos((2 * Math.PI * hz) / rate);
  let s1 = 0;
  let s2 = 0;
  for (const x of samples) {
    const s0 = x + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  return Math.min(1, power / ((energy * n) / 2));
}

/** The linear samples of the packets sent to `port` within [from, to). */
export function samplesTo(packets: RtpPacket[], port: number, from: number, to: number) {
  const bytes = packets
    .filter((p) => p.dstPort === port && p.at >= from && p.at < to)
    .map((p) => p.payload);
  const all = Buffer.concat(bytes);
  const out = new Float64Array(all.length);
  for (let i = 0; i < all.length; i += 1) out[i] = ulawToLinear(all[i]!);
  return out;
}

/** A running tshark capture of UDP to `ports` on loopback. */
export async function startRtpCapture(ports: number[]) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-rtp-'));
  const file = path.join(dir, 'capture.pcapng');
  const filter = `udp and (${ports.map((p) => `dst port ${p}`).join(' or ')})`;
  const child: ChildProcess = spawn('tshark', ['-i', 'lo', '-q', '-f', filter, '-w', file], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`tshark did not start: ${stderr}`)), 15_000);
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (/Capturing on/.test(stderr)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tshark exited ${code}: ${stderr}`));
    });
  });
  return {
    /** Stops the capture and reads every RTP packet it holds. */
    async stop(): Promise<RtpPacket[]> {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGINT');
      await exited;
      const decodeAs = ports.flatMap((p) => ['-d', `udp.port==${p},rtp`]);
      const { stdout } = await execFileP(
        'tshark',
        [
          '-r',
          file,
          ...decodeAs,
          '-Y',
          'rtp',
          '-T',
          'fields',
          '-e',
          'frame.time_epoch',
          '-e',
          'udp.dstport',
          '-e',
          'rtp.payload',
        ],
        { maxBuffer: 256 * 1024 * 1024 },
      );
      fs.rmSync(dir, { recursive: true, force: true });
      return stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const [at, port, payload = ''] = line.split('\t');
          return {
            at: Number(at) * 1000,
            dstPort: Number(port),
            payload: Buffer.from(payload.replace(/:/g, ''), 'hex'),
          };
        });
    },
    kill() {
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
