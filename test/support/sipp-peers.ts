/**
 * SIPp processes playing the carrier's callers and the agents' phones against the sandbox
 * (scenarios in test/sipp/). Every process is tracked and killed by killAllSipp().
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const SCENARIOS = path.resolve(__dirname, '../sipp');
const PBX = `127.0.0.1:${process.env.PBX_SIP_PORT ?? '15060'}`;
const CARRIER_IP = '127.0.0.2';
const SECRET = process.env.PBX_AGENT_SECRET ?? 'agent-secret';
const children = new Set<ChildProcess>();
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-sipp-'));
let seq = 0;

export interface SippResult {
  exitCode: number;
  stderr: string;
}

function run(
  args: string[],
  opts: { timeoutMs: number; cwd?: string },
): { child: ChildProcess; done: Promise<SippResult> } {
  const child = spawn('sipp', [...args, '-nostdin'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    cwd: opts.cwd ?? workDir,
  });
  children.add(child);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const done = new Promise<SippResult>((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      children.delete(child);
      reject(err);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ exitCode: code ?? (signal ? 128 : 1), stderr });
    });
  });
  return { child, done };
}

/** A UDP port that is free on `host` right now. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const sock = dgram.createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    sock.once('error', reject);
    sock.bind(0, host, () => resolve());
  });
  const { port } = sock.address();
  await new Promise<void>((resolve) => sock.close(() => resolve()));
  return port;
}

function callersFile(numbers: string[]): string {
  const file = path.join(workDir, `callers-${process.pid}-${(seq += 1)}.csv`);
  fs.writeFileSync(file, `SEQUENTIAL\n${numbers.map((n) => `${n};`).join('\n')}\n`);
  return file;
}

/**
 * Registers extension `ext` with digest auth from `port` (so the contact is 127.0.0.1:port, where
 * the phone's UAS then listens). Rejects with SIPp's complaint when Asterisk does not say 200.
 */
export async function registerPhone(o: {
  ext: string;
  contactPort: number;
  secret?: string;
  expires?: number;
}): Promise<void> {
  const { done } = run(
    [
      '-sf',
      path.join(SCENARIOS, 'agent-phone-register.xml'),
      '-i',
      '127.0.0.1',
      '-p',
      String(o.contactPort),
      '-s',
      o.ext,
      '-au',
      o.ext,
      '-ap',
      o.secret ?? SECRET,
      '-key',
      'expires',
      String(o.expires ?? 3600),
      '-m',
      '1',
      '-timeout',
      '10',
      '-timeout_error',
      PBX,
    ],
    { timeoutMs: 15_000 },
  );
  const r = await done;
  if (r.exitCode !== 0)
    throw new Error(
      `registering ${o.ext} failed (sipp exit ${r.exitCode}): ${r.stderr.slice(-500)}`,
    );
}

export interface Invite {
  /** Wall-clock time SIPp received it (epoch ms, sub-ms precision). */
  at: number;
  callId: string;
  fromUser: string;
  fromDisplay: string;
  toUser: string;
}

export interface Phone {
  port: number;
  /** The INVITEs this phone received so far. */
  invites(): Promise<Invite[]>;
  /** The Call-IDs of the CANCELs this phone received so far. */
  cancels(): Promise<string[]>;
  stop(): Promise<void>;
}

/** Parses SIPp's -trace_msg file: the INVITEs it received (or sent) with their timestamps. */
export function parseInvites(trace: string, direction: 'received' | 'sent' = 'received'): Invite[] {
  const out: Invite[] = [];
  const blocks = trace.split(/^-{20,} /m).slice(1);
  for (const block of blocks) {
    const stamp = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)\.(\d{6})/.exec(block);
    if (!stamp || !block.includes(`message ${direction}`) || !/^\s*INVITE /m.test(block)) continue;
    const at = new Date(`${stamp[1]}T${stamp[2]}`).getTime() + Number(stamp[3]) / 1000;
    const from = /^From:\s*(?:"([^"]*)"\s*)?<sip:([^@>]*)@/im.exec(block);
    const to = /^To:\s*(?:"[^"]*"\s*)?<sip:([^@>]*)@/im.exec(block);
    const callId = /^Call-ID:\s*(\S+)/im.exec(block);
    out.push({
      at,
      callId: callId?.[1] ?? '',
      fromDisplay: from?.[1] ?? '',
      fromUser: from?.[2] ?? '',
      toUser: to?.[1] ?? '',
    });
  }
  return out;
}

