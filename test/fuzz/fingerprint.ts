import { sql } from 'drizzle-orm';
import { queryOne, queryRows, type Db } from '../../db/client';

/**
 * A cheap picture of the whole database: for every table in the public schema, its row count
 * and the sum of its rows' `xmin` (the transaction that wrote each row version). An insert or a
 * delete changes the count; an update gives the row a new xmin, so the sum moves even when the
 * count does not. Rolled-back work leaves no visible row version, so it changes nothing.
 *
 * `login_throttle` is left out: counting a failed sign-in is what a rejected login is for.
 */
export const UNWATCHED_TABLES = ['login_throttle'];

export type Fingerprint = Record<string, string>;

export async function fingerprinter(db: Db): Promise<() => Promise<Fingerprint>> {
  const tables = await queryRows<{ tablename: string }>(db, sql`select tablename from pg_tables where schemaname = 'public' order by tablename`);
  const names = tables.map((r) => r.tablename).filter((t) => !UNWATCHED_TABLES.includes(t));
  const query = sql.raw(
    `select ${names
      .map((t) => `(select count(*)::text || ':' || coalesce(sum(xmin::text::bigint), 0)::text from "${t}") as "${t}"`)
      .join(', ')}`,
  );
  return async () => (await queryOne<Fingerprint>(db, query))!;
}

/** The tables whose picture differs, for the report. */
export function changedTables(before: Fingerprint, after: Fingerprint): string[] {
  return Object.keys(after).filter((t) => before[t] !== after[t]);
}

/** Rows `table` gained between two pictures (negative when it lost some). */
export function rowsAdded(before: Fingerprint, after: Fingerprint, table: string): number {
  return Number(after[table]?.split(':')[0] ?? 0) - Number(before[table]?.split(':')[0] ?? 0);
}
