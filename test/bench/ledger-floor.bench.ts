// The floor under the ledger benchmark (`npm run bench:ledger-floor`). Not a test: it measures and
// prints. It answers one question per phase of `bench:ledger`: how fast can this machine write
// the rows a transfer writes, with no application at all?
//
// A transfer between two wallets writes, on the full schema (every index, check and ledger
// trigger): its idempotency record, the two wallets' counters (locked in id order first), the
// transfer and its two legs with each wallet's balance and line number after it. Here those
// writes are hand-made SQL with nothing read or decided beyond that: no request hash, no
// per-operation outcome, no UUIDv7 function, no JSON, and from pgbench's C client, not Node.
// So the ledger can only be slower than each floor.
//
//   reference   pgbench TPC-B (-s 10, 8 clients, prepared), as `bench:ledger` runs it
//   floor (a)   one transaction per transfer, 8 pgbench clients, 4 round trips each
//   floor (b)   one writer (1 pgbench client), 256 transfers a transaction, set-based
//   floor (d)   PGlite on disk, one transaction per transfer: the same statements in a plpgsql
//               function (PGlite plans every statement a client sends; a function's plans are
//               cached), one call each, straight to PGlite (no drizzle)
//
// Then verify() on both ledgers: the floors wrote what the ledger would have (balanced legs,
// counters equal to their postings), so they did the same work.
//
// Environment: BENCH_SECONDS (default 20; floor (d) runs half as long).

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Decimal from 'decimal.js';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { systemClock } from '../../api/clock';
import { PROGRAMME_ACCOUNTS } from '../../api/ledger/accounts';
import { createLedger } from '../../api/ledger/ledger';
import { verify } from '../../api/ledger/reads';
import { analyzeGrownTables, createDb, queryRows, type Db } from '../../db/client';
import { startCluster } from '../support/pg-cluster';
import { codeVersion, connParts, LEDGER_CLUSTER_SETTINGS, pgbench, pgbenchBinary, positiveNumber, postmasterPidOf, runFile, withDatabase } from './measure';

const SECONDS = positiveNumber(process.env.BENCH_SECONDS, 20);
const WALLETS = 1_000;
const BATCH = 256;
const TARGETS = { a: 1.2, b: 4, d: 2000 } as const;
const log = (...args: unknown[]) => console.log(...args);

/** Wallet n's id, computable inside SQL and pgbench scripts alike. */
const walletId = (n: string) => `md5('w' || ${n})::uuid`;
/** A time-ordered id (microseconds, then 64 random bits), as cheap as SQL makes one. */
const orderedId = `(lpad(to_hex((extract(epoch from clock_timestamp()) * 1000000)::bigint), 16, '0') || substr(md5(random()::text), 1, 16))::uuid`;

/** One wallet-to-wallet transfer of 1 point: lock both rows in id order, then every write in one statement (`PERFORM` for the lock in plpgsql). */
function transferStatements(x: string, y: string, code: string, select = 'SELECT'): string[] {
  return [
    `${select} 1 FROM ledger_accounts WHERE id IN (${walletId(x)}, ${walletId(y)}) ORDER BY id FOR NO KEY UPDATE;`,
    `WITH k AS (INSERT INTO ledger_idempotency (key, request_hash, result, created_at) VALUES ('${code}:' || ${orderedId}, 'floor', '{"ok": true}', now())),
      d AS (UPDATE ledger_accounts SET posted = posted - 1, entries = entries + 1
             WHERE id = ${walletId(x)} AND posted - debits_pending >= 1 RETURNING id, posted, entries),
      c AS (UPDATE ledger_accounts SET posted = posted + 1, entries = entries + 1 WHERE id = ${walletId(y)} RETURNING id, posted, entries),
      t AS (INSERT INTO ledger_transfers (id, type, code, amount, created_at) VALUES (${orderedId}, 'posted', '${code}', 1, now()) RETURNING id)
    INSERT INTO ledger_postings (transfer_id, leg, account_id, amount, pending, balance_after, seq, created_at)
    SELECT t.id, 0, d.id, -1, false, d.posted, d.entries, now() FROM t, d
    UNION ALL SELECT t.id, 1, c.id, 1, false, c.posted, c.entries, now() FROM t, c;`,
  ];
}

/** pgbench script for floor (a). */
function transferScript(): string {
  return [
    `\\set x random(1, ${WALLETS})`,
    `\\set y random(1, ${WALLETS - 1})`,
    `\\set y case when :y >= :x then :y + 1 else :y end`,
    'BEGIN;',
    ...transferStatements(':x::int', ':y::int', 'floor-a'),
    'END;',
  ].join('\n');
}

