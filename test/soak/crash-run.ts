// The crash-safety run shared by `npm run soak:crash`, `npm run soak:multi` and the quick tests:
// mixed load against one or two server processes, SIGKILL at random moments, restart, then the
// proofs (acknowledged writes present, nothing half-applied, refused writes left nothing,
// retries converge, trial balance zero, verify() green).

import { Fleet, type Where } from './fleet';
import { acknowledged, MixedLoad, type Kind, type Sent } from './load';
import { proveAcknowledged, provePartsTogether, proveRetriesConverge } from './proofs';
import { buildScene, withDb } from './scene';

export interface CrashOptions {
  where: Where;
  processes: number;
  kills: number;
  /** Load between kills: a random wait in [min, max] ms. */
  gapMs: [number, number];
  workers: number;
  drivers?: number;
  log?: (line: string) => void;
}

export interface CrashReport {
  backend: 'postgres' | 'pglite';
  processes: number;
  seconds: number;
  requests: number;
  acknowledged: number;
  refused: number;
  noAnswer: number;
  /** Of which: connection refused (the server was down), cut mid-request. */
  refusedConnections: number;
  cutConnections: number;
  serverErrors: number;
  kills: number;
  /** Requests in flight (sent, not yet answered) at each kill. */
  inFlightAtKills: number[];
  byKind: Record<Kind, { sent: number; acknowledged: number; noAnswer: number }>;
  retried: number;
  appliedOnRetry: number;
  checked: Record<string, number>;
  failures: string[];
  /** First lines of 5xx answers, if any. */
  serverErrorSamples: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const between = ([min, max]: [number, number]) => min + Math.random() * (max - min);

export async function crashRun(options: CrashOptions): Promise<CrashReport> {
  const log = options.log ?? (() => {});
  const t0 = performance.now();
  const scene = await withDb(options.where, (db) =>
    buildScene(db, { drivers: options.drivers ?? 8, funding: '300.00', offers: [{ price: '10.00', stock: 100_000 }, { price: '15.50', stock: 100_000 }, { price: '20.00', stock: 100_000 }, { price: '40.00', stock: 100_000 }] }),
  );
  const pglite = 'dataDir' in options.where;
  let fleet = await Fleet.start(options.where, options.processes);
  log(`${options.processes} server process(es) up on ${pglite ? 'PGlite' : 'PostgreSQL'} (${((performance.now() - t0) / 1000).toFixed(1)} s incl. seeding)`);
  const load = new MixedLoad({ scene, base: () => fleet.base(), workers: options.workers });
  const inFlightAtKills: number[] = [];
  load.start();
  try {
    for (let k = 0; k < options.kills; k++) {
      await sleep(between(options.gapMs));
      const victim = Math.floor(Math.random() * fleet.servers.length);
      inFlightAtKills.push(load.inFlight);
      await fleet.kill(victim);
      log(`kill -9 #${k + 1} of process ${victim} with ${inFlightAtKills.at(-1)} request(s) in flight; ${load.counts.total} sent so far`);
      await fleet.restart(victim);
    }
    await sleep(between(options.gapMs));
  } finally {
    await load.stop();
  }
  const sent = load.sent;
  const kills = fleet.kills;
  log(`load stopped: ${sent.length} requests; proving`);

  const failures: string[] = [];
  const checked: Record<string, number> = {};
  const merge = (r: { failures: string[]; checked: Record<string, number> }, stage: string) => {
    failures.push(...r.failures.map((f) => `${stage}: ${f}`));
    for (const [k, v] of Object.entries(r.checked)) checked[k] = v;
  };
  // PGlite is one process's: the server stops while the test reads its data directory.
  const inspect = async (work: Parameters<typeof withDb>[1]) => {
    if (!pglite) return withDb(options.where, work);
    await fleet.stop();
    try {
      return await withDb(options.where, work);
    } finally {
      fleet = await Fleet.start(options.where, options.processes);
    }
  };
  await inspect(async (db) => {
    merge(await provePartsTogether(db), 'after the kills');
    merge(await proveAcknowledged(db, sent), 'after the kills');
  });
  const retry = await proveRetriesConverge(fleet.base(), sent);
  merge(retry, 'retries');
  await inspect(async (db) => merge(await provePartsTogether(db), 'after the retries'));
  await fleet.stop();

  const byKind = {} as CrashReport['byKind'];
  for (const s of sent) {
    const k = (byKind[s.kind] ??= { sent: 0, acknowledged: 0, noAnswer: 0 });
    k.sent++;
    if (acknowledged(s)) k.acknowledged++;
    if (s.status === 0) k.noAnswer++;
  }
  const serverErrors = sent.filter((s) => s.status >= 500);
  return {
    backend: pglite ? 'pglite' : 'postgres',
    processes: options.processes,
    seconds: (performance.now() - t0) / 1000,
    requests: sent.length + load.counts.refusedConnections,
    acknowledged: sent.filter(acknowledged).length,
    refused: sent.filter((s) => s.status >= 400 && s.status < 500).length,
    noAnswer: sent.filter((s) => s.status === 0).length + load.counts.refusedConnections,
    refusedConnections: load.counts.refusedConnections,
    cutConnections: sent.filter((s) => s.dropped === 'cut').length,
    serverErrors: serverErrors.length,
    kills,
    inFlightAtKills,
    byKind,
    retried: retry.retried,
    appliedOnRetry: retry.appliedOnRetry,
    checked,
    failures: [...failures, ...serverErrors.slice(0, 5).map((s: Sent) => `5xx during load: ${s.kind} ${s.status} ${JSON.stringify(s.answer).slice(0, 200)}`)],
    serverErrorSamples: serverErrors.slice(0, 3).map((s) => JSON.stringify(s.answer).slice(0, 300)),
  };
}

export function describeCrashReport(r: CrashReport): string {
  const kinds = Object.entries(r.byKind)
    .map(([k, v]) => `${k} ${v.sent}/${v.acknowledged}/${v.noAnswer}`)
    .join(', ');
  return [
    `${r.backend}, ${r.processes} process(es), ${r.seconds.toFixed(0)} s: ${r.requests} requests, ${r.acknowledged} acknowledged (2xx), ${r.refused} refused (4xx), ${r.noAnswer} without answer (${r.refusedConnections} connection refused while down, ${r.cutConnections} cut mid-request), ${r.serverErrors} 5xx`,
    `kill -9: ${r.kills} (requests in flight at each: ${r.inFlightAtKills.join(', ')})`,
    `by kind, of those that reached a server (sent/acknowledged/no answer): ${kinds}`,
    `retries: ${r.retried} sent (two rounds), ${r.appliedOnRetry} unanswered writes applied on retry`,
    `checked: ${Object.entries(r.checked).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    r.failures.length ? `FAILURES (${r.failures.length}):\n  ${r.failures.slice(0, 30).join('\n  ')}` : 'all proofs hold',
  ].join('\n');
}
