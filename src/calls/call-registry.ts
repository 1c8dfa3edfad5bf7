import type { CallSession } from './call-session';
import type { Leg } from './legs';

export type LegRole = 'caller' | 'agent' | 'consult' | 'monitor' | 'snoop';

/** A leg Hotline originated that is not part of a live call yet (ringing, not answered). */
export interface ExpectedLeg {
  leg: Leg;
  /** It ended before it answered (ChannelDestroyed), with its Q.850 cause. */
  gone: (cause: number) => void;
}

/**
 * Every channel Hotline created or adopted: the live calls by id, their channels by channel id,
 * and the legs originated before any call holds them (a campaign customer being rung, an agent
 * rung first for a call-back or a preview). What the engine looks every channel event up in.
 */
export function createCallRegistry() {
  const calls = new Map<string, CallSession>();
  const legs = new Map<string, { callId: string; role: LegRole }>();
  const expected = new Map<string, ExpectedLeg>();
  return {
    /** An originated leg that no call holds yet: its end is reported to `gone`. */
    expect(channelId: string, leg: Leg, gone: ExpectedLeg['gone']): void {
      expected.set(channelId, { leg, gone });
    },
    /** The expected leg is settled (it answered, ended or was given up): no longer awaited. */
    settle(channelId: string): ExpectedLeg | undefined {
      const e = expected.get(channelId);
      expected.delete(channelId);
      return e;
    },
    get expectedCount() {
      return expected.size;
    },
    add(s: CallSession): void {
      calls.set(s.id, s);
      legs.set(s.callerChannelId, { callId: s.id, role: 'caller' });
    },
    addLeg(channelId: string, callId: string, role: LegRole): void {
      legs.set(channelId, { callId, role });
    },
    dropLeg(channelId: string): void {
      legs.delete(channelId);
    },
    get(callId: string): CallSession | undefined {
      return calls.get(callId);
    },
    byChannel(channelId: string): { session: CallSession; role: LegRole } | undefined {
      const leg = legs.get(channelId);
      const session = leg && calls.get(leg.callId);
      return leg && session ? { session, role: leg.role } : undefined;
    },
    remove(s: CallSession): void {
      calls.delete(s.id);
      for (const [ch, leg] of legs) if (leg.callId === s.id) legs.delete(ch);
    },
    all(): CallSession[] {
      return [...calls.values()];
    },
    /** Waiting calls in service order: VIP (priority) first, then longest waiting. */
    queued(): CallSession[] {
      return [...calls.values()]
        .filter((s) => s.state === 'queued')
        .sort((a, b) => b.priority - a.priority || a.startedAt - b.startedAt);
    },
    get size() {
      return calls.size;
    },
    /** Forgets every call and leg (this instance stopped leading: the new leader owns them). */
    clear(): void {
      calls.clear();
      legs.clear();
      expected.clear();
    },
  };
}

export type CallRegistry = ReturnType<typeof createCallRegistry>;
