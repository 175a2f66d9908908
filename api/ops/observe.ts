import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { AppEnv } from '../http/env';
import { processLogger, type Logger } from './log';
import type { Metrics } from './metrics';

/**
 * The route pattern a request was for (`/api/redemptions/:id/cancel`): the first endpoint that
 * matched, not counting middleware (`app.use`, method ALL) and the web app's catch-all. Any
 * path no endpoint matches is `unmatched`, so a scan of random URLs adds one label, not many.
 */
export function routeLabel(c: Context): string {
  const endpoint = matchedRoutes(c).find((r) => r.method !== 'ALL' && r.path !== '*' && r.path !== '/*');
  if (endpoint) return endpoint.path;
  return c.res.status === 404 ? 'unmatched' : 'web';
}

/**
 * The request line's logger: the base logger without its redaction. Redaction is by key, and the
 * request line's keys are fixed and none of them is a secret's, so it could never match; but
 * pino's wildcard paths (`*["token"]` …) walk every field of every line, a tenth of a catalog
 * read's CPU. Lines logged anywhere else keep the base logger's redaction.
 */
const unredacted = new WeakMap<Logger, Logger>();
function requestLogger(base: Logger): Logger {
  let child = unredacted.get(base);
  if (!child) unredacted.set(base, (child = base.child({}, { redact: [] })));
  return child;
}

/**
 * One JSON log line and one metrics observation per request. The line names the request, its
 * route and outcome and who made it; it never holds headers, cookies, the query string or the body.
 */
export function observeRequests(metrics: Metrics, logger?: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const seconds = (performance.now() - started) / 1000;
    const route = routeLabel(c);
    const status = c.res.status;
    metrics.observeRequest({ method: c.req.method, route, status, seconds });
    const user = c.get('user');
    requestLogger(logger ?? processLogger()).info(
      {
        requestId: c.get('requestId'),
        method: c.req.method,
        route,
        path: c.req.path.slice(0, 300),
        status,
        ms: Math.round(seconds * 10_000) / 10,
        ...(user ? { userId: user.id, role: user.role } : {}),
      },
      'request',
    );
  };
}
