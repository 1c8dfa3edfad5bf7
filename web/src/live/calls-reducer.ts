import type {
  CallUpdate,
  CallUpdateState,
  PopCustomer,
  RecordingPush,
  ScreenPop,
  TransferTarget,
} from '../api/types';

/** One call on the agent's screen, from its pop until the agent closes the card. */
export interface CallEntry {
  callId: string;
  pop: ScreenPop;
  state: CallUpdateState;
  /** The offer was taken back (another agent, timeout, caller gone): a missed call. */
  missed: boolean;
  reason: string | null;
  poppedAt: number;
  answeredAt: number | null;
  heldAt: number | null;
  endedAt: number | null;
  /** The customer the card is about: the pop's, or the one the agent picked or created. */
  customer: PopCustomer | null;
  wrappedUp: { disposition: string } | null;
  /** An attended transfer waiting for complete/cancel. */
  consult: Consult | null;
  /** The call's recording as the service last said (null: not recorded, or not said yet). */
  recording: RecordingPush['status'] | null;
}

export interface Consult {
  target: TransferTarget;
  /** Who is being consulted, as the agent picked them. */
  label: string;
}

export type CallsAction =
  | { type: 'pop'; pop: ScreenPop; now: number }
  | { type: 'update'; update: CallUpdate; now: number }
  | { type: 'customer'; callId: string; customer: PopCustomer }
  | { type: 'wrapped'; callId: string; disposition: string }
  | { type: 'consult'; callId: string; consult: Consult | null }
  | { type: 'recording'; push: RecordingPush }
  | { type: 'dismiss'; callId: string }
  | { type: 'reset' };

/** A card that needs nothing more from the agent. */
export const isFinished = (c: CallEntry) =>
  c.state === 'ended' && (c.missed || c.wrappedUp !== null || c.answeredAt === null);

function patch(list: CallEntry[], callId: string, fn: (c: CallEntry) => CallEntry): CallEntry[] {
  return list.map((c) => (c.callId === callId ? fn(c) : c));
}

export function callsReducer(list: CallEntry[], a: CallsAction): CallEntry[] {
  switch (a.type) {
    case 'pop': {
      const known = list.find((c) => c.callId === a.pop.callId);
      if (known) {
        // The same call again (reconnect, transfer back to us): refresh the data, keep our state.
        return patch(list, a.pop.callId, (c) => ({
          ...c,
          pop: a.pop,
          customer: c.customer ?? a.pop.customer,
          state: c.state === 'ended' ? 'ringing' : c.state,
          missed: false,
          endedAt: c.state === 'ended' ? null : c.endedAt,
        }));
      }
      const entry: CallEntry = {
        callId: a.pop.callId,
        pop: a.pop,
        state: 'ringing',
        missed: false,
        reason: null,
        poppedAt: a.now,
        answeredAt: null,
        heldAt: null,
        endedAt: null,
        customer: a.pop.customer,
        wrappedUp: null,
        consult: null,
        recording: null,
      };
      // A new call clears the cards that are done with.
      return [entry, ...list.filter((c) => !isFinished(c))];
    }
    case 'update': {
      const u = a.update;
      return patch(list, u.callId, (c) => {
        const at = Date.parse(u.at) || a.now;
        switch (u.state) {
          case 'ringing':
            return { ...c, state: 'ringing' };
          case 'answered':
            return { ...c, state: 'answered', answeredAt: c.answeredAt ?? at, heldAt: null };
          case 'held':
            return { ...c, state: 'held', heldAt: at };
          case 'ended':
            return {
              ...c,
              state: 'ended',
              endedAt: at,
              heldAt: null,
              consult: null,
              missed: Boolean(u.withdrawn) || c.answeredAt === null,
              reason: u.reason ?? null,
            };
          default:
            return c;
        }
      });
    }
    case 'customer':
      return patch(list, a.callId, (c) => ({ ...c, customer: a.customer }));
    case 'wrapped':
      return patch(list, a.callId, (c) => ({ ...c, wrappedUp: { disposition: a.disposition } }));
    case 'consult':
      return patch(list, a.callId, (c) => ({ ...c, consult: a.consult }));
    case 'recording':
      return patch(list, a.push.callId, (c) => ({ ...c, recording: a.push.status }));
    case 'dismiss':
      return list.filter((c) => c.callId !== a.callId);
    case 'reset':
      return [];
    default:
      return list;
  }
}
