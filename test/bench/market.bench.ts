// Market benchmark (`npm run bench:market`). Not a test: it measures, prints, and exits non-zero
// only when a proof fails (verify(), trial balance, database counts against client counts, stock
// against redemptions), when the server answers 5xx, or when a phase cannot run.
//
// One run, every figure measured in it. Over real HTTP on loopback to the real server, started as
// a child process (`node --import tsx api/main.ts`) on real PostgreSQL:
//   redemptions  POST /api/redemptions {offerId}, a random driver's bearer token, a random offer
//                and a unique Idempotency-Key per request (autocannon, closed loop)
//   catalog      GET /api/offers?category=repair with random drivers' tokens
//   reference    the same catalog answer and a voucher's answer, loaded the same way, from a bare
//                server on the app's stack (test/bench/market-reference.ts): what the app would
//                serve if its own work per request cost nothing
// then in-process probes (one connection, no contention) that count the SQL statements each
// request sends and time the pieces, and the proofs; then PostgreSQL's floor (the rows of a
// redemption written by pgbench, test/bench/market-floor.ts) and the proofs again. The ceilings
// at the end divide the CPUs by the least CPU a request needs: the reference server's, the load
// generator's and, for a redemption, the floor's. A target above its ceiling is out of this
// machine's reach on this stack, whatever the app does.
//
// Environment:
//   BENCH_DATABASE_URL  use this server (a superuser URL) instead of starting a throwaway cluster
//   BENCH_SECONDS       duration of each measured phase (default 20)
//   BENCH_CONNECTIONS   HTTP connections the load generator keeps busy (default 64)
//   BENCH_WARMUP        seconds of warm-up per endpoint before measuring, not reported in the table (default 3; 0 = none)
//   BENCH_WORKERS       the server's WORKERS: its processes on the one port (default: one per CPU)

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import Decimal from 'decimal.js';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { createApp } from '../../api/app';
import { createUser } from '../../api/auth/auth.service';
import { systemClock } from '../../api/clock';
import { parseConfig } from '../../api/config';
import type { SessionUser } from '../../api/http/env';
import { PROGRAMME_ACCOUNTS } from '../../api/ledger/accounts';
import { createLedger } from '../../api/ledger/ledger';
import { trialBalance, verify } from '../../api/ledger/reads';
import { approveOffer, createOffer } from '../../api/market/offers';
import { voucherQr } from '../../api/market/voucher';
import { createPartner } from '../../api/partners/partners.service';
import { createDb, queryRows, type Db } from '../../db/client';
import { startServer, type AppServer } from '../support/server-process';
import { sample } from '../support/prometheus';
import { FLOOR_BATCH, redeemFloor, type FloorResult } from './market-floor';
import * as schema from '../../db/schema/index';
import { freePort, startCluster, type PgCluster } from '../support/pg-cluster';
import { clientCpuSeconds, codeVersion, machineBusySeconds, positiveNumber, postgresCpuSeconds, postmasterPidOf, processCpuSeconds, ROOT, stats, type Stats, withDatabase } from './measure';

// ---------------------------------------------------------------------------------------------
// Configuration

const SECONDS = positiveNumber(process.env.BENCH_SECONDS, 20);
const CONNECTIONS = Math.max(1, Math.floor(positiveNumber(process.env.BENCH_CONNECTIONS, 64)));
const WARMUP = nonNegativeNumber(process.env.BENCH_WARMUP, 3);
const WORKERS = Math.max(1, Math.floor(positiveNumber(process.env.BENCH_WORKERS, cpus().length)));
const DRIVERS = 1_000;
const PARTNERS = 5;
const OFFERS = 50;
const FUNDING = new Decimal('1000000.00');
const STOCK = 1_000_000;
const PER_DRIVER_LIMIT = 1000;
const PASSWORD = 'bench-password-not-secret';
const CATEGORIES = ['repair', 'training', 'inspection', 'other'] as const;
const PARTNER_KINDS = ['garage', 'training_school', 'inspection_station'] as const;
const CATALOG_PATH = '/api/offers?category=repair';
/** Logins in flight at once during setup (each is an argon2id verify on the server). */
const LOGIN_CONCURRENCY = 4;
/** Users created at once during setup (each is an argon2id hash here). */
const CREATE_CONCURRENCY = 8;

const CLUSTER_SETTINGS = {
  fsync: 'on',
  synchronous_commit: 'on',
  full_page_writes: 'on',
  shared_buffers: '256MB',
  max_connections: '200',
};

const TARGETS = { redeemPerSec: 3000, redeemP99Ms: 50, readsPerSec: 10_000 } as const;

const runId = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
/** Every Idempotency-Key the load generator sends starts with this (no ':' — the server stores `driverId:key`). */
const KEY_PREFIX = `mb-${runId}-`;

function nonNegativeNumber(raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`expected a number ≥ 0, got ${JSON.stringify(raw)}`);
  return n;
}

const log = (...args: unknown[]) => console.log(...args);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fmt = (n: number, digits = 0) =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '—';

// ---------------------------------------------------------------------------------------------
// Statistics

// ---------------------------------------------------------------------------------------------
// CPU accounting: this process (load generator), the app server (child), PostgreSQL, the rest.

interface CpuUse {
  /** This process: the load generator (autocannon runs on this thread). */
  client: number;
  /** The Node app server (child process), all its threads. */
  app: number | null;
  /** Of which kernel time (system calls: sockets to clients and to PostgreSQL). */
  appSystem: number | null;
  /** PostgreSQL: postmaster and backends. */
  postgres: number | null;
  /** Everything else that ran on the machine meanwhile. */
  other: number | null;
}

