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
