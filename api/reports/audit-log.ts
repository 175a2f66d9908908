import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client';
import { likeEscaped } from '../../db/like';
import { cursorCodec, isCursorTime } from '../http/cursor';

export interface AuditFilter {
  cursor?: string;
  limit?: number;
  /** An action, or a prefix of dot-separated words: `ledger` matches `ledger.adjust`. */
  action?: string;
  actorId?: string;
  targetType?: string;
  targetId?: string;
}

/** Position after the last entry served: its exact time (microseconds) and id. */
interface Cursor {
  at: string;
  id: string;
}

const cursors = cursorCodec<Cursor>(
  // ids are bigint: 18 digits always fit, 19 only up to 2^63 - 1
  (c) => isCursorTime(c.at) && typeof c.id === 'string' && /^\d{1,19}$/.test(c.id) && BigInt(c.id) <= 9_223_372_036_854_775_807n,
);

/** Committee actions, newest first, with the actor's name; filtered and paged by a cursor. */
export async function auditLogPage(db: Db, filter: AuditFilter) {
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 200);
  const cursor = cursors.decode(filter.cursor);
  const where = [sql`true`];
  if (filter.action) {
    const action = filter.action.replace(/\.+$/, '');
    where.push(sql`(a.action = ${action} or a.action like ${`${likeEscaped(action)}.%`})`);
  }
  if (filter.actorId) where.push(sql`a.actor_id = ${filter.actorId}::uuid`);
  if (filter.targetType) where.push(sql`a.target_type = ${filter.targetType}`);
  if (filter.targetId) where.push(sql`a.target_id = ${filter.targetId}`);
  if (cursor) where.push(sql`(a.created_at, a.id) < (${cursor.at}::timestamptz, ${cursor.id}::bigint)`);

  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`select a.id::text as id, to_char(a.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at_key,
               a.created_at, a.action, a.actor_id, u.name as actor_name, u.role as actor_role,
               a.target_type, a.target_id, a.before, a.after
          from audit_log a
          left join users u on u.id = a.actor_id
         where ${sql.join(where, sql` and `)}
         order by a.created_at desc, a.id desc
         limit ${limit + 1}`,
  );
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({
      id: String(r.id),
      at: new Date(r.created_at as string | Date).toISOString(),
      action: String(r.action),
      actor: r.actor_id ? { id: String(r.actor_id), name: String(r.actor_name ?? ''), role: String(r.actor_role ?? '') } : null,
      targetType: String(r.target_type),
      targetId: (r.target_id as string | null) ?? null,
      before: r.before ?? null,
      after: r.after ?? null,
    })),
    nextCursor: rows.length > limit && last ? cursors.encode({ at: String(last.at_key), id: String(last.id) }) : null,
  };
}
