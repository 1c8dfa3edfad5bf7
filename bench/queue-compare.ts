/**
 * The same burst of carrier calls (SIPp callers sending RTP, at N calls per second) through three
 * paths to the same bench phones, in one run: Asterisk's own queue (Answer() + Queue(), members
 * 2001-2NNN), a plain Dial() of one phone (the floor: nothing in between), and Hotline (Stasis →
 * match → pop → originate). Measured from the caller's INVITE sent to the INVITE received at the
 * phone, both from SIPp's message traces (the same clock). The sandbox routes calls from
 * 127.0.0.3 to the peers' dialplan (config/asterisk/bench/).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { killAllSipp, parseInvites, placeCalls } from '../test/support/sipp-peers';
import { serviceFixture } from '../test/support/service-fixture';
import { waitFor } from '../test/support/engine-fixture';
import { benchAgents } from './bench-agents';
import { cpuInFirst, profileWindow, watchEventLoop, watchMachine } from './cpu-profile';
import { asteriskTime, percentiles, row, stageCollector } from './stats';
import type { Channel } from '../src/ari/types';

const PHONE_PORT = 16500;
/** The callers' INVITEs go out over 1 s (N at N/s); the last phone rings within about 0.5 s. */
const BURST_WINDOW_MS = 1500;

interface Path {
  name: string;
  host: string;
  to: string;
}

const PATHS: Path[] = [
  { name: 'app_queue (Answer + Queue)', host: '127.0.0.3', to: '7100' },
  { name: 'plain Dial() (the floor)', host: '127.0.0.3', to: '7200' },
  { name: 'Hotline', host: '127.0.0.2', to: '4000' },
];

