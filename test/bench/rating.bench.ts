// Rating benchmark (`npm run bench:rating`). Not a test: it measures, prints, and exits non-zero
// only when a phase cannot run or the full and incremental re-grades disagree.
//
// One PostgreSQL server, one database, every figure measured in this run:
//   setup        100,000 drivers and ~5,000,000 activity rows, generated set-based in SQL
//                (mostly safety events; approved and other volunteering claims; grid reports)
//   full         regradeAll: the first grading of everyone (every row written), then the daily
//                re-run with nothing changed, then a run a day later (windows moved)
//   incremental  regradeDriver for a few thousand random drivers, one at a time: with nothing
//                changed (read + score), and right after a new approved claim (read + score + write)
//   proof        a full re-grade after the incremental ones changes nobody: both paths agree
//
// Environment:
//   BENCH_DATABASE_URL  use this server (a superuser URL) instead of starting a throwaway cluster
//   BENCH_DRIVERS       drivers (default 100000)
//   BENCH_SAMPLES       incremental re-grades per variant (default 3000)

import { cpus, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { FakeClock } from '../../api/clock';
import { localDate } from '../../api/earning/earn';
import { regradeAll, regradeDriver, type FullRegrade } from '../../api/rating/engine';
import { createDb, queryOne, queryRows, type Db } from '../../db/client';
import { startCluster, type PgCluster } from '../support/pg-cluster';
import { codeVersion, positiveNumber, postmasterPidOf, stats, withDatabase } from './measure';

const DRIVERS = Math.floor(positiveNumber(process.env.BENCH_DRIVERS, 100_000));
const SAMPLES = Math.floor(positiveNumber(process.env.BENCH_SAMPLES, 3_000));
/** Rows per driver, on average: 42 safety events, 5 claims, 3 reports = 50 → ~5,000,000 at 100k drivers. */
const SAFETY_PER_DRIVER = 42;
const CLAIMS_PER_DRIVER = 5;
const REPORTS_PER_DRIVER = 3;

const TARGETS = { fullSeconds: 20, incrementalP99Ms: 10 } as const;

const CLUSTER_SETTINGS = {
  fsync: 'on',
  synchronous_commit: 'on',
  full_page_writes: 'on',
  shared_buffers: '256MB',
  work_mem: '64MB',
  max_connections: '50',
};

const runId = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const log = (...args: unknown[]) => console.log(...args);
const fmt = (n: number) => n.toLocaleString('en-US');
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function timed<T>(what: string, f: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await f();
  const ms = performance.now() - t0;
  log(`  ${what}: ${secs(ms)}`);
  return { value, ms };
}

/** The population, set-based: a handful of INSERT … SELECT statements, no per-row round trips. */
export async function generate(db: Db, now: Date): Promise<void> {
  const at = sql`${now.toISOString()}::timestamptz`;
  await timed(`${fmt(DRIVERS)} drivers`, () =>
    db.execute(sql`
      insert into users (role, phone, name, plate_number, password_hash, created_at)
      select 'driver', '15' || lpad(g::text, 9, '0'), 'Driver ' || g, '粤B·' || lpad(g::text, 6, '0'), 'bench', ${at} - (random() * 1000) * interval '1 day'
        from generate_series(1, ${DRIVERS}) g`),
  );
  await db.execute(sql`insert into photos (owner_id, mime, bytes, sha256, content) select id, 'image/jpeg', 3, 'bench', '\\x010203'::bytea from users where role = 'driver' limit 1`);
  // Safety events over two years: mostly passed checks; violations and accidents are rare, as in
  // a real fleet (so grades spread over AAA … B); 2 % voided by appeals. Each driver gets a random
  // count (the `0 * u.n` makes the count per driver, not one value for the whole statement).
  await timed(`~${fmt(DRIVERS * SAFETY_PER_DRIVER)} safety events`, () =>
    db.execute(sql`
      insert into safety_events (external_id, driver_id, kind, severity, occurred_at, voided_at)
      select 'bench-' || u.n || '-' || s, u.id,
             case when x.r < 0.96 then 'inspection_passed' when x.r < 0.9966 then 'violation' else 'accident' end,
             case when x.r < 0.96 then null when x.r < 0.99 then 'minor' when x.r < 0.9966 then 'major' when x.r < 0.9993 then 'at_fault_minor' else 'serious' end,
             ${at} - (random() * 730) * interval '1 day',
             case when random() < 0.02 then ${at} else null end
        from (select id, row_number() over () as n from users where role = 'driver') u
        cross join lateral generate_series(1, (random() * ${SAFETY_PER_DRIVER * 2} + 0 * u.n)::int) s
        cross join lateral (select random() + 0 * s as r) x`),
  );
  await timed(`~${fmt(DRIVERS * CLAIMS_PER_DRIVER)} volunteering claims`, () =>
    db.execute(sql`
      insert into volunteer_claims (driver_id, event, activity_date, hours, status)
      select u.id, 'Convoy', (${at} at time zone 'Asia/Shanghai')::date - (random() * 600)::int, (1 + floor(random() * 32) / 4)::numeric(5, 2),
             case when random() < 0.75 then 'approved' when random() < 0.5 then 'submitted' else 'rejected' end
        from users u cross join lateral generate_series(1, (random() * ${CLAIMS_PER_DRIVER * 2} + 0 * length(u.phone))::int) s
       where u.role = 'driver'`),
  );
  await timed(`~${fmt(DRIVERS * REPORTS_PER_DRIVER)} grid reports`, () =>
    db.execute(sql`
      insert into grid_reports (driver_id, photo_id, lat, lng, category, status, verified_at)
      select u.id, p.id, 22.5, 113.9, 'pothole', st.status,
             case when st.status in ('verified', 'forwarded', 'resolved', 'closed') then ${at} - (random() * 600) * interval '1 day' end
        from users u
        cross join (select id from photos limit 1) p
        cross join lateral generate_series(1, (random() * ${REPORTS_PER_DRIVER * 2} + 0 * length(u.phone))::int) s
        cross join lateral (select (array['verified', 'forwarded', 'resolved', 'closed', 'submitted', 'rejected'])[1 + floor(random() * 6 + 0 * s)::int] as status) st
       where u.role = 'driver'`),
  );
  await timed('ANALYZE', () => db.execute(sql`analyze`));
}

function fullLine(label: string, r: FullRegrade, ms: number) {
  return `| ${label} | ${secs(ms)} | ${fmt(r.drivers)} | ${fmt(r.changed)} | ${fmt(r.history)} | ${fmt(r.gradeChanges)} |`;
}

async function main() {
  log(`# Milepost rating benchmark — ${new Date().toISOString()}`);
  log(`code: ${codeVersion(['api', 'db'], 'api/ and db/')}`);
  log(`node ${process.version}, ${cpus().length} CPU(s) (${cpus()[0]?.model ?? 'unknown'}), BENCH_DRIVERS=${DRIVERS}, BENCH_SAMPLES=${SAMPLES}`);
  log(`load average at start: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);

  let cluster: PgCluster | null = null;
  let baseUrl = process.env.BENCH_DATABASE_URL?.trim() || '';
  const database = `milepost_rating_${runId}`;
  let failed = false;
  try {
    if (baseUrl) {
      log(`PostgreSQL: BENCH_DATABASE_URL (${new URL(baseUrl).host})`);
    } else {
      const t0 = performance.now();
      cluster = await startCluster({ settings: CLUSTER_SETTINGS });
      baseUrl = cluster.url;
      const pid = postmasterPidOf(cluster.dir);
      log(`PostgreSQL: throwaway cluster on port ${cluster.port} (postmaster ${pid}), started in ${secs(performance.now() - t0)}`);
    }
    {
      const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
      const [version] = await admin`select version() as v`;
      const settings = await admin`
        select name, setting, unit from pg_settings
         where name in ('fsync', 'synchronous_commit', 'shared_buffers', 'work_mem', 'max_parallel_workers_per_gather')
         order by name`;
      log(`server: ${String(version!.v)}`);
      log(`settings: ${settings.map((s) => `${String(s.name)}=${String(s.setting)}${s.unit ? String(s.unit) : ''}`).join(', ')}`);
      await admin.unsafe(`create database ${database}`);
      await admin.end({ timeout: 5 });
    }
    const handle = await createDb({ databaseUrl: withDatabase(baseUrl, database), maxConnections: 4 });
    const db = handle.db;
    try {
      await handle.migrate();
      const clock = new FakeClock(new Date());
      log(`\n## Setup (as of ${clock.now().toISOString()}, local date ${localDate(clock.now())})`);
      await generate(db, clock.now());
      const counts = await queryOne<Record<string, number>>(
        db,
        sql`select (select count(*) from users where role = 'driver')::int as drivers,
                   (select count(*) from safety_events)::int as safety,
                   (select count(*) from volunteer_claims)::int as claims,
                   (select count(*) from grid_reports)::int as reports`,
      );
      const rows = Number(counts!.safety) + Number(counts!.claims) + Number(counts!.reports);
      log(
        `  ${fmt(Number(counts!.drivers))} drivers; ${fmt(rows)} activity rows: ${fmt(Number(counts!.safety))} safety events, ` +
          `${fmt(Number(counts!.claims))} volunteering claims, ${fmt(Number(counts!.reports))} grid reports`,
      );

      log(`\n## Full re-grade (one set-based statement over all drivers, then the notices)`);
      const first = await timed('first grading of everyone', () => regradeAll(db, clock, { cause: 'recompute' }));
      const steady = await timed('same day again, nothing changed', () => regradeAll(db, clock, { cause: 'recompute' }));
      clock.advance(86_400_000);
      const nextDay = await timed('a day later (windows and streaks moved)', () => regradeAll(db, clock, { cause: 'daily' }));

      const distribution = await queryRows<{ grade: string; n: number }>(db, sql`select grade, count(*)::int as n from driver_ratings group by grade order by grade`);
      log(`  grades now: ${distribution.map((d) => `${d.grade} ${fmt(Number(d.n))}`).join(', ')}`);

      log(`\n## Incremental re-grade (regradeDriver, one driver at a time, ${fmt(SAMPLES)} random drivers per variant)`);
      const sample = (
        await queryRows<{ id: string }>(db, sql`select id from users where role = 'driver' order by random() limit ${SAMPLES * 2}`)
      ).map((r) => r.id);
      const unchangedMs: number[] = [];
      for (const id of sample.slice(0, SAMPLES)) {
        const t0 = performance.now();
        await regradeDriver(db, clock, id);
        unchangedMs.push(performance.now() - t0);
      }
      const afterActivityMs: number[] = [];
      let wrote = 0;
      for (const id of sample.slice(SAMPLES)) {
        await db.execute(sql`insert into volunteer_claims (driver_id, event, activity_date, hours, status) values (${id}, 'Bench convoy', ${localDate(clock.now())}, 2, 'approved')`);
        const t0 = performance.now();
        const r = await regradeDriver(db, clock, id, 'activity');
        afterActivityMs.push(performance.now() - t0);
        if (r?.changed) wrote++;
      }
      const u = stats(unchangedMs);
      const a = stats(afterActivityMs);
      log(`  nothing changed:        p50 ${u.p50.toFixed(2)} ms, p99 ${u.p99.toFixed(2)} ms, max ${u.max.toFixed(2)} ms`);
      log(`  after a new claim:      p50 ${a.p50.toFixed(2)} ms, p99 ${a.p99.toFixed(2)} ms, max ${a.max.toFixed(2)} ms (${fmt(wrote)} of ${fmt(SAMPLES)} wrote a new rating)`);

      log(`\n## Proof: a full re-grade after the incremental ones changes nobody`);
      const proof = await timed('full re-grade at the same moment', () => regradeAll(db, clock, { cause: 'recompute' }));
      if (proof.value!.changed !== 0) {
        failed = true;
        log(`  FAILED: ${proof.value!.changed} drivers differ between the incremental and the full re-grade`);
      } else {
        log(`  ok: 0 of ${fmt(proof.value!.drivers)} drivers changed`);
      }

      log(`\n## Results`);
      log(`| full re-grade | time | drivers | rows written | history rows | grade changes |`);
      log(`|---|---|---|---|---|---|`);
      log(fullLine('first grading (all written)', first.value!, first.ms));
      log(fullLine('same day, nothing changed', steady.value!, steady.ms));
      log(fullLine('next day', nextDay.value!, nextDay.ms));
      log('');
      log(`| incremental re-grade | samples | p50 | p99 | max |`);
      log(`|---|---|---|---|---|`);
      log(`| nothing changed | ${fmt(u.n)} | ${u.p50.toFixed(2)} ms | ${u.p99.toFixed(2)} ms | ${u.max.toFixed(2)} ms |`);
      log(`| after a new approved claim (writes) | ${fmt(a.n)} | ${a.p50.toFixed(2)} ms | ${a.p99.toFixed(2)} ms | ${a.max.toFixed(2)} ms |`);
      log(`load average at end: ${loadavg().map((l) => l.toFixed(2)).join(' ')} (the benchmark, PostgreSQL and anything else share these CPUs)`);
      const worstFull = Math.max(first.ms, steady.ms, nextDay.ms) / 1000;
      const worstP99 = Math.max(u.p99, a.p99);
      log('');
      log(`targets: full < ${TARGETS.fullSeconds} s → worst ${worstFull.toFixed(2)} s ${worstFull < TARGETS.fullSeconds ? 'met' : 'MISSED'}; ` +
        `incremental p99 < ${TARGETS.incrementalP99Ms} ms → worst ${worstP99.toFixed(2)} ms ${worstP99 < TARGETS.incrementalP99Ms ? 'met' : 'MISSED'}`);
    } finally {
      await handle.close();
    }
  } catch (error) {
    failed = true;
    console.error(error);
  } finally {
    if (cluster) await cluster.stop();
    else if (baseUrl) {
      const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
      await admin.unsafe(`drop database if exists ${database} with (force)`).catch(() => {});
      await admin.end({ timeout: 5 });
    }
  }
  process.exit(failed ? 1 : 0);
}

// Run when executed (npm run bench:rating), not when a probe imports `generate`.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) void main();
