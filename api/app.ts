import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { compress } from 'hono/compress';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import type { MiddlewareHandler } from 'hono';
import { ping, type Db } from '../db/client';
import { authRoutes } from './auth/auth.routes';
import { rewardRuleRoutes } from './earning/rules.routes';
import { programmeRoutes } from './earning/programme.routes';
import { appealRoutes } from './earning/appeals.routes';
import { volunteeringRoutes } from './earning/volunteering.routes';
import { safetyRoutes } from './earning/safety.routes';
import { loadSession } from './auth/middleware';
import type { Clock } from './clock';
import type { Config } from './config';
import { AppError } from './errors';
import { docsRoutes } from './http/docs';
import type { AppEnv } from './http/env';
import { problemResponse, renderError } from './http/errors';
import { createRouter } from './http/openapi';
import { securityHeaders } from './http/security-headers';
import { UPLOAD_LIMITS, uploadLimitFor } from './http/uploads';
import { ledgerRoutes } from './ledger/ledger.routes';
import { createMarketRoutes } from './market/market.routes';
import { gridReportRoutes } from './earning/grid-reports.routes';
import { partnerRoutes } from './partners/partners.routes';
import { ratingRoutes } from './rating/rating.routes';
import { reportRoutes } from './reports/reports.routes';
import { driverRoutes } from './drivers/drivers.routes';
import { processLogger, type Logger } from './ops/log';
import { createMetrics, type Metrics } from './ops/metrics';
import { metricsHandler } from './ops/metrics.route';
import { observeRequests } from './ops/observe';

export interface AppDeps {
  db: Db;
  config: Config;
  clock: Clock;
  /** Built web app to serve at `/` (web/dist); omitted in most tests. */
  webRoot?: string;
  /** Where request lines go; the process logger when omitted. */
  logger?: Logger;
  /** Shared with the background jobs by the server entry; a fresh registry when omitted. */
  metrics?: Metrics;
}

/** Every API module, mounted under /api. */
function apiRoutes() {
  return createRouter().route('/', authRoutes).route('/', partnerRoutes).route('/', ledgerRoutes).route('/', createMarketRoutes()).route('/', rewardRuleRoutes).route('/', programmeRoutes).route('/', appealRoutes).route('/', volunteeringRoutes).route('/', safetyRoutes).route('/', gridReportRoutes).route('/', ratingRoutes).route('/', reportRoutes).route('/', driverRoutes);
}

/**
 * A body limit that trusts a declared Content-Length (Node's parser reads exactly that many bytes
 * and no more), and counts the bytes of a chunked body as they arrive. hono's bodyLimit asks for
 * the body stream first, which makes the Node adapter build a whole fetch Request and stream
 * for every POST (about a tenth of a redemption's CPU) instead of reading the body directly.
 */
function limitBody(maxSize: number, message: string): MiddlewareHandler<AppEnv> {
  const counting = bodyLimit({
    maxSize,
    onError: () => {
      throw new AppError('payload_too_large', message);
    },
  });
  return (c, next) => {
    const declared = c.req.header('content-length');
    if (declared === undefined || c.req.header('transfer-encoding') !== undefined) return counting(c, next);
    if (Number.parseInt(declared, 10) > maxSize) throw new AppError('payload_too_large', message);
    return next();
  };
}

export function createApp(deps: AppDeps) {
  const app = createRouter();
  const metrics = deps.metrics ?? createMetrics(deps.db);

  app.use('*', requestId());
  app.use('*', observeRequests(metrics, deps.logger));
  app.use('*', securityHeaders());
  app.use('*', async (c, next) => {
    c.set('db', deps.db);
    c.set('config', deps.config);
    c.set('clock', deps.clock);
    c.set('logger', deps.logger ?? processLogger());
    await next();
  });
  const jsonLimit = limitBody(deps.config.maxBodyBytes, `the body may be at most ${deps.config.maxBodyBytes} bytes`);
  const uploadLimits = new Map(UPLOAD_LIMITS.map((u) => [u, limitBody(u.maxBytes, `this upload takes ${u.what}; the body may be at most ${u.maxBytes} bytes`)]));
  app.use('/api/*', (c, next) => {
    // A GET or HEAD has no body to limit; asking for one would build a whole fetch Request.
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const upload = uploadLimitFor(c.req.method, c.req.path);
    return (upload ? uploadLimits.get(upload)! : jsonLimit)(c, next);
  });
  app.use('/api/*', loadSession);

  app.route('/api', apiRoutes());

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'The `token` from POST /api/auth/login',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'cookieAuth', {
    type: 'apiKey',
    in: 'cookie',
    name: 'mp_session',
    description: 'Set by POST /api/auth/login; writes must also send the mp_csrf cookie value as x-csrf-token',
  });
  const documentConfig: Parameters<typeof app.getOpenAPI31Document>[0] = {
    openapi: '3.1.0',
    info: {
      title: 'Milepost API',
      version: '0.1.0',
      description:
        'Credit points and rewards for truck drivers. Amounts are decimal strings. Errors are RFC 9457 ' +
        '`application/problem+json` with a stable `type` and `code`.',
    },
    servers: [{ url: '/' }],
  };
  // Served as a plain route so a generation failure goes through onError as a problem, too.
  let document: unknown;
  app.get('/api/openapi.json', (c) => {
    document ??= app.getOpenAPI31Document(documentConfig);
    return c.json(document as object);
  });
  app.route('/', docsRoutes);

  app.get('/healthz', async (c) => {
    try {
      await ping(deps.db);
      return c.json({ status: 'ok', database: 'ok' }, 200);
    } catch {
      return c.json({ status: 'unavailable', database: 'unreachable' }, 503);
    }
  });

  app.get('/metrics', metricsHandler(metrics, deps.config.metricsToken));

  if (deps.webRoot && existsSync(join(deps.webRoot, 'index.html'))) {
    const root = relative(process.cwd(), deps.webRoot) || '.';
    // Vite names assets by content hash: a phone may keep them for good and fetch them gzipped.
    app.use('/assets/*', compress(), async (c, next) => {
      await next();
      if (c.res.status === 200) c.header('cache-control', 'public, max-age=31536000, immutable');
    });
    // The shell names the current assets: browsers must always ask whether it changed.
    app.use('/*', async (c, next) => {
      await next();
      const page = c.res.headers.get('content-type')?.startsWith('text/html');
      if (page && !c.req.path.startsWith('/api/')) c.header('cache-control', 'no-cache');
    });
    app.use('/*', serveStatic({ root }));
    // Client-side routes: any other GET that is not an API call gets the app shell.
    app.get('*', async (c, next) => {
      if (c.req.path.startsWith('/api/')) return next();
      return serveStatic({ root, path: 'index.html' })(c, next);
    });
  }

  app.notFound((c) => problemResponse(c, new AppError('route_not_found', `${c.req.method} ${c.req.path} is not a route`)));
  app.onError(renderError);
  return app;
}

export type App = ReturnType<typeof createApp>;
