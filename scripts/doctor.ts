/**
 * `npm run doctor`: checks the Asterisk that the service's configuration points at (ARI_URL,
 * ARI_USER / ARI_PASSWORD, ARI_APP, telephony.*, the users in DATABASE_URL) and prints each
 * check as OK / PROBLEM / NOT CHECKED, with the configuration lines to add. Exit code 0 when no
 * check found a problem, 1 otherwise. Safe beside a running Hotline: it never opens the
 * service's ARI application; it makes one temporary bridge with a test recording and one
 * temporary Local channel (in an application of its own), and deletes them.
 *   --record-ms N   length of the test recording (default 2000)
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { probeForConfig } from '../src/ari/probe';
import { ConfigError, loadConfig } from '../src/config';
import { exitCode, formatReport, readDirectory, runDoctor } from '../src/doctor';

async function localHotlineOpen(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`, {
      signal: AbortSignal.timeout(1000),
    });
    const body = (await res.json()) as { ariState?: unknown };
    return body.ariState === 'open';
  } catch {
    return false;
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { 'record-ms': { type: 'string', default: '2000' } } });
  let cfg;
  try {
    cfg = loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`doctor: ${err.message}`);
    return 1;
  }
  console.log(
    `Checking the Asterisk at ${cfg.ari.url} for Hotline (ARI user "${cfg.ari.user}", application "${cfg.ari.app}", database ${cfg.databaseUrl.replace(/\/\/[^@/]*@/, '//…@')})\n`,
  );
  let directory: ReturnType<typeof readDirectory> | null = null;
  const checks = await runDoctor({
    cfg,
    ari: probeForConfig(cfg.ari),
    directory: () => (directory ??= readDirectory(cfg.databaseUrl)),
    localHotlineOpen: () => localHotlineOpen(cfg.port),
    tag: `${process.pid}-${randomBytes(3).toString('hex')}`,
    recordMs: Number(values['record-ms']),
  });
  console.log(formatReport(checks));
  return exitCode(checks);
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error('doctor failed:', err);
    process.exit(1);
  },
);
