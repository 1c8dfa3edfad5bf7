import { ProbeError, type AppSession } from '../ari/probe';
import { reload, type Check, type DoctorDeps, type Findings } from './types';

export const H_LINE =
  'exten => h,1,Set(GLOBAL(HOTLINE_ENDED_${UNIQUEID})=${STRFTIME(,,%s.%3q)}|${HANGUPCAUSE})';
/** The answering-machine detection context (config/asterisk/extensions.conf [hotline-amd]). */
export const amdLines = (context: string, app: string) => [
  `[${context}]`,
  'exten => s,1,AMD(,,${HotlineAfterGreetingMs})',
  ` same => n,Stasis(${app},obamd,\${HotlineCall},\${AMDSTATUS},\${AMDCAUSE})`,
  ' same => n,Hangup()',
];
export const inboundLine = (app: string) => `exten => _[+0-9].,1,Stasis(${app},inbound,\${EXTEN})`;

/** The dialed numbers to try: each DID as written and with a leading +, or two samples. */
export function numbersToTry(dids: string[]): { numbers: string[]; sample: boolean } {
  const plain = [...new Set(dids.map((d) => d.replace(/[^\d+*#]/g, '')).filter(Boolean))];
  const sample = plain.length === 0;
  const numbers = new Set<string>();
  for (const d of (sample ? ['4000'] : plain).slice(0, 20)) {
    numbers.add(d);
    if (!d.startsWith('+')) numbers.add(`+${d}`);
  }
  return { numbers: [...numbers], sample };
}

/**
 * The carrier's inbound context has an extension for every DID (with and without a leading +)
 * and the `h` extension. DIALPLAN_EXISTS() needs a channel: the doctor puts a Local channel that
 * is never dialed (so it runs no dialplan at all) into an application of its own, asks, and hangs
 * it up. It cannot see what an extension runs (the Stasis application's name): it says so.
 */
export async function checkDialplan(deps: DoctorDeps, found: Findings): Promise<Check> {
  const context = found.carrier?.settings?.get('context');
  if (!context)
    return {
      status: 'not-checked',
      title:
        "Dialplan not checked: the carrier endpoint's context is not known (see the carrier check)",
    };
  // The queues' DIDs: the database's (which win once the service has run) and the file's.
  const dids = deps.cfg.telephony.queues.flatMap((q) => q.dids ?? []);
  try {
    dids.push(...((await deps.directory()).dids ?? []));
  } catch {
    // no database yet: the configuration's DIDs only
  }
  const { numbers, sample } = numbersToTry(dids);

  const app = `hotline-doctor-${deps.tag}`;
  let session: AppSession;
  try {
    session = await deps.ari.openApp(app);
  } catch (err) {
    return {
      status: 'not-checked',
      title: `Dialplan not checked: no event WebSocket for a temporary application (${(err as Error).message})`,
    };
  }
  let channelId: string | null = null;
  const exists = new Map<string, boolean>();
  try {
    const ch = await deps.ari.createLocalChannel(app, app);
    if (ch.status !== 200 || !ch.body)
      return {
        status: 'not-checked',
        title: `Dialplan not checked: could not create a temporary channel (${ch.status}${ch.status === 403 ? ': the ARI user may only read' : ''})`,
      };
    channelId = ch.body.id;
    const amdContext = deps.cfg.telephony.amdContext;
    for (const exten of ['h', ...numbers, `${amdContext}/s`]) {
      const [ctx, ext] = exten.includes('/') ? exten.split('/') : [context, exten];
      const r = await deps.ari.channelVar(channelId, `DIALPLAN_EXISTS(${ctx},${ext},1)`);
      const value = r.status === 200 ? r.body?.value : undefined;
      if (value !== '0' && value !== '1')
        return {
          status: 'not-checked',
          title: `Dialplan not checked: Asterisk cannot evaluate DIALPLAN_EXISTS() (${r.status}; func_dialplan.so not loaded?)`,
          fix: {
            where: 'modules.conf',
            lines: ['load => func_dialplan.so'],
            then: reload('module load func_dialplan.so'),
          },
        };
      exists.set(exten, value === '1');
    }
  } catch (err) {
    if (!(err instanceof ProbeError)) throw err;
    return { status: 'not-checked', title: `Dialplan not checked: ${err.message}` };
  } finally {
    if (channelId) await deps.ari.hangup(channelId).catch(() => undefined);
    await session.closeAfter(channelId ?? undefined);
  }

  const unmatched = numbers.filter((n) => !exists.get(n));
  const problems: string[] = [];
  const lines: string[] = [];
  if (unmatched.length || !exists.get('h')) lines.push(`[${context}]`);
  if (unmatched.length) {
    const plus = unmatched.filter((n) => n.startsWith('+'));
    problems.push(
      `no extension in "${context}" matches ${unmatched.join(', ')}${sample ? ' (sample numbers: no queue has DIDs)' : ''}: Asterisk turns such calls away before Hotline sees them`,
    );
    if (plus.length)
      problems.push('a pattern like _X. does not match a leading "+", which many carriers send');
    lines.push(inboundLine(deps.cfg.ari.app), ' same => n,Hangup()');
  }
  if (!exists.get('h')) {
    problems.push(
      `no h extension in "${context}": after a lost ARI link Hotline cannot tell when and why a caller hung up`,
    );
    lines.push(H_LINE);
  }
  const amdContext = deps.cfg.telephony.amdContext;
  if (!exists.get(`${amdContext}/s`)) {
    problems.push(
      `no context "${amdContext}": campaigns with answering-machine detection (amd) connect every answer without it`,
    );
    if (lines.length) lines.push('');
    lines.push(...amdLines(amdContext, deps.cfg.ari.app));
  }
  const cannotSee = `The doctor cannot read what an extension runs: \`asterisk -rx "dialplan show ${context}"\` must show Stasis(${deps.cfg.ari.app},inbound,\${EXTEN}) (the application named by ARI_APP).`;
  if (!problems.length)
    return {
      status: 'ok',
      title: `Context "${context}" has an extension for ${numbers.join(', ')}${sample ? ' (sample numbers)' : ''} and the h extension; "${deps.cfg.telephony.amdContext}" runs machine detection`,
      detail: [cannotSee],
    };
  return {
    status: 'problem',
    title: `Dialplan: ${problems.join('; ')}`,
    detail: [cannotSee],
    fix: { where: 'extensions.conf', lines, then: reload('dialplan reload') },
  };
}
