import Decimal from 'decimal.js';
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client';
import type { Grade } from '../../db/schema/index';
import { likeEscaped } from '../../db/like';
import { cursorCodec, isCursorUuid } from '../http/cursor';

/** Position after the last driver served, in (name, id) order. */
interface Cursor {
  name: string;
  id: string;
}

const cursors = cursorCodec<Cursor>(
  (c) => typeof c.name === 'string' && isCursorUuid(c.id),
);

/** Plates are written 粤B·12345, 粤B 12345 or 粤B12345: separators do not count. */
const PLATE_SEPARATORS = '[[:space:]·•.-]';
const plateKey = (s: string) => s.replace(/[\s·•.-]/g, '');

export interface DriverHit {
  id: string;
  name: string;
  phone: string;
  plateNumber: string | null;
  grade: Grade | null;
  available: string | null;
}

/**
 * Drivers whose name, phone or plate contains `q` (any case), by name. A sequential scan of the
 * drivers is fine at the programme's scale (tens of thousands); a trigram index would be next.
 */
export async function searchDrivers(db: Db, options: { q?: string; cursor?: string; limit?: number }) {
  const limit = Math.min(Math.max(options.limit ?? 20, 1), 100);
  const cursor = cursors.decode(options.cursor);
  const where = [sql`u.role = 'driver'`];
  const q = options.q?.trim();
  if (q) {
    const text = `%${likeEscaped(q)}%`;
    const plate = plateKey(q);
    where.push(
      sql`(u.name ilike ${text} or u.phone like ${text}${
        plate ? sql` or regexp_replace(u.plate_number, ${PLATE_SEPARATORS}, '', 'g') ilike ${`%${likeEscaped(plate)}%`}` : sql``
      })`,
    );
  }
  if (cursor) where.push(sql`(u.name, u.id) > (${cursor.name}, ${cursor.id}::uuid)`);
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`select u.id, u.name, u.phone, u.plate_number, r.grade, a.posted - a.debits_pending as available
          from users u
          left join driver_ratings r on r.driver_id = u.id
          left join ledger_accounts a on a.kind = 'driver_wallet' and a.owner_id = u.id
         where ${sql.join(where, sql` and `)}
         order by u.name, u.id
         limit ${limit + 1}`,
  );
  const items: DriverHit[] = rows.slice(0, limit).map((r) => ({
    id: String(r.id),
    name: String(r.name),
    phone: String(r.phone),
    plateNumber: (r.plate_number as string | null) ?? null,
    grade: (r.grade as Grade | null) ?? null,
    available: r.available === null || r.available === undefined ? null : new Decimal(String(r.available)).toFixed(2),
  }));
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? cursors.encode({ name: last.name, id: last.id }) : null };
}
