import { AriError } from '../../../src/ari/errors';
import { adoptRecording } from '../../../src/calls/leftover-media';
import type { CallSession } from '../../../src/calls/call-session';
import type { EngineContext } from '../../../src/calls/engine-context';
import { silentLogger } from '../../../src/shared/logger';

/** An adopted call's recording, with Asterisk answering the live-recording question `answer`. */
async function adopt(answer: () => Promise<unknown>) {
  const stored: string[] = [];
  const row = {
    id: 'rec-1',
    call_id: 'c1',
    asterisk_name: 'hotline-rec-1',
    status: 'recording',
    ended_at: null,
  };
  const ctx = {
    clock: { now: () => 1000 },
    rest: { getLiveRecording: answer },
    recordings: {
      forCalls: () => Promise.resolve([row]),
      update: () => Promise.resolve(),
      get: () => Promise.resolve(row),
    },
    recordingStore: { store: (r: { id: string }) => void stored.push(r.id) },
  } as unknown as EngineContext;
  const s = { id: 'c1', recording: null, log: silentLogger() } as unknown as CallSession;
  await adoptRecording(ctx, s);
  return { s, stored };
}

it('a recording Asterisk still writes is the adopted call’s again (paused as Asterisk has it)', async () => {
  const { s, stored } = await adopt(() => Promise.resolve({ state: 'paused' }));
  expect(s.recording).toMatchObject({ id: 'rec-1', name: 'hotline-rec-1', paused: true });
  expect(stored).toEqual([]);
});

it('one Asterisk no longer has (404) is stored now', async () => {
  const { s, stored } = await adopt(() =>
    Promise.reject(new AriError('not-found', 404, 'GET', '/recordings/live/x', '404')),
  );
  expect(s.recording).toBeNull();
  expect(stored).toEqual(['rec-1']);
});

it('an ARI failure is not taken as the end: the call keeps its recording, nothing is cut short', async () => {
  const { s, stored } = await adopt(() =>
    Promise.reject(new AriError('unavailable', null, 'GET', '/recordings/live/x', 'down')),
  );
  expect(s.recording).toMatchObject({ id: 'rec-1', paused: false });
  expect(stored).toEqual([]);
});