function cpuWindow(appPid: number | null, postmasterPid: number | null) {
  const c0 = clientCpuSeconds();
  const a0 = processCpuSeconds(appPid);
  const p0 = postgresCpuSeconds(postmasterPid);
  const m0 = machineBusySeconds();
  return {
    stop(): CpuUse {
      const a1 = processCpuSeconds(appPid);
      const p1 = postgresCpuSeconds(postmasterPid);
      const m1 = machineBusySeconds();
      const client = clientCpuSeconds() - c0;
      const app = a0 === null || a1 === null ? null : a1.user + a1.system - a0.user - a0.system;
      const appSystem = a0 === null || a1 === null ? null : a1.system - a0.system;
      const pg = p0 === null || p1 === null ? null : p1 - p0;
      const other = m0 === null || m1 === null || app === null || pg === null ? null : Math.max(0, m1 - m0 - client - app - pg);
      return { client, app, appSystem, postgres: pg, other };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// What the server's PostgreSQL connections are doing: pg_stat_activity every 50 ms during a phase.

interface WaitReport {
  samples: number;
  rounds: number;
  top: Array<[string, number]>;
  /** Mean number of the app's connections not idle (running a statement or inside a transaction). */
  busyMean: number;
  /** Most connections the app had open in one sample. */
  maxConnections: number;
}

function sampleWaits(url: string, database: string) {
  const c = postgres(url, { max: 1, onnotice: () => {} });
  const counts = new Map<string, number>();
  let samples = 0;
  let rounds = 0;
  let busy = 0;
  let maxConnections = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const rows = await c`
        select state, wait_event_type, wait_event from pg_stat_activity
         where datname = ${database} and backend_type = 'client backend' and application_name = 'milepost' and pid <> pg_backend_pid()`;
      rounds++;
      maxConnections = Math.max(maxConnections, rows.length);
      for (const r of rows) {
        const key =
          r.state === 'active'
            ? r.wait_event_type
              ? `${String(r.wait_event_type)}:${String(r.wait_event)}`
              : 'on CPU (or runnable)'
            : `${String(r.state)}${r.wait_event ? ` (${String(r.wait_event)})` : ''}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
        if (r.state !== 'idle') busy++;
        samples++;
      }
      await sleep(50);
    }
  })();
  return {
    async stop(): Promise<WaitReport> {
      running = false;
      await loop;
      await c.end({ timeout: 5 });
      return { samples, rounds, top: [...counts].sort((a, b) => b[1] - a[1]).slice(0, 6), busyMean: rounds ? busy / rounds : NaN, maxConnections };
    },
  };
}

function describeWaits(w: WaitReport) {
  if (w.samples === 0) return;
  log(
    `     app server's PostgreSQL connections (${w.rounds} samples every 50 ms; at most ${w.maxConnections} open, on average ${w.busyMean.toFixed(1)} not idle): ` +
      w.top.map(([k, v]) => `${k} ${((v / w.samples) * 100).toFixed(0)}%`).join(', '),
  );
}

/** Waits until no connection of the app is inside a statement or transaction (bounded: 20 s). */
async function waitForQuiet(url: string, database: string): Promise<boolean> {
  const c = postgres(url, { max: 1, onnotice: () => {} });
  try {
    let quiet = 0;
    const until = performance.now() + 20_000;
    while (performance.now() < until) {
      const [r] = await c`
        select count(*)::int as n from pg_stat_activity
         where datname = ${database} and backend_type = 'client backend' and state <> 'idle' and pid <> pg_backend_pid()`;
      quiet = Number(r!.n) === 0 ? quiet + 1 : 0;
      if (quiet >= 3) return true;
      await sleep(100);
    }
    return false;
  } finally {
    await c.end({ timeout: 5 });
  }
}

// ---------------------------------------------------------------------------------------------
// The app server as a child process

// ---------------------------------------------------------------------------------------------
// Setup helpers

/** Runs `work(i)` for i in [0, n) with at most `limit` in flight; rejects on the first failure. */
async function pool<T>(n: number, limit: number, work: (i: number) => Promise<T>): Promise<T[]> {
  const out = new Array<T>(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, n) }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await work(i);
      }
    }),
  );
  return out;
}

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;

interface Driver {
  id: string;
  phone: string;
  token: string;
}

interface Scene {
  drivers: Driver[];
  offerIds: string[];
  repairOffers: number;
}

async function buildScene(db: Db): Promise<{ driverIds: Array<{ id: string; phone: string }>; offerIds: string[]; repairOffers: number }> {
  const now = systemClock.now();
  const committeeUser = await createUser(db, { role: 'committee', phone: '13900000000', name: 'Bench committee', password: PASSWORD });
  const committee: SessionUser = { id: committeeUser.id, role: 'committee', name: 'Bench committee', phone: '13900000000', partnerId: null };

  const partnerIds: string[] = [];
  for (let i = 0; i < PARTNERS; i++) {
    const p = await createPartner(
      db,
      committee.id,
      { name: `Bench partner ${i + 1}`, kind: PARTNER_KINDS[i % PARTNER_KINDS.length]!, region: ['Baoan', 'Nanshan', 'Longgang'][i % 3]!, address: `${i + 1} Harbour Road` },
      now,
    );
    partnerIds.push(p.id);
  }

  const offerIds: string[] = [];
  let repairOffers = 0;
  for (let i = 0; i < OFFERS; i++) {
    const category = CATEGORIES[i % CATEGORIES.length]!;
    if (category === 'repair') repairOffers++;
    const created = await createOffer(
      db,
      committee,
      {
        partnerId: partnerIds[i % PARTNERS]!,
        category,
        title: `Bench offer ${i + 1} (${category})`,
        description: 'Benchmark offer: large stock, generous per-driver limit.',
        faceValue: `¥${(i % 10) * 20 + 50} off`,
        price: new Decimal(1 + (i % 10)).toFixed(2),
        stock: STOCK,
        perDriverLimit: PER_DRIVER_LIMIT,
        limitPeriod: 'ever',
      },
      now,
    );
    await approveOffer(db, committee, created.id, now);
    offerIds.push(created.id);
  }

  const driverIds = await pool(DRIVERS, CREATE_CONCURRENCY, async (i) => {
    const phone = `130${String(i).padStart(8, '0')}`;
    const u = await createUser(db, { role: 'driver', phone, name: `Bench driver ${i + 1}`, password: PASSWORD, plateNumber: `粤B·${String(i).padStart(5, '0')}` });
    return { id: u.id, phone };
  });
  return { driverIds, offerIds, repairOffers };
}

async function fundDrivers(db: Db, driverIds: readonly string[]): Promise<void> {
  const rows = await queryRows<{ id: string; owner_id: string }>(db, sql`select id, owner_id from ledger_accounts where kind = 'driver_wallet'`);
  const walletByOwner = new Map(rows.map((r) => [r.owner_id, r.id]));
  const ledger = createLedger(db, systemClock);
  await Promise.all(
    driverIds.map((id) => {
      const wallet = walletByOwner.get(id);
      if (!wallet) throw new Error(`driver ${id} has no wallet`);
      return ledger.transfer({ key: `bench:${runId}:fund:${id}`, code: 'award', debit: PROGRAMME_ACCOUNTS.issuance, credit: wallet, amount: FUNDING, reason: 'benchmark funding' });
    }),
  );
}

