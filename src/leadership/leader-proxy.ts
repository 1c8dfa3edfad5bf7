import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import type { RequestHandler } from 'express';
import { HotlineError } from '../shared/errors';
import type { Logger } from '../shared/logger';
import type { LeaseStore } from './lease-store';

/**
 * Set on a request a standby forwards: the leader answers it itself, whatever it has become
 * meanwhile (a request is forwarded once at most, never in a loop).
 */
export const FORWARDED_HEADER = 'x-hotline-forwarded-by';

/** Where the leader is, as its lease row says (cached; forgotten when it cannot be reached). */
export interface LeaderLocator {
  /** The leader's HTTP base URL, or null: no live leader, none published yet, or it is us. */
  leader(): Promise<string | null>;
  /** The last answer is stale (the leader could not be reached): read the row again. */
  forget(): void;
}

export function createLeaderLocator(deps: {
  store: Pick<LeaseStore, 'read'>;
  /** This instance's holder name: a row naming it is never forwarded to. */
  self: string;
  /** How long an answer is kept (a standby's poll interval is a good measure). */
  cacheMs: number;
  log: Logger;
}): LeaderLocator {
  let cached: { at: number; url: string | null } | null = null;
  let reading: Promise<string | null> | null = null;
  return {
    leader() {
      if (cached && performance.now() - cached.at < deps.cacheMs)
        return Promise.resolve(cached.url);
      reading ??= deps.store
        .read()
        .then((row) => {
          const url =
            row && row.expiresAt > row.now && row.holder !== deps.self && row.address
              ? row.address
              : null;
          cached = { at: performance.now(), url };
          return url;
        })
        .catch((err: unknown) => {
          deps.log.warn({ err }, 'could not read where the leader is');
          return null;
        })
        .finally(() => {
          reading = null;
        });
      return reading;
    },
    forget() {
      cached = null;
    },
  };
}

/** Headers that belong to one connection, never forwarded (RFC 9110 §7.6.1). */
const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
];

/**
 * Paths under /api a standby answers itself: logging in and out only touch the database (and
 * the login throttle counts the client's address, which a forwarded request would hide), and
 * the OpenAPI document is the same everywhere.
 */
const LOCAL = /^\/(auth\/|openapi\.json$)/;

/**
 * On a standby of a cluster: every /api request (but LOCAL) goes to the leader's own HTTP
 * address, as sent (method, path, query, headers with the Authorization, body streamed), and its
 * answer comes back as the leader gave it (status, headers, body streamed). The leader checks
 * the token and the role and applies the number policy and the audit exactly as for a request
 * of its own, and answers from the memory the engine keeps (agents, calls, wall, pops), so an
 * answer never depends on which instance a load balancer chose. No leader known (a takeover in
 * progress, or none published yet): the standby answers itself (call controls: 503
 * HOTLINE_NOT_LEADER). The leader unreachable: 503 HOTLINE_NOT_LEADER, and the row is read again.
 */
export function forwardToLeader(deps: {
  /** True while this instance should forward (a standby with REDIS_URL on PostgreSQL). */
  forwarding: () => boolean;
  locator: LeaderLocator;
  /** This instance's name, sent in FORWARDED_HEADER. */
  self: string;
  log: Logger;
  /** Idle time of a forwarded exchange before it is cut (default 120 s: exports stream long). */
  idleTimeoutMs?: number;
}): RequestHandler {
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: 256 }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: 256 }),
  };
  const idleTimeoutMs = deps.idleTimeoutMs ?? 120_000;
  return (req, res, next) => {
    if (!deps.forwarding() || req.headers[FORWARDED_HEADER] !== undefined || LOCAL.test(req.path)) {
      next();
      return;
    }
    deps.locator
      .leader()
      .then((target) => {
        if (!target || !deps.forwarding()) {
          next();
          return;
        }
        const url = new URL(req.originalUrl, target);
        const headers: http.OutgoingHttpHeaders = { ...req.headers };
        for (const h of HOP_BY_HOP) delete headers[h];
        headers.host = url.host;
        headers[FORWARDED_HEADER] = deps.self;
        const from = req.socket.remoteAddress;
        const xff = req.headers['x-forwarded-for'];
        headers['x-forwarded-for'] = [xff, from].filter(Boolean).join(', ');
        const transport = url.protocol === 'https:' ? https : http;
        const out = transport.request(
          url,
          {
            method: req.method,
            headers,
            agent: url.protocol === 'https:' ? agents['https:'] : agents['http:'],
            timeout: idleTimeoutMs,
          },
          (answer) => {
            const back = { ...answer.headers };
            for (const h of HOP_BY_HOP) delete back[h];
            res.writeHead(answer.statusCode ?? 502, back);
            answer.pipe(res);
            answer.on('error', () => res.destroy());
          },
        );
        out.on('timeout', () => out.destroy(new Error('forwarded request timed out')));
        out.on('error', (err) => {
          if (res.headersSent) {
            res.destroy();
            return;
          }
          deps.locator.forget();
          deps.log.warn({ err, target: url.origin }, 'leader unreachable: request not forwarded');
          next(
            new HotlineError(
              'HOTLINE_NOT_LEADER',
              'this instance is a standby and the leader could not be reached: try again',
            ),
          );
        });
        // The client went away: so does the forwarded exchange.
        res.on('close', () => {
          if (!res.writableFinished) out.destroy();
        });
        req.pipe(out);
      })
      .catch(next);
  };
}

/**
 * The address the other instances use to reach this one: `advertiseUrl` if configured, else the
 * address listened on, or, listening on every address, this host's first non-internal IPv4
 * address (loopback when it has none).
 */
export function advertisedUrl(address: AddressInfo | string | null, configured?: string): string {
  if (configured) return configured.replace(/\/+$/, '');
  if (!address || typeof address === 'string') return 'http://127.0.0.1';
  let host = address.address;
  if (host === '::' || host === '0.0.0.0' || host === '') {
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    host = external?.address ?? '127.0.0.1';
  }
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}
