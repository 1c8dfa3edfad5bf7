import { reload, type Check, type DoctorDeps, type Findings } from './types';

/**
 * The Asterisk modules Hotline needs running (names as in Asterisk 18-22), each with what it is
 * for; `any` is satisfied by one of its names (checked against Asterisk 22 started with
 * `autoload = no` and exactly these). Not here: codecs beyond the sample's ulaw/alaw.
 */
export const REQUIRED_MODULES: ReadonlyArray<{ any: string[]; why: string }> = [
  { any: ['res_ari.so'], why: 'ARI itself' },
  { any: ['res_ari_model.so'], why: "ARI's data model" },
  { any: ['res_http_websocket.so'], why: 'the event WebSocket' },
  { any: ['res_ari_events.so'], why: 'ARI events' },
  { any: ['res_ari_channels.so'], why: 'answer, ring, originate, hang up' },
  { any: ['res_ari_bridges.so'], why: "each call's bridge" },
  { any: ['res_ari_applications.so'], why: 'the resync after a lost link' },
  { any: ['res_ari_asterisk.so'], why: "the h extension's globals" },
  { any: ['res_ari_playbacks.so'], why: 'prompts' },
  { any: ['res_ari_recordings.so'], why: 'recordings' },
  { any: ['res_ari_endpoints.so'], why: "this doctor's look at the phones" },
  { any: ['res_ari_sounds.so'], why: "this doctor's look at the prompts" },
  { any: ['res_stasis.so'], why: 'Stasis applications' },
  { any: ['app_stasis.so'], why: "the dialplan's Stasis()" },
  { any: ['res_stasis_answer.so'], why: 'answering callers' },
  { any: ['res_stasis_playback.so'], why: 'playing prompts' },
  { any: ['res_stasis_recording.so'], why: 'recording calls' },
  { any: ['res_musiconhold.so'], why: 'music on hold while callers wait' },
  { any: ['res_stasis_snoop.so'], why: 'res_ari_channels.so does not load without it' },
  {
    any: ['chan_bridge_media.so'],
    why: 'the Announcer and Recorder channels: sound into a bridge, bridge recording',
  },
  { any: ['bridge_simple.so'], why: 'two-party bridges' },
  { any: ['bridge_softmix.so'], why: 'bridges of three or more (a recorded call, a consultation)' },
  {
    any: ['res_timing_timerfd.so', 'res_timing_pthread.so', 'res_timing_dahdi.so'],
    why: 'timing for mixing and music',
  },
  { any: ['chan_pjsip.so'], why: 'PJSIP channels: the carrier and the phones' },
  { any: ['res_pjsip.so'], why: 'PJSIP' },
  { any: ['res_pjsip_session.so'], why: 'PJSIP calls' },
  { any: ['res_pjsip_sdp_rtp.so'], why: 'audio in PJSIP calls' },
  { any: ['res_rtp_asterisk.so'], why: 'RTP' },
  { any: ['res_pjsip_endpoint_identifier_ip.so'], why: 'recognising the carrier by address' },
  { any: ['res_pjsip_endpoint_identifier_user.so'], why: 'recognising phones by user name' },
  { any: ['res_pjsip_registrar.so'], why: 'phones registering' },
  { any: ['res_pjsip_authenticator_digest.so'], why: "phones' passwords" },
  { any: ['pbx_config.so'], why: 'extensions.conf' },
  { any: ['func_global.so'], why: 'GLOBAL() in the h extension' },
  { any: ['func_strings.so'], why: 'STRFTIME() in the h extension' },
  { any: ['func_dialplan.so'], why: "DIALPLAN_EXISTS(), for this doctor's look at the dialplan" },
  { any: ['app_amd.so'], why: 'answering-machine detection for campaigns with amd' },
  { any: ['format_wav.so'], why: 'WAV recordings and prompts' },
  { any: ['codec_ulaw.so', 'codec_alaw.so'], why: 'G.711 to and from the WAV files' },
];

export async function checkModules(deps: DoctorDeps, found: Findings): Promise<Check> {
  const reply = await deps.ari.modules();
  if (reply.status !== 200 || !Array.isArray(reply.body))
    return {
      status: 'not-checked',
      title: `Modules not checked: GET /ari/asterisk/modules answers ${reply.status}`,
    };
  const running = new Set(reply.body.filter((m) => m.status === 'Running').map((m) => m.name));
  found.running = running;
  const missing = REQUIRED_MODULES.filter((r) => !r.any.some((name) => running.has(name)));
  if (!missing.length)
    return {
      status: 'ok',
      title: `All ${REQUIRED_MODULES.length} modules Hotline needs are running`,
    };
  return {
    status: 'problem',
    title: `${missing.length} module(s) Hotline needs are not running: ${missing.map((m) => m.any[0]).join(', ')}`,
    detail: missing.map((m) => `${m.any.join(' or ')}: ${m.why}`),
    fix: {
      where: 'modules.conf ([modules]; and remove any "noload =>" line for them)',
      lines: missing.map((m) => `load => ${m.any[0]}`),
      then: missing.map((m) => reload(`module load ${m.any[0]}`)).join('; '),
    },
  };
}
