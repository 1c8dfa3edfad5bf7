import { AriError } from '../../../src/ari/errors';
import { adoptRecording, releaseLeftovers } from '../../../src/calls/leftover-media';
import { recordingEnded } from '../../../src/calls/recording';
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

it('a leftover recording of a closed call gets its end before the stop (whose RecordingFinished stores it)', async () => {
  const steps: string[] = [];
  const row = { id: 'rec-2', call_id: 'c2', asterisk_name: 'hotline-rec-2', status: 'recording' };
  const ctx = {
    log: silentLogger(),
    rest: {
      stopRecording: () => (steps.push('stop'), Promise.resolve()),
      getBridge: () => Promise.reject(new Error('404')),
    },
    recordings: {
      forCalls: () => Promise.resolve([{ ...row, ended_at: null }]),
      update: (_id: string, patch: object) => (
        steps.push(JSON.stringify(patch)),
        Promise.resolve()
      ),
    },
  } as unknown as EngineContext;
  await releaseLeftovers(ctx, 'c2', 4321);
  expect(steps).toEqual(['{"ended_at":4321}', 'stop']);
});

it('a recording Asterisk ends by itself is stored with an end time; a known end is kept', async () => {
  for (const known of [null, 777]) {
    const rowsById = new Map([
      [
        'rec-3',
        { id: 'rec-3', call_id: 'c3', asterisk_name: 'n3', status: 'recording', ended_at: known },
      ],
    ]);
    const stored: Array<{ ended_at: number | null }> = [];
    const ctx = {
      clock: { now: () => 9000 },
      registry: { get: () => undefined },
      recordings: {
        byAsteriskName: () => Promise.resolve(rowsById.get('rec-3')),
        update: (id: string, patch: object) => {
          rowsById.set(id, { ...rowsById.get(id)!, ...patch });
          return Promise.resolve();
        },
        get: (id: string) => Promise.resolve(rowsById.get(id)),
      },
      recordingStore: { store: (r: { ended_at: number | null }) => void stored.push(r) },
    } as unknown as EngineContext;
    await recordingEnded(ctx, 'n3', null);
    expect(stored.map((r) => r.ended_at)).toEqual([known ?? 9000]);
  }
});
