/**
 * `npm run doctor` against a fake ARI HTTP server that answers like a misconfigured Asterisk:
 * each misconfiguration gives a PROBLEM in plain words with the line to add, and the doctor never
 * takes the service's application and leaves nothing behind.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createAriProbe, probeForConfig } from '../../../src/ari/probe';
import { loadConfig } from '../../../src/config';
import { exitCode, formatReport, runDoctor, type Check, type Directory } from '../../../src/doctor';
import {
  fakeAsterisk,
  SANDBOX_MODULES,
  wav,
  type FakeAsterisk,
} from '../../support/fake-asterisk-http';

let pbx: FakeAsterisk;
afterEach(async () => pbx?.close());

const team: Directory = {
  users: [
    { username: 'ann', extension: '1001' },
    { username: 'bob', extension: '1002' },
  ],
  dids: ['862150001234'],
};

async function doctor(
  env: Record<string, string> = {},
  opts: { directory?: () => Promise<Directory>; localHotlineOpen?: boolean } = {},
) {
  const cfg = loadConfig({ ARI_URL: pbx.url, ...env });
  const checks = await runDoctor({
    cfg,
    ari: probeForConfig(cfg.ari, 2000),
    directory: opts.directory ?? (() => Promise.resolve(team)),
    localHotlineOpen: () => Promise.resolve(opts.localHotlineOpen ?? false),
    tag: 'test',
    recordMs: 20,
    sleep: () => Promise.resolve(),
  });
  const report = formatReport(checks);
  return { checks, report, code: exitCode(checks) };
}

const problems = (checks: Check[]) => checks.filter((c) => c.status === 'problem');

it('says all is well for an Asterisk set up like the sandbox, and cleans up after itself', async () => {
  pbx = await fakeAsterisk();
  const { checks, report, code } = await doctor();
  expect(problems(checks)).toEqual([]);
  expect(code).toBe(0);
  expect(report).toContain('OK          ARI answers at');
  expect(report).toContain('No client holds the application "hotline"');
  expect(report).toContain(
    'Carrier endpoint "carrier": calls enter context "from-carrier"; identified by address 203.0.113.5',
  );
  expect(report).toContain('has an extension for 862150001234, +862150001234 and the h extension');
  expect(report).toContain('All 9 configured prompts exist on the PBX in language en');
  expect(report).toContain('test recording of a bridge was written as WAV');
  expect(report).toContain('Music on hold plays (class "default")');
  expect(report).toContain('Every user with an extension (2) has their endpoint');
  expect(report).toContain(
    'Not registered right now (a phone rings only once it has registered): 1002 (bob)',
  );
  expect(report).toMatch(/No problems found: \d+ checks OK\.$/);
  expect(pbx.leftovers).toEqual([]);
  expect(pbx.wsApps).toEqual(['hotline-doctor-test']);
  expect(pbx.requests).toContain('DELETE /ari/bridges/hotline-doctor-test-moh');
  expect(pbx.requests).toContain('DELETE /ari/recordings/stored/hotline-doctor-test-moh');
});

it('a wrong password: 401, the ari.conf section to add, and nothing else asked', async () => {
  pbx = await fakeAsterisk({ password: 'something-else' });
  const { checks, report, code } = await doctor({ ARI_USER: 'hotline', ARI_PASSWORD: 'guess' });
  expect(code).toBe(1);
  expect(checks[0]).toMatchObject({
    status: 'problem',
    title: 'ARI refuses user "hotline" with this password (401)',
  });
  expect(report).toContain('In ari.conf the section name is the user name');
  expect(report).toContain('Add to ari.conf:');
  for (const line of [
    '[hotline]',
    'type = user',
    'read_only = no',
    'password = THE-VALUE-OF-ARI_PASSWORD',
  ])
    expect(report).toContain(`    ${line}`);
  expect(report).toContain('then: asterisk -rx "module reload res_ari.so"');
  expect(report).toContain('NOT CHECKED Nothing else checked');
  expect(pbx.requests).toEqual(['GET /ari/asterisk/info']);
});

it('nothing listening: connection refused points at http.conf', async () => {
  const closed = http.createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  pbx = await fakeAsterisk();
  const { checks, report, code } = await doctor({ ARI_URL: `http://127.0.0.1:${port}` });
  expect(code).toBe(1);
  expect(checks[0]!.title).toBe(
    `Nothing listens at 127.0.0.1:${port} (connection refused): Asterisk's HTTP server is off or on another port`,
  );
  expect(report).toContain('Add to http.conf:');
  expect(report).toContain('    enabled = yes');
  expect(report).toContain(`    bindport = ${port}`);
  expect(report).toContain('bindaddr = ');
});

it('a misconfigured Asterisk: every problem in words, with the line to add', async () => {
  pbx = await fakeAsterisk({
    heldApps: ['hotline'],
    modules: SANDBOX_MODULES.filter(
      (m) => m !== 'res_stasis_recording.so' && m !== 'res_musiconhold.so',
    ),
    sounds: { 'hotline/no-agents': ['en'], 'hotline/closed': ['en'] },
    endpoints: { carrier: 'online', '1001': 'online' },
    dialplan: { 'from-carrier': ['862150001234'] },
  });
  const { checks, report, code } = await doctor(
    {},
    {
      directory: () =>
        Promise.resolve({ ...team, users: [...team.users, { username: 'cy', extension: '1003' }] }),
    },
  );
  expect(code).toBe(1);
  const titles = problems(checks).map((c) => c.title);

  // The application is held by someone else: said, never taken (no WebSocket for "hotline").
  expect(titles).toContain('Another client holds the application "hotline" (2 channels in it)');
  expect(report).toContain('this Hotline goes deaf (ApplicationReplaced)');
  expect(report).toContain('    ARI_APP=hotline-2');
  expect(pbx.wsApps).not.toContain('hotline');

  expect(titles).toContain(
    '2 module(s) Hotline needs are not running: res_stasis_recording.so, res_musiconhold.so',
  );
  expect(report).toContain('    load => res_stasis_recording.so');
  expect(report).toContain('    load => res_musiconhold.so');
  expect(report).toContain('then: asterisk -rx "module load res_stasis_recording.so"');

  expect(titles).toContain('7 of 9 configured prompts missing in language en');
  expect(report).toContain(
    'sound:hotline/recording-consent (telephony.recordingConsentMessage): no such sound, callers hear nothing there',
  );
  expect(report).toContain(
    'Without its consent prompt a recorded call gives the caller no recording notice.',
  );
  expect(report).toContain('    npm run prompts -- --out /tmp/hotline-prompts');
  expect(report).toContain(
    '    mkdir -p /usr/share/asterisk/sounds/en && cp -r /tmp/hotline-prompts/en/hotline /usr/share/asterisk/sounds/en/',
  );

  const dialplan = titles.find((t) => t.startsWith('Dialplan:'))!;
  expect(dialplan).toContain('no extension in "from-carrier" matches +862150001234');
  expect(dialplan).toContain('a pattern like _X. does not match a leading "+"');
  expect(dialplan).toContain('no h extension in "from-carrier"');
  expect(report).toContain('    exten => _[+0-9].,1,Stasis(hotline,inbound,${EXTEN})');
  expect(report).toContain(
    '    exten => h,1,Set(GLOBAL(HOTLINE_ENDED_${UNIQUEID})=${STRFTIME(,,%s.%3q)}|${HANGUPCAUSE})',
  );
  expect(report).toContain('then: asterisk -rx "dialplan reload"');

  expect(titles).toContain(
    "2 of 3 users' extensions have no endpoint (PJSIP/{extension}): 1002 (bob), 1003 (cy)",
  );
  expect(report).toContain('Add to pjsip.conf (this for 1002; the same for each of the others):');
  expect(report).toContain('    [1002]');
  expect(report).toContain('    username = 1002');
  expect(pbx.leftovers).toEqual([]);
});

it('without func_dialplan.so the dialplan is not checked rather than reported wrong', async () => {
  pbx = await fakeAsterisk({ modules: SANDBOX_MODULES.filter((m) => m !== 'func_dialplan.so') });
  const { checks, report } = await doctor();
  expect(problems(checks).map((c) => c.title)).toEqual([
    '1 module(s) Hotline needs are not running: func_dialplan.so',
  ]);
  expect(report).toContain(
    'NOT CHECKED Dialplan not checked: Asterisk cannot evaluate DIALPLAN_EXISTS() (500; func_dialplan.so not loaded?)',
  );
  expect(report).not.toContain('no extension in');
  expect(pbx.leftovers).toEqual([]);
});

it('a missing carrier endpoint: the endpoint, aor and identify to add', async () => {
  pbx = await fakeAsterisk({ endpoints: { '1001': 'online', '1002': 'online' } });
  const { checks, report } = await doctor();
  expect(problems(checks).map((c) => c.title)).toEqual([
    'No PJSIP endpoint "carrier" (telephony.trunkEndpoint = PJSIP/{number}@carrier)',
  ]);
  for (const line of [
    'type = endpoint',
    'type = aor',
    'type = identify',
    'endpoint = carrier',
    'match = CARRIER-ADDRESS',
  ])
    expect(report).toContain(line);
  expect(report).toContain('NOT CHECKED Dialplan not checked');
});

it('no recording folder: the 500 on record is explained, and music on hold is not guessed at', async () => {
  pbx = await fakeAsterisk({ recordStatus: 500 });
  const { checks, report } = await doctor();
  expect(problems(checks).map((c) => c.title)).toEqual([
    'Recording: Asterisk refused to record a bridge (500)',
  ]);
  expect(report).toContain('recording folder (astspooldir/recording) is missing or not');
  expect(report).toContain('chan_bridge_media.so');
  expect(report).toContain('Run on the PBX, as root:\n');
  expect(report).toContain('    mkdir -p /var/spool/asterisk/recording');
  expect(report).toContain('NOT CHECKED Music on hold not checked');
  expect(pbx.leftovers).toEqual([]);
});

it('a read-only ARI user: read_only = no', async () => {
  pbx = await fakeAsterisk({ bridgeStatus: 403 });
  const { checks, report } = await doctor();
  expect(problems(checks).map((c) => c.title)).toEqual([
    'ARI user "hotline" may only read (403 on POST /ari/bridges)',
  ]);
  expect(report).toMatch(/Add to ari.conf, section \[hotline\]:\n +read_only = no\n/);
});

it('music on hold that plays nothing, or only silence, while recording works', async () => {
  pbx = await fakeAsterisk({ recordedFile: { moh: wav(0, 0), tone: wav(8000, 6000) } });
  let r = await doctor({}, {});
  expect(problems(r.checks).map((c) => c.title)).toEqual([
    'Music on hold class "default" (telephony.mohClass) plays nothing: waiting callers hear silence',
  ]);
  expect(r.report).toContain('OK          A 20 ms test recording of a bridge was written as WAV');
  expect(r.report).toContain('    [default]');
  expect(r.report).toContain('    mode = files');
  expect(r.report).toContain('then: asterisk -rx "module reload res_musiconhold.so"');
  await pbx.close();

  pbx = await fakeAsterisk({ recordedFile: { moh: wav(16000, 20), tone: wav(8000, 6000) } });
  r = await doctor();
  expect(problems(r.checks).map((c) => c.title)).toEqual([
    'Music on hold class "default" (telephony.mohClass) plays only silence: waiting callers hear silence',
  ]);
  await pbx.close();

  // Neither music nor a tone reaches the file: the recording is what is broken.
  pbx = await fakeAsterisk({ recordedFile: { moh: wav(0, 0), tone: wav(0, 0) } });
  r = await doctor();
  expect(problems(r.checks)[0]!.title).toBe(
    'Recording: Asterisk wrote an empty file (no audio) for a bridge playing music and for one playing a tone',
  );
  expect(pbx.leftovers).toEqual([]);
});

it('a class other than default: says what the music check cannot prove', async () => {
  pbx = await fakeAsterisk();
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'doctor-')), 'hotline.json');
  fs.writeFileSync(file, JSON.stringify({ telephony: { mohClass: 'calm' } }));
  const { report } = await doctor({ HOTLINE_CONFIG: file });
  expect(report).toContain('Music on hold plays (class "calm")');
  expect(report).toContain(
    'Asterisk plays class "default" for a class it does not know: this shows that music plays, not that "calm" exists',
  );
  fs.rmSync(path.dirname(file), { recursive: true });
});

it('the application held by the Hotline running on this machine is fine', async () => {
  pbx = await fakeAsterisk({ heldApps: ['hotline'] });
  const { checks } = await doctor({}, { localHotlineOpen: true });
  expect(checks[1]).toMatchObject({ status: 'ok' });
  expect(checks[1]!.title).toContain(
    'the Hotline on this machine (port 3000) reports its ARI link open',
  );
  expect(pbx.wsApps).not.toContain('hotline');
});

it("prompts in another language than the callers' (carrier language = zh)", async () => {
  pbx = await fakeAsterisk();
  pbx.setup.pjsip['endpoint/carrier']!.language = 'zh';
  const { checks, report } = await doctor();
  expect(problems(checks).map((c) => c.title)).toEqual([
    '9 of 9 configured prompts missing in language zh',
  ]);
  expect(report).toContain("only in en, callers' language is zh");
  expect(report).toContain(
    '    mkdir -p /usr/share/asterisk/sounds/zh && cp -r /tmp/hotline-prompts/zh/hotline /usr/share/asterisk/sounds/zh/',
  );
});

it('without a database to read, the phones are not checked (no problem made up)', async () => {
  pbx = await fakeAsterisk();
  const { checks, code } = await doctor(
    {},
    {
      directory: () => Promise.reject(new Error('no database at ./data/hotline.sqlite yet')),
    },
  );
  expect(code).toBe(0);
  expect(checks.at(-1)).toEqual({
    status: 'not-checked',
    title: "Agents' phones not checked: no database at ./data/hotline.sqlite yet",
  });
});

it("refuses to open the service's application", () => {
  const probe = createAriProbe({
    baseUrl: 'http://127.0.0.1:1',
    user: 'u',
    password: 'p',
    serviceApp: 'hotline',
  });
  expect(() => probe.openApp('hotline')).toThrow("refusing to open the service's application");
});
