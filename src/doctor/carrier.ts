import { reload, settingsOf, type Check, type DoctorDeps, type Findings } from './types';

/** The PJSIP endpoint a trunk dial string goes through: `PJSIP/{number}@carrier` → carrier. */
export function carrierEndpointName(trunkEndpoint: string): string | null {
  const at = /^PJSIP\/[^@/]*@([^/@]+)$/.exec(trunkEndpoint);
  if (at) return at[1]!;
  const uri = /^PJSIP\/([^/{}]+)\/sip:/.exec(trunkEndpoint);
  return uri ? uri[1]! : null;
}

export const carrierBlock = (name: string) => [
  `[${name}]`,
  'type = endpoint',
  'transport = transport-udp',
  'context = from-carrier        ; where its calls enter the dialplan',
  'disallow = all',
  'allow = ulaw,alaw',
  'direct_media = no',
  'dtmf_mode = rfc4733           ; or auto_info: the call-back offer needs the "1"',
  `aors = ${name}`,
  '',
  `[${name}]`,
  'type = aor',
  'contact = sip:CARRIER-ADDRESS:5060',
  '',
  `[${name}]`,
  'type = identify               ; INVITEs from this address are this endpoint',
  `endpoint = ${name}`,
  'match = CARRIER-ADDRESS',
];

/**
 * The carrier's endpoint (the one in telephony.trunkEndpoint): it exists, its calls enter a
 * context, and an identify section sends the carrier's INVITEs to it. Settings are read through
 * ARI's read-only view of PJSIP's configuration (GET /asterisk/config/dynamic/res_pjsip/…).
 */
export async function checkCarrier(deps: DoctorDeps, found: Findings): Promise<Check> {
  const trunk = deps.cfg.telephony.trunkEndpoint;
  const name = carrierEndpointName(trunk);
  if (!name)
    return {
      status: 'not-checked',
      title: `Carrier not checked: telephony.trunkEndpoint (${trunk}) names no PJSIP endpoint the doctor can read`,
    };
  const endpoint = await deps.ari.endpoint('PJSIP', name);
  if (endpoint.status === 404)
    return {
      status: 'problem',
      title: `No PJSIP endpoint "${name}" (telephony.trunkEndpoint = ${trunk})`,
      detail: [
        'Without it carrier calls reach no context, and call-backs and transfers out cannot be dialed.',
      ],
      fix: {
        where: 'pjsip.conf',
        lines: carrierBlock(name),
        then: reload('module reload res_pjsip.so'),
      },
    };
  if (endpoint.status !== 200)
    return {
      status: 'problem',
      title: `GET /ari/endpoints/PJSIP/${name} answers ${endpoint.status}`,
    };

  const cfg = await deps.ari.configObject('res_pjsip', 'endpoint', name);
  if (cfg.status !== 200) {
    found.carrier = { name, settings: null };
    return {
      status: 'ok',
      title: `PJSIP endpoint "${name}" exists (its settings are not readable through ARI here: ${cfg.status})`,
    };
  }
  const settings = settingsOf(cfg.body);
  found.carrier = { name, settings };
  const context = settings.get('context') ?? '';
  const problems: string[] = [];
  const fix: string[] = [`[${name}]`];
  if (!context || context === 'default') {
    problems.push(
      `its calls enter context "${context || 'default'}", not Hotline's inbound context`,
    );
    fix.push('context = from-carrier');
  }
  if (settings.get('direct_media') === 'true') {
    problems.push(
      'direct_media = yes: Asterisk would hand the media to the phones (no recording, no hold music)',
    );
    fix.push('direct_media = no');
  }
  if (settings.get('dtmf_mode') === 'none') {
    problems.push('dtmf_mode = none: the caller\'s "1" for a call-back never reaches Hotline');
    fix.push('dtmf_mode = rfc4733');
  }
  const identify = await deps.ari.configObject('res_pjsip', 'identify', name);
  const match = identify.status === 200 ? settingsOf(identify.body).get('match') : undefined;
  const how = match
    ? `identified by address ${match} (identify "${name}")`
    : `no identify section named "${name}" (if the carrier neither registers nor authenticates, its INVITEs reach "${name}" only through one: [${name}] type = identify, endpoint = ${name}, match = CARRIER-ADDRESS; \`pjsip show identifies\` lists them by any name)`;
  const language = settings.get('language');
  const title = `Carrier endpoint "${name}": calls enter context "${context}"${language ? `, language ${language}` : ''}; ${how}`;
  if (!problems.length) return { status: 'ok', title };
  return {
    status: 'problem',
    title: `Carrier endpoint "${name}": ${problems.join('; ')}`,
    detail: [`Calls enter context "${context}"; ${how}.`],
    fix: {
      where: 'pjsip.conf (the endpoint section)',
      lines: fix,
      then: reload('module reload res_pjsip.so'),
    },
  };
}
