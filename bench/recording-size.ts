/**
 * Storage per hour of recorded calls: a 20 s SIPp call that talks (RTP tone) is recorded through
 * Asterisk and stored; its bytes per second of recording, scaled to an hour, and how long storing
 * took (call end → stored, including the fetch from Asterisk and the verification).
 */
import { placeCall } from '../test/support/sipp-peers';
import { teamFixture } from '../test/support/team-fixture';
import { waitFor } from '../test/support/engine-fixture';

export async function benchRecordingSize(): Promise<string[]> {
  const t = await teamFixture({
    ports: { '1019': 16419 },
    telephony: { recordingDefault: 'always', recordingConsentMessage: '' },
  });
  try {
    const agent = t.team['1019']!;
    await t.fx.setState(agent.token, 'available');
    await placeCall({ from: '13977770001', to: '4000', holdMs: 20_000, audio: true });
    const callId = agent.browser.pops[0]!.pop.callId;
    const rec = await waitFor(
      async () => {
        const [row] = await t.fx.hotline.recordings.forCalls([callId]);
        return row?.status === 'stored' ? row : null;
      },
      30_000,
      'stored',
    );
    // From the timeline: the call's end to the recording-stored event.
    const events = await t.fx.hotline.calls.events(callId);
    const at = (type: string) => Date.parse(events.find((e) => e.type === type)!.at);
    const storedIn = at('recording-stored') - at('ended');
    const bytes = Number(rec.bytes);
    const perHour = (bytes / (rec.duration_ms ?? 1)) * 3_600_000;
    return [
      `recording: ${(rec.duration_ms! / 1000).toFixed(1)} s → ${bytes} bytes (WAV, 8 kHz 16-bit mono)`,
      `storage per hour of recorded calls: ${(perHour / 1e6).toFixed(1)} MB (${(perHour / 2 ** 20).toFixed(1)} MiB)`,
      `call end → stored (stop, fetch, verify, delete from Asterisk): ${storedIn} ms`,
    ];
  } finally {
    await t.close();
  }
}