/** pgbench script for floor (b): BATCH random transfers, derived from one seed so every statement sees the same ones. */
function batchScript(): string {
  const legs = `legs (g, tid, leg, acct, amt) AS (
      SELECT g, (lpad(to_hex(:t0::bigint + g), 16, '0') || substr(md5(:t0::text || ':' || g), 1, 16))::uuid, l.leg, ${walletId('l.n')}, l.amt
        FROM generate_series(1, ${BATCH}) g,
             LATERAL (SELECT 1 + (hashint8(:t0::bigint + g)::bigint + 2147483648) % ${WALLETS} AS x,
                             1 + (hashint8(-(:t0::bigint + g))::bigint + 2147483648) % ${WALLETS - 1} AS y) r,
             LATERAL (VALUES (0::smallint, r.x, -1::numeric), (1::smallint, CASE WHEN r.y >= r.x THEN r.y + 1 ELSE r.y END, 1::numeric)) l(leg, n, amt))`;
  return [
    'BEGIN;',
    `SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::bigint * ${BATCH} AS t0 \\gset`,
    `WITH ${legs} SELECT 1 FROM ledger_accounts WHERE id IN (SELECT acct FROM legs) ORDER BY id FOR NO KEY UPDATE;`,
    `WITH ${legs} INSERT INTO ledger_idempotency (key, request_hash, result, created_at) SELECT 'floor-b:' || tid, 'floor', '{"ok": true}', now() FROM legs WHERE leg = 0;`,
    `WITH ${legs} INSERT INTO ledger_transfers (id, type, code, amount, created_at) SELECT tid, 'posted', 'floor-b', 1, now() FROM legs WHERE leg = 0;`,
    `WITH ${legs} INSERT INTO ledger_postings (transfer_id, leg, account_id, amount, pending, balance_after, seq, created_at)
       SELECT l.tid, l.leg, l.acct, l.amt, false, a.posted + sum(l.amt) OVER w, a.entries + row_number() OVER w, now()
         FROM legs l JOIN ledger_accounts a ON a.id = l.acct WINDOW w AS (PARTITION BY l.acct ORDER BY l.g, l.leg);`,
    `WITH ${legs} UPDATE ledger_accounts a SET posted = a.posted + s.total, entries = a.entries + s.n
       FROM (SELECT acct, sum(amt) AS total, count(*) AS n FROM legs GROUP BY acct) s WHERE a.id = s.acct;`,
    'END;',
  ].join('\n');
}

/** WALLETS wallets with computable ids, each funded from issuance through the ledger itself. */
async function fundedWallets(db: Db): Promise<void> {
  await db.execute(sql.raw(`insert into ledger_accounts (id, kind, owner_id, bounded)
    select ${walletId('g')}, 'driver_wallet', gen_random_uuid(), true from generate_series(1, ${WALLETS}) g`));
  const ids = await queryRows<{ id: string }>(db, sql.raw(`select ${walletId('g')}::text as id from generate_series(1, ${WALLETS}) g`));
  const ledger = createLedger(db, systemClock);
  const outcomes = await Promise.all(
    ids.map(({ id }) => ledger.run({ op: 'transfer', key: `floor:fund:${id}`, code: 'earn', debit: PROGRAMME_ACCOUNTS.issuance, credit: id, amount: new Decimal(1_000_000) })),
  );
  if (outcomes.some((o) => !o.ok)) throw new Error('funding the wallets failed');
  await analyzeGrownTables(db);
}

async function transfersWith(db: Db, code: string): Promise<number> {
  const [row] = await queryRows<{ n: string }>(db, sql`select count(*) as n from ledger_transfers where code = ${code}`);
  return Number(row!.n);
}

async function proof(db: Db, label: string): Promise<boolean> {
  const result = await verify(db, new Date());
  const failed = result.checks.filter((c) => !c.ok).map((c) => c.name);
  log(`  ${label}: verify() ${result.ok ? `ok (${result.checks.length} checks)` : `FAILED: ${failed.join(', ')}`}`);
  return result.ok;
}

