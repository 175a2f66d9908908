/**
 * npm run soak:fuzz — every documented operation fuzzed from the OpenAPI document, as every role,
 * on an in-process app over a seeded PGlite database (or PostgreSQL with FUZZ_DATABASE_URL,
 * which must point at an empty database). Exits non-zero on any 5xx, malformed problem,
 * rejected request that changed the database, or a ledger that no longer verifies.
 *
 *   FUZZ_SEED=<int>      the fast-check seed (default: random, printed)
 *   FUZZ_RUNS=<int>      requests per operation (default 1000)
 *   FUZZ_ONLY=<text>     only operations whose "METHOD /path" contains this
 */
import { createDb } from '../../db/client';
import { seedDemo } from '../../api/seed';
import { testApp } from '../support/app';
import { runCampaign, summarizeFailures } from '../fuzz/campaign';

const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
const perOperation = Number(process.env.FUZZ_RUNS ?? 1000);
const only = process.env.FUZZ_ONLY;
const url = process.env.FUZZ_DATABASE_URL;

const handle = await createDb(url ? { databaseUrl: url } : { dataDir: null });
await handle.migrate();
const t = testApp(handle);
await seedDemo(t.db, t.clock.now());

console.log(`fuzz: seed ${seed}, ${perOperation} requests per operation, ${url ? 'PostgreSQL' : 'PGlite'}${only ? `, only "${only}"` : ''}`);
const report = await runCampaign(t, {
  seed,
  perOperation,
  only,
  onOperation: (s) => console.log(`  ${s.operation.padEnd(52)} ${String(s.sent).padStart(5)} sent  ${JSON.stringify(s.byClass)}  ${(s.ms / 1000).toFixed(1)} s`),
});
await handle.close();

console.log(
  JSON.stringify(
    {
      seed: report.seed,
      backend: url ? 'postgres' : 'pglite',
      operations: report.operations,
      requests: report.requests,
      byRole: report.byRole,
      byClass: report.byClass,
      byStatus: report.byStatus,
      operationsWithA2xx: Object.keys(report.successesByOperation).length,
      failures: report.failures.length,
      readsThatWrote: report.readsThatWrote.length,
      ledger: report.ledger,
      seconds: Math.round(report.ms / 1000),
      secondsChecking: Math.round(report.msChecking / 1000),
    },
    null,
    2,
  ),
);
const neverSucceeded = report.perOperation.filter((o) => !report.successesByOperation[o.operation]).map((o) => o.operation);
if (neverSucceeded.length) console.log(`operations with no 2xx in this run: ${neverSucceeded.join(', ')}`);
for (const r of report.readsThatWrote.slice(0, 10)) console.log(`read that wrote: ${r.operation} [${r.label}] ${r.tables.join(', ')}`);
for (const line of summarizeFailures(report.failures)) console.log(line);

const ok = report.failures.length === 0 && report.ledger.balanced && report.ledger.verified;
if (!ok) console.log(`FAILED — replay with FUZZ_SEED=${seed} FUZZ_RUNS=${perOperation}`);
process.exit(ok ? 0 : 1);
