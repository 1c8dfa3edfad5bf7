/**
 * The error catalogue: every error a client can see, with its HTTP status. The error middleware
 * turns a HotlineError into the contract's `{error:{code, message, details?}}`; docs/errors.md
 * lists them.
 */
export const ERRORS = {
  HOTLINE_VALIDATION: 400,
  HOTLINE_BAD_PHONE_NUMBER: 400,
  HOTLINE_UNAUTHENTICATED: 401,
  HOTLINE_BAD_CREDENTIALS: 401,
  HOTLINE_FORBIDDEN: 403,
  HOTLINE_NOT_FOUND: 404,
  HOTLINE_CALL_NOT_FOUND: 404,
  HOTLINE_CUSTOMER_NOT_FOUND: 404,
  HOTLINE_USER_NOT_FOUND: 404,
  HOTLINE_CONFLICT: 409,
  HOTLINE_USERNAME_TAKEN: 409,
  HOTLINE_EXTENSION_TAKEN: 409,
  HOTLINE_NO_EXTENSION: 409,
  HOTLINE_PAYLOAD_TOO_LARGE: 413,
  HOTLINE_INTERNAL: 500,
  HOTLINE_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERRORS;

export class HotlineError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'HotlineError';
    this.status = ERRORS[code];
  }
}

export const notFound = (code: ErrorCode, what: string) =>
  new HotlineError(code, `${what} not found`);
