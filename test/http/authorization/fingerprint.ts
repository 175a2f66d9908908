import { sql } from 'drizzle-orm';
import { queryOne, queryRows, type Db } from '../../../db/client';
import { trialBalance } from '../../../api/ledger/reads';

/**
 * A cheap picture of the whole database: every table's row count and a hash of its rows, plus
 * the ledger's trial balance. Two equal fingerprints mean nothing was inserted, changed or deleted.
 */
export async function fingerprint(db: Db): Promise<Record<string, string>> {
  const tables = await queryRows<{ name: string }>(
    db,
    sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
  );
  const picture: Record<string, string> = {};
  for (const { name } of tables) {
    const row = await queryOne<{ n: string; h: string }>(
      db,
      sql.raw(`select count(*)::text as n, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as h from "${name}" t`),
    );
    picture[name] = `${row!.n} rows ${row!.h}`;
  }
  picture['trial balance'] = (await trialBalance(db)).total.toFixed(2);
  return picture;
}

/** The entries of `after` that differ from `before`. */
export function changed(before: Record<string, string>, after: Record<string, string>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => before[k] !== after[k]).map((k) => `${k}: ${before[k]} → ${after[k]}`);
}
