import { createHash, timingSafeEqual } from 'node:crypto';
import type { Handler } from 'hono';
import { AppError } from '../errors';
import type { AppEnv } from '../http/env';
import type { Metrics } from './metrics';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * GET /metrics for Prometheus. Open when no token is configured (a scraper on a private
 * network); with METRICS_TOKEN it wants `authorization: Bearer <token>`. Not an /api route and
 * not in the OpenAPI document: it is for operators, like /healthz.
 */
export function metricsHandler(metrics: Metrics, token: string | null): Handler<AppEnv> {
  const expected = token === null ? null : digest(`Bearer ${token}`);
  return async (c) => {
    if (expected && !timingSafeEqual(digest(c.req.header('authorization') ?? ''), expected)) {
      throw new AppError('unauthenticated', 'send the metrics token as `authorization: Bearer <token>`', {
        headers: { 'www-authenticate': 'Bearer realm="metrics"' },
      });
    }
    return c.body(await metrics.scrape(), 200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' });
  };
}
