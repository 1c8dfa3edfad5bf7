import { ProbeError } from '../ari/probe';
import { reload, type Check, type DoctorDeps, type Findings } from './types';

function hostPort(url: string) {
  const u = new URL(url);
  return { host: u.hostname, port: u.port || (u.protocol === 'https:' ? '443' : '80') };
}

const httpConf = (port: string) => ({
  where: 'http.conf',
  lines: [
    '[general]',
    'enabled = yes',
    'bindaddr = 0.0.0.0   ; or the one address of the PBX that the Hotline host reaches',
    `bindport = ${port}`,
  ],
  then: reload('module reload http'),
});

/** ARI answers at ARI_URL and takes ARI_USER / ARI_PASSWORD. */
export async function checkAri(deps: DoctorDeps, found: Findings): Promise<Check> {
  const { url, user } = deps.cfg.ari;
  const { host, port } = hostPort(url);
  let reply;
  try {
    reply = await deps.ari.info();
  } catch (err) {
    const code = err instanceof ProbeError ? err.code : null;
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
      return {
        status: 'problem',
        title: `ARI_URL names host "${host}", which does not resolve`,
        fix: { where: 'the environment', lines: ['ARI_URL=http://PBX-ADDRESS:PORT'] },
      };
    if (code === 'ECONNREFUSED')
      return {
        status: 'problem',
        title: `Nothing listens at ${host}:${port} (connection refused): Asterisk's HTTP server is off or on another port`,
        detail: [`ARI_URL=${url} must name the PBX and the bindport of its http.conf.`],
        fix: httpConf(port),
      };
    return {
      status: 'problem',
      title: `No answer from ${host}:${port} (${code ?? (err as Error).message})`,
      detail: [
        'http.conf binds another address (bindaddr), or a firewall drops the port on the way.',
      ],
      fix: httpConf(port),
    };
  }
  if (reply.status === 401)
    return {
      status: 'problem',
      title: `ARI refuses user "${user}" with this password (401)`,
      detail: [
        'In ari.conf the section name is the user name; its password is ARI_PASSWORD.',
        'read_only = no: Hotline answers, bridges and records calls.',
      ],
      fix: {
        where: 'ari.conf',
        lines: [
          '[general]',
          'enabled = yes',
          '',
          `[${user}]`,
          'type = user',
          'read_only = no',
          'password = THE-VALUE-OF-ARI_PASSWORD',
        ],
        then: reload('module reload res_ari.so'),
      },
    };
  if (reply.status === 404)
    return {
      status: 'problem',
      title: `Asterisk's HTTP server answers at ${host}:${port}, but not ARI (404 on /ari/asterisk/info)`,
      detail: ['res_ari.so is not loaded, or ari.conf does not enable it.'],
      fix: {
        where: 'ari.conf',
        lines: ['[general]', 'enabled = yes'],
        then: `${reload('module load res_ari.so')} (and remove any "noload => res_ari.so" from modules.conf)`,
      },
    };
  if (reply.status !== 200)
    return { status: 'problem', title: `ARI answers ${reply.status} to GET /ari/asterisk/info` };
  const version = reply.body?.system?.version ?? 'unknown';
  found.asteriskVersion = version;
  found.defaultLanguage = reply.body?.config?.default_language || 'en';
  const major = Number(/^(\d+)/.exec(version)?.[1] ?? NaN);
  if (major < 18)
    return {
      status: 'problem',
      title: `Asterisk ${version} is too old: Hotline needs 18 or newer (ARI as Hotline uses it)`,
    };
  return { status: 'ok', title: `ARI answers at ${url} as user "${user}" (Asterisk ${version})` };
}

/** Nobody else holds ARI_APP: Asterisk gives an application's events to one WebSocket. */
export async function checkApplication(deps: DoctorDeps): Promise<Check> {
  const app = deps.cfg.ari.app;
  // Only asks; never opens the application's event WebSocket (that would take it from a
  // running Hotline).
  const reply = await deps.ari.application(app);
  if (reply.status === 404)
    return {
      status: 'ok',
      title: `No client holds the application "${app}" (Hotline takes it when it starts)`,
    };
  if (reply.status !== 200)
    return { status: 'problem', title: `GET /ari/applications/${app} answers ${reply.status}` };
  const calls = reply.body?.channel_ids?.length ?? 0;
  if (await deps.localHotlineOpen())
    return {
      status: 'ok',
      title: `The application "${app}" is held, and the Hotline on this machine (port ${deps.cfg.port}) reports its ARI link open: that Hotline, most likely (${calls} channels in it)`,
    };
  return {
    status: 'problem',
    title: `Another client holds the application "${app}" (${calls} channels in it)`,
    detail: [
      "Asterisk gives an application's events to one WebSocket only: a second Hotline, a test",
      'tool or a wscat session takes them, and this Hotline goes deaf (ApplicationReplaced).',
      'Stop that client, or give this Hotline an application of its own (both lines):',
    ],
    fix: {
      where: 'the environment and the dialplan (both: the names must match)',
      lines: ['ARI_APP=hotline-2', 'exten => _[+0-9].,1,Stasis(hotline-2,inbound,${EXTEN})'],
    },
  };
}
