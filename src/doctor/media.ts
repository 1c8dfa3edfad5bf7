import { wavInfo, type WavInfo } from '../recordings/wav-info';
import { reload, type Check, type DoctorDeps } from './types';

/** Louder than this (of 32768) is sound, not silence. */
const SOUND_PEAK = 300;

type Probe =
  | { ok: true; wav: WavInfo | null; leftovers: string[] }
  | {
      ok: false;
      step: 'bridge' | 'record' | 'stored' | 'file';
      status: number;
      leftovers: string[];
    };

/**
 * One temporary bridge with a sound source in it (music on hold of a class, or a tone), recorded
 * for `ms` the way Hotline records calls (a bridge, WAV), the file fetched through ARI, then the
 * recording and the bridge deleted whatever happened.
 */
async function recordBridge(deps: DoctorDeps, source: 'moh' | 'tone', ms: number): Promise<Probe> {
  const { ari } = deps;
  const sleep = deps.sleep ?? ((t: number) => new Promise((r) => setTimeout(r, t)));
  const name = `hotline-doctor-${deps.tag}-${source}`;
  const leftovers: string[] = [];
  let bridge = false;
  let recording = false;
  try {
    const b = await ari.createBridge(name);
    if (b.status !== 200) return { ok: false, step: 'bridge', status: b.status, leftovers };
    bridge = true;
    if (source === 'moh') await ari.bridgeMoh(name, deps.cfg.telephony.mohClass);
    else await ari.bridgePlay(name, 'tone:440/3000', name);
    const r = await ari.recordBridge(name, name);
    if (r.status !== 201 && r.status !== 200)
      return { ok: false, step: 'record', status: r.status, leftovers };
    recording = true;
    await sleep(ms);
    await ari.stopRecording(name);
    // Finished once it is no longer live (Asterisk has written the header).
    for (let i = 0; i < 30 && (await ari.liveRecording(name)).status === 200; i++) await sleep(100);
    const stored = await ari.storedRecording(name);
    if (stored.status !== 200)
      return { ok: false, step: 'stored', status: stored.status, leftovers };
    const file = await ari.storedRecordingFile(name);
    if (file.status !== 200) return { ok: false, step: 'file', status: file.status, leftovers };
    return { ok: true, wav: wavInfo(file.bytes), leftovers };
  } finally {
    // The bridge first: destroying it ends the recording, whose file can then go.
    if (bridge) {
      const d = await ari.destroyBridge(name).catch(() => ({ status: 0 }));
      if (d.status !== 204 && d.status !== 404) leftovers.push(`bridge ${name}`);
    }
    if (recording) {
      const d = await ari.deleteStoredRecording(name).catch(() => ({ status: 0 }));
      if (d.status !== 204 && d.status !== 404) leftovers.push(`stored recording ${name}`);
    }
  }
}

const spoolFix = {
  where: 'the PBX, as root',
  run: true,
  lines: [
    'mkdir -p /var/spool/asterisk/recording   # astspooldir (asterisk.conf) + /recording',
    'chown asterisk: /var/spool/asterisk/recording',
  ],
};

/**
 * A test recording can be written and read back (what every recorded call needs), and music on
 * hold plays (what every waiting caller hears): one recording of a bridge playing the configured
 * class; only when that comes back empty, a second one with a tone tells the two apart.
 */
export async function checkRecordingAndMoh(deps: DoctorDeps): Promise<Check[]> {
  const ms = deps.recordMs ?? 2000;
  const mohClass = deps.cfg.telephony.mohClass;
  const length = ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
  const notMoh: Check = {
    status: 'not-checked',
    title: `Music on hold not checked: it is heard through a test recording, which failed`,
  };
  const moh = await recordBridge(deps, 'moh', ms);
  const left = (p: Probe) =>
    p.leftovers.length
      ? [
          `Could not delete ${p.leftovers.join(' and ')}: delete it through ARI (DELETE /ari/bridges/… or /ari/recordings/stored/…).`,
        ]
      : [];
  if (!moh.ok) {
    if (moh.status === 403)
      return [
        {
          status: 'problem',
          title: `ARI user "${deps.cfg.ari.user}" may only read (403 on POST /ari/${moh.step === 'bridge' ? 'bridges' : 'bridges/…/record'})`,
          detail: ['Hotline answers, bridges and records calls: its ARI user needs write access.'],
          fix: {
            where: `ari.conf, section [${deps.cfg.ari.user}]`,
            lines: ['read_only = no'],
            then: reload('module reload res_ari.so'),
          },
        },
        notMoh,
      ];
    const what = {
      bridge: `a temporary bridge could not be created (${moh.status})`,
      record: `Asterisk refused to record a bridge (${moh.status})`,
      stored: `the recording is not among the stored recordings (${moh.status})`,
      file: `the stored recording's file could not be fetched (${moh.status})`,
    }[moh.step];
    return [
      {
        status: 'problem',
        title: `Recording: ${what}`,
        detail: [
          'Asterisk answers 500 when its recording folder (astspooldir/recording) is missing or not',
          'writable, or when chan_bridge_media.so (its Recorder channel) is not loaded.',
          ...left(moh),
        ],
        fix: spoolFix,
      },
      notMoh,
    ];
  }
  const recOk: Check = {
    status: 'ok',
    title: `A ${length} test recording of a bridge was written as WAV, read back through ARI and deleted`,
    detail: left(moh),
  };
  const mohProblem = (why: string): Check => ({
    status: 'problem',
    title: `Music on hold class "${mohClass}" (telephony.mohClass) ${why}: waiting callers hear silence`,
    fix: {
      where: 'musiconhold.conf',
      lines: [
        `[${mohClass}]`,
        'mode = files',
        'directory = /usr/share/asterisk/moh   ; with sound files in it (Debian: asterisk-moh-opsound-wav)',
      ],
      then: reload('module reload res_musiconhold.so'),
    },
  });
  const fallback =
    mohClass === 'default'
      ? []
      : [
          `Asterisk plays class "default" for a class it does not know: this shows that music plays, not that "${mohClass}" exists (\`asterisk -rx "moh show classes"\`).`,
        ];
  if (moh.wav && moh.wav.frames > 0) {
    if (moh.wav.peak >= SOUND_PEAK)
      return [
        recOk,
        { status: 'ok', title: `Music on hold plays (class "${mohClass}")`, detail: fallback },
      ];
    return [recOk, mohProblem('plays only silence')];
  }
  // An empty file: no music, or a recording that never gets sound? A tone tells.
  const tone = await recordBridge(deps, 'tone', Math.min(ms, 1500));
  if (tone.ok && tone.wav && tone.wav.frames > 0) return [recOk, mohProblem('plays nothing')];
  return [
    {
      status: 'problem',
      title: `Recording: Asterisk wrote an empty file (${moh.wav ? 'no audio' : 'not a WAV file'}) for a bridge playing music and for one playing a tone`,
      detail: left(tone),
      fix: spoolFix,
    },
    notMoh,
  ];
}
