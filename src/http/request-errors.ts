import { HotlineError } from '../shared/errors';

/**
 * What body-parser / raw-body (express.json, express.text) and the router throw when a request
 * cannot be read: an http-errors error with a 4xx `status`, `expose: true` and, from the body
 * parsers, a `type` (body-parser's README "Errors").
 */
interface HttpError {
  status: number;
  expose: boolean;
  type?: string;
  charset?: string;
  encoding?: string;
}

const isClientHttpError = (err: unknown): err is HttpError => {
  const status = (err as { status?: unknown } | null)?.status;
  return (
    err instanceof Error &&
    typeof status === 'number' &&
    status >= 400 &&
    status < 500 &&
    // http-errors' mark of an error meant for the client (an ARI error with a status is not one).
    (err as Partial<HttpError>).expose === true
  );
};

/**
 * The catalogue's error for a request the service could not read: a path that is not valid
 * percent-encoding, a body that is not JSON, too large, in a charset or a content encoding the
 * service cannot decode, cut short or not inflating. Null for anything else (a bug: 500).
 * Decided by the error's `type` and `status`, never by its message.
 */
export function requestError(err: unknown): HotlineError | null {
  // The router decoding a path parameter (router/lib/layer.js decodeParam): a URIError, 400.
  if (err instanceof URIError)
    return new HotlineError('HOTLINE_VALIDATION', 'the URL path is not valid percent-encoding', [
      { path: 'path', message: 'not valid percent-encoding' },
    ]);
  if (!isClientHttpError(err)) return null;
  switch (err.type) {
    case 'entity.parse.failed':
      return new HotlineError('HOTLINE_VALIDATION', 'body is not valid JSON');
    case 'entity.too.large':
      return new HotlineError('HOTLINE_PAYLOAD_TOO_LARGE', 'body too large');
    case 'charset.unsupported':
      return new HotlineError(
        'HOTLINE_UNSUPPORTED_MEDIA_TYPE',
        `charset ${JSON.stringify(err.charset ?? '')} is not supported (send UTF-8)`,
        { charset: err.charset ?? '' },
      );
    case 'encoding.unsupported':
      return new HotlineError(
        'HOTLINE_UNSUPPORTED_MEDIA_TYPE',
        `Content-Encoding ${JSON.stringify(err.encoding ?? '')} is not supported ` +
          '(identity, gzip, deflate or br)',
        { encoding: err.encoding ?? '' },
      );
    case 'request.size.invalid':
      return new HotlineError('HOTLINE_VALIDATION', 'body length does not match Content-Length');
    case 'request.aborted':
      return new HotlineError('HOTLINE_VALIDATION', 'request aborted before its body ended');
  }
  // Without a known type: by status (e.g. a gzip or deflate body that does not inflate, 400).
  if (err.status === 413) return new HotlineError('HOTLINE_PAYLOAD_TOO_LARGE', 'body too large');
  if (err.status === 415)
    return new HotlineError(
      'HOTLINE_UNSUPPORTED_MEDIA_TYPE',
      'body in a form the service cannot read',
    );
  return new HotlineError('HOTLINE_VALIDATION', 'the request could not be read');
}
