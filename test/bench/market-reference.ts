// The market's reference server for `npm run bench:market` (not a test, not the app). It answers
// the benchmark's two requests with fixed answers taken from the real server in the same run:
//   GET /api/offers        the catalog's answer
//   POST /api/redemptions  a voucher's 201 answer, for a JSON body naming an offer and an
//                          Idempotency-Key header (nothing is redeemed: the same voucher each time)
// on the same stack and with the same per-request framing as the app: node:cluster with WORKERS
// processes on one port, Hono on @hono/node-server, a request id, one JSON request log line on
// stdout, the app's security headers, and a bearer token that must be one of the drivers'. It
// has no session, no shop view, no validation beyond that, no metrics and no database: what is
// left when the app's own work per request is taken away. The benchmark loads it exactly as it
// loads the app, so the figures of one run can be compared.
//
// Environment: PORT, HOST, WORKERS (default 1), REFERENCE_BODY_FILE (the catalog answer's bytes),
// REFERENCE_REDEEM_BODY_FILE (the voucher answer's bytes), REFERENCE_TOKENS_FILE (`token userId`,
// one driver a line).

import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { securityHeaders } from '../../api/http/security-headers';
import { createLogger } from '../../api/ops/log';

const workers = Math.max(1, Number(process.env.WORKERS ?? 1));

if (cluster.isPrimary && workers > 1) {
  for (let i = 0; i < workers; i++) cluster.fork();
  let stopping = false;
  cluster.on('exit', () => {
    if (!stopping) process.exitCode = 1;
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit();
  });
  process.on('SIGTERM', () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
  });
} else {
  const body = readFileSync(process.env.REFERENCE_BODY_FILE!, 'utf8');
  const voucher = readFileSync(process.env.REFERENCE_REDEEM_BODY_FILE!, 'utf8');
  // `token userId` a line: the line logs whose read it was, as the app's does.
  const drivers = new Map(
    readFileSync(process.env.REFERENCE_TOKENS_FILE!, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(' ') as [string, string]),
  );
  // The app's request line: the same fields, through a child logger without redaction.
  const log = createLogger({ level: 'info' }).child({}, { redact: [] });
  const app = new Hono();
  app.use('*', requestId());
  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    const ms = Math.round((performance.now() - started) * 10) / 10;
    const userId = drivers.get((c.req.header('authorization') ?? '').slice(7));
    log.info(
      { requestId: c.get('requestId'), method: c.req.method, route: c.req.path.replace(/^\/api/, ''), path: c.req.path.slice(0, 300), status: c.res.status, ms, ...(userId ? { userId, role: 'driver' } : {}) },
      'request',
    );
  });
  app.use('*', securityHeaders());
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  const signedIn = (auth: string | undefined) => auth?.startsWith('Bearer ') === true && drivers.has(auth.slice(7));
  app.get('/api/offers', (c) => {
    if (!signedIn(c.req.header('authorization'))) return c.json({ code: 'unauthorized' }, 401);
    return c.body(body, 200, { 'content-type': 'application/json' });
  });
  app.post('/api/redemptions', async (c) => {
    if (!signedIn(c.req.header('authorization'))) return c.json({ code: 'unauthorized' }, 401);
    const key = c.req.header('idempotency-key');
    const request = (await c.req.json().catch(() => null)) as { offerId?: unknown } | null;
    if (!key || typeof request?.offerId !== 'string') return c.json({ code: 'validation_failed' }, 400);
    return c.body(voucher, 201, { 'content-type': 'application/json' });
  });
  const server = serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: process.env.HOST ?? '127.0.0.1' });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}
