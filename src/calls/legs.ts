import type { Channel } from '../ari/types';

/**
 * Every kind of channel Hotline has in its Stasis application, and how it is named in the Stasis
 * arguments (`Stasis(app,KIND,ID)`; originates set them as `appArgs`). Nothing else builds or
 * parses these arguments: a channel is classified by this codec, never guessed. Adding a leg kind
 * is one entry here and one handler in the engine's table (call-engine.ts), which TypeScript keeps
 * complete. docs/architecture/call-lifecycle.md describes each kind.
 */
export const LEG_KINDS = {
  /** A carrier call entering the app from the dialplan; the argument is the dialed number. */
  inbound: 'did',
  /** An agent's phone rung for a queued call (inbound, or a campaign customer who answered). */
  agent: 'call',
  /** A call-back's agent leg: the agent is rung first. */
  callback: 'call',
  /** A call-back's customer leg, dialed once the agent answered. */
  callee: 'call',
  /** A campaign customer dialed first (progressive, predictive). */
  obcallee: 'call',
  /**
   * A campaign customer back from answering-machine detection (the `[hotline-amd]` dialplan
   * context); the arguments after the call id are AMDSTATUS and AMDCAUSE.
   */
  obamd: 'call',
  /** A preview campaign's agent leg, rung when the agent clicks Dial. */
  obagent: 'call',
  /** A transfer's target: another agent, a queue's agent or an external number. */
  consult: 'call',
  /** A supervisor's (or QA monitor's) own phone, rung to listen to, whisper into or barge a call. */
  monitor: 'call',
  /** The snoop channel on a call's agent leg that a listening or whispering monitor hears. */
  snoop: 'call',
} as const;

export type LegKind = keyof typeof LEG_KINDS;
export type CallLegKind = {
  [K in LegKind]: (typeof LEG_KINDS)[K] extends 'call' ? K : never;
}[LegKind];

export type Leg = { kind: 'inbound'; did: string } | { kind: CallLegKind; callId: string };

const isKind = (k: string | undefined): k is LegKind =>
  k !== undefined && Object.prototype.hasOwnProperty.call(LEG_KINDS, k);

/** The id a leg carries: the dialed number of an inbound leg, the call id of the others. */
export const legId = (leg: Leg): string => (leg.kind === 'inbound' ? leg.did : leg.callId);

/** The Stasis arguments (`appArgs`) of a leg. */
export function encodeLeg(leg: Leg): string {
  const id = leg.kind === 'inbound' ? leg.did : leg.callId;
  if (/[,\s]/.test(id)) throw new Error(`a leg id cannot hold commas or spaces: ${leg.kind}`);
  return `${leg.kind},${id}`;
}

/** The leg a StasisStart's arguments name, or null for arguments Hotline never wrote. */
export function decodeLeg(args: readonly string[]): Leg | null {
  const [kind, id = ''] = args;
  if (!isKind(kind)) return null;
  if (kind === 'inbound') return { kind, did: id };
  return id ? { kind, callId: id } : null;
}

/** The Stasis arguments after the leg's id (e.g. an `obamd` leg's AMDSTATUS, AMDCAUSE). */
export const legExtras = (args: readonly string[]): readonly string[] => args.slice(2);

/** The leg of a channel found in the app (resync, restart): from its dialplan's Stasis() data. */
export function legOfChannel(channel: Channel): Leg | null {
  if (channel.dialplan.app_name !== 'Stasis') return null;
  const [, ...args] = (channel.dialplan.app_data ?? '').split(',');
  return decodeLeg(args);
}
