import { eq, sql } from 'drizzle-orm';
import { afterEach, expect, it } from 'vitest';
import { queryRows, type DbHandle } from '../../db/client';
import { users } from '../../db/schema/index';
import { describeEachBackend, freshPostgres, pgUrl } from '../support/backends';

/**
 * On PostgreSQL, drizzle's queries run as named prepared statements (db/client.ts): described
 * once per connection, then one round trip each, with the plan kept. Left as drizzle ships it,
 * every parameterised query was described again first, at the cost of a second round trip.
 */
describeEachBackend(
  'db: prepared statements on PostgreSQL',
  () => {
    let handle: DbHandle | undefined;
    afterEach(async () => {
      await handle?.close();
      handle = undefined;
    });

    it('a parameterised query, raw or built, is prepared once on its connection and reused', async () => {
      handle = await freshPostgres(pgUrl!, 1);
      const { db } = handle;
      for (const phone of ['+8613800000001', '+8613800000002', '+8613800000003']) {
        await db.select({ id: users.id }).from(users).where(eq(users.phone, phone));
        await queryRows(db, sql`select ${phone}::text as phone, 'raw probe' as tag`);
      }
      const prepared = await queryRows<{ statement: string }>(db, sql`select statement from pg_prepared_statements`);
      const of = (fragment: string) => prepared.filter((p) => p.statement.includes(fragment));
      expect(of('from "users"')).toHaveLength(1);
      expect(of('raw probe')).toHaveLength(1);
    });

    it('inside a transaction too', async () => {
      handle = await freshPostgres(pgUrl!, 1);
      const { db } = handle;
      await db.transaction(async (tx) => {
        await queryRows(tx, sql`select ${'a'}::text as v, 'in a transaction' as tag`);
        await queryRows(tx, sql`select ${'b'}::text as v, 'in a transaction' as tag`);
      });
      const prepared = await queryRows<{ statement: string }>(db, sql`select statement from pg_prepared_statements where statement like '%in a transaction%' and statement not like '%pg_prepared_statements%'`);
      expect(prepared).toHaveLength(1);
    });
  },
  { postgresOnly: true },
);
