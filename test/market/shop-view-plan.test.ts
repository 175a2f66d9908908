// A catalog page's shop view (grade, points, policy in force) for a handful of drivers must look
// each driver up by key, however many wallets the ledger holds: joined plainly, the planner
// hashed every account for them (0.5 ms a load with 1,000 drivers, and growing with the ledger).

import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import { expect, it } from 'vitest';
import type { Db } from '../../db/client';
import * as schema from '../../db/schema/index';
import { shopViewsOf } from '../../api/market/offers';
import { describeEachBackend } from '../support/backends';
import { planLogging } from '../ledger/race-support';

describeEachBackend(
  'market: shop views probe each driver by key',
  (current) => {
    const planned = planLogging(current);

    it('reads wallets and ratings with index probes, never a scan or hash of every account', async () => {
      const seeded = current().db;
      // 2,000 wallets, known to the planner.
      await seeded.execute(sql`insert into ledger_accounts (kind, owner_id, bounded) select 'driver_wallet', gen_random_uuid(), true from generate_series(1, 2000)`);
      await seeded.execute(sql`analyze ledger_accounts`);
      const plans: string[] = [];
      const raw = await planned.open(plans);
      const db = drizzle({ client: raw, schema }) as unknown as Db;
      const views = await shopViewsOf(db, [randomUUID(), randomUUID(), randomUUID()]);
      expect(views.map((v) => [v.grade, v.available])).toEqual([
        ['B', null],
        ['B', null],
        ['B', null],
      ]);
      const plan = plans.find((p) => /ledger_accounts/.test(p));
      expect(plan, plans.join('\n---\n')).toMatch(/Index Scan using ledger_accounts_owner_uq/);
      expect(plan).not.toMatch(/Seq Scan on ledger_accounts|Hash/);
    });
  },
  { postgresOnly: true },
);
