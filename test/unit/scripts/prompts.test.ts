/**
 * `npm run prompts` and the sandbox's prompts (scripts/pbx.sh) share one renderer
 * (scripts/render-prompts.ts): every configured `sound:hotline/…` prompt, English and Chinese,
 * 8 kHz mono 16-bit WAV in the layout Asterisk reads (DIR/<lang>/hotline/<name>.wav).
 */
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../../../src/config';
import { configuredPrompts, hotlinePromptName } from '../../../src/config/prompts';
import { configSchema } from '../../../src/config/schema';
import { wavInfo } from '../../../src/recordings/wav-info';
import { loadPromptTexts, renderPrompts } from '../../../scripts/render-prompts';

jest.setTimeout(90_000);

const root = path.resolve(__dirname, '../../..');
const run = promisify(execFile);
const tsx = path.join(root, 'node_modules/.bin/tsx');
let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-prompts-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The header says 8 kHz, mono, 16-bit PCM, and there is sound in it; soxi agrees. */
function expectTelephonyWav(file: string) {
  const info = wavInfo(fs.readFileSync(file));
  expect(info).toMatchObject({ sampleRate: 8000, channels: 1, bitsPerSample: 16, format: 1 });
  expect(info!.frames).toBeGreaterThan(8000 * 0.5);
  expect(info!.peak).toBeGreaterThan(1000);
  const soxi = (flag: string) => execFileSync('soxi', [flag, file], { encoding: 'utf8' }).trim();
  expect([soxi('-r'), soxi('-c'), soxi('-b'), soxi('-e')]).toEqual([
    '8000',
    '1',
    '16',
    'Signed Integer PCM',
  ]);
}

describe('the configured prompts', () => {
  it('are every telephony.*Message key of the schema', () => {
    const keys = Object.keys(configSchema.shape.telephony.shape)
      .filter((k) => k.endsWith('Message'))
      .map((k) => `telephony.${k}`);
    expect(
      configuredPrompts(loadConfig({}))
        .map((p) => p.key)
        .sort(),
    ).toEqual(keys.sort());
  });

  it('each has an English and a Chinese text in config/prompts.json', () => {
    const texts = loadPromptTexts();
    for (const p of configuredPrompts(loadConfig({}))) {
      const name = hotlinePromptName(p.media);
      expect(name).not.toBeNull();
      expect(texts.prompts[name!]).toEqual({ en: expect.any(String), zh: expect.any(String) });
    }
  });
});

describe('renderPrompts', () => {
  it('renders English and Chinese WAVs where Asterisk looks for them, again only on a new text', async () => {
    const texts = loadPromptTexts();
    const opts = {
      outDir: tmp,
      names: ['closed', 'recording-consent'],
      langs: ['en', 'zh'],
      texts,
    };
    const first = await renderPrompts({ ...opts, reuse: true });
    expect(first.map((r) => path.relative(tmp, r.file))).toEqual([
      'en/hotline/closed.wav',
      'en/hotline/recording-consent.wav',
      'zh/hotline/closed.wav',
      'zh/hotline/recording-consent.wav',
    ]);
    for (const r of first) expectTelephonyWav(r.file);
    // Chinese is spoken by another voice: not the same sound as the English file.
    const en = fs.readFileSync(path.join(tmp, 'en/hotline/closed.wav'));
    const zh = fs.readFileSync(path.join(tmp, 'zh/hotline/closed.wav'));
    expect(en.equals(zh)).toBe(false);

    const again = await renderPrompts({ ...opts, reuse: true });
    expect(again.every((r) => r.reused)).toBe(true);
    const changed = {
      ...texts,
      prompts: { ...texts.prompts, closed: { ...texts.prompts.closed!, en: 'We are closed.' } },
    };
    const third = await renderPrompts({ ...opts, texts: changed, reuse: true });
    expect(third.filter((r) => !r.reused).map((r) => `${r.lang}/${r.name}`)).toEqual(['en/closed']);
    expect(fs.readFileSync(path.join(tmp, 'en/hotline/closed.wav')).equals(en)).toBe(false);
    // Same text, same file (repeatable dither): the sandbox copies only what changed.
    await renderPrompts({ ...opts, outDir: path.join(tmp, 'b') });
    expect(fs.readFileSync(path.join(tmp, 'b/zh/hotline/closed.wav')).equals(zh)).toBe(true);
  });

  it('refuses a prompt without a text', async () => {
    await expect(
      renderPrompts({ outDir: tmp, names: ['nope'], langs: ['en'], texts: loadPromptTexts() }),
    ).rejects.toThrow('no text for nope (en)');
  });
});

describe('npm run prompts -- --out DIR', () => {
  it('renders every configured prompt in both languages and says where to copy them', async () => {
    const { stdout } = await run(tsx, [path.join(root, 'scripts/prompts.ts'), '--out', tmp], {
      cwd: root,
      env: { ...process.env, HOTLINE_CONFIG: '' },
    });
    const names = configuredPrompts(loadConfig({})).map((p) => hotlinePromptName(p.media)!);
    for (const lang of ['en', 'zh'])
      for (const name of names) expectTelephonyWav(path.join(tmp, lang, 'hotline', `${name}.wav`));
    expect(stdout).toContain(`en/hotline/no-agents.wav`);
    expect(stdout).toContain('telephony.noAgentMessage');
    expect(stdout).toContain(`cp -r ${tmp}/en/hotline /usr/share/asterisk/sounds/en/`);
    expect(stdout).toContain(`cp -r ${tmp}/zh/hotline /usr/share/asterisk/sounds/zh/`);
    expect(stdout).toContain('language = zh');
  });

  it('stops with the prompt it has no text for', async () => {
    const cfg = path.join(tmp, 'hotline.json');
    fs.writeFileSync(
      cfg,
      JSON.stringify({ telephony: { closedMessage: 'sound:hotline/gone-home' } }),
    );
    const res = await run(tsx, [path.join(root, 'scripts/prompts.ts'), '--out', tmp], {
      cwd: root,
      env: { ...process.env, HOTLINE_CONFIG: cfg },
    }).catch((err: { code: number; stderr: string }) => err);
    expect(res).toMatchObject({ code: 1 });
    expect((res as { stderr: string }).stderr).toContain('no text for hotline/gone-home');
  });
});

describe('the sandbox (scripts/pbx.sh prompts)', () => {
  it('renders through the same renderer and copies the files into the sounds folders', async () => {
    fs.mkdirSync(path.join(tmp, 'usr/share/asterisk/sounds/en'), { recursive: true });
    await run('bash', [path.join(root, 'scripts/pbx.sh'), 'prompts'], {
      env: { ...process.env, PBX_ROOT: tmp },
    });
    const texts = loadPromptTexts();
    for (const lang of ['en', 'zh'])
      for (const name of Object.keys(texts.prompts)) {
        const file = path.join(tmp, 'usr/share/asterisk/sounds', lang, 'hotline', `${name}.wav`);
        expectTelephonyWav(file);
        const staged = path.join(tmp, 'opt/hotline/prompts', lang, 'hotline', `${name}.wav`);
        expect(fs.readFileSync(file).equals(fs.readFileSync(staged))).toBe(true);
      }
  });
});
