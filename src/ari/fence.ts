import { HotlineError } from '../shared/errors';

/**
 * Where ARI commands learn whether this instance may send them (src/leadership/): the epoch of
 * the lease it leads under right now, or null when it does not lead (standby, or its lease
 * lapsed). Read synchronously at every command.
 */
export interface AriFence {
  epoch(): number | null;
}

/**
 * An ARI command refused by the fence: the instance does not lead, or the lease epoch it was
 * issued under is not the current one any more (it lost the lease in between, and perhaps took
 * it again). Never sent to Asterisk.
 */
export class AriFencedError extends HotlineError {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly issuedEpoch: number | null,
    readonly currentEpoch: number | null,
  ) {
    super(
      'HOTLINE_NOT_LEADER',
      issuedEpoch === null
        ? `ARI ${method} ${path} refused: this instance does not hold the lease`
        : `ARI ${method} ${path} refused: issued under lease epoch ${issuedEpoch}, now ${currentEpoch ?? 'none'}`,
      { issuedEpoch, currentEpoch },
    );
  }
}

export const isAriFenced = (err: unknown): err is AriFencedError => err instanceof AriFencedError;
