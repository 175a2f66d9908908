// `npm run soak`: mixed load against one server process on a throwaway PostgreSQL for
// SOAK_SECONDS (default 600), sampling the server's resident memory (VmRSS) every
// SOAK_SAMPLE_SECONDS (default 5) and counting answers per window (a minute, or a sixth of a
// shorter run). The first window is warm-up. Passes when the mean RSS of the last window is less
// than 10 % above the mean of the first window after warm-up, no request got a 5xx or no answer
// (or, if any did, the last window has no more of them than the first measured one), and the
// database proofs hold at the end. SOAK_WORKERS (default 8) requests in flight.

import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { startCluster } from '../support/pg-cluster';
import { Fleet } from './fleet';
import { MixedLoad } from './load';
import { provePartsTogether } from './proofs';
import { buildScene, freshDatabase, withDb } from './scene';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 600);
const SAMPLE_S = Number(process.env.SOAK_SAMPLE_SECONDS ?? 5);
const WORKERS = Number(process.env.SOAK_WORKERS ?? 8);
const WINDOW_S = SECONDS >= 180 ? 60 : SECONDS / 6;
const MAX_GROWTH = 0.1;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function rssKiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? NaN);
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};

async function main() {
  const cluster = await startCluster();
  let fleet: Fleet | undefined;
  try {
    const database = await freshDatabase(cluster.url);
    const scene = await withDb({ url: database.url }, (db) =>
      buildScene(db, { drivers: 20, funding: '500.00', offers: [{ price: '10.00', stock: 1_000_000 }, { price: '15.50', stock: 1_000_000 }, { price: '20.00', stock: 1_000_000 }] }),
    );
    fleet = await Fleet.start({ url: database.url }, 1);
    const server = fleet.servers[0]!;
    const load = new MixedLoad({ scene, base: () => server.base, workers: WORKERS, keep: false });
    const samples: Array<{ at: number; kib: number }> = [];
    const t0 = Date.now();
    console.log(`[soak] ${SECONDS} s of mixed load, ${WORKERS} workers, server pid ${server.pid}, RSS every ${SAMPLE_S} s, windows of ${WINDOW_S} s`);
    load.start();
    while (Date.now() - t0 < SECONDS * 1000) {
      samples.push({ at: Date.now(), kib: rssKiB(server.pid) });
      await sleep(SAMPLE_S * 1000);
    }
    await load.stop();
    const windows = Math.round(SECONDS / WINDOW_S);
    const rows = Array.from({ length: windows }, (_, w) => {
      const from = t0 + w * WINDOW_S * 1000;
      const to = from + WINDOW_S * 1000;
      const reqs = load.timeline.filter((r) => r.at >= from && r.at < to);
      const rss = samples.filter((s) => s.at >= from && s.at < to).map((s) => s.kib);
      return {
        window: w + 1,
        requests: reqs.length,
        ok: reqs.filter((r) => r.status >= 200 && r.status < 300).length,
        refused: reqs.filter((r) => r.status >= 400 && r.status < 500).length,
        errors: reqs.filter((r) => r.status === 0 || r.status >= 500).length,
        p50: pct(reqs.map((r) => r.ms), 50),
        p99: pct(reqs.map((r) => r.ms), 99),
        rssMiB: mean(rss) / 1024,
      };
    });
    console.log(`\n${`window (${WINDOW_S} s)`.padStart(16)} | requests |    2xx |  4xx | 5xx+no answer | p50 ms | p99 ms | RSS MiB (mean)`);
    for (const r of rows) {
      console.log(
        ` ${String(r.window).padStart(15)} | ${String(r.requests).padStart(8)} | ${String(r.ok).padStart(6)} | ${String(r.refused).padStart(4)} | ${String(r.errors).padStart(13)} | ${r.p50.toFixed(0).padStart(6)} | ${r.p99.toFixed(0).padStart(6)} | ${r.rssMiB.toFixed(1)}${r.window === 1 ? ' (warm-up)' : ''}`,
      );
    }
    const first = rows[1]!;
    const last = rows[rows.length - 1]!;
    const growth = last.rssMiB / first.rssMiB - 1;
    const errorsTotal = rows.reduce((s, r) => s + r.errors, 0);
    const errorGrowth = errorsTotal > 0 && last.errors > first.errors;
    const proofs = await withDb({ url: database.url }, (db) => provePartsTogether(db));
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    console.log(
      `\n[soak] ${new Date().toISOString()} commit ${commit}: ${load.counts.total} requests (${load.counts.ok} 2xx, ${load.counts.clientErrors} 4xx, ${load.counts.serverErrors} 5xx, ${load.counts.noAnswer} no answer); ` +
        `RSS ${first.rssMiB.toFixed(1)} MiB (window 2) → ${last.rssMiB.toFixed(1)} MiB (window ${last.window}): ${(growth * 100).toFixed(1)} % (limit ${MAX_GROWTH * 100} %); ` +
        `min/max sample ${(Math.min(...samples.map((s) => s.kib)) / 1024).toFixed(1)}/${(Math.max(...samples.map((s) => s.kib)) / 1024).toFixed(1)} MiB; ` +
        `server warn/error log lines ${server.warnings()}; proofs ${proofs.failures.length ? `FAILED: ${proofs.failures.join('; ')}` : 'hold'}`,
    );
    const failed = growth >= MAX_GROWTH || errorGrowth || load.counts.serverErrors > 0 || proofs.failures.length > 0;
    console.log(failed ? '[soak] FAIL' : '[soak] PASS');
    await fleet.stop();
    await database.drop();
    process.exitCode = failed ? 1 : 0;
  } finally {
    await fleet?.stop();
    await cluster.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
