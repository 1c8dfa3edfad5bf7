import { ProbeError } from '../ari/probe';
import { checkAgents } from './agents';
import { checkApplication, checkAri } from './ari-access';
import { checkCarrier } from './carrier';
import { checkDialplan } from './dialplan';
import { checkRecordingAndMoh } from './media';
import { checkModules } from './modules';
import { checkPrompts } from './prompts';
import type { Check, DoctorDeps, Findings } from './types';

export type { Check, DoctorDeps, Directory, Fix } from './types';
export { readDirectory } from './directory';

/**
 * `npm run doctor`: checks a real Asterisk against the service's configuration, in order (ARI
 * first: without it nothing else can be asked). Reads only, except a temporary bridge and its
 * test recording and a temporary Local channel in an application of the doctor's own, each
 * deleted again. Never opens the service's application.
 */
export async function runDoctor(deps: DoctorDeps): Promise<Check[]> {
  const found: Findings = {};
  const ari = await checkAri(deps, found);
  if (ari.status !== 'ok')
    return [ari, { status: 'not-checked', title: 'Nothing else checked: it all goes through ARI' }];
  const checks: Check[] = [ari];
  const steps: Array<() => Promise<Check | Check[]>> = [
    () => checkApplication(deps),
    () => checkModules(deps, found),
    () => checkCarrier(deps, found),
    () => checkDialplan(deps, found),
    () => checkPrompts(deps, found),
    () => checkRecordingAndMoh(deps),
    () => checkAgents(deps),
  ];
  for (const step of steps) {
    try {
      const out = await step();
      checks.push(...(Array.isArray(out) ? out : [out]));
    } catch (err) {
      // ARI went away in the middle: say so, and go on with what can still be asked.
      if (!(err instanceof ProbeError)) throw err;
      checks.push({
        status: 'not-checked',
        title: `A check stopped: ARI did not answer (${err.message})`,
      });
    }
  }
  return checks;
}

const LABEL: Record<Check['status'], string> = {
  ok: 'OK         ',
  problem: 'PROBLEM    ',
  'not-checked': 'NOT CHECKED',
};

/** Plain text, one block per check: the verdict, the why, then the lines to add. */
export function formatReport(checks: Check[]): string {
  const out: string[] = [];
  const pad = ' '.repeat(LABEL.ok.length + 1);
  for (const c of checks) {
    out.push(`${LABEL[c.status]} ${c.title}`);
    for (const d of c.detail ?? []) out.push(`${pad}${d}`);
    if (c.fix) {
      out.push(`${pad}${c.fix.run ? 'Run on' : 'Add to'} ${c.fix.where}:`);
      for (const l of c.fix.lines) out.push(l ? `${pad}    ${l}` : '');
      if (c.fix.then) out.push(`${pad}then: ${c.fix.then}`);
    }
  }
  const count = (s: Check['status']) => checks.filter((c) => c.status === s).length;
  const problems = count('problem');
  out.push('');
  out.push(
    problems
      ? `${problems} problem${problems > 1 ? 's' : ''}: fix ${problems > 1 ? 'them' : 'it'} and run \`npm run doctor\` again.`
      : `No problems found: ${count('ok')} checks OK${count('not-checked') ? `, ${count('not-checked')} not checked` : ''}.`,
  );
  return out.join('\n');
}

export const exitCode = (checks: Check[]) => (checks.some((c) => c.status === 'problem') ? 1 : 0);
