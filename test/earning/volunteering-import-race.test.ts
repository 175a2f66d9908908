// Two processes resume the same interrupted import at once (two runners, each on its own
// connection pool): chunks are claimed under their lane's lock, so every row is processed
// once, the counters match the claims, and nothing is paid twice. A file dealt into lanes runs
// them side by side and still adds up, keeping the first row errors by line. Real PostgreSQL only.

import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { queryOne, queryRows } from '../../db/client';
import { FakeClock } from '../../api/clock';
import { IMPORT_CHUNK_ROWS, IMPORT_LANES, MAX_STORED_ROW_ERRORS, runImport, startImport } from '../../api/earning/volunteering.import';
import { describeEachBackend } from '../support/backends';
import { extraConnections } from '../ledger/race-support';
import { raceDrivers, racePartner } from '../market/market-race-support';
import { expectLedgerSound } from '../market/market-support';

describeEachBackend(
  'volunteering: two runners resume one import at once',
  (current) => {
    const more = extraConnections(current);

    it(`${IMPORT_CHUNK_ROWS * 2 + 500} rows over three chunks, two runners → each row once, counters exact`, async () => {
      const clock = new FakeClock('2026-06-01T08:00:00.000Z');
      const db = current().db;
      const { committee } = await racePartner(db, clock);
      const drivers = await raceDrivers(db, clock, 50, '0.01');
      const rows = IMPORT_CHUNK_ROWS * 2 + 500;
      const lines = ['driverId,event,date,hours'];
      for (let i = 0; i < rows; i++) lines.push(`${drivers[i % 50]!.user.id},Convoy ${i},2026-05-${String(1 + (i % 28)).padStart(2, '0')},0.25`);
      const id = randomUUID();
      await db.execute(sql`insert into volunteer_imports (id, file_name, sha256, content, status, total_rows, uploaded_by, created_at)
                           values (${id}, 'interrupted.csv', 'x', ${Buffer.from(lines.join('\n'))}, 'processing', ${rows}, ${committee.id}, now())`);

      const [a, b] = await more.pools(2, 2);
      const [ra, rb] = await Promise.all([runImport(a!.db, clock, id), runImport(b!.db, clock, id)]);
      expect(ra).toMatchObject({ status: 'done', processedRows: rows, applied: rows, skipped: 0 });
      expect(rb).toMatchObject({ status: 'done', processedRows: rows, applied: rows, skipped: 0 });

      const claims = await queryOne<{ n: string; lines: string }>(db, sql`select count(*)::text as n, count(distinct import_line)::text as lines from volunteer_claims where import_id = ${id}`);
      expect(claims).toEqual({ n: String(rows), lines: String(rows) });
      const paid = await queryRows<{ n: string; points: string }>(db, sql`select count(*)::text as n, sum(points)::text as points from earnings where source = 'volunteering'`);
      // 4,500 quarter hours for 50 drivers: 22.5 hours each in May, under the cap: 225 points each
      expect(paid).toEqual([{ n: String(rows), points: '11250.00' }]);
      await expectLedgerSound(db, clock.now());
    }, 120_000);

    it(`an import in ${IMPORT_LANES} lanes resumed by two runners → each row once, counters exact, caps in line order per driver`, async () => {
      const clock = new FakeClock('2026-06-01T08:00:00.000Z');
      const db = current().db;
      const { committee } = await racePartner(db, clock);
      const drivers = await raceDrivers(db, clock, 40, '0.01');
      const rows = IMPORT_CHUNK_ROWS * 3;
      const lines = ['driverId,event,date,hours'];
      // 150 rows of 2 hours for each driver, all in May: 300 hours against a 40-hour monthly cap
      for (let i = 0; i < rows; i++) lines.push(`${drivers[i % 40]!.user.id},Convoy ${i},2026-05-${String(1 + (i % 28)).padStart(2, '0')},2`);
      const id = randomUUID();
      // a crash after the file was stored, before its lanes were written
      await db.execute(sql`insert into volunteer_imports (id, file_name, sha256, content, status, total_rows, uploaded_by, created_at, lanes)
                           values (${id}, 'lanes.csv', 'x', ${Buffer.from(lines.join('\n'))}, 'processing', ${rows}, ${committee.id}, now(), ${IMPORT_LANES})`);

      const [a, b] = await more.pools(2, 3);
      const [ra, rb] = await Promise.all([runImport(a!.db, clock, id), runImport(b!.db, clock, id)]);
      expect(ra).toMatchObject({ status: 'done', processedRows: rows, applied: rows, skipped: 0, lanes: IMPORT_LANES });
      expect(rb).toMatchObject({ status: 'done', processedRows: rows, applied: rows, skipped: 0 });
      const lanes = await queryRows<{ lane: number; processed_rows: number }>(db, sql`select lane, processed_rows from volunteer_import_lanes where import_id = ${id} order by lane`);
      expect(lanes.map((l) => l.lane)).toEqual([...Array(IMPORT_LANES).keys()]);
      expect(lanes.reduce((sum, l) => sum + l.processed_rows, 0)).toBe(rows);
      expect(lanes.every((l) => l.processed_rows > 0), JSON.stringify(lanes)).toBe(true);

      const claims = await queryOne<{ n: string; lines: string }>(db, sql`select count(*)::text as n, count(distinct import_line)::text as lines from volunteer_claims where import_id = ${id}`);
      expect(claims).toEqual({ n: String(rows), lines: String(rows) });
      // Each driver's first 20 rows in the file filled the cap (40 hours, 400 points); later rows paid 0.
      const paid = await queryRows<{ driver: string; points: string; paid_lines: number[] }>(
        db,
        sql`select e.driver_id::text as driver, sum(e.points)::text as points,
                   array_agg(c.import_line order by c.import_line) filter (where e.points > 0) as paid_lines
              from earnings e join volunteer_claims c on c.id::text = e.source_id
             where e.source = 'volunteering' and c.import_id = ${id}
             group by e.driver_id`,
      );
      expect(paid).toHaveLength(40);
      for (const p of paid) {
        expect(p.points).toBe('400.00');
        const index = drivers.findIndex((d) => d.user.id === p.driver);
        expect(p.paid_lines).toEqual(Array.from({ length: 20 }, (_, k) => 2 + index + 40 * k));
      }
      await expectLedgerSound(db, clock.now());
    }, 120_000);

    it('bad rows in both lanes: the error count is exact and the first errors by line are kept, in line order', async () => {
      const clock = new FakeClock('2026-06-01T08:00:00.000Z');
      const db = current().db;
      const { committee } = await racePartner(db, clock);
      const drivers = await raceDrivers(db, clock, 30, '0.01');
      const rows = IMPORT_CHUNK_ROWS * 2;
      const lines = ['driverId,event,date,hours'];
      // every third row names a driver id nobody has; they fall into every lane
      for (let i = 0; i < rows; i++) {
        const driverId = i % 3 === 0 ? randomUUID() : drivers[i % 30]!.user.id;
        lines.push(`${driverId},Cleanup ${i},2026-05-${String(1 + (i % 28)).padStart(2, '0')},0.5`);
      }
      const { import: created, done } = await startImport(db, clock, { fileName: 'bad.csv', content: new TextEncoder().encode(lines.join('\n')), uploadedBy: committee.id });
      expect(created.lanes).toBe(IMPORT_LANES);
      const imp = (await done)!;
      const bad = Math.ceil(rows / 3);
      expect(imp).toMatchObject({ status: 'done', processedRows: rows, applied: rows - bad, skipped: 0 });
      const errors = imp.errors as Array<{ line: number; message: string }>;
      expect(errors).toHaveLength(MAX_STORED_ROW_ERRORS);
      // file line = row index + 2 (the header is line 1); bad rows are every third from the first
      expect(errors.map((e) => e.line)).toEqual(Array.from({ length: MAX_STORED_ROW_ERRORS }, (_, k) => 2 + 3 * k));
      expect(errors[0]!.message).toMatch(/^no driver with id [0-9a-f-]{36}$/);
      await expectLedgerSound(db, clock.now());
    }, 120_000);
  },
  { postgresOnly: true },
);
