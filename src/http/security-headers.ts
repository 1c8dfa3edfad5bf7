import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import helmet from 'helmet';

/** A Host header fit to name in a policy: a name or an IP (v6 in brackets), an optional port. */
const HOST = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * socket.io's WebSocket goes to the page's own host: `'self'` covers ws:/wss: there in CSP 3
 * browsers, and the host named explicitly covers the older ones. A Host header that is not a
 * plain host[:port] adds nothing (it can never add a directive).
 */
const sameHostSockets = (req: IncomingMessage) => {
  const host = req.headers.host ?? '';
  return HOST.test(host) ? `ws://${host} wss://${host}` : '';
};

/**
 * The security headers of every response (helmet), with a Content-Security-Policy that the
 * built web app (web/dist: one module script and one stylesheet, no inline script or style;
 * React sets styles through the CSSOM, which CSP allows) satisfies: everything from the service
 * itself; recordings play from `blob:` URLs (fetched with the token); images and fonts also from
 * `data:`; no plugins, no framing by anyone (the token lives in sessionStorage: no injected
 * script, no clickjacking). Not `upgrade-insecure-requests`: the service is often reached over
 * plain HTTP on a LAN, where it would break every asset.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        mediaSrc: ["'self'", 'blob:'],
        connectSrc: ["'self'", sameHostSockets],
        objectSrc: ["'none'"],
        frameSrc: ["'none'"],
        workerSrc: ["'self'"],
        manifestSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // Only over HTTPS does a browser keep it; not for subdomains, which may be other services.
    strictTransportSecurity: { maxAge: 180 * 24 * 3600, includeSubDomains: false },
  }) as RequestHandler;
}

/**
 * Every /api answer holds data about people (customers, calls, users) or a token: no browser
 * or proxy keeps a copy.
 */
export const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};
