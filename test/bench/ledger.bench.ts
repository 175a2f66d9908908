// Ledger benchmark (`npm run bench:ledger`). Not a test: it measures, prints, and exits non-zero
// only when the ledger's own proofs (verify(), trial balance) fail or a phase cannot run.
//
// One run, one PostgreSQL server, every figure measured in this run:
//   reference  pgbench TPC-B (-s 10, 8 clients, prepared) on the same server
//   (a)        applyDirect, one transaction per transfer, spread wallets, 8 connections
//   (b)        createLedger(...).run — the micro-batcher — with many callers in flight
//   (c)        applyDirect, every transfer issuance → wallet, 8 connections
//   (d)        PGlite on disk, one caller, sequential applyDirect (after the statistics refresh
//              the PGlite server runs as its db.analyze job)
// then single-connection probes that split one transfer into round trip, commit and server time.
//
// Environment:
//   BENCH_DATABASE_URL  use this server (a superuser URL) instead of starting a throwaway cluster
//   BENCH_SECONDS       duration of pgbench and of phases a–c (default 20); (d) runs half as long
//   BENCH_INFLIGHT      callers in flight for (b) (default 256)

import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Decimal from 'decimal.js';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { systemClock } from '../../api/clock';
import { PROGRAMME_ACCOUNTS } from '../../api/ledger/accounts';
import { applyBatch, applyDirect, createLedger, type LedgerOp, type LedgerOutcome } from '../../api/ledger/ledger';
import { trialBalance, verify } from '../../api/ledger/reads';
import { analyzeGrownTables, createDb, queryRows, type Db, type DbHandle } from '../../db/client';
import { startCluster, type PgCluster } from '../support/pg-cluster';
import { clientCpuSeconds, codeVersion, connParts, LEDGER_CLUSTER_SETTINGS, machineBusySeconds, pgbenchBinary, positiveNumber, postgresCpuSeconds, postmasterPidOf, runFile, stats, type Stats, withDatabase } from './measure';

// ---------------------------------------------------------------------------------------------
// Configuration

const SECONDS = positiveNumber(process.env.BENCH_SECONDS, 20);
const PGLITE_SECONDS = Math.max(2, SECONDS / 2);
const INFLIGHT = Math.max(1, Math.floor(positiveNumber(process.env.BENCH_INFLIGHT, 256)));
const WALLETS = 10_000;
const SETTLEMENTS = 50;
const PGLITE_WALLETS = 1_000;
const FUNDING = new Decimal('1000.00');
const AMOUNT = new Decimal('1.00');
/** Share of spread transfers whose credit side is a partner settlement account instead of a wallet. */
const SETTLEMENT_SHARE = 0.2;
const CONNECTIONS = 8;

const TARGETS = { a: 1.2, b: 4, cOfA: 0.9, d: 2000 } as const;

const runId = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

const log = (...args: unknown[]) => console.log(...args);

// ---------------------------------------------------------------------------------------------
// Statistics

// ---------------------------------------------------------------------------------------------
// CPU accounting: this process (client) and, when we started the cluster, the server's processes.

interface CpuUse {
  client: number;
  server: number | null;
  /** Everything else that ran on the machine meanwhile (other processes, kernel threads). */
  other: number | null;
}

interface CpuWindow {
  stop(): CpuUse;
}

