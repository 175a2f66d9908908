// The floor under the attendance import (`npm run bench:earning-floor`). Not a test: it measures
// and prints. It answers one question: how fast can this machine's PostgreSQL take the rows a
// paid attendance row writes, with no application at all?
//
// Per row, as the import writes it: an approved claim, a ledger transfer with its two legs, the
// transfer's idempotency record, the wallet's counters and the earning that names the rule
// version, with every index, foreign key, check and ledger trigger the schema has. Here they are
// written by hand-made set-based SQL, 2,000 rows a transaction, with nothing read or decided:
// no duplicate or cap checks, no grades, no re-grade. So the import can only be slower.
//
// Two rounds on one throwaway durable cluster (fsync and synchronous_commit on), each on a
// fresh database with 100,000 drivers: one connection, then two side by side (the import's lanes).

import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import postgres from 'postgres';
import { PROGRAMME_ACCOUNTS } from '../../api/ledger/accounts';
import { createDb } from '../../db/client';
import { startCluster } from '../support/pg-cluster';
import { codeVersion, postgresCpuSeconds, postmasterPidOf, withDatabase } from './measure';

const ROWS = 100_000;
const CHUNK = 2_000;
const log = (...args: unknown[]) => console.log(...args);

async function round(baseUrl: string, postmasterPid: number, connections: number): Promise<void> {
  const name = `milepost_floor_${connections}_${Date.now().toString(36)}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = withDatabase(baseUrl, name);
  const handle = await createDb({ databaseUrl: url, maxConnections: 1 });
  await handle.migrate();
  await handle.close();
  const pg = postgres(url, { max: connections, onnotice: () => {} });
  try {
    await pg`insert into users (role, phone, name, plate_number, password_hash)
             select 'driver', '131' || lpad(g::text, 8, '0'), 'Driver ' || g, 'P' || g, 'x' from generate_series(1, ${ROWS}::int) g`;
    await pg`insert into ledger_accounts (kind, owner_id, bounded) select 'driver_wallet', id, true from users where role = 'driver'`;
    const [committee] = await pg`insert into users (role, phone, name, password_hash) values ('committee', '13800009999', 'Committee', 'x') returning id`;
    const [rule] = await pg`select v.id from reward_rule_versions v join reward_rules r on r.id = v.rule_id where r.activity = 'volunteering' limit 1`;
    const [imp] = await pg`insert into volunteer_imports (file_name, sha256, content, status, total_rows, uploaded_by)
                           values ('floor.csv', 'x', '\\x00', 'processing', ${ROWS}, ${committee!.id}) returning id`;
    const drivers = await pg`select u.id as driver, a.id as wallet from users u join ledger_accounts a on a.owner_id = u.id where u.role = 'driver' order by u.phone`;
    await pg`analyze`;

    const chunk = (start: number) =>
      pg.begin(async (tx) => {
        const rows = drivers.slice(start, start + CHUNK).map((d, i) => ({ d: d.driver, w: d.wallet, n: start + i }));
        await tx`create temp table if not exists floor_chunk (d uuid, w uuid, n int, claim uuid, transfer uuid, earning uuid) on commit delete rows`;
        await tx`insert into floor_chunk (d, w, n, transfer, earning)
                 select d, w, n, gen_random_uuid(), gen_random_uuid() from json_to_recordset(${JSON.stringify(rows)}::text::json) as x(d uuid, w uuid, n int)`;
        // Without statistics the planner joins 2,000 rows to the accounts by reading them all.
        await tx`analyze floor_chunk`;
        await tx`with claims as (
                   insert into volunteer_claims (driver_id, event, activity_date, hours, status, decided_by, decided_at, import_id, import_line, dedupe_key)
                   select d, 'Exam-day convoy ' || n, date '2026-05-01' + (n % 28), 2, 'approved', ${committee!.id}, now(), ${imp!.id}, n + 2,
                          d || '|exam-day convoy ' || n || '|2026-05-01'
                     from floor_chunk order by n
                   on conflict (dedupe_key) do nothing returning id, import_line)
                 update floor_chunk c set claim = claims.id from claims where claims.import_line = c.n + 2`;
        await tx`insert into ledger_transfers (id, type, code, amount, reason, actor_id, ref_type, ref_id, created_at)
                 select transfer, 'posted', 'earn.volunteering', 20,
                        'Volunteering: Exam-day convoy ' || n || ' (2026-05-01), attendance import line ' || (n + 2) || ' (rule volunteering v1)',
                        ${committee!.id}, 'earning', earning::text, now() from floor_chunk`;
        await tx`insert into ledger_postings (transfer_id, leg, account_id, amount, pending, balance_after, seq, created_at)
                 select c.transfer, l.leg, l.account, l.amount, false, l.balance, l.seq, now()
                   from floor_chunk c join ledger_accounts a on a.id = c.w,
                        lateral (values (0::smallint, ${PROGRAMME_ACCOUNTS.issuance}::uuid, -20::numeric, null::numeric, null::bigint),
                                        (1::smallint, c.w, 20::numeric, a.posted + 20, a.entries + 1)) l(leg, account, amount, balance, seq)`;
        await tx`insert into ledger_idempotency (key, request_hash, result, created_at)
                 select 'earn:volunteering:' || claim || ':' || ${rule!.id}, md5(claim::text),
                        jsonb_build_object('ok', true, 'transferId', transfer, 'type', 'posted', 'amount', '20.00', 'createdAt', now()), now()
                   from floor_chunk`;
        await tx`update ledger_accounts a set posted = a.posted + 20, entries = a.entries + 1 from floor_chunk c where a.id = c.w`;
        await tx`insert into earnings (id, key, driver_id, source, source_id, rule_version_id, units, requested_units, base_points,
                                       multiplier, grade, points, activity_at, transfer_id, reason, actor_id, created_at)
                 select earning, 'earn:volunteering:' || claim || ':' || ${rule!.id}, d, 'volunteering', claim::text, ${rule!.id}, 2, 2, 20,
                        1, null, 20, now(), transfer, 'Volunteering: Exam-day convoy', ${committee!.id}, now() from floor_chunk`;
        await tx`update volunteer_imports set processed_rows = processed_rows + ${rows.length}, applied = applied + ${rows.length} where id = ${imp!.id}`;
      });

    const cpu0 = postgresCpuSeconds(postmasterPid);
    const t0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: connections }, async () => {
        for (let start = next; start < ROWS; start = next) {
          next += CHUNK;
          await chunk(start);
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    const cpu = (postgresCpuSeconds(postmasterPid) ?? Number.NaN) - (cpu0 ?? Number.NaN);
    const [written] = await pg`select (select count(*) from earnings)::int as earnings, (select count(*) from ledger_postings)::int as legs,
                                      (select coalesce(sum(amount), 0) from ledger_postings)::text as sum`;
    log(
      `| ${connections} | ${ROWS.toLocaleString('en-US')} | ${seconds.toFixed(2)} | ${Math.round(ROWS / seconds).toLocaleString('en-US')} rows/s | ` +
        `${cpu.toFixed(1)} s (${Math.round((cpu / ROWS) * 1e6)} µs a row) | ${written!.earnings.toLocaleString('en-US')} earnings, ${written!.legs.toLocaleString('en-US')} legs summing to ${written!.sum} |`,
    );
  } finally {
    await pg.end();
  }
}

async function main() {
  log(`# Milepost attendance import floor — ${new Date().toISOString()}`);
  log(`code: ${codeVersion(['db/migrations'], 'the schema')}`);
  log(`node ${process.version}, ${cpus().length} CPU(s) (${cpus()[0]?.model ?? 'unknown'}); load average at start: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const cluster = await startCluster({
    settings: { fsync: 'on', synchronous_commit: 'on', full_page_writes: 'on', shared_buffers: '256MB', max_connections: '200', max_wal_size: '4GB' },
  });
  try {
    const pid = postmasterPidOf(cluster.dir);
    log(`\n| connections | rows | seconds | rate | PostgreSQL CPU | written |`);
    log(`| ---: | ---: | ---: | ---: | ---: | --- |`);
    await round(cluster.url, pid, 1);
    await round(cluster.url, pid, 2);
  } finally {
    await cluster.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