async function loginAll(base: string, drivers: Array<{ id: string; phone: string }>): Promise<{ drivers: Driver[]; latency: Stats; seconds: number }> {
  const latencies: number[] = [];
  const t0 = performance.now();
  const out = await pool(drivers.length, LOGIN_CONCURRENCY, async (i) => {
    const d = drivers[i]!;
    const s = performance.now();
    const res = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone: d.phone, password: PASSWORD }),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    latencies.push(performance.now() - s);
    if (res.status !== 200) throw new Error(`login of ${d.phone} answered ${res.status}: ${text.slice(0, 300)}`);
    return { ...d, token: (JSON.parse(text) as { token: string }).token };
  });
  return { drivers: out, latency: stats(latencies), seconds: (performance.now() - t0) / 1000 };
}

// ---------------------------------------------------------------------------------------------
// Load phases (autocannon, closed loop, bounded by `duration`)

/** What the load generator sent and what came back, per Idempotency-Key (redemptions only). */
class KeyBook {
  seq = 0;
  /** Keys sent, and the status each got (0 = no response counted: cut off when the phase stopped or the connection dropped). */
  readonly status = new Map<string, number>();
  next(): string {
    const key = `${KEY_PREFIX}${++this.seq}`;
    this.status.set(key, 0);
    return key;
  }
}

interface PhaseResult {
  label: string;
  seconds: number;
  ok: number;
  byStatus: Map<number, number>;
  /** First body seen for each non-2xx status. */
  sampleBody: Map<number, string>;
  errors: number;
  timeouts: number;
  okLatency: Stats;
  allLatency: Stats;
  autocannonP50: number;
  autocannonP99: number;
  sent: number;
  cpu: CpuUse;
  waits: WaitReport;
  loadAvg: number;
  perSecond: number;
}

interface PhaseSpec {
  label: string;
  seconds: number;
  request: autocannon.Request;
}

async function runPhase(server: AppServer, spec: PhaseSpec, pgUrl: string, database: string, postmasterPid: number | null): Promise<PhaseResult> {
  const okLatencies: number[] = [];
  const allLatencies: number[] = [];
  const byStatus = new Map<number, number>();
  const sampleBody = new Map<number, string>();
  // autocannon decodes every response body to a string for `onResponse`, a tenth of the load
  // generator's CPU on the catalog's 7.5 KB answers. Only a phase that reads its bodies pays for it;
  // the others still count every status, and show a body for a failure when one repeats after the phase.
  const onResponse = spec.request.onResponse;
  const request: autocannon.Request = onResponse
    ? {
        ...spec.request,
        onResponse(status, body, context, headers) {
          if ((status < 200 || status >= 300) && !sampleBody.has(status)) sampleBody.set(status, body.slice(0, 300));
          onResponse(status, body, context, headers);
        },
      }
    : spec.request;
  const waits = sampleWaits(pgUrl, database);
  const cpu = cpuWindow(server.pid, postmasterPid);
  const t0 = performance.now();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      { url: server.base, connections: CONNECTIONS, duration: spec.seconds, pipelining: 1, timeout: 10, requests: [request] },
      (error, r) => (error ? reject(error) : resolve(r)),
    );
    instance.on('response', (_client: unknown, statusCode: number, _bytes: number, ms: number) => {
      allLatencies.push(ms);
      if (statusCode >= 200 && statusCode < 300) okLatencies.push(ms);
      byStatus.set(statusCode, (byStatus.get(statusCode) ?? 0) + 1);
    });
  });
  const seconds = (performance.now() - t0) / 1000;
  const used = cpu.stop();
  const waited = await waits.stop();
  if (!onResponse && [...byStatus.keys()].some((s) => s < 200 || s >= 300)) await sampleFailure(server.base, spec.request, sampleBody);
  const ok = okLatencies.length;
  return {
    label: spec.label,
    seconds,
    ok,
    byStatus,
    sampleBody,
    errors: result.errors,
    timeouts: result.timeouts,
    okLatency: stats(okLatencies),
    allLatency: stats(allLatencies),
    autocannonP50: result.latency.p50,
    autocannonP99: result.latency.p99,
    sent: result.requests.sent,
    cpu: used,
    waits: waited,
    loadAvg: loadavg()[0]!,
    perSecond: ok / seconds,
  };
}

/** One more of a phase's requests after it, to show the body of a failure that repeats (for phases whose bodies were not kept). */
async function sampleFailure(base: string, spec: autocannon.Request, into: Map<number, string>): Promise<void> {
  const req = spec.setupRequest ? spec.setupRequest({ ...spec }, {}) : spec;
  if (!req) return;
  const res = await fetch(`${base}${req.path}`, { method: req.method, headers: req.headers, body: req.body as string | undefined });
  const body = await res.text();
  if (res.status < 200 || res.status >= 300) into.set(res.status, `${body.slice(0, 300)} (a request after the phase)`);
}

interface RedeemBatches {
  written: number;
  runAlone: number;
  batched: number;
}

/** The server's redeem group-commit counters (all workers: the primary sums them for /metrics). */
async function redeemBatches(base: string): Promise<RedeemBatches> {
  const res = await fetch(`${base}/metrics`);
  const text = await res.text();
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}: ${text.slice(0, 300)}`);
  const read = (name: string, labels?: Record<string, string>) => {
    const value = sample(text, name, labels);
    if (value === undefined) throw new Error(`/metrics has no ${name}`);
    return value;
  };
  return {
    written: read('milepost_redeem_batches_total', { outcome: 'written' }),
    runAlone: read('milepost_redeem_batches_total', { outcome: 'run_alone' }),
    batched: read('milepost_redeem_batched_total'),
  };
}

function describeBatches(before: RedeemBatches, after: RedeemBatches, sent: number) {
  const written = after.written - before.written;
  const batched = after.batched - before.batched;
  const runAlone = after.runAlone - before.runAlone;
  log(
    `     redeem batches (the server's /metrics, all workers): ${fmt(written)} written, ${fmt(batched / written, 1)} redeems each on average; ` +
      `${fmt(batched)} of the ${fmt(sent)} redeems sent went in a batch, the rest alone (nothing in flight); ${fmt(runAlone)} batches failed as a whole and ran one by one`,
  );
}

