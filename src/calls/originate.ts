import type { OriginateParams } from '../ari/types';
import type { CallRegistry, ExpectedLeg } from './call-registry';
import { encodeLeg, type CallLegKind } from './legs';

export type OriginateLeg = (
  leg: { kind: CallLegKind; callId: string },
  params: Omit<OriginateParams, 'app' | 'appArgs' | 'channelId'> & { channelId: string },
  /** For a leg no call holds yet: told when it ends before answering. */
  gone?: ExpectedLeg['gone'],
) => Promise<void>;

/**
 * The engine's one originate: the leg's Stasis arguments come from the codec (legs.ts), and a leg
 * not yet part of a call is registered, so its ChannelDestroyed reaches whoever placed it.
 */
export function createOriginate(deps: {
  app: string;
  registry: CallRegistry;
  originate: (p: OriginateParams) => Promise<unknown>;
}): OriginateLeg {
  return async (leg, params, gone) => {
    if (gone) deps.registry.expect(params.channelId, leg, gone);
    try {
      await deps.originate({ ...params, app: deps.app, appArgs: encodeLeg(leg) });
    } catch (err) {
      deps.registry.settle(params.channelId);
      throw err;
    }
  };
}