/**
 * An agent's phone: a SIPp UAS on 127.0.0.1:port that either answers after `ringMs` and waits
 * for the BYE, or rings until cancelled. Serves any number of calls until stopped.
 */
export async function startPhone(o: {
  ext: string;
  port: number;
  /** carrier: the public network for outbound tests (busy / no answer / answer by number). */
  mode: 'answer' | 'no-answer' | 'carrier' | 'answer-unless-cancelled';
  ringMs?: number;
  /** 127.0.0.1 for phones; the carrier's side of outbound calls listens on 127.0.0.2. */
  host?: string;
}): Promise<Phone> {
  const host = o.host ?? '127.0.0.1';
  const trace = path.join(workDir, `phone-${o.ext}-${o.port}-${(seq += 1)}.log`);
  const scenario = {
    answer: 'agent-phone-answers.xml',
    'no-answer': 'agent-phone-rings.xml',
    carrier: 'carrier-callee.xml',
    // Rings 5 s (fixed in the scenario), answers unless cancelled first (487, as a real phone).
    'answer-unless-cancelled': 'agent-phone-answers-unless-cancelled.xml',
  }[o.mode];
  if (o.mode === 'carrier') amdFiles();
  // A port another test's SIPp has not let go of yet (errno 98) frees within a second or two.
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startPhoneOnce(o, scenario, host, trace);
    } catch (err) {
      if (attempt >= 5 || !/Address already in use/.test(String(err))) throw err;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

function startPhoneOnce(
  o: Parameters<typeof startPhone>[0],
  scenario: string,
  host: string,
  trace: string,
): Promise<Phone> {
  const { child, done } = run(
    [
      '-sf',
      path.join(SCENARIOS, scenario),
      '-i',
      host,
      '-p',
      String(o.port),
      '-d',
      String(o.ringMs ?? 300),
      '-trace_msg',
      '-message_file',
      trace,
      '-max_socket',
      '2000',
      '-l',
      '2000',
    ],
    { timeoutMs: 3_600_000 },
  );
  return phoneWhenBound(o.ext, o.port, host, trace, child, done);
}

/** A phone's SIPp once its socket is bound (SIPp writes nothing, so: once the port is taken). */
async function phoneWhenBound(
  ext: string,
  port: number,
  host: string,
  trace: string,
  child: ChildProcess,
  done: Promise<SippResult>,
): Promise<Phone> {
  for (let i = 0; i < 100; i += 1) {
    if (child.exitCode !== null)
      throw new Error(`phone ${ext} did not start: ${(await done).stderr.slice(-300)}`);
    if (!(await portFree(port, host))) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    port,
    invites: () => fs.promises.readFile(trace, 'utf8').then(parseInvites, () => []),
    cancels: () =>
      fs.promises.readFile(trace, 'utf8').then(
        (t) =>
          t
            .split(/^-{20,} /m)
            .filter((b) => b.includes('message received') && /^\s*CANCEL /m.test(b))
            .map((b) => /^Call-ID:\s*(\S+)/im.exec(b)?.[1] ?? ''),
        () => [],
      ),
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await done;
    },
  };
}

async function portFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  const sock = dgram.createSocket('udp4');
  return new Promise((resolve) => {
    sock.once('error', () => resolve(false));
    sock.bind(port, host, () => sock.close(() => resolve(true)));
  });
}

/**
 * One call from the carrier: From = `from` (the caller ID), Request-URI = `to` (the DID). The
 * caller hangs up `holdMs` after the answer; without holdMs it waits for Asterisk's BYE.
 */
export async function placeCall(o: {
  from: string;
  to: string;
  holdMs?: number;
  timeoutMs?: number;
  audio?: boolean;
}): Promise<SippResult> {
  return placeCalls({
    count: 1,
    rate: 1,
    callers: [o.from],
    to: o.to,
    holdMs: o.holdMs,
    timeoutMs: o.timeoutMs,
    audio: o.audio,
  });
}

