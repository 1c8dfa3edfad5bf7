import { Router } from 'express';
import { addressMatcher, sameToken } from '../../metrics/access';
import { HotlineError } from '../../shared/errors';
import { bearer } from '../middleware';

export interface MetricsRouteDeps {
  /** The Prometheus text of this instance (src/metrics/prometheus.ts) and its media type. */
  metrics: { text(): Promise<string>; contentType: string };
  /** `metrics.token`: a scraper sends `Authorization: Bearer TOKEN`. */
  token?: string;
  /** `metrics.allowFrom`: addresses or subnets that may scrape without the token. */
  allowFrom?: readonly string[];
}

/**
 * GET /metrics (outside /api: no session, no role): the operational metrics in the Prometheus
 * text format, for a scraper that either comes from an address of `metrics.allowFrom` or sends
 * the bearer token `metrics.token` (compared in constant time). With neither configured the
 * endpoint is off and answers 404, as if it did not exist: nothing is exposed by default.
 */
export function metricsRoutes(deps: MetricsRouteDeps) {
  const r = Router();
  const allowed = addressMatcher(deps.allowFrom ?? []);
  const token = deps.token ?? '';
  r.get('/metrics', (req, res, next) => {
    if (!token && !deps.allowFrom?.length)
      throw new HotlineError(
        'HOTLINE_NOT_FOUND',
        'metrics are off: set metrics.token (HOTLINE_METRICS_TOKEN) or metrics.allowFrom',
      );
    // req.ip: the client's address (behind a reverse proxy on this machine, the forwarded one).
    if (!allowed(req.ip)) {
      if (!token)
        throw new HotlineError('HOTLINE_FORBIDDEN', 'not from an address metrics.allowFrom allows');
      const presented = bearer(req);
      if (!presented) {
        res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
        throw new HotlineError('HOTLINE_UNAUTHENTICATED', 'missing bearer token (metrics.token)');
      }
      if (!sameToken(presented, token))
        throw new HotlineError('HOTLINE_FORBIDDEN', 'wrong metrics token');
    }
    deps.metrics
      .text()
      .then((text) => {
        res.type(deps.metrics.contentType).send(text);
      })
      .catch(next);
  });
  return r;
}
