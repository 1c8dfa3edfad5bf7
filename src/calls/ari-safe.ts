import { isAriNotFound } from '../ari/errors';
import type { Logger } from '../shared/logger';

/**
 * Runs an ARI request whose failure must not stop the call's handling: a channel or bridge that
 * is already gone (404) is what we wanted anyway; anything else is logged.
 */
export async function tryAri(
  log: Logger,
  what: string,
  request: () => Promise<unknown>,
): Promise<boolean> {
  try {
    await request();
    return true;
  } catch (err) {
    if (!isAriNotFound(err)) log.warn({ err, what }, 'ARI request failed');
    return false;
  }
}
