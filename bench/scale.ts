/**
 * `npm run bench -- scale`: one engine's capacity on this machine. Sustained inbound load through
 * the sandbox (SIPp callers at R calls/s for a while, each talking `HOLD_MS`, agents' SIPp phones
 * answering at once, no after-call work), every agent logged in with a socket.io browser. Per
 * rate: StasisStart → pop in the browser (p50/p99), the concurrent calls it reached, and the
 * service's CPU per call (100 agents: the sandbox has 100 bench phones, scripts/pbx.sh). Every rate runs; those past the 25 ms p99 target are marked.
 *
 * The CPU is the bench process's: the service and, in the same process, the agents' socket.io
 * clients (their share is small: one pop and a few updates per call); Asterisk and SIPp are
 * other processes. docs/architecture/scale.md reads these figures.
 */
import type { Channel } from '../src/ari/types';
import { placeCalls, killAllSipp } from '../test/support/sipp-peers';
import { serviceFixture } from '../test/support/service-fixture';
import { waitFor } from '../test/support/engine-fixture';
import { benchAgents } from './bench-agents';
import { asteriskTime, percentiles, row } from './stats';

const PHONE_PORT = 16600;
const HOLD_MS = 4000;
const SECONDS = 10;

export async function benchScale(
  rates = (process.env.BENCH_SCALE_RATES ?? '5,10,15,20').split(',').map(Number),
  agentCount = Number(process.env.BENCH_SCALE_AGENTS ?? 100),
): Promise<string[]> {
  const fx = await serviceFixture({ telephony: { popAckWaitMs: 250, wrapUpSec: 0 } });
  const lines: string[] = [];
  try {
    const { agents, phone } = await benchAgents(fx, agentCount, 'scale', PHONE_PORT);
    lines.push(`${agentCount} agents logged in, each with a phone registered and a browser`);
    const stasisAt = new Map<string, number>();
    fx.hotline.ari.events.on(
      'StasisStart',
      (e: { args: string[]; channel: Channel; timestamp: string }) => {
        if (e.args[0] === 'inbound')
          stasisAt.set(e.channel.caller.number, asteriskTime(e.timestamp));
      },
    );
    let round = 0;
    for (const rate of rates) {
      round += 1;
      for (const a of agents) {
        await fx.setState(a.token, 'available');
        a.browser.pops.length = 0;
      }
      const count = rate * SECONDS;
      const callers = Array.from(
        { length: count },
        (_, i) => `137${String(round).padStart(2, '0')}${String(i).padStart(6, '0')}`,
      );
      let peak = 0;
      const sampler = setInterval(() => {
        peak = Math.max(peak, fx.hotline.engine.registry.size);
      }, 50);
      const cpu0 = process.cpuUsage();
      const result = await placeCalls({
        count,
        rate,
        callers,
        to: '4000',
        holdMs: HOLD_MS,
        audio: true,
        timeoutMs: (SECONDS + 60) * 1000,
      });
      await waitFor(() => fx.hotline.engine.registry.size === 0, 30_000, 'calls ended').catch(
        () => undefined,
      );
      clearInterval(sampler);
      const cpu = process.cpuUsage(cpu0);
      const pops = agents.flatMap((a) => a.browser.pops);
      const lat: number[] = [];
      for (const caller of callers) {
        const start = stasisAt.get(caller);
        const pop = pops.find((p) => p.pop.callerNumber === `+86${caller}`);
        if (start !== undefined && pop) lat.push(pop.at - start);
      }
      const q = percentiles(lat);
      const cpuMsPerCall = (cpu.user + cpu.system) / 1000 / count;
      lines.push(
        row(`${rate} calls/s for ${SECONDS} s: StasisStart → pop`, q) +
          `  peak ${peak} live calls, CPU ${cpuMsPerCall.toFixed(1)} ms/call, ` +
          `${lat.length}/${count} popped (sipp exit ${result.exitCode})`,
      );
      if (q.p99 > 25) lines.push(`  p99 over the 25 ms target at ${rate} calls/s`);
    }
    await phone.stop();
  } finally {
    killAllSipp();
    await fx.close();
  }
  return lines;
}
