/**
 * `npm run demo`: the local Asterisk sandbox, the service on a fresh SQLite database, demo users
 * and customers, two SIPp phones that answer like agents, and a demo call every 20 seconds from
 * alternating known and unknown callers. Prints the URL and logins. Ctrl-C stops it.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../src/config';
import { createHotline } from '../src/hotline';
import { createLogger } from '../src/shared/logger';
import {
  killAllSipp,
  placeCall,
  registerPhone,
  startPhone,
  startTalkingPhone,
} from '../test/support/sipp-peers';
import { ensureWebBuilt } from './web-build';

const root = path.resolve(__dirname, '..');
const PASSWORD = 'demo-pass';

async function main() {
  console.log('Building the web app when needed (web/dist)…');
  ensureWebBuilt();
  console.log('Starting the Asterisk sandbox (the first time builds it: about two minutes)…');
  execFileSync('bash', [path.join(root, 'scripts/pbx.sh'), 'start'], { stdio: 'inherit' });

  const dbFile = path.join(root, 'data/demo.sqlite');
  for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) fs.rmSync(f, { force: true });
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: `sqlite:${dbFile}`,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    // GET /metrics is off without a token: the demo makes one up (unless you set yours).
    HOTLINE_METRICS_TOKEN:
      process.env.HOTLINE_METRICS_TOKEN || randomBytes(18).toString('base64url'),
  });
  const log = createLogger(config.logLevel);
  const hotline = await createHotline(config, log);
  const port = await hotline.listen(config.port);

  const mk = (
    username: string,
    name: string,
    role: 'agent' | 'supervisor' | 'qa' | 'admin',
    extension: string | null,
  ) => hotline.users.create({ username, password: PASSWORD, name, role, extension });
  await mk('admin', 'Administrator', 'admin', null);
  const ann = await mk('ann', 'Ann Agent', 'agent', '1001');
  const bob = await mk('bob', 'Bob Agent', 'agent', '1002');
  await mk('sue', 'Sue Supervisor', 'supervisor', '1901');
  await mk('quinn', 'Quinn QA', 'qa', null);
  await hotline.agents.load();
  const vip = await hotline.customers.create({
    name: '王小明 (Wang Xiaoming)',
    company: 'Sunrise Property Management',
    tier: 'vip',
    ownerUserId: ann.id,
    phones: [{ e164: '+8613812345678', raw: '138 1234 5678' }],
  });
  await hotline.customers.create({
    name: 'Li Na',
    company: 'Harbour Logistics',
    tier: 'standard',
    phones: [{ e164: '+862161234567', raw: '021 6123 4567' }],
  });

  // The agents' phones: SIPp answers after 4 s of ringing and talks (a tone each); the demo
  // callers talk too and hang up after 25 s. Sue's phone (1901) answers at once, for listening.
  for (const [ext, sipPort, mediaPort, hz] of [
    ['1001', 16101, 17210, 600],
    ['1002', 16102, 17220, 800],
  ] as const) {
    await registerPhone({ ext, contactPort: sipPort });
    await startTalkingPhone({ ext, port: sipPort, mediaPort, hz, ringMs: 4000 });
  }
  await registerPhone({ ext: '1901', contactPort: 16191 });
  await startPhone({ ext: '1901', port: 16191, mode: 'answer', ringMs: 500 });
  // The satisfaction survey on: when the agent hangs up first (Hang up on the desktop), the
  // demo caller is asked for a score (it presses nothing: no answer, on the call's timeline).
  await hotline.queues.update('general', { survey: 'after-agent-hangup' });
  await hotline.agents.setState(ann.id, 'available');
  await hotline.agents.setState(bob.id, 'available');

  const url = `http://127.0.0.1:${port}`;
  console.log(`
Hotline demo is running at ${url}
  Open ${url} and log in as "ann" with password "${PASSWORD}": the agent desktop. A demo call
  arrives every 20 s and pops on Ann's screen before her (SIPp) phone rings; the VIP caller
  ${vip.name} is routed to Ann, his account owner. Try hold, transfer to Bob, a complaint, the
  wrap-up; hang up first and the caller hears the satisfaction survey. Other logins (same
  password): bob (agent); sue (supervisor: the Live wall; Listen, Whisper or Barge on a live
  call rings her phone 1901, a SIPp phone that answers); quinn (qa); admin (users, queues,
  opening hours, dispositions, the access log). sue, quinn and admin also have Reports: the
  demo calls fill today's service level, AHT (hold apart), satisfaction and per-agent figures,
  with CSV exports.
  Metrics (Prometheus): ${url}/metrics with the token ${config.metrics.token ?? ''}
    curl -H 'Authorization: Bearer ${config.metrics.token ?? ''}' ${url}/metrics
    Grafana: import docs/grafana/hotline-dashboard.json
  API: ${url}/api/openapi.json   Ctrl-C stops the demo (the sandbox keeps running: npm run pbx -- stop).
`);
  const callers = ['+8613812345678', '02161234567', '13900001111'];
  let n = 0;
  const tick = () => {
    const from = callers[n % callers.length]!;
    n += 1;
    placeCall({ from, to: '4000', holdMs: 25_000, audio: true }).catch((err: unknown) =>
      console.error('demo call failed', err),
    );
  };
  setTimeout(tick, 5_000);
  const timer = setInterval(tick, 20_000);

  const stop = () => {
    clearInterval(timer);
    killAllSipp();
    void hotline.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err);
  killAllSipp();
  process.exit(1);
});
