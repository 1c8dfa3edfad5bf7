import { reload, type Check, type DoctorDeps } from './types';

/** `PJSIP/{extension}` with 1001 → PJSIP / 1001: the endpoint an agent's phone is rung through. */
export function agentEndpoint(template: string, extension: string) {
  const m = /^(\w+)\/([^/@]+)/.exec(template.replace('{extension}', extension));
  return m ? { tech: m[1]!, resource: m[2]! } : null;
}

export const phoneBlock = (ext: string) => [
  `[${ext}]`,
  'type = endpoint',
  'transport = transport-udp',
  'context = agents',
  'disallow = all',
  'allow = ulaw,alaw',
  'direct_media = no',
  `auth = ${ext}`,
  `aors = ${ext}`,
  '',
  `[${ext}]`,
  'type = auth',
  'auth_type = userpass',
  `username = ${ext}`,
  'password = A-LONG-RANDOM-SECRET',
  '',
  `[${ext}]`,
  'type = aor',
  'max_contacts = 1',
  'remove_existing = yes',
];

/** Every user with an extension (the service's database) has the endpoint Hotline rings. */
export async function checkAgents(deps: DoctorDeps): Promise<Check> {
  let users;
  try {
    users = (await deps.directory()).users;
  } catch (err) {
    return {
      status: 'not-checked',
      title: `Agents' phones not checked: ${(err as Error).message}`,
    };
  }
  if (!users.length)
    return {
      status: 'not-checked',
      title:
        "Agents' phones not checked: no user has an extension yet (set one per agent in Hotline)",
    };
  const list = await deps.ari.endpoints();
  if (list.status !== 200 || !Array.isArray(list.body))
    return {
      status: 'not-checked',
      title: `Agents' phones not checked: GET /ari/endpoints answers ${list.status}`,
    };
  const known = new Map(list.body.map((e) => [`${e.technology}/${e.resource}`, e.state]));
  const template = deps.cfg.telephony.agentEndpoint;
  const missing: string[] = [];
  const unregistered: string[] = [];
  for (const u of users) {
    const ep = agentEndpoint(template, u.extension);
    const key = ep ? `${ep.tech}/${ep.resource}` : u.extension;
    if (!known.has(key)) missing.push(`${u.extension} (${u.username})`);
    else if (known.get(key) === 'offline') unregistered.push(`${u.extension} (${u.username})`);
  }
  const offline = unregistered.length
    ? [
        `Not registered right now (a phone rings only once it has registered): ${unregistered.join(', ')}`,
      ]
    : [];
  if (!missing.length)
    return {
      status: 'ok',
      title: `Every user with an extension (${users.length}) has their endpoint (${template})`,
      detail: offline,
    };
  const first = missing[0]!.split(' ')[0]!;
  const isPjsip = template.startsWith('PJSIP/');
  return {
    status: 'problem',
    title: `${missing.length} of ${users.length} users' extensions have no endpoint (${template}): ${missing.join(', ')}`,
    detail: [
      "Hotline rings an agent's phone at the endpoint named by the extension: those agents never get a call.",
      ...offline,
    ],
    fix: isPjsip
      ? {
          where: `pjsip.conf (this for ${first}; the same for each of the others)`,
          lines: phoneBlock(first),
          then: reload('module reload res_pjsip.so'),
        }
      : undefined,
  };
}