function describePhase(r: PhaseResult, cores: number, unit: string) {
  const statuses = [...r.byStatus].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}: ${fmt(n)}`).join(', ') || 'none';
  log(
    `  ${r.label}: ${fmt(r.ok)} ${unit} answered 2xx in ${r.seconds.toFixed(2)} s = ${fmt(r.perSecond)}/s; ` +
      `2xx latency p50 ${r.okLatency.p50.toFixed(2)} ms, p99 ${r.okLatency.p99.toFixed(2)} ms, mean ${r.okLatency.mean.toFixed(2)} ms, max ${r.okLatency.max.toFixed(1)} ms`,
  );
  log(
    `     responses by status: ${statuses}; socket errors ${r.errors}, timeouts ${r.timeouts}; requests sent ${fmt(r.sent)} ` +
      `(autocannon's own histogram over all responses: p50 ${r.autocannonP50} ms, p99 ${r.autocannonP99} ms)`,
  );
  for (const [status, body] of r.sampleBody) log(`     first ${status} body: ${body}`);
  const per = (s: number | null) => (s === null || r.ok === 0 ? '' : ` (${((s / r.ok) * 1e3).toFixed(3)} ms per ${unit.replace(/s$/, '')})`);
  const cores1 = (s: number | null) => (s === null ? '' : `, ${(s / r.seconds).toFixed(2)} cores`);
  log(
    `     CPU: app server ${r.cpu.app === null ? '—' : `${r.cpu.app.toFixed(1)} s${per(r.cpu.app)}${cores1(r.cpu.app)}, of it kernel ${r.cpu.appSystem!.toFixed(1)} s`}, ` +
      `PostgreSQL ${r.cpu.postgres === null ? 'not measured' : `${r.cpu.postgres.toFixed(1)} s${per(r.cpu.postgres)}${cores1(r.cpu.postgres)}`}, ` +
      `load generator ${r.cpu.client.toFixed(1)} s${per(r.cpu.client)}, ` +
      `other processes ${r.cpu.other === null ? '—' : `${r.cpu.other.toFixed(1)} s`} of ${(r.seconds * cores).toFixed(1)} core-s; load average ${r.loadAvg.toFixed(2)}`,
  );
  describeWaits(r.waits);
}

function redeemRequest(drivers: readonly Driver[], offerIds: readonly string[], book: KeyBook): autocannon.Request {
  return {
    method: 'POST',
    path: '/api/redemptions',
    setupRequest(req, context) {
      const driver = pick(drivers);
      const key = book.next();
      context.key = key;
      return {
        ...req,
        method: 'POST',
        path: '/api/redemptions',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${driver.token}`, 'idempotency-key': key },
        body: JSON.stringify({ offerId: pick(offerIds) }),
      };
    },
    onResponse(status, _body, context) {
      const key = context.key as string | undefined;
      if (key) book.status.set(key, status);
    },
  };
}

function catalogRequest(drivers: readonly Driver[]): autocannon.Request {
  return {
    method: 'GET',
    path: CATALOG_PATH,
    setupRequest(req) {
      return { ...req, method: 'GET', path: CATALOG_PATH, headers: { authorization: `Bearer ${pick(drivers).token}` } };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Reference: what the stack alone serves (see test/bench/market-reference.ts)

async function runReference(
  bodies: { catalog: string; voucher: string },
  drivers: readonly Driver[],
  offerIds: readonly string[],
  pgUrl: string,
  database: string,
  postmasterPid: number | null,
): Promise<{ reads: PhaseResult; redemptions: PhaseResult }> {
  const dir = mkdtempSync(join(tmpdir(), 'milepost-reference-'));
  let reference: AppServer | null = null;
  try {
    writeFileSync(join(dir, 'catalog.json'), bodies.catalog);
    writeFileSync(join(dir, 'voucher.json'), bodies.voucher);
    writeFileSync(join(dir, 'tokens'), drivers.map((d) => `${d.token} ${d.id}\n`).join(''));
    reference = await startServer(
      {
        WORKERS: String(WORKERS),
        REFERENCE_BODY_FILE: join(dir, 'catalog.json'),
        REFERENCE_REDEEM_BODY_FILE: join(dir, 'voucher.json'),
        REFERENCE_TOKENS_FILE: join(dir, 'tokens'),
      },
      { entry: 'test/bench/market-reference.ts' },
    );
    const phase = async (label: string, request: () => autocannon.Request) => {
      if (WARMUP > 0) await runPhase(reference!, { label: `warm-up ${label}`, seconds: WARMUP, request: request() }, pgUrl, database, postmasterPid);
      return runPhase(reference!, { label, seconds: SECONDS, request: request() }, pgUrl, database, postmasterPid);
    };
    const reads = await phase('reference reads', () => catalogRequest(drivers));
    // Its own key book: the reference writes nothing, so these keys are not in the proofs.
    const redemptions = await phase('reference redemptions', () => redeemRequest(drivers, offerIds, new KeyBook()));
    const exited = reference.exited();
    if (exited) throw new Error(`the reference server exited (${JSON.stringify(exited)}):\n${reference.tail()}`);
    return { reads, redemptions };
  } finally {
    await reference?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Probes: one request at a time, in process, on one counting connection

interface RequestProbe {
  n: number;
  statementsPerRequest: number;
  statements: string[];
  latency: Stats;
  cpuMsPerRequest: number;
}

async function probes(url: string, scene: Scene) {
  const statements: string[] = [];
  let counting = false;
  const client = postgres(url, {
    max: 1,
    onnotice: () => {},
    connection: { application_name: 'milepost-probe' },
    debug: (_conn: number, query: string) => {
      if (counting) statements.push(query.replace(/\s+/g, ' ').trim());
    },
  });
  const db = drizzle({ client, schema }) as unknown as Db;
  const app = createApp({ db, config: parseConfig({ SEED: 'none' }), clock: systemClock });
  const driver = scene.drivers[0]!;
  let seq = 0;

  const probe = async (n: number, call: () => Response | Promise<Response>, expect: number): Promise<RequestProbe> => {
    // One untimed call first (warms the catalog cache and the connection's prepared statements).
    const first = await call();
    if (first.status !== expect) throw new Error(`probe: expected ${expect}, got ${first.status}: ${(await first.text()).slice(0, 300)}`);
    await first.arrayBuffer().catch(() => undefined);
    statements.length = 0;
    counting = true;
    const one = await call();
    await one.arrayBuffer();
    counting = false;
    const perRequest = [...statements];
    const samples: number[] = [];
    const cpu0 = clientCpuSeconds();
    const until = performance.now() + 3000;
    counting = true;
    statements.length = 0;
    let done = 0;
    for (; done < n && performance.now() < until; done++) {
      const t0 = performance.now();
      const res = await call();
      await res.arrayBuffer();
      samples.push(performance.now() - t0);
      if (res.status !== expect) throw new Error(`probe: expected ${expect}, got ${res.status}`);
    }
    counting = false;
    const cpu = clientCpuSeconds() - cpu0;
    return { n: done, statementsPerRequest: statements.length / Math.max(1, done), statements: perRequest, latency: stats(samples), cpuMsPerRequest: (cpu / Math.max(1, done)) * 1e3 };
  };

  try {
    const redeem = await probe(
      300,
      () =>
        app.request('/api/redemptions', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${driver.token}`, 'idempotency-key': `probe-${runId}-${++seq}` },
          body: JSON.stringify({ offerId: pick(scene.offerIds) }),
        }),
      201,
    );
    const catalog = await probe(1000, () => app.request(CATALOG_PATH, { headers: { authorization: `Bearer ${driver.token}` } }), 200);
    // The voucher's QR image alone (the redeem route draws one per response).
    const qrSamples: number[] = [];
    const qrCpu0 = clientCpuSeconds();
    const qrUntil = performance.now() + 2000;
    while (qrSamples.length < 500 && performance.now() < qrUntil) {
      const t0 = performance.now();
      await voucherQr('ABCDEFGHJK');
      qrSamples.push(performance.now() - t0);
    }
    const qrCpuMs = ((clientCpuSeconds() - qrCpu0) / Math.max(1, qrSamples.length)) * 1e3;
    return { redeem, catalog, qr: stats(qrSamples), qrCpuMs, probeRedemptions: 1 + 1 + redeem.n };
  } finally {
    await client.end({ timeout: 5 });
  }
}

