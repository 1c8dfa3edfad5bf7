/**
 * Failover after kill -9 of the leader (issue 12): two Hotline instances as OS processes on
 * PostgreSQL and Redis against the sandbox, `calls` talking SIPp calls (bench agents 2001…, one
 * SIPp phone answering them all, their browsers on the standby). `runs` times: SIGKILL the
 * leader; takeover = kill → the standby's /healthz says leader with ARI open; adopted = kill →
 * the new leader's log line "calls left open by an earlier run reconciled" (every live call
 * adopted, from the database and Asterisk), and the adoption rate over the new leader's
 * lease-gained → reconciled. A fresh standby replaces the killed leader after each run; the
 * calls stay up throughout and are checked to be all still talking at the end.
 */
import fs from 'node:fs';
import { killAllSipp, placeCalls, registerPhone, startPhone } from '../test/support/sipp-peers';
import { waitFor } from '../test/support/engine-fixture';
import { failoverCluster } from '../test/support/failover-cluster';
import type { InstanceProcess } from '../test/support/instance-process';
import { percentiles } from './stats';

const PHONE_PORT = 16600;

interface LogLine {
  time: number;
  msg?: string;
  adopted?: number;
  closed?: number;
}

/** The first line of `inst`'s log after `since` whose msg is `msg`. */
function logLine(inst: InstanceProcess, msg: string, since: number): LogLine | null {
  for (const l of fs.readFileSync(inst.logFile, 'utf8').split('\n')) {
    if (!l.includes(msg)) continue;
    const j = JSON.parse(l) as LogLine;
    if (j.msg === msg && j.time >= since) return j;
  }
  return null;
}

export async function benchFailover(runs = 10, calls = 20): Promise<string[]> {
  const c = await failoverCluster({
    ports: [7610, 7611],
    name: 'bench',
    config: { telephony: { wrapUpSec: 0, recordingDefault: 'never', popAckWaitMs: 250 } },
  });
  const lines: string[] = [];
  try {
    const agents = [];
    for (let i = 0; i < calls; i += 1) {
      const ext = String(2001 + i);
      await registerPhone({ ext, contactPort: PHONE_PORT });
      const a = await c.agent(`fo${ext}`, ext);
      // socket.io-client reconnects: a replaced standby comes back on the same port.
      agents.push({ ...a, browser: await c.browser(a.token) });
    }
    await startPhone({ ext: 'bench', port: PHONE_PORT, mode: 'answer', ringMs: 100 });
    for (const a of agents) await c.setState(c.standby, a.token, 'available');
    const callers = Array.from({ length: calls }, (_, i) => `1390000${String(i).padStart(4, '0')}`);
    // Long enough for every run; killed at the end.
    const placed = placeCalls({
      count: calls,
      rate: 10,
      callers,
      to: '4000',
      holdMs: 900_000,
      timeoutMs: 1_000_000,
    });
    const talking = () =>
      c
        .db('calls')
        .where({ state: 'talking' })
        .whereNull('ended_at')
        .count<Array<{ n: string }>>({ n: '*' })
        .then((r) => Number(r[0]?.n ?? 0));
    await waitFor(async () => (await talking()) === calls, 30_000, `${calls} calls talking`);
    const takeovers: number[] = [];
    const adoptions: number[] = [];
    const rates: number[] = [];
    for (let run = 0; run < runs; run += 1) {
      if (!c.standby) await c.replaceStandby();
      await new Promise((r) => setTimeout(r, 1500)); // a renew or so into the term
      const next = c.standby;
      const killedAt = Date.now();
      takeovers.push(await c.kill());
      const done = await waitFor(
        () => logLine(next, 'calls left open by an earlier run reconciled', killedAt),
        15_000,
        'calls adopted',
      );
      const gained = logLine(next, 'lease gained: leading', killedAt);
      if ((done.adopted ?? 0) !== calls)
        throw new Error(
          `run ${run + 1}: adopted ${done.adopted} of ${calls} (closed ${done.closed})`,
        );
      adoptions.push(done.time - killedAt);
      if (gained) rates.push((calls * 1000) / Math.max(1, done.time - gained.time));
    }
    const stillTalking = await talking();
    const t = percentiles(takeovers);
    const a = percentiles(adoptions);
    const r = percentiles(rates);
    lines.push(
      `kill -9 runs: ${runs}, live talking calls: ${calls} (still talking after the last run: ${stillTalking})`,
      `takeover (kill → /healthz leader, ARI open)   p50 ${t.p50} ms  max ${t.max} ms`,
      `all calls adopted (kill → reconciled)          p50 ${a.p50} ms  max ${a.max} ms`,
      `adoption rate (lease gained → reconciled)      p50 ${r.p50.toFixed(0)} calls/s  min ${Math.min(...rates).toFixed(0)} calls/s`,
      `takeovers (ms): ${takeovers.join(', ')}`,
    );
    killAllSipp();
    await placed.catch(() => undefined);
  } finally {
    killAllSipp();
    await c.close();
  }
  return lines;
}
