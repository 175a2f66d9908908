// `npm run soak:crash`: the crash-safety run on a throwaway PostgreSQL cluster, then on PGlite.
// Environment: CRASH_KILLS (default 6), CRASH_WORKERS (default 12), CRASH_GAP_MS ("min,max" of
// load between kills, default "1500,5000"), CRASH_BACKENDS ("postgres,pglite" by default).
// Exits non-zero when a proof fails.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster } from '../support/pg-cluster';
import { crashRun, describeCrashReport, type CrashOptions } from './crash-run';
import { freshDatabase } from './scene';

const kills = Number(process.env.CRASH_KILLS ?? 6);
const workers = Number(process.env.CRASH_WORKERS ?? 12);
const gapMs = (process.env.CRASH_GAP_MS ?? '1500,5000').split(',').map(Number) as [number, number];
const backends = (process.env.CRASH_BACKENDS ?? 'postgres,pglite').split(',');
const processes = Number(process.env.CRASH_PROCESSES ?? 1);
const log = (line: string) => console.log(`[crash] ${line}`);

async function main() {
  let failed = false;
  const common: Omit<CrashOptions, 'where'> = { processes, kills, gapMs, workers, log };
  if (backends.includes('postgres')) {
    const cluster = await startCluster({ settings: { fsync: 'on', synchronous_commit: 'on', full_page_writes: 'on' } });
    try {
      const db = await freshDatabase(cluster.url);
      const report = await crashRun({ ...common, where: { url: db.url } });
      console.log(describeCrashReport(report));
      failed ||= report.failures.length > 0;
    } finally {
      await cluster.stop();
    }
  }
  if (backends.includes('pglite')) {
    const dataDir = mkdtempSync(join(tmpdir(), 'milepost-crash-pglite-'));
    try {
      const report = await crashRun({ ...common, processes: 1, where: { dataDir } });
      console.log(describeCrashReport(report));
      failed ||= report.failures.length > 0;
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  process.exit(failed ? 1 : 0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