export async function benchQueueCompare(n: number): Promise<string[]> {
  const stasisAt = new Map<string, number>(); // caller number → Asterisk's StasisStart time
  const stages = stageCollector();
  const fx = await serviceFixture({
    telephony: { popAckWaitMs: 250, wrapUpSec: 0 },
    stages: stages.sink,
    ...(process.env.BENCH_ARI_HTTP === '1' ? { ari: { restOverWebSocket: false } } : {}),
  });
  fx.hotline.ari.events.on(
    'StasisStart',
    (e: { args: string[]; channel: Channel; timestamp: string }) => {
      if (e.args[0] === 'inbound') stasisAt.set(e.channel.caller.number, asteriskTime(e.timestamp));
    },
  );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-bench-q-'));
  const lines: string[] = [];
  // BENCH_ROUNDS (default 3): every path's burst that many times, the paths taking turns, so
  // that a moment when the machine is busy (two cores shared with Asterisk and SIPp) falls on
  // one round of one path, not on the comparison: each round is printed, and all rounds pooled.
  const rounds = Math.max(1, Math.min(9, Number(process.env.BENCH_ROUNDS ?? 3) || 3));
  // BENCH_WARMUP=0 skips it: before the measured rounds, one burst per path that is printed
  // apart and not pooled. The service's first burst after a start runs code V8 has not compiled
  // yet (with the garbage collection below, its p99 was 18–42 ms here); Asterisk has no such
  // start. The cold figure stays in the output, beside the measured rounds.
  const warmup = process.env.BENCH_WARMUP !== '0';
  const lat = new Map<string, number[][]>(PATHS.map((p) => [p.name, []]));
  const cold = new Map<string, number[]>();
  const toStasis: number[] = [];
  const stasisToPhone: number[] = [];
  const loopLines: string[] = [];
  const burstCpu: string[] = [];
  const callerOf = new Map<string, string>(); // Hotline's call id → caller number
  // The ring's own request (ARI POST /channels sent → answered): slow in a slow round, and not
  // because it waited behind the socket's other requests (a socket of its own did not help).
  const ringRequestP99 = (ids: string[]) => {
    const v: number[] = [];
    for (const id of ids) {
      const st = stages.byCall.get(id);
      if (st?.originate !== undefined && st.originated !== undefined)
        v.push(st.originated - st.originate);
    }
    return v.length ? percentiles(v).p99.toFixed(1) : '-';
  };
  // Each round's p99 at a few stages (since StasisStart): where a slow round lost its time.
  const roundStages: string[] = [];
  const stageP99s = (ids: string[]) =>
    (['stasis', 'agent', 'pop-built', 'pop-acked', 'originated'] as const)
      .map((st) => {
        const v: number[] = [];
        for (const id of ids) {
          const t0 = stasisAt.get(callerOf.get(id)!);
          const at = stages.byCall.get(id)?.[st];
          if (t0 !== undefined && at !== undefined) v.push(at - t0);
        }
        return `${st} ${v.length ? percentiles(v).p99.toFixed(1) : '-'}`;
      })
      .join(', ') + `, ring request ${ringRequestP99(ids)}`;
  try {
    // One supervisor watching the wall, as on a real floor: its deltas are part of the cost.
    const { agents, phone, wall } = await benchAgents(fx, n, 'q', PHONE_PORT, 1);
    // BENCH_PATHS=Hotline (a name's start, comma-separated) runs only those paths.
    const only = process.env.BENCH_PATHS?.split(',');
    const paths = PATHS.filter((p) => !only || only.some((o) => p.name.startsWith(o)));
    for (let round = warmup ? 0 : 1; round <= rounds; round += 1) {
      const measured = round > 0;
      for (const p of paths) {
        const pathNo = PATHS.indexOf(p) + 1;
        for (const a of agents) await fx.setState(a.token, 'available');
        // …001 to …N: the last three digits pick the phone of the plain Dial() (2001 + i).
        const callers = Array.from(
          { length: n },
          (_, i) => `1398${pathNo}${round}0${String(i + 1).padStart(3, '0')}`,
        );
        const trace = path.join(dir, `callers-${pathNo}-${round}.log`);
        const before = (await phone.invites()).length;
        // The bench shares the service's process: the garbage of its own reading of the SIPp
        // traces after the last burst is collected now, not inside the next burst's window.
        global.gc?.();
        // (its pause reported before the window's watch starts)
        await new Promise((r) => setTimeout(r, 50));
        // BENCH_PROFILE=FILE: Hotline's bursts as CPU profiles (bench/cpu-profile.ts)
        const hotline = p.name === 'Hotline';
        // (every measured round, FILE-N for round N: a slow round's profile beside a fast one's)
        const stopProfile = hotline && measured ? await profileWindow(`-${round}`) : null;
        const loop = hotline ? watchEventLoop() : null;
        const early = cpuInFirst(BURST_WINDOW_MS);
        const machine = watchMachine();
        const result = await placeCalls({
          count: n,
          rate: n,
          callers,
          to: p.to,
          host: p.host,
          // Long enough that no caller hangs up before the slowest path rings its phone.
          holdMs: 8000,
          audio: true,
          traceFile: trace,
        });
        await stopProfile?.();
        const loopLine = loop?.stop();
        burstCpu.push(
          `${measured ? `round ${round}` : 'warm-up'}, ${p.name}: ${early.stop()}; ` +
            `over the round, ${machine.stop()}`,
        );
        if (loopLine) loopLines.push(`${measured ? `round ${round}` : 'warm-up'}: ${loopLine}`);
        const sent = parseInvites(fs.readFileSync(trace, 'utf8'), 'sent');
        const rung = (await phone.invites()).slice(before);
        const these: number[] = [];
        for (const caller of callers) {
          const out = sent.find((i) => i.fromUser === caller);
          const atPhone = rung.find((i) => i.fromUser.endsWith(caller));
          if (out && atPhone) these.push(atPhone.at - out.at);
          const stasis = stasisAt.get(caller);
          if (!measured) continue;
          if (out && stasis !== undefined) toStasis.push(stasis - out.at);
          if (atPhone && stasis !== undefined) stasisToPhone.push(atPhone.at - stasis);
        }
        if (measured) lat.get(p.name)!.push(these);
        else cold.set(p.name, these);
        if (result.exitCode !== 0)
          lines.push(`N=${n}: ${p.name} round ${round}: sipp exit ${result.exitCode}`);
        if (hotline && measured) {
          const pops = agents.flatMap((a) => a.browser.pops);
          const ids: string[] = [];
          for (const c of callers) {
            const pop = pops.find((x) => x.pop.callerNumber.endsWith(c));
            if (pop) callerOf.set(pop.pop.callId, c);
            if (pop) ids.push(pop.pop.callId);
          }
          roundStages.push(`round ${round}: ${stageP99s(ids)}`);
        }
        await waitFor(() => fx.hotline.engine.registry.size === 0, 30_000, 'calls ended').catch(
          () => undefined,
        );
        // Let Asterisk's device states settle before the next path's burst.
        await new Promise((r) => setTimeout(r, 1500));
      }
    }
    const pooled = (name: string) => percentiles(lat.get(name)!.flat());
    const perRound = (name: string) =>
      lat
        .get(name)!
        .map((v) => percentiles(v).p99.toFixed(1))
        .join(' / ');
    for (const p of paths) {
      lines.push(
        row(`N=${n}: ${p.name}`, pooled(p.name)) +
          `  (${rounds} × ${n} calls; p99 per round ${perRound(p.name)} ms)`,
      );
      if (p.name !== 'Hotline' || !toStasis.length) continue;
      // Hotline's split: Asterisk's own part (INVITE → StasisStart) and Hotline's (→ the ring).
      lines.push(row(`N=${n}:   caller INVITE → StasisStart`, percentiles(toStasis)));
      lines.push(row(`N=${n}:   StasisStart → phone INVITE`, percentiles(stasisToPhone)));
      for (const l of loopLines) lines.push(`N=${n}:   ${l}`);
      for (const l of roundStages) lines.push(`N=${n}:   stage p99 (ms), ${l}`);
      lines.push(`N=${n}:   the supervisor's wall got ${wall.deltas} deltas over the whole run`);
      lines.push(
        ...stages.rows(`N=${n}`, callerOf.keys(), (id) => stasisAt.get(callerOf.get(id)!)),
      );
    }
    for (const l of burstCpu)
      lines.push(`N=${n}: CPU in the burst's first ${BURST_WINDOW_MS} ms, ${l}`);
    if (cold.size)
      lines.push(
        `N=${n}: warm-up burst (not pooled), p99: ` +
          paths
            .map((p) => `${p.name} ${percentiles(cold.get(p.name)!).p99.toFixed(1)} ms`)
            .join(', '),
      );
    const [queue, dial, hotline] = PATHS.map((x) => x.name) as [string, string, string];
    const has = (name: string) => (lat.get(name)?.length ?? 0) > 0;
    const ratio = (a: string, b: string, q: 'p50' | 'p99') =>
      has(a) && has(b) ? (pooled(a)[q] / pooled(b)[q]).toFixed(2) : 'n/a';
    lines.push(
      `Hotline ÷ app_queue: p50 ${ratio(hotline, queue, 'p50')}, p99 ${ratio(hotline, queue, 'p99')}` +
        `   Hotline ÷ Dial(): p50 ${ratio(hotline, dial, 'p50')}, p99 ${ratio(hotline, dial, 'p99')}` +
        '   (all rounds pooled)',
    );
    if (has(hotline) && has(queue)) {
      const each = lat
        .get(hotline)!
        .map((v, i) => percentiles(v).p99 / percentiles(lat.get(queue)![i]!).p99);
      lines.push(
        `Hotline ÷ app_queue p99, round by round: ${each.map((r) => r.toFixed(2)).join(' / ')}` +
          ` (≤ 1.0 in ${each.filter((r) => r <= 1).length} of ${each.length})`,
      );
    }
    await phone.stop();
  } finally {
    killAllSipp();
    await fx.close();
  }
  return lines;
}
