/** `npm run bench`: every benchmark, printing figures (never asserting them). */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { benchImport } from './import';
import { benchOriginateRate } from './originate-rate';
import { benchLookup } from './lookup';
import { benchPopLatency } from './pop-latency';
import { benchRecordingSize } from './recording-size';

async function main() {
  const only = process.argv[2];
  if (!only || only === 'pop') {
    execFileSync('bash', [path.resolve(__dirname, '../scripts/pbx.sh'), 'start'], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    console.log(
      '\n# Screen-pop lead over the ring (SIPp callers and phones, real Asterisk sandbox)',
    );
    for (const line of await benchPopLatency([1, 20, 100])) console.log(line);
  }
  if (!only || only === 'recording') {
    console.log('\n# Recording storage (real sandbox)');
    for (const line of await benchRecordingSize()) console.log(line);
  }
  if (!only || only === 'lookup') {
    console.log('\n# Caller-ID lookup (normalise + indexed match), SQLite');
    for (const line of await benchLookup([100_000, 1_000_000])) console.log(line);
  }
  if (!only || only === 'originate') {
    console.log('\n# Dialer originate rate (progressive campaign, SIPp carrier answering busy)');
    for (const line of await benchOriginateRate(200, 20)) console.log(line);
  }
  if (!only || only === 'import') {
    console.log('\n# Contact-list CSV import (chunked, event loop kept free), SQLite');
    for (const line of await benchImport([100_000])) console.log(line);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
