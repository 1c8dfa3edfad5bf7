/**
 * N concurrent inbound calls placed by SIPp through the sandbox; for each: Asterisk's StasisStart
 * → the pop received by the agent's socket.io client, and StasisStart → the INVITE received by the
 * agent's (SIPp) phone. The difference is the lead of the pop over the ring.
 */
import type { Channel } from '../src/ari/types';
import { placeCalls, killAllSipp } from '../test/support/sipp-peers';
import { serviceFixture } from '../test/support/service-fixture';
import { waitFor } from '../test/support/engine-fixture';
import { CALL_STAGES, type CallStage } from '../src/calls/call-stages';
import { benchAgents } from './bench-agents';
import { asteriskTime, percentiles, row } from './stats';
import { profileWindow, watchEventLoop } from './cpu-profile';

const PHONE_PORT = 16400;

export async function benchPopLatency(counts: number[]): Promise<string[]> {
  const maxN = Math.max(...counts);
  // No after-call work: every batch starts with all its agents free.
  const stages = new Map<string, Partial<Record<CallStage, number>>>(); // call id → stage → time
  const fx = await serviceFixture({
    telephony: { popAckWaitMs: 250, wrapUpSec: 0 },
    stages: (callId, stage, at) => {
      const m = stages.get(callId) ?? {};
      m[stage] ??= at;
      stages.set(callId, m);
    },
  });
  const lines: string[] = [];
  try {
    const { agents, phone } = await benchAgents(fx, maxN, 'bench', PHONE_PORT);
    const stasisAt = new Map<string, number>(); // caller number → Asterisk's StasisStart time
    fx.hotline.ari.events.on(
      'StasisStart',
      (e: { args: string[]; channel: Channel; timestamp: string }) => {
        if (e.args[0] === 'inbound')
          stasisAt.set(e.channel.caller.number, asteriskTime(e.timestamp));
      },
    );
    let batch = 0;
    /** One burst of n calls at n/s; the latencies of each call, by caller. */
    async function burst(n: number) {
      batch += 1;
      for (const a of agents.slice(0, n)) await fx.setState(a.token, 'available');
      for (const a of agents) a.browser.pops.length = 0;
      const callers = Array.from(
        { length: n },
        (_, i) => `139${String(batch).padStart(2, '0')}${String(i).padStart(6, '0')}`,
      );
      const invitesBefore = (await phone.invites()).length;
      // The bench shares the service's process: its own garbage (the phone's trace, read and
      // parsed just now) is collected before the burst, not inside it (queue-compare.ts too).
      global.gc?.();
      await new Promise((r) => setTimeout(r, 50));
      const result = await placeCalls({ count: n, rate: n, callers, to: '4000', holdMs: 2000 });
      const pops = await waitFor(
        () => {
          const all = agents.flatMap((a) => a.browser.pops);
          return all.length >= n ? all : null;
        },
        30_000,
        `${n} pops`,
      ).catch(() => agents.flatMap((a) => a.browser.pops));
      const invites = (await phone.invites()).slice(invitesBefore);
      const out = { popLat: [] as number[], ringLat: [] as number[], lead: [] as number[] };
      const byStage = new Map<CallStage, number[]>(CALL_STAGES.map((st) => [st, []]));
      for (const caller of callers) {
        const e164 = `+86${caller}`;
        const start = stasisAt.get(caller);
        const pop = pops.find((p) => p.pop.callerNumber === e164);
        const invite = invites.find((i) => i.fromUser === e164);
        if (start === undefined || !pop || !invite) continue;
        for (const [st, at] of Object.entries(stages.get(pop.pop.callId) ?? {}))
          byStage.get(st as CallStage)!.push(at - start);
        out.popLat.push(pop.at - start);
        out.ringLat.push(invite.at - start);
        out.lead.push(invite.at - pop.at);
      }
      await waitFor(() => fx.hotline.engine.registry.size === 0, 30_000, 'calls ended').catch(
        () => undefined,
      );
      return { ...out, byStage, exitCode: result.exitCode };
    }
    // A warm service: one call first, not counted (the first call pays for cold code paths).
    await burst(1);
    for (const n of counts) {
      // N=1: single calls one after another, so the figure has more than one sample.
      const runs = n === 1 ? 10 : 1;
      const all = { popLat: [] as number[], ringLat: [] as number[], lead: [] as number[] };
      const byStage = new Map<CallStage, number[]>(CALL_STAGES.map((st) => [st, []]));
      let exitCode = 0;
      // BENCH_PROFILE: the largest burst's CPU profile (bench/cpu-profile.ts). Sampling slows the
      // service several times over: read the profile's shares, not the latencies of that run.
      const stopProfile = n === Math.max(...counts) ? await profileWindow() : null;
      const loop = n === Math.max(...counts) ? watchEventLoop() : null;
      for (let r = 0; r < runs; r += 1) {
        const b = await burst(n);
        all.popLat.push(...b.popLat);
        all.ringLat.push(...b.ringLat);
        all.lead.push(...b.lead);
        for (const [st, v] of b.byStage) byStage.get(st)!.push(...v);
        exitCode = Math.max(exitCode, b.exitCode);
      }
      await stopProfile?.();
      const loopLine = loop?.stop();
      const label = runs > 1 ? `N=${n} (×${runs})` : `N=${n}`;
      if (loopLine) lines.push(`${label}: ${loopLine}`);
      lines.push(row(`${label}: StasisStart → pop in the browser`, percentiles(all.popLat)));
      lines.push(row(`${label}: StasisStart → INVITE at the phone`, percentiles(all.ringLat)));
      lines.push(
        row(`${label}: pop lead over the ring`, percentiles(all.lead)) +
          `  (sipp exit ${exitCode})`,
      );
      // Where the time goes: each stage's time since Asterisk's StasisStart, in path order.
      for (const [st, values] of byStage)
        if (values.length) lines.push(row(`${label}:   stage ${st}`, percentiles(values)));
    }
    await phone.stop();
  } finally {
    killAllSipp();
    await fx.close();
  }
  return lines;
}
