/**
 * `BENCH_PROFILE=FILE`: a V8 CPU profile of the measured window only (open it in Chrome's
 * DevTools, Performance → Load profile), so a bench's cost can be read without its setup.
 */
import fs from 'node:fs';
import os from 'node:os';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

export async function profileWindow(suffix = ''): Promise<() => Promise<void>> {
  const file = process.env.BENCH_PROFILE && process.env.BENCH_PROFILE + suffix;
  if (!file) return () => Promise.resolve();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    fs.writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
    console.log(`CPU profile of the measured window: ${file}`);
  };
}

/**
 * The service's event loop over a window: how late its callbacks ran (p99, max) and the garbage
 * collector's pauses, the two things that delay every call at once.
 */
export function watchEventLoop(): { stop(): string } {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const machine0 = machineCpu();
  const others0 = cpuSnapshot();
  const self0 = process.cpuUsage();
  const t0 = performance.now();
  // Stalls: gaps over STALL_MS between runs of a 5 ms timer, and how much CPU this process had
  // in that gap (as much as the gap: our own code ran; far less: the machine ran something else).
  const stalls: Array<{ ms: number; cpuMs: number }> = [];
  let lastAt = t0;
  let lastCpu = process.cpuUsage();
  // Every 5 ms, one cpuUsage call each: the watch costs the service it watches little (at 1 ms
  // with two calls it was 3 % of the service's CPU in a burst's profile).
  const tick = setInterval(() => {
    const now = performance.now();
    const cpu = process.cpuUsage();
    if (now - lastAt > STALL_MS) {
      const used = cpu.user + cpu.system - (lastCpu.user + lastCpu.system);
      stalls.push({ ms: now - lastAt, cpuMs: used / 1000 });
    }
    lastAt = now;
    lastCpu = cpu;
  }, 5);
  const gc: number[] = [];
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gc.push(e.duration);
  });
  obs.observe({ entryTypes: ['gc'] });
  return {
    stop() {
      delay.disable();
      obs.disconnect();
      const ms = (ns: number) => (ns / 1e6).toFixed(1);
      const total = gc.reduce((a, b) => a + b, 0);
      clearInterval(tick);
      const wallMs = performance.now() - t0;
      const stallMs = stalls.reduce((a, x) => a + x.ms, 0);
      const stallCpu = stalls.reduce((a, x) => a + x.cpuMs, 0);
      const stallLine =
        `${stalls.length} stalls over ${STALL_MS} ms (${stallMs.toFixed(0)} ms, this process on CPU ` +
        `${stallCpu.toFixed(0)} ms of it; longest ${Math.max(0, ...stalls.map((x) => x.ms)).toFixed(0)} ms); `;
      const self = process.cpuUsage(self0);
      const machine = machineLine(machine0, machineCpu());
      const busy = machine
        ? `${machine}, this process ${pct((self.user + self.system) / 1000 / wallMs / os.availableParallelism())}` +
          ` (${((self.user + self.system) / 1000).toFixed(0)} ms); `
        : '';
      const elsewhere = topPrograms(cpuByProgram(others0), 4, 20);
      return (
        busy +
        (elsewhere ? `CPU by program: ${elsewhere}; ` : '') +
        stallLine +
        `event loop delay p99 ${ms(delay.percentile(99))} ms, max ${ms(delay.max)} ms; ` +
        `GC ${gc.length} pauses, ${total.toFixed(0)} ms in all, longest ${Math.max(0, ...gc).toFixed(1)} ms`
      );
    },
  };
}

/**
 * The CPU each program (Asterisk, the SIPp callers and phones, this node) used in the first `ms`
 * of a burst: the window in which the phones' INVITEs are sent, so the paths' costs to Asterisk
 * can be set side by side (a whole round also holds the 8 s of the calls' RTP).
 */
export function cpuInFirst(ms: number): { stop(): string } {
  const at0 = cpuSnapshot();
  let at1: CpuSnapshot | null = null;
  const timer = setTimeout(() => (at1 = cpuSnapshot()), ms);
  return {
    stop() {
      clearTimeout(timer);
      return topPrograms(cpuByProgram(at0, at1 ?? cpuSnapshot()), 5, 10);
    },
  };
}

