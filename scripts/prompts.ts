/**
 * `npm run prompts -- --out DIR`: renders every `sound:hotline/…` prompt the configuration plays
 * (telephony.*Message), in English and Chinese, for a real PBX, and says where to copy them.
 *   --out DIR        where to write DIR/<lang>/hotline/<name>.wav (required)
 *   --lang en,zh     languages (Asterisk language folders; voices in config/prompts.json)
 *   --texts FILE     a file shaped like config/prompts.json merged over it (your own wording)
 *   --all            every prompt of config/prompts.json instead of the configured ones (sandbox)
 *   --reuse          keep files whose text has not changed since the last run (the sandbox)
 *   --quiet          no copy instructions
 * The configuration is read like the service reads it (config/, HOTLINE_CONFIG, environment).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config';
import { configuredPrompts, hotlinePromptName } from '../src/config/prompts';
import { loadPromptTexts, renderPrompts, rendererProblem } from './render-prompts';

function fail(message: string): never {
  console.error(`prompts: ${message}`);
  process.exit(1);
}

async function main() {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      lang: { type: 'string', default: 'en,zh' },
      texts: { type: 'string' },
      all: { type: 'boolean', default: false },
      reuse: { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
    },
  });
  if (!values.out) fail('usage: npm run prompts -- --out DIR [--lang en,zh] [--texts FILE]');
  const outDir = path.resolve(values.out);
  const langs = values.lang.split(',').map((l) => l.trim()).filter(Boolean); // prettier-ignore
  const texts = loadPromptTexts(undefined, values.texts);

  // name → the config keys that play it; --all: every prompt with a text, configured or not.
  const keysOf = new Map<string, string[]>();
  const others: string[] = [];
  if (values.all) for (const name of Object.keys(texts.prompts)) keysOf.set(name, []);
  else
    for (const p of configuredPrompts(loadConfig())) {
      const name = hotlinePromptName(p.media);
      if (name) keysOf.set(name, [...(keysOf.get(name) ?? []), p.key]);
      else others.push(`${p.key} = ${p.media}`);
    }
  const names = [...keysOf.keys()];
  const noText = names.filter((n) => langs.some((l) => !texts.prompts[n]?.[l]));
  if (noText.length)
    fail(
      `no text for ${noText.map((n) => `hotline/${n}`).join(', ')}: add it to config/prompts.json ` +
        `or to a file given with --texts ({"voices":{},"prompts":{"${noText[0]}":{"en":"…","zh":"…"}}})`,
    );
  const problem = await rendererProblem();
  if (problem) fail(problem);

  const rendered = await renderPrompts({ outDir, names, langs, texts, reuse: values.reuse });
  if (values.quiet) return;
  console.log(`Rendered ${rendered.length} prompts (8 kHz mono 16-bit WAV) into ${outDir}:`);
  for (const r of rendered) {
    const keys = keysOf.get(r.name) ?? [];
    const rel = path.relative(outDir, r.file);
    console.log(`  ${rel.padEnd(36)} ${keys.join(', ') || '(not configured)'}`);
  }
  if (others.length) {
    console.log('\nNot Hotline prompts, so not rendered here (they must already be on the PBX):');
    for (const o of others) console.log(`  ${o}`);
  }
  const sounds = '/usr/share/asterisk/sounds';
  console.log(`
Copy them to the PBX, into Asterisk's sounds folder: ${sounds} with Debian's or Ubuntu's
packages, otherwise astdatadir (asterisk.conf) + /sounds, /var/lib/asterisk/sounds for a source
install. As root on the PBX, with ${outDir} copied there:`);
  for (const lang of langs)
    console.log(
      `  mkdir -p ${sounds}/${lang} && cp -r ${outDir}/${lang}/hotline ${sounds}/${lang}/`,
    );
  console.log(`
The files must be readable by the user Asterisk runs as; no reload is needed. Asterisk picks the
folder by the caller's channel language, falling back to en: callers hear English unless the
carrier endpoint in pjsip.conf has \`language = zh\`. Then check with: npm run doctor`);
}

main().catch((err: unknown) => fail(err instanceof Error ? err.message : String(err)));