/** `file` (raw 8 kHz u-law, what SIPp's rtp_stream sends) made by sox with `effects`, once. */
function ulawFile(file: string, effects: string[]): void {
  if (fs.existsSync(file)) return;
  const raw = ['-r', '8000', '-c', '1', '-e', 'u-law', '-t', 'raw'];
  execFileSync('sox', ['-n', ...raw, file, ...effects]);
}

/**
 * The carrier's answers for answering-machine detection, raw u-law in SIPp's working folder:
 * amd-human.ulaw = a 0.6 s "hello" (a 440 Hz tone, well above AMD's silence threshold) then 4 s
 * of silence; amd-machine.ulaw = 6 s of silence (longer than AMD's initial silence).
 */
function amdFiles(): void {
  const tone = (s: number, vol: number) => ['synth', String(s), 'sine', '440', 'vol', String(vol)];
  ulawFile(path.join(workDir, 'amd-human.ulaw'), [...tone(0.6, 0.5), 'pad', '0', '4']);
  ulawFile(path.join(workDir, 'amd-machine.ulaw'), tone(6, 0));
}

/** A tone of `hz` for 2 s (looped by the scenarios) at half scale. */
const toneEffects = (hz: number) => ['synth', '2', 'sine', String(hz), 'vol', '0.5'];

/** tone.ulaw in SIPp's working folder: 2 s of 440 Hz as raw u-law (looped by the scenario). */
function toneFile(): void {
  ulawFile(path.join(workDir, 'tone.ulaw'), toneEffects(440));
}

/**
 * One carrier call of `scenario` that presses keys after the answer: `-d` is `afterMs`, each
 * `keys` entry a `-key name value` the scenario reads; then it waits for Asterisk's BYE.
 */
async function placeCallWithKeys(o: {
  scenario: string;
  from: string;
  to: string;
  afterMs: number;
  keys: Record<string, string>;
  timeoutMs?: number;
}): Promise<SippResult> {
  const port = await freePort(CARRIER_IP);
  const timeoutMs = o.timeoutMs ?? 60_000;
  const keys = Object.entries(o.keys).flatMap(([k, v]) => ['-key', k, v]);
  const { done } = run(
    [
      '-sf', path.join(SCENARIOS, o.scenario), '-inf', callersFile([o.from]),
      '-i', CARRIER_IP, '-p', String(port), '-s', o.to, '-d', String(o.afterMs), ...keys,
      '-m', '1', '-timeout', String(Math.ceil(timeoutMs / 1000)), '-timeout_error', PBX,
    ], // prettier-ignore
    { timeoutMs: timeoutMs + 5_000 },
  );
  return done;
}

/** One call that presses `digit` `pressAfterMs` after being answered, then waits for Asterisk's BYE. */
export function placeCallPressing(o: {
  from: string;
  to: string;
  digit: string;
  pressAfterMs: number;
  timeoutMs?: number;
}): Promise<SippResult> {
  return placeCallWithKeys({
    scenario: 'carrier-caller-presses.xml',
    from: o.from,
    to: o.to,
    afterMs: o.pressAfterMs,
    keys: { digit: o.digit },
    timeoutMs: o.timeoutMs,
  });
}

/**
 * One call that answers the satisfaction survey: presses `first` `firstAfterMs` after being
 * answered, `second` 2.5 s later (SIP INFO, test/sipp/carrier-caller-rates.xml), then waits
 * for Asterisk's BYE.
 */
export function placeCallRating(o: {
  from: string;
  to: string;
  first: string;
  second: string;
  firstAfterMs: number;
  timeoutMs?: number;
}): Promise<SippResult> {
  return placeCallWithKeys({
    scenario: 'carrier-caller-rates.xml',
    from: o.from,
    to: o.to,
    afterMs: o.firstAfterMs,
    keys: { first: o.first, second: o.second },
    timeoutMs: o.timeoutMs,
  });
}

