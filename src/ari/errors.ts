/** Why an ARI request failed, in the terms the call engine cares about. */
export type AriErrorKind =
  'not-found' | 'conflict' | 'bad-request' | 'unavailable' | 'timeout' | 'server';

/**
 * A failed ARI REST request. `path` is the request path only (no host, no query string, never
 * credentials); `status` is the HTTP status, or null when no response came (network, timeout).
 */
export class AriError extends Error {
  override readonly name = 'AriError';

  constructor(
    readonly kind: AriErrorKind,
    readonly status: number | null,
    readonly method: string,
    readonly path: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`ARI ${method} ${path} failed: ${detail}`, options);
  }
}

/**
 * The kind for an HTTP error status. 412 (channel not in a state/app that allows it) counts as a
 * conflict; other 4xx (401, 403, 405...) are the caller's fault, hence bad-request.
 */
export function kindForStatus(status: number): AriErrorKind {
  if (status === 404) return 'not-found';
  if (status === 409 || status === 412 || status === 422) return 'conflict';
  if (status >= 500) return 'server';
  return 'bad-request';
}

export function isAriError(err: unknown): err is AriError {
  return err instanceof AriError;
}

/** True when the channel/bridge/application the request named does not exist (any more). */
export function isAriNotFound(err: unknown): boolean {
  return err instanceof AriError && err.kind === 'not-found';
}
