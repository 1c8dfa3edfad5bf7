/** Q.850 cause names as Asterisk prints them, for causes that arrive without text. */
const NAMES: Record<number, string> = {
  1: 'Unallocated (unassigned) number',
  16: 'Normal Clearing',
  17: 'User busy',
  18: 'No user responding',
  19: 'User alerting, no answer',
  21: 'Call Rejected',
  27: 'Destination out of order',
  31: 'Normal, unspecified',
  34: 'Circuit/channel congestion',
  38: 'Network out of order',
  127: 'Interworking, unspecified',
};

export function causeText(code: number): string {
  return NAMES[code] ?? `Cause ${code}`;
}

/** How a leg that was ringing ended, read from its Q.850 cause: the one cause → result map. */
export type RingResult = 'busy' | 'declined' | 'no-answer' | 'failed';

const RING_RESULTS: Record<number, RingResult> = {
  16: 'no-answer', // Normal Clearing before an answer: the far end stopped ringing
  17: 'busy',
  18: 'no-answer',
  19: 'no-answer',
  21: 'declined', // the phone refused the call (603 Decline)
};

/** The far end's answer to a ring; no cause (0, unknown) means the call could not be placed. */
export function ringResult(code: number | null | undefined): RingResult {
  return (code && RING_RESULTS[code]) || 'failed';
}
