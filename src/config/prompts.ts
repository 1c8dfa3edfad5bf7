import type { Config } from './schema';

/** One media URI the service plays to callers, and the config key it comes from. */
export interface ConfiguredPrompt {
  /** e.g. `telephony.noAgentMessage` */
  key: string;
  /** e.g. `sound:hotline/no-agents` */
  media: string;
}

/**
 * Every prompt the configuration makes the service play: each `telephony.*Message` key with a
 * value (the recording consent may be "" = none). `npm run prompts` renders the `sound:hotline/…`
 * ones, `npm run doctor` checks that Asterisk has every one of them.
 */
export function configuredPrompts(cfg: Pick<Config, 'telephony'>): ConfiguredPrompt[] {
  const out: ConfiguredPrompt[] = [];
  for (const [k, v] of Object.entries(cfg.telephony)) {
    if (k.endsWith('Message') && typeof v === 'string' && v !== '')
      out.push({ key: `telephony.${k}`, media: v });
  }
  return out;
}

/** What a media URI names: a sound file, a stored recording, or something Asterisk generates. */
export type MediaRef =
  | { kind: 'sound'; name: string }
  | { kind: 'recording'; name: string }
  | { kind: 'generated'; scheme: string };

export function mediaRef(media: string): MediaRef {
  const at = media.indexOf(':');
  const scheme = media.slice(0, at);
  const name = media.slice(at + 1);
  if (scheme === 'sound') return { kind: 'sound', name };
  if (scheme === 'recording') return { kind: 'recording', name };
  return { kind: 'generated', scheme };
}

/** `sound:hotline/no-agents` → `no-agents`: Hotline's own prompts, the ones it can render. */
export function hotlinePromptName(media: string): string | null {
  const m = /^sound:hotline\/([\w.-]+)$/.exec(media);
  return m ? m[1]! : null;
}
