// The daily expiry pass started by several server processes at once (and re-run): every
// driver's old points expire exactly once, nothing is expired twice, the ledger stays sound,
// and each driver gets one "expired" notice. Real PostgreSQL only.

import { randomUUID } from 'node:crypto';
import Decimal from 'decimal.js';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { createUser } from '../../api/auth/auth.service';
import { FakeClock } from '../../api/clock';
import { grantAward } from '../../api/earning/awards';
import { expirePoints } from '../../api/earning/expiry';
import { PROGRAMME_ACCOUNTS } from '../../api/ledger/accounts';
import { balance } from '../../api/ledger/reads';
import { queryRows } from '../../db/client';
import { describeEachBackend } from '../support/backends';
import { allOutcomes, expectSound, extraConnections, range } from '../ledger/race-support';

describeEachBackend(
  'points expiry: several processes run the daily pass at once',
  (current) => {
    const more = extraConnections(current);

    it('4 processes × 2 passes over 60 drivers → each driver expires once, 60 × 100 points in all', async () => {
      const db = current().db;
      const clock = new FakeClock('2024-01-10T04:00:00.000Z');
      const committee = await createUser(db, { role: 'committee', phone: `1380${Date.now() % 1e7}`, name: 'Committee', password: 'a-long-test-password' });
      const drivers = await Promise.all(
        range(60).map((i) =>
          createUser(db, { role: 'driver', phone: `1391${String(Date.now() % 1e5).padStart(5, '0')}${String(i).padStart(2, '0')}`, name: `Driver ${i}`, password: 'a-long-test-password', plateNumber: `粤B·${i}` }),
        ),
      );
      for (const d of drivers) {
        await grantAward(db, clock, committee.id, { driverId: d.id, points: new Decimal('100.00'), reason: 'old points' }, randomUUID());
        await grantAward(db, clock, committee.id, { driverId: d.id, points: new Decimal('1.00'), reason: 'old points, later' }, randomUUID());
      }
      clock.set('2026-06-01T04:00:00.000Z');
      await grantAward(db, clock, committee.id, { driverId: drivers[0]!.id, points: new Decimal('1.00'), reason: 'fresh points' }, randomUUID());

      const pools = await more.pools(4, 3);
      const runs = await allOutcomes(range(8).map((i) => expirePoints(pools[i % 4]!.db, clock, { pageSize: 7 })));
      const total = runs.reduce((sum, r) => sum.plus(r.expired), new Decimal(0));
      expect(total.toFixed(2)).toBe('6060.00');
      expect(runs.reduce((n, r) => n + r.drivers, 0)).toBe(60);
      expect(runs.flatMap((r) => r.failures)).toEqual([]);
      expect((await balance(db, PROGRAMME_ACCOUNTS.expired)).posted.toFixed(2)).toBe('6060.00');

      const perDriver = await queryRows<{ n: number }>(
        db,
        sql`select count(*)::int as n from ledger_transfers where code = 'expire' group by ref_id`,
      );
      expect(perDriver.map((r) => r.n)).toEqual(range(60).map(() => 1));
      const notices = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from notifications where kind = 'points_expired'`);
      expect(notices[0]!.n).toBe(60);
      const fresh = await queryRows<{ posted: string }>(
        db,
        sql`select posted::text as posted from ledger_accounts where kind = 'driver_wallet' and owner_id = ${drivers[0]!.id}`,
      );
      expect(fresh[0]!.posted).toBe('1.00');
      await expectSound(db, clock.now());
    });
  },
  { postgresOnly: true },
);