const STALL_MS = 15;
const pct = (x: number) => `${(100 * x).toFixed(0)} %`;

/** CPU time so far (ms) of every process on the machine, by pid, with its program's name. */
type CpuSnapshot = Map<string, { name: string; ms: number }>;

function cpuSnapshot(): CpuSnapshot {
  const out: CpuSnapshot = new Map();
  let pids: string[] = [];
  try {
    pids = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return out;
  }
  for (const pid of pids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      // A kernel worker's name carries the work it is doing now (kworker/u8:0-writeback), which
      // changes from one read to the next: each is followed by its pid, all summed as one.
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      // This process is the service (and the bench driving it); other node processes are the
      // bench's browsers (bench/browsers-process.ts).
      const name =
        Number(pid) === process.pid
          ? 'service'
          : comm === 'node'
            ? 'node (browsers)'
            : comm.startsWith('kworker/')
              ? 'kernel workers'
              : comm;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime and stime, fields 14 and 15 of stat (11 and 12 after the name), in clock ticks.
      const ticks = (i: number) => (Number(fields[i]) * 1000) / TICKS_PER_SECOND;
      out.set(pid, { name, ms: ticks(11) + ticks(12) });
      // cutime and cstime: the children it reaped (the SIPp callers, gone when a round ends).
      if (Number(pid) === process.pid)
        out.set('reaped', { name: 'exited SIPp callers', ms: ticks(13) + ticks(14) });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/**
 * The CPU (ms) each program used since `before`, summed by program name: in a slow round, whether
 * Asterisk, SIPp or the bench browsers had the cores. A process started since counts in full.
 */
function cpuByProgram(before: CpuSnapshot, now = cpuSnapshot()): Map<string, number> {
  const out = new Map<string, number>();
  for (const [pid, { name, ms }] of now) {
    const was = before.get(pid);
    const used = was && was.name === name ? ms - was.ms : ms;
    out.set(name, (out.get(name) ?? 0) + used);
  }
  return out;
}

/** The `limit` programs that used the most CPU, as `name N ms, …`. */
function topPrograms(used: Map<string, number>, limit: number, atLeastMs: number): string {
  return [...used]
    .filter(([, ms]) => ms >= atLeastMs)
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, ms]) => `${name} ${ms.toFixed(0)} ms`)
    .join(', ');
}
/** Linux's USER_HZ: 100 on every architecture Node runs on here. */
const TICKS_PER_SECOND = 100;

/**
 * The whole machine's CPU time so far (Linux `/proc/stat`, in clock ticks): the benches share two
 * cores with Asterisk and SIPp, and a slow run is often a busy machine, not a slow service.
 * `steal`: time the hypervisor gave this virtual machine's cores to someone else (a guest asked
 * to run and was not let), which slows every program here at once.
 */
function machineCpu(): { total: number; idle: number; steal: number } | null {
  try {
    const cpu = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1);
    // user nice system idle iowait irq softirq steal (guest and guest_nice are inside user).
    const n = cpu.slice(0, 8).map(Number);
    const total = n.reduce((a, b) => a + b, 0);
    return { total, idle: (n[3] ?? 0) + (n[4] ?? 0), steal: n[7] ?? 0 };
  } catch {
    return null;
  }
}

/** `machine CPU X % of N cores, stolen by the hypervisor Y %` between two readings. */
function machineLine(
  a: ReturnType<typeof machineCpu>,
  b: ReturnType<typeof machineCpu>,
): string | null {
  if (!a || !b || b.total === a.total) return null;
  const total = b.total - a.total;
  return (
    `machine CPU ${pct(1 - (b.idle - a.idle) / total)} of ${os.availableParallelism()} cores` +
    `, stolen by the hypervisor ${pct((b.steal - a.steal) / total)}`
  );
}

/** The machine's CPU over a window (a bench whose figure a busy host would move). */
export function watchMachine(): { stop(): string } {
  const m0 = machineCpu();
  return { stop: () => machineLine(m0, machineCpu()) ?? 'machine CPU not readable' };
}