function cpuWindow(postmasterPid: number | null): CpuWindow {
  const c0 = clientCpuSeconds();
  const s0 = postgresCpuSeconds(postmasterPid);
  const m0 = machineBusySeconds();
  return {
    stop() {
      const s1 = postgresCpuSeconds(postmasterPid);
      const m1 = machineBusySeconds();
      const client = clientCpuSeconds() - c0;
      const server = s0 === null || s1 === null ? null : s1 - s0;
      const other = m0 === null || m1 === null || server === null ? null : Math.max(0, m1 - m0 - client - server);
      return { client, server, other };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Server counters: WAL volume, full-page images and WAL syncs (group commits) per phase.

interface WalCounters {
  lsn: string;
  records: number;
  fpi: number;
  bytes: number;
  syncs: number;
}

async function walCounters(url: string): Promise<WalCounters> {
  const c = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [r] = await c`select pg_current_wal_lsn()::text as lsn, wal_records, wal_fpi, wal_bytes, wal_sync from pg_stat_wal`;
    return { lsn: String(r!.lsn), records: Number(r!.wal_records), fpi: Number(r!.wal_fpi), bytes: Number(r!.wal_bytes), syncs: Number(r!.wal_sync) };
  } finally {
    await c.end({ timeout: 5 });
  }
}

interface WalDelta {
  bytes: number;
  records: number;
  fpi: number;
  syncs: number;
}

/**
 * WAL generated between two snapshots. Bytes come from the LSN (exact); records, full-page
 * images and syncs from pg_stat_wal, which backends report when idle or on exit — so the
 * closing snapshot is taken after the phase's connections are closed and a short pause.
 */
async function walDelta(url: string, before: WalCounters): Promise<WalDelta> {
  await new Promise((r) => setTimeout(r, 1200));
  const after = await walCounters(url);
  const c = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [d] = await c`select pg_wal_lsn_diff(${after.lsn}::pg_lsn, ${before.lsn}::pg_lsn) as bytes`;
    return { bytes: Number(d!.bytes), records: after.records - before.records, fpi: after.fpi - before.fpi, syncs: after.syncs - before.syncs };
  } finally {
    await c.end({ timeout: 5 });
  }
}

function describeWal(w: WalDelta, transactions: number, unit = 'transaction') {
  if (transactions <= 0) return;
  log(
    `     WAL: ${(w.bytes / 1024 / 1024).toFixed(1)} MiB = ${fmt(w.bytes / transactions)} bytes, ${(w.records / transactions).toFixed(1)} records, ` +
      `${(w.fpi / transactions).toFixed(2)} full-page images per ${unit}; ${fmt(w.syncs)} WAL syncs (backends and walwriter) = ${(transactions / Math.max(1, w.syncs)).toFixed(2)} ${unit}s per sync`,
  );
}

// ---------------------------------------------------------------------------------------------
// What the server's client backends are doing: pg_stat_activity sampled every 50 ms during a phase.

interface WaitReport {
  samples: number;
  top: Array<[string, number]>;
  /** Sampling rounds, and how many of them saw each autovacuum/autoanalyze job running. */
  rounds: number;
  autovacuum: Array<[string, number]>;
}

interface WaitSampler {
  stop(): Promise<WaitReport>;
}

function sampleWaits(url: string, database: string): WaitSampler {
  const c = postgres(url, { max: 1, onnotice: () => {} });
  const counts = new Map<string, number>();
  const vacuums = new Map<string, number>();
  let samples = 0;
  let rounds = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const rows = await c`
        select backend_type, state, wait_event_type, wait_event, query from pg_stat_activity
         where datname = ${database} and backend_type in ('client backend', 'autovacuum worker') and pid <> pg_backend_pid()`;
      rounds++;
      for (const r of rows) {
        if (r.backend_type === 'autovacuum worker') {
          const job = String(r.query ?? '').replace(/^autovacuum:\s*/, '') || 'autovacuum';
          vacuums.set(job, (vacuums.get(job) ?? 0) + 1);
          continue;
        }
        const key = r.state === 'active' ? (r.wait_event_type ? `${String(r.wait_event_type)}:${String(r.wait_event)}` : 'running (on CPU or runnable)') : `${String(r.state)}${r.wait_event ? ` (${String(r.wait_event)})` : ''}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
        samples++;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      await c.end({ timeout: 5 });
      return {
        samples,
        top: [...counts].sort((a, b) => b[1] - a[1]).slice(0, 6),
        rounds,
        autovacuum: [...vacuums].sort((a, b) => b[1] - a[1]).slice(0, 4),
      };
    },
  };
}

function describeWaits(w: WaitReport) {
  if (w.samples > 0) {
    log(`     client backends (${w.samples} samples every 50 ms): ${w.top.map(([k, v]) => `${k} ${((v / w.samples) * 100).toFixed(0)}%`).join(', ')}`);
  }
  if (w.rounds > 0) {
    log(
      `     autovacuum seen in the database: ${w.autovacuum.length === 0 ? 'never' : w.autovacuum.map(([k, v]) => `${k} in ${((v / w.rounds) * 100).toFixed(0)}% of samples`).join(', ')}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Phases

interface PhaseResult {
  id: string;
  label: string;
  ok: number;
  rejected: Map<string, number>;
  errors: number;
  firstError?: string;
  seconds: number;
  latency: Stats;
  cpu: CpuUse;
  tps: number;
}

type OpFactory = (worker: number, i: number) => LedgerOp;

/**
 * `workers` concurrent loops, each calling `call(op)` back to back until the deadline; the
 * elapsed time runs until the last in-flight call has returned.
 */
async function runClosedLoop(
  id: string,
  label: string,
  workers: number,
  seconds: number,
  makeOp: OpFactory,
  call: (op: LedgerOp) => Promise<LedgerOutcome>,
  postmasterPid: number | null,
): Promise<PhaseResult> {
  const latencies: number[] = [];
  const rejected = new Map<string, number>();
  let ok = 0;
  let errors = 0;
  let firstError: string | undefined;
  const cpu = cpuWindow(postmasterPid);
  const start = performance.now();
  const deadline = start + seconds * 1000;
  const loop = async (w: number) => {
    for (let i = 0; performance.now() < deadline; i++) {
      const op = makeOp(w, i);
      const t0 = performance.now();
      try {
        const outcome = await call(op);
        latencies.push(performance.now() - t0);
        if (outcome.ok) ok++;
        else rejected.set(outcome.code, (rejected.get(outcome.code) ?? 0) + 1);
      } catch (error) {
        errors++;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: workers }, (_, w) => loop(w)));
  const elapsed = (performance.now() - start) / 1000;
  const used = cpu.stop();
  return { id, label, ok, rejected, errors, firstError, seconds: elapsed, latency: stats(latencies), cpu: used, tps: ok / elapsed };
}

function describePhase(r: PhaseResult, cores: number) {
  const rej = [...r.rejected].map(([k, v]) => `${k}=${v}`).join(', ') || 'none';
  const cpu =
    `client CPU ${r.cpu.client.toFixed(1)} s` +
    (r.cpu.server === null ? '' : `, server CPU ${r.cpu.server.toFixed(1)} s`) +
    (r.cpu.other === null ? '' : `, other processes ${r.cpu.other.toFixed(1)} s`) +
    ` of ${(r.seconds * cores).toFixed(1)} core-s; load average ${loadavg()[0]!.toFixed(2)}`;
  const perOp =
    r.ok > 0
      ? ` — per transfer: client ${((r.cpu.client / r.ok) * 1e3).toFixed(3)} ms CPU` +
        (r.cpu.server === null ? '' : `, server ${((r.cpu.server / r.ok) * 1e3).toFixed(3)} ms CPU`)
      : '';
  log(
    `  ${r.id}: ${r.ok} transfers in ${r.seconds.toFixed(2)} s = ${r.tps.toFixed(1)}/s; ` +
      `latency p50 ${r.latency.p50.toFixed(2)} ms, p99 ${r.latency.p99.toFixed(2)} ms, mean ${r.latency.mean.toFixed(2)} ms, max ${r.latency.max.toFixed(1)} ms; ` +
      `rejected: ${rej}; errors: ${r.errors}${r.firstError ? ` (first: ${r.firstError})` : ''}`,
  );
  log(`     ${cpu}${perOp}`);
}

// ---------------------------------------------------------------------------------------------
// pgbench

interface PgbenchResult {
  tps: number;
  latencyAvg: number | null;
  transactions: number | null;
  failed: number | null;
  command: string;
  initCommand: string;
  seconds: number;
  cpu: CpuUse;
  wal: WalDelta;
  waits: WaitReport;
}

async function runPgbench(url: string, database: string, postmasterPid: number | null): Promise<PgbenchResult> {
  const bin = pgbenchBinary();
  const c = connParts(url);
  const env = { ...process.env, ...(c.password ? { PGPASSWORD: c.password } : {}) };
  const conn = ['-h', c.host, '-p', c.port, '-U', c.user];
  const initArgs = ['-i', '-s', '10', ...conn, database];
  const runArgs = ['-c', '8', '-j', '2', '-T', String(Math.round(SECONDS)), '-M', 'prepared', ...conn, database];
  const initCommand = [bin, ...initArgs].join(' ');
  const command = [bin, ...runArgs].join(' ');
  log(`  $ ${initCommand}`);
  const t0 = performance.now();
  await runFile(bin, initArgs, env);
  log(`    initialised in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  await checkpoint(url);
  log(`  $ ${command}`);
  const wal0 = await walCounters(url);
  const cpu = cpuWindow(postmasterPid);
  const waits = sampleWaits(url, database);
  const t1 = performance.now();
  const { stdout } = await runFile(bin, runArgs, env);
  const seconds = (performance.now() - t1) / 1000;
  const used = cpu.stop();
  const waited = await waits.stop();
  const wal = await walDelta(url, wal0);
  for (const line of stdout.trim().split('\n')) log(`    | ${line}`);
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout);
  if (!tps) throw new Error(`could not find "tps = … (without initial connection time)" in pgbench output:\n${stdout}`);
  const num = (re: RegExp) => {
    const m = re.exec(stdout);
    return m ? Number(m[1]) : null;
  };
  // pgbench's own CPU is the child's; process.cpuUsage() does not include it, so client is null-ish here.
  return {
    tps: Number(tps[1]),
    latencyAvg: num(/latency average = ([\d.]+) ms/),
    transactions: num(/number of transactions actually processed: (\d+)/),
    failed: num(/number of failed transactions: (\d+)/),
    command,
    initCommand,
    seconds,
    cpu: used,
    wal,
    waits: waited,
  };
}

// ---------------------------------------------------------------------------------------------
// Database helpers

async function checkpoint(url: string): Promise<void> {
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await admin`checkpoint`;
  } finally {
    await admin.end({ timeout: 5 });
  }
}

async function createWallets(db: Db, count: number): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`insert into ledger_accounts (kind, owner_id, bounded)
        select 'driver_wallet', gen_random_uuid(), true from generate_series(1, ${count}::int)
        returning id`,
  );
  return rows.map((r) => r.id);
}

async function createSettlements(db: Db, count: number): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`insert into ledger_accounts (kind, owner_id, bounded)
        select 'partner_settlement', gen_random_uuid(), false from generate_series(1, ${count}::int)
        returning id`,
  );
  return rows.map((r) => r.id);
}

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;

/** A transfer between two different random wallets, or from a wallet to a settlement account. */
function spreadOp(phase: string, wallets: readonly string[], settlements: readonly string[]): OpFactory {
  return (w, i) => {
    const debit = pick(wallets);
    let credit = Math.random() < SETTLEMENT_SHARE ? pick(settlements) : pick(wallets);
    while (credit === debit) credit = pick(wallets);
    return {
      op: 'transfer',
      key: `bench:${runId}:${phase}:${w}:${i}`,
      code: 'transfer',
      debit,
      credit,
      amount: AMOUNT,
      refType: 'bench',
      refId: phase,
    };
  };
}

function earnOp(phase: string, wallets: readonly string[]): OpFactory {
  return (w, i) => ({
    op: 'transfer',
    key: `bench:${runId}:${phase}:${w}:${i}`,
    code: 'earn',
    debit: PROGRAMME_ACCOUNTS.issuance,
    credit: pick(wallets),
    amount: AMOUNT,
    refType: 'bench',
    refId: phase,
  });
}

interface ProofResult {
  ok: boolean;
  text: string;
}

async function prove(db: Db, label: string): Promise<ProofResult> {
  const t0 = performance.now();
  const v = await verify(db, new Date());
  const tb = await trialBalance(db);
  const ms = performance.now() - t0;
  const failed = v.checks.filter((c) => !c.ok);
  const text =
    `verify(): ${v.ok ? 'ok' : 'FAILED'} (${v.checks.length} checks${failed.length ? `; failed: ${failed.map((c) => `${c.name} ${JSON.stringify(c.detail)}`).join('; ')}` : ''}); ` +
    `trial balance: ${tb.balanced ? 'balanced' : 'UNBALANCED'} (posted ${tb.posted.toFixed(2)}, pending ${tb.pending.toFixed(2)}, ${tb.postings} postings) ` +
    `[${ms.toFixed(0)} ms]`;
  log(`  ${label} ${text}`);
  return { ok: v.ok && tb.balanced, text };
}

/** Transfers the database holds for each phase (ref_type = 'bench'), and distinct commit timestamps. */
async function committedByPhase(db: Db): Promise<Map<string, { transfers: number; timestamps: number }>> {
  const rows = await queryRows<{ ref_id: string; n: string; ts: string }>(
    db,
    sql`select ref_id, count(*) as n, count(distinct created_at) as ts from ledger_transfers
         where ref_type = 'bench' group by ref_id`,
  );
  return new Map(rows.map((r) => [r.ref_id, { transfers: Number(r.n), timestamps: Number(r.ts) }]));
}

// ---------------------------------------------------------------------------------------------
// Probes: where does one transfer's time go? (single connection, no contention)

interface ProbeResult {
  rttP50: number;
  commitP50: number;
  directP50: number;
  /** ledger_apply total_time per call (pg_stat_xact_user_functions). */
  serverPerOp: number;
  /** Wall time of the whole n-call statement divided by n. */
  statementPerOp: number;
  functions: Array<{ name: string; calls: number; selfMsPerCall: number; totalMsPerCall: number }>;
  pgStatStatements: string;
}

async function probes(url: string, wallets: readonly string[], settlements: readonly string[]): Promise<ProbeResult> {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    // At most n calls and at most ~3 s per probe.
    const time = async (n: number, f: (i: number) => Promise<unknown>) => {
      const samples: number[] = [];
      const until = performance.now() + 3000;
      for (let i = 0; i < n && performance.now() < until; i++) {
        const t0 = performance.now();
        await f(i);
        samples.push(performance.now() - t0);
      }
      return stats(samples);
    };
    await client`select 1`;
    const rtt = await time(500, () => client`select 1`);
    // A one-row insert into a logged table: its commit waits for a WAL flush (fsync) under
    // synchronous_commit=on. (A transaction that only takes an xid writes no WAL and does not flush.)
    await client`create table if not exists bench_commit_probe (id bigint)`;
    const commit = await time(300, (i) => client`insert into bench_commit_probe values (${i})`);
    await client`drop table bench_commit_probe`;
    const oneConn = (await createDb({ databaseUrl: url, maxConnections: 1 })).db;
    const makeOp = spreadOp('probe', wallets, settlements);
    await applyDirect(oneConn, makeOp(0, -1), new Date());
    const direct = await time(500, (i) => applyDirect(oneConn, makeOp(0, i), new Date()));
    await (oneConn as unknown as { $client: { end(o: { timeout: number }): Promise<void> } }).$client.end({ timeout: 5 });

    // Cost of ledger_apply without commit or per-statement overhead: n calls in one statement
    // and one transaction, timed by the client (one round trip in n), with per-function times
    // from pg_stat_xact_user_functions (track_functions = 'pl' for this transaction); rolled back.
    const n = 500;
    const reserved = await client.reserve();
    let serverPerOp = NaN;
    let statementPerOp = NaN;
    let functions: ProbeResult['functions'] = [];
    try {
      await reserved`begin`;
      await reserved`set local track_functions = 'pl'`;
      // Wallet-to-wallet transfers spread over all wallets (as (a), without settlement credits).
      const ids = wallets as string[];
      const t0 = performance.now();
      const [t] = await reserved`
        select count(*) filter (where (x.r->>'ok')::boolean) as ok
          from generate_series(1, ${n}::int) g,
               lateral (select ledger_apply(jsonb_build_object('op', 'transfer', 'key', ${`probe-xact:${runId}:`} || g,
                          'hash', 'probe', 'code', 'transfer', 'amount', '1.00',
                          'debit', (${ids}::uuid[])[1 + (g * 7919) % ${ids.length}::int],
                          'credit', (${ids}::uuid[])[1 + (g * 104729 + 13) % ${ids.length}::int]), now()) as r) x`;
      statementPerOp = (performance.now() - t0) / n;
      if (Number(t!.ok) !== n) throw new Error(`probe: only ${String(t!.ok)} of ${n} ledger_apply calls succeeded`);
      const fn = await reserved`
        select funcname, calls, self_time, total_time from pg_stat_xact_user_functions
         where funcname like 'ledger%' order by self_time desc`;
      functions = fn.map((f) => ({
        name: String(f.funcname),
        calls: Number(f.calls),
        selfMsPerCall: Number(f.self_time) / Number(f.calls),
        totalMsPerCall: Number(f.total_time) / Number(f.calls),
      }));
      const apply = functions.find((f) => f.name === 'ledger_apply');
      serverPerOp = apply ? apply.totalMsPerCall : NaN;
    } finally {
      await reserved`rollback`;
      reserved.release();
    }
    const [ext] = await client`select installed_version from pg_available_extensions where name = 'pg_stat_statements'`;
    const pgStatStatements = !ext ? 'not available on this server' : ext.installed_version ? `installed (${String(ext.installed_version)})` : 'available, not installed (needs shared_preload_libraries)';
    return { rttP50: rtt.p50, commitP50: commit.p50, directP50: direct.p50, serverPerOp, statementPerOp, functions, pgStatStatements };
  } finally {
    await client.end({ timeout: 5 });
  }
}

/** The same split for PGlite, through the Db handle (in-process: no network, same thread). */
async function pgliteProbes(db: Db) {
  const time = async (n: number, f: (i: number) => Promise<unknown>) => {
    const samples: number[] = [];
    const until = performance.now() + 3000;
    for (let i = 0; i < n && performance.now() < until; i++) {
      const t0 = performance.now();
      await f(i);
      samples.push(performance.now() - t0);
    }
    return stats(samples);
  };
  const rtt = await time(300, () => db.execute(sql`select 1`));
  await db.execute(sql`create table bench_commit_probe (id bigint)`);
  const commit = await time(200, (i) => db.execute(sql`insert into bench_commit_probe values (${i})`));
  await db.execute(sql`drop table bench_commit_probe`);
  const n = 200;
  let statementPerOp = NaN;
  class Rollback extends Error {}
  try {
    await db.transaction(async (tx) => {
      const t0 = performance.now();
      const [r] = await queryRows<{ ok: string | number }>(
        tx as unknown as Db,
        sql`with w as (select array_agg(id order by id) as ids from ledger_accounts where bounded)
            select count(*) filter (where (x.r->>'ok')::boolean) as ok
              from w, generate_series(1, ${n}::int) g,
                   lateral (select ledger_apply(jsonb_build_object('op', 'transfer', 'key', ${`probe-lite:${runId}:`} || g,
                              'hash', 'probe', 'code', 'transfer', 'amount', '1.00',
                              'debit', w.ids[1 + (g * 7919) % array_length(w.ids, 1)],
                              'credit', w.ids[1 + (g * 104729 + 13) % array_length(w.ids, 1)]), now()) as r) x`,
      );
      statementPerOp = (performance.now() - t0) / n;
      if (Number(r?.ok) !== n) throw new Error(`PGlite probe: only ${String(r?.ok)} of ${n} ledger_apply calls succeeded`);
      throw new Rollback();
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
  return { rttP50: rtt.p50, commitP50: commit.p50, statementPerOp };
}

// ---------------------------------------------------------------------------------------------
// Main

/** The commit measured, and whether the ledger's code differs from it in the working tree. */

const fmt = (n: number, digits = 0) =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '—';

async function main(): Promise<number> {
  const cores = cpus().length;
  const startedAt = new Date();
  log(`# Milepost ledger benchmark — ${startedAt.toISOString()}`);
  log(`code: ${codeVersion(['api/ledger', 'db/migrations/0000_init.sql', 'db/migrations/0001_ledger_rules.sql', 'db/schema/ledger.ts', 'db/client.ts'], 'the ledger code')}`);
  log(`node ${process.version}, ${cores} CPU(s) (${cpus()[0]?.model ?? 'unknown'}), BENCH_SECONDS=${SECONDS}, (b) in flight=${INFLIGHT}`);
  log(`load average at start: ${loadavg().map((l) => l.toFixed(2)).join(' ')} (anything else running shares these ${cores} CPUs and the disk)`);

  let cluster: PgCluster | null = null;
  let baseUrl = process.env.BENCH_DATABASE_URL?.trim() || '';
  let postmasterPid: number | null = null;
  const cleanups: Array<() => Promise<void>> = [];
  let proofsOk = true;

  try {
    if (baseUrl) {
      log(`PostgreSQL: BENCH_DATABASE_URL (${connParts(baseUrl).host}:${connParts(baseUrl).port}); server CPU not measured`);
    } else {
      const t0 = performance.now();
      cluster = await startCluster({ settings: LEDGER_CLUSTER_SETTINGS });
      baseUrl = cluster.url;
      postmasterPid = postmasterPidOf(cluster.dir);
      log(`PostgreSQL: throwaway cluster on port ${cluster.port}, started in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }

    // Databases for this run.
    const benchDb = `milepost_bench_${runId}`;
    const pgbenchDb = `pgbench_${runId}`;
    const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
    const [version] = await admin`select version() as v`;
    const settings = await admin`
      select name, setting, unit from pg_settings
       where name in ('fsync', 'synchronous_commit', 'full_page_writes', 'shared_buffers', 'max_connections', 'wal_level', 'max_wal_size', 'checkpoint_timeout')
       order by name`;
    log(`server: ${String(version!.v)}`);
    log(`settings: ${settings.map((s) => `${String(s.name)}=${String(s.setting)}${s.unit ? String(s.unit) : ''}`).join(', ')}`);
    await admin.unsafe(`create database ${benchDb}`);
    await admin.unsafe(`create database ${pgbenchDb}`);
    await admin.end({ timeout: 5 });
    if (!cluster) {
      cleanups.push(async () => {
        const a = postgres(baseUrl, { max: 1, onnotice: () => {} });
        try {
          await a.unsafe(`drop database if exists ${benchDb} with (force)`);
          await a.unsafe(`drop database if exists ${pgbenchDb} with (force)`);
        } finally {
          await a.end({ timeout: 5 });
        }
      });
    }
    const benchUrl = withDatabase(baseUrl, benchDb);

    // ---- Reference: pgbench ----------------------------------------------------------------
    log(`\n## Reference: pgbench TPC-B on the same server`);
    const pgb = await runPgbench(baseUrl, pgbenchDb, postmasterPid);
    log(
      `  pgbench: ${pgb.tps.toFixed(1)} tps` +
        (pgb.latencyAvg !== null ? `, latency average ${pgb.latencyAvg} ms` : '') +
        (pgb.cpu.server !== null && pgb.transactions ? `, server CPU ${pgb.cpu.server.toFixed(1)} s = ${((pgb.cpu.server / pgb.transactions) * 1e3).toFixed(3)} ms per transaction` : '') +
        (pgb.cpu.other !== null ? `, other processes (pgbench itself included) ${pgb.cpu.other.toFixed(1)} s of ${(pgb.seconds * cores).toFixed(1)} core-s` : '') +
        `; load average ${loadavg()[0]!.toFixed(2)}`,
    );
    if (pgb.transactions) describeWal(pgb.wal, pgb.transactions);
    describeWaits(pgb.waits);
    {
      // Drop the pgbench data so its pages and autovacuum don't compete with the ledger phases.
      const a = postgres(baseUrl, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database ${pgbenchDb} with (force)`);
      await a.end({ timeout: 5 });
    }

    // ---- Setup ---------------------------------------------------------------------------
    log(`\n## Setup`);
    const setupHandle = await createDb({ databaseUrl: benchUrl, maxConnections: 4 });
    await setupHandle.migrate();
    const wallets = await createWallets(setupHandle.db, WALLETS);
    const settlements = await createSettlements(setupHandle.db, SETTLEMENTS);
    {
      const t0 = performance.now();
      const ledger = createLedger(setupHandle.db, systemClock);
      const outcomes = await Promise.all(
        wallets.map((credit) =>
          ledger.run({ op: 'transfer', key: `bench:${runId}:fund:${credit}`, code: 'earn', debit: PROGRAMME_ACCOUNTS.issuance, credit, amount: FUNDING, reason: 'benchmark funding', refType: 'bench', refId: 'fund' }),
        ),
      );
      const bad = outcomes.filter((o) => !o.ok).length;
      if (bad > 0) throw new Error(`${bad} funding transfers failed`);
      log(`  ${WALLETS} wallets and ${SETTLEMENTS} partner settlement accounts; each wallet earned ${FUNDING.toFixed(2)} from issuance through the micro-batcher in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
    proofsOk = (await prove(setupHandle.db, 'after setup:')).ok && proofsOk;
    await setupHandle.close();

    const results: PhaseResult[] = [];
    const directPhase = async (id: 'a' | 'c', label: string, makeOp: OpFactory) => {
      await checkpoint(benchUrl);
      const handle = await createDb({ databaseUrl: benchUrl, maxConnections: CONNECTIONS });
      // Open all connections (and their type fetch) before timing.
      await Promise.all(Array.from({ length: CONNECTIONS }, () => handle.db.execute(sql`select pg_sleep(0.05)`)));
      const wal0 = await walCounters(benchUrl);
      const waits = sampleWaits(benchUrl, benchDb);
      const r = await runClosedLoop(id, label, CONNECTIONS, SECONDS, makeOp, (op) => applyDirect(handle.db, op, new Date()), postmasterPid);
      const waited = await waits.stop();
      results.push(r);
      describePhase(r, cores);
      describeWaits(waited);
      proofsOk = (await prove(handle.db, `after (${id}):`)).ok && proofsOk;
      await handle.close();
      describeWal(await walDelta(benchUrl, wal0), r.ok);
      return r;
    };

    // ---- (a) -------------------------------------------------------------------------------
    log(`\n## (a) one transaction per transfer, spread wallets, ${CONNECTIONS} connections, ${SECONDS} s`);
    const a = await directPhase('a', 'one transaction per transfer, spread wallets, 8 connections', spreadOp('a', wallets, settlements));

    // ---- (b) -------------------------------------------------------------------------------
    log(`\n## (b) micro-batched: createLedger(db, clock).run with ${INFLIGHT} callers in flight, ${SECONDS} s`);
    let b: PhaseResult;
    {
      await checkpoint(benchUrl);
      // The batcher is a single writer: it keeps one connection busy (more only when it falls
      // back to one-by-one after a failed batch), so only that one is opened ahead of time.
      const handle = await createDb({ databaseUrl: benchUrl, maxConnections: CONNECTIONS });
      await handle.db.execute(sql`select 1`);
      const ledger = createLedger(handle.db, systemClock);
      const wal0 = await walCounters(benchUrl);
      const waits = sampleWaits(benchUrl, benchDb);
      b = await runClosedLoop('b', `micro-batched, ${INFLIGHT} callers in flight`, INFLIGHT, SECONDS, spreadOp('b', wallets, settlements), (op) => ledger.run(op), postmasterPid);
      const waited = await waits.stop();
      results.push(b);
      describePhase(b, cores);
      describeWaits(waited);
      const committed = (await committedByPhase(handle.db)).get('b');
      if (committed) {
        log(`     ${committed.timestamps} batches (distinct commit timestamps), mean ${(committed.transfers / committed.timestamps).toFixed(1)} transfers per batch`);
      }
      proofsOk = (await prove(handle.db, 'after (b):')).ok && proofsOk;
      await handle.close();
      const wal = await walDelta(benchUrl, wal0);
      describeWal(wal, committed?.timestamps ?? 0, 'batch');
      if (b.ok > 0) log(`     WAL per transfer: ${fmt(wal.bytes / b.ok)} bytes, ${(wal.fpi / b.ok).toFixed(2)} full-page images`);
    }

    // ---- (c) -------------------------------------------------------------------------------
    log(`\n## (c) earning from one issuance account, ${CONNECTIONS} connections, ${SECONDS} s`);
    const c = await directPhase('c', 'earning from one issuance account, 8 connections', earnOp('c', wallets));

    // ---- cross-check the client's counts against the database ------------------------------
    const check = await createDb({ databaseUrl: benchUrl, maxConnections: 2 });
    const committed = await committedByPhase(check.db);
    for (const r of [a, b, c]) {
      const inDb = committed.get(r.id)?.transfers ?? 0;
      const okStr = inDb === r.ok ? 'matches' : 'DOES NOT MATCH';
      log(`  (${r.id}) transfers in the database: ${inDb} — ${okStr} the ${r.ok} successes the client counted`);
      if (inDb !== r.ok) proofsOk = false;
    }

    // ---- probes ----------------------------------------------------------------------------
    log(`\n## Probes (one connection, no contention): where one transfer's time goes`);
    const probe = await probes(benchUrl, wallets, settlements);
    log(`  round trip (select 1) p50: ${probe.rttP50.toFixed(3)} ms`);
    log(`  one-row insert, autocommit (commit waits for the WAL flush) p50: ${probe.commitP50.toFixed(3)} ms`);
    log(`  applyDirect transfer, sequential, one connection p50: ${probe.directP50.toFixed(3)} ms`);
    log(`  ledger_apply, 500 calls in one statement and transaction (rolled back, so no commit): ${probe.statementPerOp.toFixed(3)} ms per call wall, ${probe.serverPerOp.toFixed(3)} ms per call in ledger_apply`);
    for (const f of probe.functions) {
      log(`    ${f.name.padEnd(24)} calls ${String(f.calls).padStart(5)}  self ${f.selfMsPerCall.toFixed(4)} ms/call  total ${f.totalMsPerCall.toFixed(4)} ms/call`);
    }
    log(`  pg_stat_statements: ${probe.pgStatStatements}`);
    proofsOk = (await prove(check.db, 'final (PostgreSQL):')).ok && proofsOk;
    await check.close();

    // ---- (d) PGlite ------------------------------------------------------------------------
    log(`\n## (d) PGlite on disk, one caller, sequential applyDirect, ${PGLITE_SECONDS} s`);
    const dir = mkdtempSync(join(tmpdir(), 'milepost-bench-pglite-'));
    let d: PhaseResult;
    let lite: DbHandle | null = null;
    try {
      lite = await createDb({ dataDir: dir });
      await lite.migrate();
      const lw = await createWallets(lite.db, PGLITE_WALLETS);
      const ls = await createSettlements(lite.db, SETTLEMENTS);
      for (let i = 0; i < lw.length; i += 500) {
        const outcomes = await applyBatch(
          lite.db,
          lw.slice(i, i + 500).map((credit) => ({ op: 'transfer' as const, key: `bench:${runId}:fund:${credit}`, code: 'earn', debit: PROGRAMME_ACCOUNTS.issuance, credit, amount: FUNDING, refType: 'bench', refId: 'fund' })),
          new Date(),
        );
        if (outcomes.some((o) => !o.ok)) throw new Error('PGlite funding failed');
      }
      log(`  data dir ${dir}; ${PGLITE_WALLETS} wallets funded, ${SETTLEMENTS} settlement accounts`);
      // What a PGlite server's `db.analyze` job (every minute; PGlite has no autovacuum) has done by
      // the time its ledger holds these accounts: statistics for the tables that grew.
      log(`  statistics refreshed as the PGlite server's db.analyze job does: ${(await analyzeGrownTables(lite.db)).join(', ')}`);
      const liteDb = lite.db;
      d = await runClosedLoop('d', 'PGlite one-at-a-time', 1, PGLITE_SECONDS, spreadOp('d', lw, ls), (op) => applyDirect(liteDb, op, new Date()), null);
      results.push(d);
      describePhase(d, cores);
      const inDb = (await committedByPhase(liteDb)).get('d')?.transfers ?? 0;
      log(`  (d) transfers in the database: ${inDb} — ${inDb === d.ok ? 'matches' : 'DOES NOT MATCH'} the ${d.ok} successes the client counted`);
      if (inDb !== d.ok) proofsOk = false;
      proofsOk = (await prove(liteDb, 'after (d) (PGlite):')).ok && proofsOk;
      const lp = await pgliteProbes(liteDb);
      log(`  PGlite probes: select 1 p50 ${lp.rttP50.toFixed(3)} ms; one-row insert, autocommit p50 ${lp.commitP50.toFixed(3)} ms; ` +
        `ledger_apply, 200 calls in one statement (rolled back) ${lp.statementPerOp.toFixed(3)} ms per call`);
    } finally {
      await lite?.close();
      rmSync(dir, { recursive: true, force: true });
    }

    // ---- Table -------------------------------------------------------------------------------
    const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
    const met = (ok: boolean) => (ok ? 'yes' : '**no**');
    const lines = [
      row(['phase', 'transfers/s', 'p50 ms', 'p99 ms', '× pgbench', 'target', 'measured vs target', 'met?']),
      row(['---', '---:', '---:', '---:', '---:', '---', '---', '---']),
      row([
        `reference: pgbench TPC-B -s 10 -c 8 -j 2 -M prepared (tps)`,
        fmt(pgb.tps),
        pgb.latencyAvg !== null ? `avg ${pgb.latencyAvg.toFixed(2)}` : '—',
        '—',
        '1.00',
        '—',
        '—',
        '—',
      ]),
      row([
        '(a) one transaction per transfer, spread wallets, 8 connections',
        fmt(a.tps),
        a.latency.p50.toFixed(2),
        a.latency.p99.toFixed(2),
        (a.tps / pgb.tps).toFixed(2),
        `≥ ${TARGETS.a}× pgbench`,
        `${(a.tps / pgb.tps).toFixed(2)}× pgbench`,
        met(a.tps >= TARGETS.a * pgb.tps),
      ]),
      row([
        `(b) micro-batched, ${INFLIGHT} callers in flight`,
        fmt(b.tps),
        b.latency.p50.toFixed(2),
        b.latency.p99.toFixed(2),
        (b.tps / pgb.tps).toFixed(2),
        `≥ ${TARGETS.b}× pgbench`,
        `${(b.tps / pgb.tps).toFixed(2)}× pgbench`,
        met(b.tps >= TARGETS.b * pgb.tps),
      ]),
      row([
        '(c) earning from one issuance account, 8 connections',
        fmt(c.tps),
        c.latency.p50.toFixed(2),
        c.latency.p99.toFixed(2),
        (c.tps / pgb.tps).toFixed(2),
        `≥ ${TARGETS.cOfA}× (a)`,
        `${(c.tps / a.tps).toFixed(2)}× (a)`,
        met(c.tps >= TARGETS.cOfA * a.tps),
      ]),
      row([
        '(d) PGlite one-at-a-time (on disk)',
        fmt(d.tps),
        d.latency.p50.toFixed(2),
        d.latency.p99.toFixed(2),
        (d.tps / pgb.tps).toFixed(2),
        `≥ ${fmt(TARGETS.d)}/s`,
        `${fmt(d.tps)}/s`,
        met(d.tps >= TARGETS.d),
      ]),
    ];
    log(`\n## Results (${startedAt.toISOString().slice(0, 10)}, ${cores} CPUs shared by client and server, BENCH_SECONDS=${SECONDS})\n`);
    log(lines.join('\n'));
    log(`\nreference command: ${pgb.command}`);
    log(`proofs (verify() + trial balance after setup, each phase and at the end; client counts = database counts): ${proofsOk ? 'all ok' : 'FAILED'}`);
    const errors = results.reduce((n, r) => n + r.errors, 0);
    if (errors > 0) log(`errors thrown to callers: ${errors}`);
    return proofsOk && errors === 0 ? 0 : 1;
  } finally {
    for (const cleanup of cleanups) await cleanup().catch((e) => log(`cleanup failed: ${String(e)}`));
    if (cluster) await cluster.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