// ---------------------------------------------------------------------------------------------
// Proofs

interface Proof {
  name: string;
  ok: boolean;
  detail: string;
}

async function proofs(db: Db, book: KeyBook, httpRedeem2xx: number): Promise<Proof[]> {
  const out: Proof[] = [];
  const v = await verify(db, new Date());
  const failed = v.checks.filter((c) => !c.ok);
  out.push({
    name: 'verify()',
    ok: v.ok,
    detail: v.ok ? `ok (${v.checks.length} checks)` : `FAILED: ${failed.map((c) => `${c.name} ${JSON.stringify(c.detail)}`).join('; ')}`,
  });
  const below = v.checks.find((c) => c.name === 'no bounded account below zero');
  out.push({ name: 'no wallet below zero (verify: "no bounded account below zero")', ok: below?.ok === true, detail: below ? (below.ok ? 'ok' : JSON.stringify(below.detail)) : 'check not found in verify()' });

  const tb = await trialBalance(db);
  out.push({ name: 'trial balance', ok: tb.balanced, detail: `${tb.balanced ? 'balanced' : 'UNBALANCED'} (posted ${tb.posted.toFixed(2)}, pending ${tb.pending.toFixed(2)}, ${fmt(tb.postings)} postings)` });

  // Database rows against what the load generator was told, key by key.
  const rows = await queryRows<{ k: string }>(
    db,
    sql`select substr(request_key, strpos(request_key, ':') + 1) as k from redemptions
         where substr(request_key, strpos(request_key, ':') + 1) like ${`${KEY_PREFIX}%`}`,
  );
  const inDb = new Set(rows.map((r) => r.k));
  let ok2xx = 0;
  let missing = 0;
  let refusedButStored = 0;
  let cutOff = 0;
  let cutOffStored = 0;
  for (const [key, status] of book.status) {
    if (status >= 200 && status < 300) {
      ok2xx++;
      if (!inDb.has(key)) missing++;
    } else if (status === 0) {
      cutOff++;
      if (inDb.has(key)) cutOffStored++;
    } else if (inDb.has(key)) {
      refusedButStored++;
    }
  }
  let unknown = 0;
  for (const k of inDb) if (!book.status.has(k)) unknown++;
  const countsOk = missing === 0 && refusedButStored === 0 && unknown === 0 && inDb.size === ok2xx + cutOffStored && ok2xx === httpRedeem2xx;
  out.push({
    name: 'redemption rows = 2xx redemption responses',
    ok: countsOk,
    detail:
      `${fmt(inDb.size)} rows for the load generator's keys = ${fmt(ok2xx)} answered 2xx + ${fmt(cutOffStored)} of the ${fmt(cutOff)} requests cut off in flight ` +
      `when a phase stopped (committed, response not counted); 2xx without a row: ${missing}; refused (non-2xx) with a row: ${refusedButStored}; rows with a key never sent: ${unknown}`,
  });

  // Stock: every voucher taken from an offer is a redemption row of that offer.
  const stock = await queryRows<{ id: string; taken: number; redeemed: number }>(
    db,
    sql`select o.id, (o.stock_total - o.stock_left)::int as taken, count(r.id)::int as redeemed
          from offers o left join redemptions r on r.offer_id = o.id
         group by o.id, o.stock_total, o.stock_left`,
  );
  const badStock = stock.filter((s) => Number(s.taken) !== Number(s.redeemed));
  const taken = stock.reduce((n, s) => n + Number(s.taken), 0);
  out.push({
    name: "every offer's stock_total − stock_left = its redemptions",
    ok: badStock.length === 0,
    detail: badStock.length === 0 ? `ok for all ${stock.length} offers (${fmt(taken)} vouchers taken in all)` : `MISMATCH: ${badStock.slice(0, 5).map((s) => `${s.id}: taken ${s.taken}, redemptions ${s.redeemed}`).join('; ')}`,
  });

  // Every redemption holds exactly its price from the driver's wallet: an open hold of that amount.
  const [holds] = await queryRows<{ n: number; bad: number }>(
    db,
    sql`select count(*)::int as n,
               count(*) filter (where t.id is null or t.type <> 'pending' or t.amount <> r.price
                                  or not exists (select 1 from ledger_open_holds h where h.hold_id = r.hold_id))::int as bad
          from redemptions r left join ledger_transfers t on t.id = r.hold_id`,
  );
  out.push({
    name: 'every redemption has its open hold for its price',
    ok: Number(holds!.bad) === 0,
    detail: `${fmt(Number(holds!.n))} redemptions, ${Number(holds!.bad)} without a matching open hold`,
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Main



async function main(): Promise<number> {
  const cores = cpus().length;
  const startedAt = new Date();
  log(`# Milepost market benchmark — ${startedAt.toISOString()}`);
  log(`code: ${codeVersion(['api', 'db'], 'api/ and db/')}`);
  log(`node ${process.version}, ${cores} CPU(s) (${cpus()[0]?.model ?? 'unknown'}), BENCH_SECONDS=${SECONDS}, BENCH_CONNECTIONS=${CONNECTIONS}, BENCH_WARMUP=${WARMUP}, BENCH_WORKERS=${WORKERS}`);
  log(`load average at start: ${loadavg().map((l) => l.toFixed(2)).join(' ')} (the load generator, the app server and PostgreSQL share these ${cores} CPUs)`);

  let cluster: PgCluster | null = null;
  let server: AppServer | null = null;
  let baseUrl = process.env.BENCH_DATABASE_URL?.trim() || '';
  let postmasterPid: number | null = null;
  let dropDatabase: (() => Promise<void>) | null = null;
  const database = `milepost_market_${runId}`;

  try {
    if (baseUrl) {
      log(`PostgreSQL: BENCH_DATABASE_URL (${new URL(baseUrl).host}); PostgreSQL CPU not measured`);
    } else {
      const t0 = performance.now();
      cluster = await startCluster({ settings: CLUSTER_SETTINGS });
      baseUrl = cluster.url;
      postmasterPid = postmasterPidOf(cluster.dir);
      log(`PostgreSQL: throwaway cluster on port ${cluster.port}, started in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
    {
      const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
      const [version] = await admin`select version() as v`;
      const settings = await admin`
        select name, setting, unit from pg_settings
         where name in ('fsync', 'synchronous_commit', 'full_page_writes', 'shared_buffers', 'max_connections')
         order by name`;
      log(`server: ${String(version!.v)}`);
      log(`settings: ${settings.map((s) => `${String(s.name)}=${String(s.setting)}${s.unit ? String(s.unit) : ''}`).join(', ')}`);
      await admin.unsafe(`create database ${database}`);
      await admin.end({ timeout: 5 });
    }
    if (!cluster) {
      dropDatabase = async () => {
        const a = postgres(baseUrl, { max: 1, onnotice: () => {} });
        try {
          await a.unsafe(`drop database if exists ${database} with (force)`);
        } finally {
          await a.end({ timeout: 5 });
        }
      };
    }
    const dbUrl = withDatabase(baseUrl, database);

    // ---- Setup -------------------------------------------------------------------------------
    log(`\n## Setup`);
    const setup = await createDb({ databaseUrl: dbUrl, maxConnections: CREATE_CONCURRENCY });
    let sceneIds: Awaited<ReturnType<typeof buildScene>>;
    try {
      await setup.migrate();
      const t0 = performance.now();
      sceneIds = await buildScene(setup.db);
      log(
        `  1 committee member, ${PARTNERS} partners, ${OFFERS} active offers (${sceneIds.repairOffers} in 'repair'; stock ${fmt(STOCK)} each, ` +
          `${PER_DRIVER_LIMIT} per driver ever, prices 1.00–10.00) and ${fmt(DRIVERS)} drivers, with the app's own functions, in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
      );
      const t1 = performance.now();
      await fundDrivers(setup.db, sceneIds.driverIds.map((d) => d.id));
      log(`  each driver's wallet got ${FUNDING.toFixed(2)} points from issuance (ledger transfer, micro-batched) in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
    } finally {
      await setup.close();
    }

    const t2 = performance.now();
    server = await startServer({ DATABASE_URL: dbUrl, SEED: 'none', WORKERS: String(WORKERS) });
    log(
      `  app server: \`node --import tsx api/main.ts\` (pid ${server.pid}) on ${server.base}, SEED=none, WORKERS=${WORKERS} ` +
        `(${WORKERS === 1 ? 'one process' : `${WORKERS} processes on the one port; its CPU below is theirs together`}), answered /healthz after ${((performance.now() - t2) / 1000).toFixed(1)} s`,
    );
    const logins = await loginAll(server.base, sceneIds.driverIds);
    log(
      `  ${fmt(logins.drivers.length)} drivers signed in over HTTP (${LOGIN_CONCURRENCY} at a time) in ${logins.seconds.toFixed(1)} s; ` +
        `login p50 ${logins.latency.p50.toFixed(1)} ms, p99 ${logins.latency.p99.toFixed(1)} ms (argon2id; not in the measured phases)`,
    );
    const scene: Scene = { drivers: logins.drivers, offerIds: sceneIds.offerIds, repairOffers: sceneIds.repairOffers };
    const book = new KeyBook();
    const checkAlive = () => {
      const e = server!.exited();
      if (e) throw new Error(`the app server exited (${JSON.stringify(e)}):\n${server!.tail()}`);
    };

    // ---- Warm-up -----------------------------------------------------------------------------
    let warmRedeem2xx = 0;
    if (WARMUP > 0) {
      log(`\n## Warm-up: ${WARMUP} s per endpoint, ${CONNECTIONS} connections (not in the table)`);
      const wr = await runPhase(server, { label: 'warm-up redemptions', seconds: WARMUP, request: redeemRequest(scene.drivers, scene.offerIds, book) }, baseUrl, database, postmasterPid);
      warmRedeem2xx = wr.ok;
      log(`  warm-up redemptions: ${fmt(wr.perSecond)}/s 2xx, p50 ${wr.okLatency.p50.toFixed(2)} ms, p99 ${wr.okLatency.p99.toFixed(2)} ms`);
      await waitForQuiet(baseUrl, database);
      const wc = await runPhase(server, { label: 'warm-up catalog reads', seconds: WARMUP, request: catalogRequest(scene.drivers) }, baseUrl, database, postmasterPid);
      log(`  warm-up catalog reads: ${fmt(wc.perSecond)}/s 2xx, p50 ${wc.okLatency.p50.toFixed(2)} ms, p99 ${wc.okLatency.p99.toFixed(2)} ms`);
      checkAlive();
    }

    // ---- Redemptions ---------------------------------------------------------------------------
    log(`\n## Redemptions: POST /api/redemptions, random driver × random offer, unique Idempotency-Key, ${CONNECTIONS} connections, ${SECONDS} s`);
    const batchesBefore = await redeemBatches(server.base);
    const redeem = await runPhase(
      server,
      { label: 'redemptions', seconds: SECONDS, request: redeemRequest(scene.drivers, scene.offerIds, book) },
      baseUrl,
      database,
      postmasterPid,
    );
    describePhase(redeem, cores, 'redemptions');
    const quiet = await waitForQuiet(baseUrl, database);
    if (!quiet) log('  (the server still had statements running 20 s after the phase; counts below may be short)');
    describeBatches(batchesBefore, await redeemBatches(server.base), redeem.sent);
    checkAlive();

    // ---- Catalog reads -------------------------------------------------------------------------
    log(`\n## Catalog reads: GET ${CATALOG_PATH} (${scene.repairOffers} offers in the answer), random driver tokens, ${CONNECTIONS} connections, ${SECONDS} s`);
    const catalog = await runPhase(server, { label: 'catalog reads', seconds: SECONDS, request: catalogRequest(scene.drivers) }, baseUrl, database, postmasterPid);
    describePhase(catalog, cores, 'reads');
    checkAlive();
    const answer = await fetch(`${server.base}${CATALOG_PATH}`, { headers: { authorization: `Bearer ${scene.drivers[0]!.token}` } });
    if (answer.status !== 200) throw new Error(`the catalog answered ${answer.status} for the reference's body`);
    const catalogBody = await answer.text();
    // One more redeem, for the reference's voucher answer; the proofs count it like any other.
    const voucherKey = book.next();
    const voucherAnswer = await fetch(`${server.base}/api/redemptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${scene.drivers[0]!.token}`, 'idempotency-key': voucherKey },
      body: JSON.stringify({ offerId: scene.offerIds[0] }),
    });
    const voucherBody = await voucherAnswer.text();
    book.status.set(voucherKey, voucherAnswer.status);
    if (voucherAnswer.status !== 201) throw new Error(`a redeem answered ${voucherAnswer.status} for the reference's body: ${voucherBody.slice(0, 300)}`);
    const warnings = server.warnings();
    await server.stop();
    log(`\n  app server stopped (${JSON.stringify(server.exited())}); warn/error log lines during the run: ${warnings}`);
    server = null;

    // ---- Reference ---------------------------------------------------------------------------
    log(
      `\n## Reference: the same answers (catalog ${fmt(Buffer.byteLength(catalogBody))} bytes, voucher ${fmt(Buffer.byteLength(voucherBody))} bytes) ` +
        `from a bare server on the app's stack, loaded the same way, ${SECONDS} s each`,
    );
    log(
      `  (test/bench/market-reference.ts: WORKERS=${WORKERS}, Hono, request id, request log line, security headers, token lookup, ` +
        `a redeem's JSON body and Idempotency-Key read; no session, view, validation, metrics or database)`,
    );
    const references = await runReference({ catalog: catalogBody, voucher: voucherBody }, scene.drivers, scene.offerIds, baseUrl, database, postmasterPid);
    const reference = references.reads;
    describePhase(reference, cores, 'reads');
    describePhase(references.redemptions, cores, 'redemptions');

    // ---- Probes --------------------------------------------------------------------------------
    log(`\n## Probes: the same app in process (createApp + app.request), one PostgreSQL connection, one request at a time`);
    const p = await probes(dbUrl, scene);
    const describeProbe = (name: string, r: RequestProbe) => {
      log(
        `  ${name}: ${r.statementsPerRequest.toFixed(1)} SQL statements (round trips) per request over ${r.n} requests; ` +
          `p50 ${r.latency.p50.toFixed(2)} ms, p99 ${r.latency.p99.toFixed(2)} ms; Node CPU ${r.cpuMsPerRequest.toFixed(3)} ms per request (this process, all threads; no HTTP sockets)`,
      );
      r.statements.forEach((s, i) => log(`     ${String(i + 1).padStart(2)}. ${s.length > 150 ? `${s.slice(0, 147)}...` : s}`));
    };
    describeProbe('POST /api/redemptions', p.redeem);
    describeProbe(`GET ${CATALOG_PATH}`, p.catalog);
    log(`  voucherQr() alone (SVG QR as a data URL): p50 ${p.qr.p50.toFixed(3)} ms, ${p.qrCpuMs.toFixed(3)} ms CPU per image over ${p.qr.n} images`);

    // ---- Proofs --------------------------------------------------------------------------------
    log(`\n## Proofs`);
    const check = await createDb({ databaseUrl: dbUrl, maxConnections: 2 });
    // The redeems answered 2xx: warm-up, measured phase, and the one for the reference's voucher.
    const httpRedeem2xx = warmRedeem2xx + redeem.ok + 1;
    let results: Proof[];
    try {
      results = await proofs(check.db, book, httpRedeem2xx);
    } finally {
      await check.close();
    }
    for (const r of results) log(`  ${r.ok ? 'ok  ' : 'FAIL'} ${r.name}: ${r.detail}`);
    log(`  (the counts cover the warm-up and measured phases; the probes added ${p.probeRedemptions} redemptions with their own keys, included in the stock and hold checks)`);
    // ---- PostgreSQL floor ------------------------------------------------------------------------
    let floor: FloorResult | null = null;
    if (postmasterPid === null) log(`\n## PostgreSQL floor: not run (BENCH_DATABASE_URL: this run cannot measure the server's CPU)`);
    else {
      log(`\n## PostgreSQL floor: the rows of a redemption, hand-made SQL, ${FLOOR_BATCH} a transaction, one pgbench client, ${SECONDS} s (test/bench/market-floor.ts)`);
      const dir = mkdtempSync(join(tmpdir(), 'milepost-market-floor-'));
      const handle = await createDb({ databaseUrl: dbUrl, maxConnections: 2 });
      try {
        floor = await redeemFloor(handle.db, baseUrl, database, dir, SECONDS, postmasterPid);
        log(`  ${fmt(floor.redemptions)} redemptions written in ${floor.seconds.toFixed(1)} s = ${fmt(floor.perSecond)}/s; PostgreSQL CPU ${floor.cpuMs.toFixed(3)} ms a redemption`);
        const after = await proofs(handle.db, book, httpRedeem2xx);
        for (const r of after) log(`  ${r.ok ? 'ok  ' : 'FAIL'} after the floor: ${r.name}: ${r.detail}`);
        results.push(...after.filter((r) => !r.ok));
      } finally {
        await handle.close();
        rmSync(dir, { recursive: true, force: true });
      }
    }
    const proofsOk = results.every((r) => r.ok);
    const fiveXX = [...redeem.byStatus, ...catalog.byStatus, ...reference.byStatus, ...references.redemptions.byStatus].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0);

    // ---- Table ---------------------------------------------------------------------------------
    const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
    const met = (ok: boolean) => (ok ? 'yes' : '**no**');
    const non2xx = (r: PhaseResult) => [...r.byStatus].filter(([s]) => s < 200 || s >= 300).reduce((n, [, c]) => n + c, 0);
    const lines = [
      row(['phase', 'per second', 'p50 ms', 'p99 ms', 'non-2xx', 'target', 'met?']),
      row(['---', '---:', '---:', '---:', '---:', '---', '---']),
      row([
        `redemptions (POST /api/redemptions, ${CONNECTIONS} connections)`,
        fmt(redeem.perSecond),
        redeem.okLatency.p50.toFixed(2),
        redeem.okLatency.p99.toFixed(2),
        fmt(non2xx(redeem)),
        `≥ ${fmt(TARGETS.redeemPerSec)}/s, p99 < ${TARGETS.redeemP99Ms} ms`,
        met(redeem.perSecond >= TARGETS.redeemPerSec && redeem.okLatency.p99 < TARGETS.redeemP99Ms),
      ]),
      row([
        `catalog reads (GET ${CATALOG_PATH}, ${CONNECTIONS} connections)`,
        fmt(catalog.perSecond),
        catalog.okLatency.p50.toFixed(2),
        catalog.okLatency.p99.toFixed(2),
        fmt(non2xx(catalog)),
        `≥ ${fmt(TARGETS.readsPerSec)}/s`,
        met(catalog.perSecond >= TARGETS.readsPerSec),
      ]),
      row([
        `reference: the same answer from a bare server (catalog = ${(catalog.perSecond / reference.perSecond).toFixed(2)}× it)`,
        fmt(reference.perSecond),
        reference.okLatency.p50.toFixed(2),
        reference.okLatency.p99.toFixed(2),
        fmt(non2xx(reference)),
        '—',
        '—',
      ]),
      row([
        `reference: a fixed voucher from the bare server (redemptions = ${(redeem.perSecond / references.redemptions.perSecond).toFixed(2)}× it)`,
        fmt(references.redemptions.perSecond),
        references.redemptions.okLatency.p50.toFixed(2),
        references.redemptions.okLatency.p99.toFixed(2),
        fmt(non2xx(references.redemptions)),
        '—',
        '—',
      ]),
      row([`PostgreSQL floor: a redemption's rows, ${FLOOR_BATCH} a transaction, one pgbench client`, floor ? fmt(floor.perSecond) : 'not run', '—', '—', '—', '—', '—']),
    ];
    // What this machine could serve if the app's work cost no more than the reference's and
    // PostgreSQL's no more than the floor's: its CPUs over the CPU one request needs at the least.
    const cpuMs = (r: PhaseResult, seconds: number | null) => (seconds === null || r.ok === 0 ? NaN : (seconds / r.ok) * 1e3);
    const refRedeem = references.redemptions;
    const redeemFloorMs = { server: cpuMs(refRedeem, refRedeem.cpu.app), generator: cpuMs(refRedeem, refRedeem.cpu.client), postgres: floor?.cpuMs ?? NaN };
    const readFloorMs = { server: cpuMs(reference, reference.cpu.app), generator: cpuMs(reference, reference.cpu.client) };
    const redeemCeiling = (cores * 1e3) / (redeemFloorMs.server + redeemFloorMs.generator + redeemFloorMs.postgres);
    const readCeiling = (cores * 1e3) / (readFloorMs.server + readFloorMs.generator);
    const verdict = (ceiling: number, target: number) =>
      !Number.isFinite(ceiling) ? 'not measured' : ceiling >= target ? 'the ceiling clears the target' : '**the ceiling is below the target**';
    log(`\n## Results (${startedAt.toISOString().slice(0, 10)}, ${cores} CPUs shared by the load generator, the app server (WORKERS=${WORKERS}) and PostgreSQL; BENCH_SECONDS=${SECONDS})\n`);
    log(lines.join('\n'));
    log(`\nper second counts 2xx responses only; p50/p99 are over the 2xx responses (nearest rank over every sample).`);
    log(`\n## Ceilings: ${cores} CPUs over the least CPU a request needs here (the reference server's, the load generator's, the PostgreSQL floor's)\n`);
    log(
      `  redemptions: ${cores} × 1000 / (${redeemFloorMs.server.toFixed(3)} + ${redeemFloorMs.generator.toFixed(3)} + ${redeemFloorMs.postgres.toFixed(3)} ms) ` +
        `= ${fmt(redeemCeiling)}/s against ≥ ${fmt(TARGETS.redeemPerSec)}/s: ${verdict(redeemCeiling, TARGETS.redeemPerSec)}; ` +
        `the app spent ${cpuMs(redeem, redeem.cpu.app).toFixed(3)} + PostgreSQL ${cpuMs(redeem, redeem.cpu.postgres).toFixed(3)} ms`,
    );
    log(
      `  catalog reads: ${cores} × 1000 / (${readFloorMs.server.toFixed(3)} + ${readFloorMs.generator.toFixed(3)} ms) ` +
        `= ${fmt(readCeiling)}/s against ≥ ${fmt(TARGETS.readsPerSec)}/s: ${verdict(readCeiling, TARGETS.readsPerSec)}; ` +
        `the app spent ${cpuMs(catalog, catalog.cpu.app).toFixed(3)} ms`,
    );
    // The same figures turned round: at the target rate, how much CPU a request may use in all,
    // how much of it the bare parts take, and how much the app and PostgreSQL spent beyond them.
    const budget = (what: string, target: number, bare: number, spent: number) => {
      const allowed = (cores * 1e3) / target;
      const left = allowed - bare;
      const cut = spent > 0 && left < spent ? ` (${fmt((1 - Math.max(left, 0) / spent) * 100)}% of it would have to go)` : '';
      log(
        `  ${what} at ${fmt(target)}/s: ${allowed.toFixed(3)} ms of CPU each in all; the bare parts take ${bare.toFixed(3)} ms, ` +
          `leaving ${left.toFixed(3)} ms for the work beyond them, on which this run spent ${spent.toFixed(3)} ms${cut}`,
      );
    };
    log(`\n## Budget at the targets: ${cores} CPUs over the target rate, less the bare parts above\n`);
    budget(
      'a redemption',
      TARGETS.redeemPerSec,
      redeemFloorMs.server + redeemFloorMs.generator + redeemFloorMs.postgres,
      cpuMs(redeem, redeem.cpu.app) - redeemFloorMs.server + (cpuMs(redeem, redeem.cpu.postgres) - redeemFloorMs.postgres) + (cpuMs(redeem, redeem.cpu.client) - redeemFloorMs.generator),
    );
    budget(
      'a catalog read',
      TARGETS.readsPerSec,
      readFloorMs.server + readFloorMs.generator,
      cpuMs(catalog, catalog.cpu.app) - readFloorMs.server + cpuMs(catalog, catalog.cpu.postgres) + (cpuMs(catalog, catalog.cpu.client) - readFloorMs.generator),
    );
    log('  (the work beyond: session, validation, decisions and their reads, locks, the answer and, for a redemption, its QR image;');
    log('   the load generator\'s extra CPU for the app\'s answers over the reference\'s counts too)');
    log(`proofs (verify(), trial balance, rows = 2xx responses, stock = redemptions, holds): ${proofsOk ? 'all ok' : 'FAILED'}`);
    if (fiveXX > 0) log(`5xx responses: ${fiveXX}`);
    log(`finished in ${((Date.now() - startedAt.getTime()) / 1000).toFixed(0)} s`);
    return proofsOk && fiveXX === 0 ? 0 : 1;
  } finally {
    if (server) await server.stop().catch((e) => log(`stopping the server failed: ${String(e)}`));
    if (dropDatabase) await dropDatabase().catch((e) => log(`cleanup failed: ${String(e)}`));
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