async function main(): Promise<number> {
  log(`# Milepost ledger floor — ${new Date().toISOString()}`);
  log(`code: ${codeVersion(['db/migrations', 'test/bench/ledger-floor.bench.ts'], 'the schema and this benchmark')}`);
  log(`node ${process.version}, ${cpus().length} CPU(s), BENCH_SECONDS=${SECONDS}; load average at start ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const cluster = await startCluster({ settings: LEDGER_CLUSTER_SETTINGS });
  const pid = postmasterPidOf(cluster.dir);
  const scripts = mkdtempSync(join(tmpdir(), 'milepost-floor-'));
  let ok = true;
  try {
    const admin = postgres(cluster.url, { max: 1, onnotice: () => {} });
    await admin.unsafe('create database pgbench_ref');
    await admin.unsafe('create database ledger_floor');
    await admin.end();

    log('\n## Reference: pgbench TPC-B');
    const c = connParts(cluster.url);
    await runFile(pgbenchBinary(), ['-i', '-s', '10', '-h', c.host, '-p', c.port, '-U', c.user, 'pgbench_ref'], { ...process.env });
    const ref = await pgbench(cluster.url, 'pgbench_ref', ['-c', '8', '-j', '2'], SECONDS, pid);
    log(`  ${ref.tps.toFixed(0)} tps; server CPU ${((ref.serverCpu / (ref.tps * ref.seconds)) * 1000).toFixed(3)} ms a transaction`);

    const url = withDatabase(cluster.url, 'ledger_floor');
    const handle = await createDb({ databaseUrl: url, maxConnections: 4 });
    await handle.migrate();
    await fundedWallets(handle.db);

    log(`\n## Floor (a): one transaction per transfer, 8 pgbench clients`);
    writeFileSync(join(scripts, 'transfer.sql'), transferScript());
    const a = await pgbench(url, 'ledger_floor', ['-n', '-c', '8', '-j', '2', '-f', join(scripts, 'transfer.sql')], SECONDS, pid);
    const aRows = await transfersWith(handle.db, 'floor-a');
    log(`  ${a.tps.toFixed(0)} transfers/s = ${(a.tps / ref.tps).toFixed(2)}× TPC-B; server CPU ${((a.serverCpu / aRows) * 1000).toFixed(3)} ms a transfer; ${aRows} transfers written`);
    ok = (await proof(handle.db, 'after floor (a)')) && ok;

    log(`\n## Floor (b): one writer, ${BATCH} transfers a transaction, set-based`);
    writeFileSync(join(scripts, 'batch.sql'), batchScript());
    const b = await pgbench(url, 'ledger_floor', ['-n', '-c', '1', '-f', join(scripts, 'batch.sql')], SECONDS, pid);
    const bRows = await transfersWith(handle.db, 'floor-b');
    const bRate = b.tps * BATCH;
    log(`  ${bRate.toFixed(0)} transfers/s = ${(bRate / ref.tps).toFixed(2)}× TPC-B; server CPU ${((b.serverCpu / bRows) * 1000).toFixed(3)} ms a transfer; ${bRows} transfers written`);
    ok = (await proof(handle.db, 'after floor (b)')) && ok;
    await handle.close();

    log(`\n## Floor (d): PGlite on disk, one transaction per transfer, one function call each`);
    const dir = mkdtempSync(join(tmpdir(), 'milepost-floor-pglite-'));
    const lite = await createDb({ dataDir: dir });
    let dRate = NaN;
    try {
      await lite.migrate();
      await fundedWallets(lite.db);
      // PGlite parses and plans every statement a client sends, so the writes go in a function
      // (its plans are cached, as ledger_apply's are), called with parameters.
      await lite.db.execute(sql.raw(`create function floor_transfer(x int, y int) returns void language plpgsql as $f$
        begin ${transferStatements('x', 'y', 'floor-d', 'PERFORM').join('\n')} end $f$`));
      const client = (lite.db as unknown as { $client: { query(q: string, params: unknown[]): Promise<unknown> } }).$client;
      const until = performance.now() + (SECONDS / 2) * 1000;
      const t0 = performance.now();
      let n = 0;
      while (performance.now() < until) {
        const x = 1 + Math.floor(Math.random() * WALLETS);
        let y = 1 + Math.floor(Math.random() * (WALLETS - 1));
        if (y >= x) y += 1;
        await client.query('select floor_transfer($1, $2)', [x, y]);
        n++;
      }
      dRate = n / ((performance.now() - t0) / 1000);
      const dRows = await transfersWith(lite.db, 'floor-d');
      log(`  ${dRate.toFixed(0)} transfers/s; ${dRows} transfers written`);
      if (dRows !== n) {
        log(`  FAILED: ${n} transactions ran, ${dRows} transfers in the database`);
        ok = false;
      }
      ok = (await proof(lite.db, 'after floor (d)')) && ok;
    } finally {
      await lite.close();
      rmSync(dir, { recursive: true, force: true });
    }

    const verdict = (floor: number, target: number) => (floor >= target ? 'the floor clears the target' : '**the floor is below the target**');
    log(`\n## Floors against the targets of bench:ledger (one run, ${cpus().length} CPUs shared by client and server)\n`);
    log('| phase | floor | target | |');
    log('| --- | ---: | ---: | --- |');
    log(`| reference: pgbench TPC-B -s 10 -c 8 -j 2 -M prepared | ${ref.tps.toFixed(0)} tps | — | |`);
    log(`| (a) one transaction per transfer, 8 clients | ${a.tps.toFixed(0)}/s = ${(a.tps / ref.tps).toFixed(2)}× | ≥ ${TARGETS.a}× | ${verdict(a.tps / ref.tps, TARGETS.a)} |`);
    log(`| (b) one writer, ${BATCH} a transaction | ${bRate.toFixed(0)}/s = ${(bRate / ref.tps).toFixed(2)}× | ≥ ${TARGETS.b}× | ${verdict(bRate / ref.tps, TARGETS.b)} |`);
    log(`| (d) PGlite, one at a time | ${dRate.toFixed(0)}/s | ≥ ${TARGETS.d}/s | ${verdict(dRate, TARGETS.d)} |`);
    log(`\nproofs: ${ok ? 'all ok' : 'FAILED'}`);
  } finally {
    rmSync(scripts, { recursive: true, force: true });
    await cluster.stop();
  }
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
