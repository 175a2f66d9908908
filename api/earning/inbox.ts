import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { notifications } from '../../db/schema/index';
import { AppError } from '../errors';
import { nextTimeIdCursor, timeIdCursors } from '../http/cursor';

export type NotificationRow = typeof notifications.$inferSelect;

export interface NotifyInput {
  userId: string;
  /** What it is about, for clients to pick an icon or a link: `points_expiring`, `appeal_decided`, `rating_changed` … */
  kind: string;
  title: string;
  body: string;
  /** Structured details for the client (ids, amounts as decimal strings, dates). */
  data?: Record<string, unknown> | null;
  /** A notice with a key is written once, ever: a second call with the same key does nothing. */
  dedupeKey?: string | null;
  /** When it happened; pass `clock.now()` so fake clocks order the inbox. Defaults to the wall clock. */
  at?: Date;
}

/**
 * Puts a message in a user's inbox. Call it inside the transaction that decided the thing being
 * announced, so the message and the decision commit together. Returns the new row, or null when
 * `dedupeKey` was already used.
 */
export async function notify(db: Db, input: NotifyInput): Promise<NotificationRow | null> {
  const [row] = await db
    .insert(notifications)
    .values({
      userId: input.userId,
      kind: input.kind,
      title: input.title,
      body: input.body,
      data: input.data ?? null,
      dedupeKey: input.dedupeKey ?? null,
      createdAt: input.at ?? new Date(),
    })
    .onConflictDoNothing({ target: notifications.dedupeKey })
    .returning();
  return row ?? null;
}

/** A page of the user's inbox, newest first, with how many are unread in all. */
export async function inbox(db: Db, userId: string, options: { cursor?: string; limit?: number; unreadOnly?: boolean } = {}) {
  const limit = Math.min(Math.max(options.limit ?? 20, 1), 100);
  const cursor = timeIdCursors.decode(options.cursor);
  const conditions = [eq(notifications.userId, userId)];
  if (options.unreadOnly) conditions.push(isNull(notifications.readAt));
  if (cursor) conditions.push(sql`(${notifications.createdAt}, ${notifications.id}) < (${cursor.at}::timestamptz, ${cursor.id}::uuid)`);
  const [rows, [unread]] = await Promise.all([
    db
      .select()
      .from(notifications)
      .where(and(...conditions))
      .orderBy(desc(notifications.createdAt), desc(notifications.id))
      .limit(limit + 1),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(notifications)
      .where(and(eq(notifications.userId, userId), isNull(notifications.readAt))),
  ]);
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items,
    unread: Number(unread?.n ?? 0),
    nextCursor: nextTimeIdCursor(rows.length > limit, last),
  };
}

/** Marks one of the user's messages read (the first reading time is kept). Someone else's is a 404. */
export async function markRead(db: Db, userId: string, id: string, at: Date): Promise<NotificationRow> {
  const [updated] = await db
    .update(notifications)
    .set({ readAt: sql`coalesce(${notifications.readAt}, ${at.toISOString()}::timestamptz)` })
    .where(and(eq(notifications.id, id), eq(notifications.userId, userId)))
    .returning();
  if (!updated) throw new AppError('not_found', 'you have no such notification');
  return updated;
}
