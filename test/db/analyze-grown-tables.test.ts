// The embedded database has no autovacuum, so nothing ever refreshed its planner statistics: a
// table kept the guesses made for an empty one however big it grew, and ledger transfers got
// slower the more of them there were. analyzeGrownTables() does what autovacuum's analyse does
// (tables that grew since they were last analysed), and the server runs it as a job on PGlite.

import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { FakeClock } from '../../api/clock';
import { backgroundJobs } from '../../api/jobs';
import { analyzeGrownTables, queryOne, type Db } from '../../db/client';
import { describeEachBackend } from '../support/backends';

const statsOf = (db: Db, table: string) =>
  queryOne<{ reltuples: number; analyzed: boolean }>(
    db,
    sql`select c.reltuples::float8 as reltuples, c.reltuples >= 0 as analyzed from pg_class c where c.oid = ${table}::regclass`,
  );

describeEachBackend('db: planner statistics of grown tables', (current) => {
  it('analyses a table that grew since its last analysis, and leaves it alone until it grows again', async () => {
    const { db } = current();
    // PostgreSQL's own autovacuum must not get there first (a no-op on PGlite, which has none)
    await db.execute(sql`alter table ledger_accounts set (autovacuum_enabled = false)`);
    await analyzeGrownTables(db); // whatever the migrations and the harness left
    await db.execute(sql`insert into ledger_accounts (kind, owner_id, bounded)
                         select 'driver_wallet', gen_random_uuid(), true from generate_series(1, 3000)`);
    const analysed = await analyzeGrownTables(db);
    expect(analysed).toContain('ledger_accounts');
    const stats = await statsOf(db, 'ledger_accounts');
    expect(stats!.analyzed).toBe(true);
    expect(stats!.reltuples).toBeGreaterThanOrEqual(3000);

    expect(await analyzeGrownTables(db)).toEqual([]);
    // a few rows more do not make it worth another pass; a table five times bigger does
    await db.execute(sql`insert into ledger_accounts (kind, owner_id, bounded) select 'driver_wallet', gen_random_uuid(), true from generate_series(1, 10)`);
    expect(await analyzeGrownTables(db)).toEqual([]);
    await db.execute(sql`insert into ledger_accounts (kind, owner_id, bounded)
                         select 'driver_wallet', gen_random_uuid(), true from generate_series(1, 12000)`);
    expect(await analyzeGrownTables(db)).toEqual(['ledger_accounts']);
    expect((await statsOf(db, 'ledger_accounts'))!.reltuples).toBeGreaterThanOrEqual(15000);
  });

  it('the server analyses on a schedule only where there is no autovacuum (PGlite)', () => {
    const names = backgroundJobs(current().db, new FakeClock()).map((j) => j.name);
    expect(names.includes('db.analyze')).toBe(current().backend === 'pglite');
  });
});
