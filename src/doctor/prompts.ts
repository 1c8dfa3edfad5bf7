import { configuredPrompts, hotlinePromptName, mediaRef } from '../config/prompts';
import type { Check, DoctorDeps, Findings } from './types';

/** Debian's and Ubuntu's astdatadir + /sounds. */
const SOUNDS = '/usr/share/asterisk/sounds';

/**
 * Every configured prompt exists on the PBX (GET /ari/sounds/{name}) in the language callers'
 * channels have: the carrier endpoint's `language`, else Asterisk's default language.
 */
export async function checkPrompts(deps: DoctorDeps, found: Findings): Promise<Check> {
  const callerLang = found.carrier?.settings?.get('language') || found.defaultLanguage || 'en';
  const prompts = configuredPrompts(deps.cfg);
  const missing: string[] = [];
  const otherLanguage: string[] = [];
  let ours = false;
  for (const p of prompts) {
    const ref = mediaRef(p.media);
    if (ref.kind === 'generated') continue;
    if (ref.kind === 'recording') {
      const r = await deps.ari.storedRecording(ref.name);
      if (r.status !== 200) missing.push(`${p.media} (${p.key}): no stored recording of that name`);
      continue;
    }
    const r = await deps.ari.sound(ref.name);
    const langs = new Set((r.status === 200 ? r.body?.formats : [])?.map((f) => f.language));
    if (hotlinePromptName(p.media) && !langs.has(callerLang)) ours = true;
    if (!langs.size)
      missing.push(`${p.media} (${p.key}): no such sound, callers hear nothing there`);
    else if (!langs.has(callerLang))
      otherLanguage.push(
        `${p.media} (${p.key}): only in ${[...langs].join(', ')}, callers' language is ${callerLang}`,
      );
  }
  if (!missing.length && !otherLanguage.length)
    return {
      status: 'ok',
      title: `All ${prompts.length} configured prompts exist on the PBX in language ${callerLang}`,
    };
  const n = missing.length + otherLanguage.length;
  return {
    status: 'problem',
    title: `${n} of ${prompts.length} configured prompts missing in language ${callerLang}`,
    detail: [
      ...missing,
      ...otherLanguage,
      ...(missing.some((l) => l.includes('recordingConsentMessage'))
        ? ['Without its consent prompt a recorded call gives the caller no recording notice.']
        : []),
    ],
    fix: ours
      ? {
          where: 'the Hotline host, then on the PBX as root (with the folder copied there)',
          run: true,
          lines: [
            'npm run prompts -- --out /tmp/hotline-prompts',
            `mkdir -p ${SOUNDS}/${callerLang} && cp -r /tmp/hotline-prompts/${callerLang}/hotline ${SOUNDS}/${callerLang}/`,
          ],
          then: 'no reload needed (the prompts command prints the folders for other installs)',
        }
      : {
          where: `the PBX's sounds folder`,
          lines: [`${SOUNDS}/${callerLang}/NAME.wav (8 kHz mono 16-bit)`],
        },
  };
}
