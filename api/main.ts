import cluster from 'node:cluster';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import type { DbHandle } from '../db/client';
import { createApp } from './app';
import { followEndedSessions } from './auth/sessions';
import { systemClock } from './clock';
import { ConfigError, parseConfig, type Config } from './config';
import { backgroundJobs, startJobs } from './jobs';
import { seedDemo } from './seed';
import { openDatabase } from './server';
import { createLogger, useProcessLogger, writeLine } from './ops/log';
import { createMetrics } from './ops/metrics';
import { gatherWorkerMetrics } from './ops/cluster-metrics';

const webRoot = fileURLToPath(new URL('../web/dist', import.meta.url));

/** Workers that die this many times within a minute are not replaced: the server stops. */
const MAX_WORKER_DEATHS_PER_MINUTE = 5;

async function main() {
  const started = performance.now();
  const config = parseConfig(process.env);
  useProcessLogger(createLogger({ level: config.logLevel }));
  // A cluster's worker: the primary has migrated and seeded; serve, and let it announce.
  if (cluster.isWorker) return serveHere(config, await openDatabase(config, { migrate: false }), () => {});

  const handle = await openDatabase(config);
  const where = 'url' in config.database ? 'PostgreSQL' : `PGlite in ${config.database.dataDir}`;
  const demo = config.seed === 'demo' ? await seedDemo(handle.db, systemClock.now()) : null;
  const announce = (port: number) => {
    const url = `http://localhost:${port}`;
    const processes = config.workers > 1 ? `, ${config.workers} server processes` : '';
    const lines = [
      `Milepost is running at ${url}  (database: ${where}${processes}, ready in ${Math.round(performance.now() - started)} ms)`,
      `  web app   ${url}/`,
      `  API docs  ${url}/api/docs   (OpenAPI: ${url}/api/openapi.json)`,
      `  health    ${url}/healthz`,
    ];
    if (demo) {
      lines.push(demo.created ? '  demo programme seeded; sign in with:' : '  demo logins:');
      for (const login of demo.logins) lines.push(`    ${login.role.padEnd(14)} ${login.phone}  ${login.password}   ${login.name}`);
    }
    console.log(lines.join('\n'));
  };
  if (config.workers === 1) return serveHere(config, handle, announce);
  await handle.close();
  superviseWorkers(config.workers, announce);
}

/** The app, its background jobs and the HTTP server in this process, until SIGINT or SIGTERM. */
async function serveHere(config: Config, handle: DbHandle, announce: (port: number) => void) {
  // A sign-out in any process ends the session here too, from the first request on.
  const unfollow = await followEndedSessions(handle);
  const metrics = createMetrics(handle.db, { acrossWorkers: cluster.isWorker });
  const app = createApp({ db: handle.db, config, clock: systemClock, webRoot, metrics });
  // With several processes each runs the jobs: every job is safe to run in several at once.
  const stopJobs = startJobs(backgroundJobs(handle.db, systemClock), writeLine, metrics.observeJob);
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => announce(info.port));

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    if (cluster.isPrimary) console.log(`\n${signal}: shutting down`);
    stopJobs();
    unfollow();
    server.close(async () => {
      await handle.close();
      process.exit(0);
    });
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/**
 * `count` workers (node:cluster) share the port; the primary only watches them. A worker that
 * dies is replaced, unless workers keep dying; SIGINT or SIGTERM stops them all, each finishing
 * its requests as a lone server does.
 */
function superviseWorkers(count: number, announce: (port: number) => void) {
  let stopping = false;
  let announced = false;
  let listening = 0;
  const deaths: number[] = [];
  const alive = () => Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);

  const stop = (why: string, code: number) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${why}: shutting down`);
    for (const worker of alive()) worker.process.kill('SIGTERM');
    if (alive().length === 0) process.exit(code);
    cluster.on('exit', () => {
      if (alive().length === 0) process.exit(code);
    });
    setTimeout(() => process.exit(1), 12_000).unref();
  };

  cluster.on('listening', (_worker, address) => {
    if (announced || ++listening < count) return;
    announced = true;
    announce(address.port);
  });
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    writeLine({ level: 'error', msg: 'server process exited', pid: worker.process.pid, code, signal });
    const now = Date.now();
    deaths.push(now);
    while (deaths[0]! < now - 60_000) deaths.shift();
    if (deaths.length >= MAX_WORKER_DEATHS_PER_MINUTE) stop(`${deaths.length} server processes died within a minute`, 1);
    else cluster.fork();
  });
  // A scrape of /metrics reaches one worker, which asks here for the whole server's.
  gatherWorkerMetrics();
  for (let i = 0; i < count; i++) cluster.fork();
  process.on('SIGINT', () => stop('SIGINT', 0));
  process.on('SIGTERM', () => stop('SIGTERM', 0));
}

main().catch((error) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error('Milepost could not start:', error);
  process.exit(1);
});
