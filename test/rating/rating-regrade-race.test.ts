// Concurrency on real PostgreSQL: several processes' scheduled re-grades at once run exactly one
// full re-grade, and one-driver re-grades racing a full one never leave a stale rating behind.

import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { FakeClock } from '../../api/clock';
import { regradeAll, regradeDriver, runScheduledRegrade } from '../../api/rating/engine';
import { createDb, type DbHandle } from '../../db/client';
import { describeEachBackend } from '../support/backends';
import { addDriver, addHours, addReports, addSafety, countRows, daysBefore } from './rating-support';

const T = new Date('2026-06-20T04:00:00.000Z');

/** Another "process": its own connection pool to the same database. */
async function secondPool(handle: DbHandle): Promise<DbHandle> {
  const url = (handle.db as unknown as { $client: { options: { host: string[]; port: number[]; database: string; user: string } } }).$client.options;
  return createDb({ databaseUrl: `postgres://${url.user}@${url.host[0]}:${url.port[0]}/${url.database}`, maxConnections: 4 });
}

describeEachBackend(
  'rating: concurrent re-grades',
  (current) => {
    it('three processes start the scheduled re-grade at once: one runs it, the others skip', async () => {
      const handle = current();
      const clock = new FakeClock(T);
      for (let i = 0; i < 30; i++) {
        const id = await addDriver(handle.db, daysBefore(T, 200 + i));
        await addReports(handle.db, id, i % 11, daysBefore(T, 3));
      }
      const others = [await secondPool(handle), await secondPool(handle)];
      try {
        const runs = await Promise.all([handle, ...others].map((h) => runScheduledRegrade(h.db, clock)));
        expect(runs.filter((r) => r !== null)).toHaveLength(1);
        expect(await countRows(handle.db, 'rating_runs')).toBe(1);
        expect(await countRows(handle.db, 'driver_ratings')).toBe(30);
        expect(await countRows(handle.db, 'rating_history')).toBe(30);
      } finally {
        await Promise.all(others.map((h) => h.close()));
      }
    });

    it('a one-driver re-grade waits while a full re-grade (any process) holds the lock, then reads what committed meanwhile', async () => {
      const handle = current();
      const clock = new FakeClock(T);
      const id = await addDriver(handle.db, daysBefore(T, 300));
      const other = await secondPool(handle);
      try {
        let release!: () => void;
        const held = new Promise<void>((r) => (release = r));
        let locked!: () => void;
        const isLocked = new Promise<void>((r) => (locked = r));
        const fullInProgress = other.db.transaction(async (tx) => {
          await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended('rating:all', 0))`);
          locked();
          await held;
        });
        await isLocked;
        let done = false;
        const regrade = regradeDriver(handle.db, clock, id).then((r) => {
          done = true;
          return r;
        });
        await new Promise((r) => setTimeout(r, 300));
        expect(done).toBe(false);
        // activity that commits while it waits is part of what it reads: it reads after the lock
        await addReports(other.db, id, 3, daysBefore(T, 1));
        release();
        await fullInProgress;
        expect((await regrade)!.scored.grade).toBe('A'); // 50 + 3 reports × 2
        expect((await regrade)!.inputs.verifiedReports).toBe(3);
      } finally {
        await other.close();
      }
    });

    it('activity re-grades racing full re-grades: afterwards a full re-grade finds nothing stale', async () => {
      const handle = current();
      const clock = new FakeClock(T);
      const ids: string[] = [];
      for (let i = 0; i < 40; i++) {
        const id = await addDriver(handle.db, daysBefore(T, 150 + i));
        if (i % 3 === 0) await addSafety(handle.db, id, 'minor', daysBefore(T, 20 + i));
        ids.push(id);
      }
      await regradeAll(handle.db, clock);
      const other = await secondPool(handle);
      try {
        // each driver's activity commits, then its hook re-grades them — while two full re-grades run
        const hooks = ids.map(async (id, i) => {
          await addHours(other.db, id, String(1 + (i % 7)), '2026-06-01');
          await addReports(other.db, id, i % 4, daysBefore(T, 1));
          await regradeDriver(other.db, clock, id);
        });
        await Promise.all([...hooks, regradeAll(handle.db, clock), regradeAll(handle.db, clock)]);
        const check = await regradeAll(handle.db, clock);
        expect(check!.changed).toBe(0);
      } finally {
        await other.close();
      }
    });
  },
  { postgresOnly: true },
);
