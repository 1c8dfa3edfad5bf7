import type { CallDetail, Recording } from '../api/types';

/** The recording to review on a call: the longest stored one (the contract's `recording`). */
export function reviewRecording(call: CallDetail | null): {
  id: string | null;
  startedMs: number | null;
  durationMs: number | null;
  status: Recording['status'] | null;
} {
  if (!call) return { id: null, startedMs: null, durationMs: null, status: null };
  const all = call.recordings ?? [];
  const chosen =
    (call.recording ? all.find((r) => r.id === call.recording?.id) : undefined) ??
    all.find((r) => r.status === 'stored');
  if (chosen)
    return {
      id: chosen.status === 'stored' ? chosen.id : null,
      startedMs: Date.parse(chosen.startedAt),
      durationMs: chosen.durationMs,
      status: chosen.status,
    };
  if (call.recording)
    return {
      id: call.recording.id,
      startedMs: call.answeredAt ? Date.parse(call.answeredAt) : null,
      durationMs: call.recording.durationMs,
      status: 'stored',
    };
  return { id: null, startedMs: null, durationMs: null, status: all[0]?.status ?? null };
}
