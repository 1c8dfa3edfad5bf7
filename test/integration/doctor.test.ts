/**
 * `npm run doctor` against the real sandbox Asterisk, which is shared: it only reads, plus the
 * doctor's own temporary bridge, test recording and Local channel (unique names, deleted again).
 * It never restarts or reconfigures Asterisk and never opens the 'hotline' application: the
 * service's application name is replaced by a unique one. The misconfigurations it can show
 * without touching Asterisk's configuration are on Hotline's side (a prompt the PBX lacks, a DID
 * the dialplan turns away, a user whose extension has no endpoint, a wrong password).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { probeForConfig } from '../../src/ari/probe';
import { loadConfig } from '../../src/config';
import { createDb, migrate } from '../../src/db';
import { formatReport, runDoctor } from '../../src/doctor';

jest.setTimeout(60_000);

const root = path.resolve(__dirname, '../..');
const tag = randomBytes(3).toString('hex');
let dir: string;
let freePort: number;

async function database(file: string, extensions: string[]) {
  const db = createDb(`sqlite:${file}`);
  await migrate(db);
  for (const [i, extension] of extensions.entries())
    await db('users').insert({
      username: `doctor-${i}`,
      name: `Doctor ${i}`,
      role: 'agent',
      password_hash: 'x',
      extension,
      disabled: false,
      created_at: 0,
    });
  await db.destroy();
}

function runCli(env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      path.join(root, 'node_modules/.bin/tsx'),
      [path.join(root, 'scripts/doctor.ts')],
      { cwd: root, env: { ...process.env, HOTLINE_CONFIG: '', PORT: String(freePort), ...env } },
      (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
    );
  });
}

/**
 * What the doctor left in Asterisk, once Asterisk has finished tearing down: a closed
 * application's WebSocket (and a destroyed bridge) leave its lists a moment after, not at once.
 */
async function leftovers(): Promise<string[]> {
  let left = await listLeftovers();
  // Asterisk drops an application some time after its WebSocket closed: over 2 s once in a full
  // run on this 2-core machine, so up to 6 s.
  for (let i = 0; i < 60 && left.length; i += 1) {
    await new Promise((r) => setTimeout(r, 100));
    left = await listLeftovers();
  }
  return left;
}

async function listLeftovers(): Promise<string[]> {
  const cfg = loadConfig({});
  const auth = `Basic ${Buffer.from(`${cfg.ari.user}:${cfg.ari.password}`).toString('base64')}`;
  const names: string[] = [];
  for (const what of ['bridges', 'channels', 'recordings/stored', 'applications']) {
    const res = await fetch(`${cfg.ari.url}/ari/${what}`, { headers: { authorization: auth } });
    for (const o of (await res.json()) as Array<{ id?: string; name?: string }>)
      names.push(`${what}:${o.id ?? ''}:${o.name ?? ''}`);
  }
  return names.filter((n) => n.includes('hotline-doctor-'));
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'doctor-it-'));
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  freePort = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it('finds the sandbox in order, and leaves nothing behind', async () => {
  const file = path.join(dir, 'ok.sqlite');
  await database(file, ['1001', '1002']);
  const { code, out } = await runCli({
    DATABASE_URL: `sqlite:${file}`,
    ARI_APP: `doctor-it-${tag}`,
  });
  expect(out).toContain(`OK          No client holds the application "doctor-it-${tag}"`);
  expect(out).toMatch(
    /OK {10}ARI answers at http:\/\/127\.0\.0\.1:\d+ as user "hotline" \(Asterisk 22\./,
  );
  expect(out).toMatch(/OK {10}All \d+ modules Hotline needs are running/);
  expect(out).toContain(
    'OK          Carrier endpoint "carrier": calls enter context "from-carrier"; identified by address 127.0.0.2',
  );
  expect(out).toContain(
    'OK          Context "from-carrier" has an extension for 4000, +4000 (sample numbers) and the h extension',
  );
  expect(out).toContain('OK          All 9 configured prompts exist on the PBX in language en');
  expect(out).toContain('OK          A 2.0 s test recording of a bridge was written as WAV');
  expect(out).toContain('OK          Music on hold plays (class "default")');
  expect(out).toContain(
    'OK          Every user with an extension (2) has their endpoint (PJSIP/{extension})',
  );
  expect(out).toMatch(/No problems found: 9 checks OK\.\n$/);
  expect(code).toBe(0);
  expect(await leftovers()).toEqual([]);
});

it("reports what is wrong on Hotline's side of a real Asterisk, with the lines to add", async () => {
  const file = path.join(dir, 'broken.sqlite');
  await database(file, ['1001', '1999']);
  const cfgFile = path.join(dir, 'broken.json');
  fs.writeFileSync(
    cfgFile,
    JSON.stringify({
      telephony: {
        closedMessage: `sound:hotline/doctor-missing-${tag}`,
        queues: [{ name: 'general', dids: ['7'] }],
        mohClass: `doctor-nosuch-${tag}`,
      },
    }),
  );
  const { code, out } = await runCli({
    DATABASE_URL: `sqlite:${file}`,
    ARI_APP: `doctor-it-${tag}`,
    HOTLINE_CONFIG: cfgFile,
  });
  expect(code).toBe(1);
  expect(out).toContain('PROBLEM     1 of 9 configured prompts missing in language en');
  expect(out).toContain(
    `sound:hotline/doctor-missing-${tag} (telephony.closedMessage): no such sound, callers hear nothing there`,
  );
  expect(out).toContain('    npm run prompts -- --out /tmp/hotline-prompts');
  // The sandbox's _X. needs two digits and _+X. a + and two: a one-digit DID matches neither.
  expect(out).toContain('PROBLEM     Dialplan: no extension in "from-carrier" matches 7, +7');
  expect(out).toContain(`    exten => _[+0-9].,1,Stasis(doctor-it-${tag},inbound,\${EXTEN})`);
  expect(out).toContain(
    "PROBLEM     1 of 2 users' extensions have no endpoint (PJSIP/{extension}): 1999 (doctor-1)",
  );
  expect(out).toContain('    [1999]');
  // An unknown class falls back to "default" on Asterisk: said, not hidden.
  expect(out).toContain(`OK          Music on hold plays (class "doctor-nosuch-${tag}")`);
  expect(out).toContain('Asterisk plays class "default" for a class it does not know');
  expect(out).toMatch(/3 problems: fix them and run `npm run doctor` again\.\n$/);
  expect(await leftovers()).toEqual([]);
});

it('a wrong ARI password: the real 401 and the ari.conf section', async () => {
  const cfg = loadConfig({ ARI_PASSWORD: `wrong-${tag}`, ARI_APP: `doctor-it-${tag}` });
  const checks = await runDoctor({
    cfg,
    ari: probeForConfig(cfg.ari),
    directory: () => Promise.reject(new Error('not used')),
    localHotlineOpen: () => Promise.resolve(false),
    tag,
  });
  const report = formatReport(checks);
  expect(checks[0]).toMatchObject({
    status: 'problem',
    title: 'ARI refuses user "hotline" with this password (401)',
  });
  expect(report).toContain('Add to ari.conf:');
  expect(report).toContain('    [hotline]');
  expect(report).toContain('    read_only = no');
});
