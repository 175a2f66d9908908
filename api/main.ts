import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { createApp } from './app';
import { systemClock } from './clock';
import { ConfigError, parseConfig } from './config';
import { backgroundJobs, startJobs } from './jobs';
import { seedDemo } from './seed';
import { openDatabase } from './server';
import { createLogger, useProcessLogger, writeLine } from './ops/log';
import { createMetrics } from './ops/metrics';

const webRoot = fileURLToPath(new URL('../web/dist', import.meta.url));

async function main() {
  const started = performance.now();
  const config = parseConfig(process.env);
  useProcessLogger(createLogger({ level: config.logLevel }));
  const handle = await openDatabase(config);
  const where = 'url' in config.database ? 'PostgreSQL' : `PGlite in ${config.database.dataDir}`;

  const demo = config.seed === 'demo' ? await seedDemo(handle.db, systemClock.now()) : null;

  const metrics = createMetrics(handle.db);
  const app = createApp({ db: handle.db, config, clock: systemClock, webRoot, metrics });
  const stopJobs = startJobs(backgroundJobs(handle.db, systemClock), writeLine, metrics.observeJob);
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    const url = `http://localhost:${info.port}`;
    const lines = [
      `Milepost is running at ${url}  (database: ${where}, ready in ${Math.round(performance.now() - started)} ms)`,
      `  web app   ${url}/`,
      `  API docs  ${url}/api/docs   (OpenAPI: ${url}/api/openapi.json)`,
      `  health    ${url}/healthz`,
    ];
    if (demo) {
      lines.push(demo.created ? '  demo programme seeded; sign in with:' : '  demo logins:');
      for (const login of demo.logins) lines.push(`    ${login.role.padEnd(14)} ${login.phone}  ${login.password}   ${login.name}`);
    }
    console.log(lines.join('\n'));
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: shutting down`);
    stopJobs();
    server.close(async () => {
      await handle.close();
      process.exit(0);
    });
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error('Milepost could not start:', error);
  process.exit(1);
});