/** `count` calls at `rate` per second from one SIPp process, callers taken in turn. */
export async function placeCalls(o: {
  count: number;
  rate: number;
  callers: string[];
  to: string;
  holdMs?: number;
  timeoutMs?: number;
  /** The caller talks (a 440 Hz tone as RTP) from the answer until it hangs up; needs holdMs. */
  audio?: boolean;
  /** The carrier address calling: 127.0.0.2 (Hotline's carrier), 127.0.0.3 (the bench peers). */
  host?: string;
  /** Writes SIPp's message trace here (parseInvites(…, 'sent') reads the callers' INVITEs). */
  traceFile?: string;
}): Promise<SippResult> {
  const host = o.host ?? CARRIER_IP;
  const port = await freePort(host);
  const timeoutMs = o.timeoutMs ?? 60_000;
  if (o.audio) toneFile();
  const scenario =
    o.holdMs === undefined
      ? 'carrier-caller-waits.xml'
      : o.audio
        ? 'carrier-caller-talks.xml'
        : 'carrier-caller.xml';
  const { done } = run(
    [
      '-sf',
      path.join(SCENARIOS, scenario),
      '-inf',
      callersFile(o.callers),
      '-i',
      host,
      ...(o.traceFile ? ['-trace_msg', '-message_file', o.traceFile] : []),
      '-p',
      String(port),
      '-s',
      o.to,
      '-d',
      String(o.holdMs ?? 0),
      '-m',
      String(o.count),
      '-r',
      String(o.rate),
      '-rp',
      '1000',
      '-l',
      String(Math.max(o.count, 1)),
      '-max_socket',
      '2000',
      '-timeout',
      String(Math.ceil(timeoutMs / 1000)),
      '-timeout_error',
      '-trace_err',
      '-error_file',
      path.join(workDir, `caller-${port}-errors.log`),
      PBX,
    ],
    { timeoutMs: timeoutMs + 5_000 },
  );
  return done;
}

/**
 * A folder of its own for a SIPp that talks: `name` there is `hz` as raw u-law (2 s, looped by
 * the scenario), so several talking peers each send their own tone.
 */
function voiceDir(hz: number, name: string): string {
  const dir = path.join(workDir, `voice-${hz}`);
  fs.mkdirSync(dir, { recursive: true });
  ulawFile(path.join(dir, name), toneEffects(hz));
  return dir;
}

/**
 * A phone (agent or supervisor) that answers after `ringMs` and then talks: it streams a tone of
 * `hz` as RTP from media port `mediaPort` until the BYE. What it receives on that port is what
 * its user hears (test/support/rtp-capture.ts).
 */
export async function startTalkingPhone(o: {
  ext: string;
  port: number;
  mediaPort: number;
  hz: number;
  ringMs?: number;
}): Promise<Phone> {
  const cwd = voiceDir(o.hz, 'voice.ulaw');
  const trace = path.join(workDir, `talker-${o.ext}-${o.port}-${(seq += 1)}.log`);
  const { child, done } = run(
    [
      '-sf', path.join(SCENARIOS, 'phone-answers-talks.xml'),
      '-i', '127.0.0.1', '-p', String(o.port), '-mi', '127.0.0.1', '-mp', String(o.mediaPort),
      '-d', String(o.ringMs ?? 200), '-trace_msg', '-message_file', trace,
    ], // prettier-ignore
    { timeoutMs: 3_600_000, cwd },
  );
  return phoneWhenBound(o.ext, o.port, '127.0.0.1', trace, child, done);
}

/** One carrier call whose caller talks (a tone of `hz` from `mediaPort`) for `holdMs`. */
export function placeTalkingCall(o: {
  from: string;
  to: string;
  mediaPort: number;
  hz: number;
  holdMs: number;
}): Promise<SippResult> {
  const cwd = voiceDir(o.hz, 'tone.ulaw');
  return (async () => {
    const port = await freePort(CARRIER_IP);
    const file = path.join(cwd, `callers-${port}.csv`);
    fs.writeFileSync(file, `SEQUENTIAL\n${o.from};\n`);
    const { done } = run(
      [
        '-sf', path.join(SCENARIOS, 'carrier-caller-talks.xml'), '-inf', file,
        '-i', CARRIER_IP, '-p', String(port), '-mi', CARRIER_IP, '-mp', String(o.mediaPort),
        '-s', o.to, '-d', String(o.holdMs), '-m', '1', '-l', '1',
        '-timeout', String(Math.ceil(o.holdMs / 1000) + 30), '-timeout_error', PBX,
      ], // prettier-ignore
      { timeoutMs: o.holdMs + 40_000, cwd },
    );
    return done;
  })();
}

/** Kills every SIPp process this module started (afterAll). */
export function killAllSipp(): void {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  children.clear();
}
