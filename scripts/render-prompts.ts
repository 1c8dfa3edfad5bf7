/**
 * The one prompt renderer: Hotline's own prompts (`sound:hotline/NAME`) from the texts in
 * config/prompts.json, through espeak-ng and sox, into the folder layout Asterisk reads sounds
 * from: OUT/<language>/hotline/<NAME>.wav, 8 kHz mono 16-bit PCM. Used by `npm run prompts` (for a
 * real PBX) and by scripts/pbx.sh (for the sandbox), so both play the same files.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';
import { projectRoot } from '../src/shared/paths';

const run = promisify(execFile);

const textsSchema = z.object({
  voices: z.record(z.string().regex(/^[\w-]+$/), z.string().min(1)),
  prompts: z.record(z.string().regex(/^[\w.-]+$/), z.record(z.string(), z.string().min(1))),
});
export type PromptTexts = z.infer<typeof textsSchema>;

export const DEFAULT_TEXTS = path.join(projectRoot(), 'config', 'prompts.json');

/** config/prompts.json, with `extra` (a file of the same shape) merged over it. */
export function loadPromptTexts(file = DEFAULT_TEXTS, extra?: string): PromptTexts {
  const read = (f: string) => {
    const parsed = textsSchema.safeParse(JSON.parse(fs.readFileSync(f, 'utf8')));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${f}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
    }
    return parsed.data;
  };
  const base = read(file);
  if (!extra) return base;
  const over = read(extra);
  const prompts = { ...base.prompts };
  for (const [name, langs] of Object.entries(over.prompts))
    prompts[name] = { ...prompts[name], ...langs };
  return { voices: { ...base.voices, ...over.voices }, prompts };
}

export interface RenderedPrompt {
  name: string;
  lang: string;
  /** Absolute path of the WAV. */
  file: string;
  /** Left as it was: same text and voice as when it was last rendered (with `reuse`). */
  reused: boolean;
}

export interface RenderOptions {
  outDir: string;
  names: string[];
  langs: string[];
  texts: PromptTexts;
  /** Keep a file whose text and voice have not changed since it was rendered (a manifest). */
  reuse?: boolean;
}

/** Why the prompts cannot be rendered at all, or null. */
export async function rendererProblem(): Promise<string | null> {
  for (const [tool, args] of [
    ['espeak-ng', ['--version']],
    ['sox', ['--version']],
  ] as const) {
    try {
      await run(tool, [...args]);
    } catch {
      return `${tool} is not installed (Debian/Ubuntu: apt-get install espeak-ng sox)`;
    }
  }
  return null;
}

/** The names × languages that have no text, as "name (lang)". */
export function missingTexts(texts: PromptTexts, names: string[], langs: string[]): string[] {
  const out: string[] = [];
  for (const name of names)
    for (const lang of langs) if (!texts.prompts[name]?.[lang]) out.push(`${name} (${lang})`);
  for (const lang of langs) if (!texts.voices[lang]) out.push(`voice for ${lang}`);
  return out;
}

const MANIFEST = '.hotline-prompts.json';

/**
 * Renders every name in every language. Throws when a text or voice is missing (see
 * missingTexts) or a tool fails. Files are written under a temporary name and renamed, so a PBX
 * reading the folder never sees half a file.
 */
export async function renderPrompts(opts: RenderOptions): Promise<RenderedPrompt[]> {
  const missing = missingTexts(opts.texts, opts.names, opts.langs);
  if (missing.length) throw new Error(`no text for ${missing.join(', ')} in config/prompts.json`);
  const outDir = path.resolve(opts.outDir);
  const manifestFile = path.join(outDir, MANIFEST);
  let manifest: Record<string, string> = {};
  if (opts.reuse && fs.existsSync(manifestFile)) {
    try {
      manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Record<string, string>;
    } catch {
      manifest = {};
    }
  }
  const done: RenderedPrompt[] = [];
  for (const lang of opts.langs) {
    const voice = opts.texts.voices[lang]!;
    const dir = path.join(outDir, lang, 'hotline');
    fs.mkdirSync(dir, { recursive: true });
    for (const name of opts.names) {
      const text = opts.texts.prompts[name]![lang]!;
      const file = path.join(dir, `${name}.wav`);
      const key = `${lang}/${name}`;
      const sum = createHash('sha256').update(`${voice}\n${text}`).digest('hex');
      if (opts.reuse && manifest[key] === sum && fs.existsSync(file)) {
        done.push({ name, lang, file, reused: true });
        continue;
      }
      const speech = path.join(dir, `.${name}.speech.wav`);
      const part = path.join(dir, `.${name}.part`);
      try {
        await run('espeak-ng', ['-v', voice, '-w', speech, text]);
        // -R: repeatable dither, so the same text gives the same file.
        await run('sox', ['-R', speech, '-t', 'wav', '-r', '8000', '-c', '1', '-b', '16',
          '-e', 'signed-integer', part]); // prettier-ignore
        fs.renameSync(part, file);
      } finally {
        fs.rmSync(speech, { force: true });
        fs.rmSync(part, { force: true });
      }
      manifest[key] = sum;
      done.push({ name, lang, file, reused: false });
    }
  }
  if (opts.reuse) fs.writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  return done;
}
