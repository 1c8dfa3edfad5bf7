import type { CallSession } from './call-session';

export type LegRole = 'caller' | 'agent' | 'consult';

/** Live calls by id and their channels by channel id: what the handlers look events up in. */
export function createCallRegistry() {
  const calls = new Map<string, CallSession>();
  const legs = new Map<string, { callId: string; role: LegRole }>();
  return {
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
  };
}

export type CallRegistry = ReturnType<typeof createCallRegistry>;
