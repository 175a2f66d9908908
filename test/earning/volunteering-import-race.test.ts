// Two processes resume the same interrupted import at once (two runners, each on its own
// connection pool): chunks are claimed under the import row's lock, so every row is processed
// once, the counters match the claims, and nothing is paid twice. Real PostgreSQL only.

import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { queryOne, queryRows } from '../../db/client';
import { FakeClock } from '../../api/clock';
import { IMPORT_CHUNK_ROWS, runImport } from '../../api/earning/volunteering.import';
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
  },
  { postgresOnly: true },
);
