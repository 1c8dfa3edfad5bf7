/** `npm run bench`: every benchmark, printing figures (never asserting them). */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { benchAriTransport } from './ari-transport';
import { benchFailover } from './failover';
import { benchImport } from './import';
import { benchOriginateRate } from './originate-rate';
import { benchLookup } from './lookup';
import { benchPopLatency } from './pop-latency';
import { benchPopPainted } from './pop-painted';
import { benchQueueCompare } from './queue-compare';
import { benchRecordingSize } from './recording-size';
import { benchReports } from './reports';
import { benchScale } from './scale';
import { benchWall } from './wall';

function startPbx(): void {
  execFileSync('bash', [path.resolve(__dirname, '../scripts/pbx.sh'), 'start'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function main() {
  const only = process.argv[2];
  const wants = (name: string) => !only || only === name;
  if (wants('ari')) {
    startPbx();
    console.log('\n# ARI REST transport: HTTP (fetch) vs the event WebSocket, the same requests');
    for (const line of await benchAriTransport(500)) console.log(line);
  }
  if (wants('pop')) {
    startPbx();
    console.log(
      '\n# Screen-pop lead over the ring (SIPp callers and phones, real Asterisk sandbox), with the stages of the call path',
    );
    for (const line of await benchPopLatency([1, 20, 100])) console.log(line);
  }
  if (wants('painted')) {
    startPbx();
    console.log(
      '\n# Pop painted in the browser (headless Chromium) → INVITE at the phone, calls one after another',
    );
    for (const line of await benchPopPainted(20)) console.log(line);
  }
  if (wants('queue')) {
    startPbx();
    console.log(
      "\n# Side by side with Asterisk's own queue: caller's INVITE → the phone's INVITE, one burst of 100 at 100/s each",
    );
    for (const line of await benchQueueCompare(100)) console.log(line);
  }
  if (wants('scale')) {
    startPbx();
    console.log(
      "\n# One engine's capacity: sustained inbound calls (SIPp, talking 4 s), rates up, the 25 ms pop p99 target marked",
    );
    for (const line of await benchScale()) console.log(line);
  }
  if (wants('failover')) {
    startPbx();
    console.log(
      '\n# Failover: kill -9 of the leader, 10 runs, 20 talking calls (two instances as processes, PostgreSQL, Redis)',
    );
    for (const line of await benchFailover(10, 20)) console.log(line);
  }
  if (wants('recording')) {
    console.log('\n# Recording storage (real sandbox)');
    for (const line of await benchRecordingSize()) console.log(line);
  }
  if (wants('lookup')) {
    console.log(
      '\n# Caller-ID lookup (normalise + indexed match, then the in-memory directory), SQLite',
    );
    for (const line of await benchLookup([100_000, 1_000_000])) console.log(line);
  }
  if (wants('originate')) {
    console.log('\n# Dialer originate rate (progressive campaign, SIPp carrier answering busy)');
    for (const line of await benchOriginateRate(
      Math.max(20, Number(process.env.BENCH_ORIGINATES ?? 200) || 200),
      20,
    ))
      console.log(line);
  }
  if (wants('wall')) {
    console.log(
      '\n# Supervisor wall: 500 agents and 20 walls on socket.io, a burst of 100 calls (fake ARI, in-process)',
    );
    for (const line of await benchWall({ agents: 500, walls: 20, calls: 100 })) console.log(line);
  }
  if (wants('reports')) {
    console.log(
      '\n# Reports over 1 000 000 call records (90 days, 500 agents, 20 queues): SQLite, then PostgreSQL',
    );
    for (const line of await benchReports(Number(process.env.BENCH_REPORT_CALLS ?? 1_000_000)))
      console.log(line);
  }
  if (wants('import')) {
    console.log('\n# Contact-list CSV import (chunked, event loop kept free), SQLite');
    for (const line of await benchImport([100_000])) console.log(line);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
