import { and, eq, gt } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { sessions, users } from '../../db/schema/index';
import type { SessionUser } from '../http/env';
import { hashToken, newToken } from './tokens';

export interface NewSession {
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

export async function createSession(db: Db, userId: string, now: Date, ttlHours: number): Promise<NewSession> {
  const token = newToken();
  const csrfToken = newToken();
  const expiresAt = new Date(now.getTime() + ttlHours * 3_600_000);
  await db.insert(sessions).values({ tokenHash: hashToken(token), userId, csrfToken, createdAt: now, expiresAt });
  return { token, csrfToken, expiresAt };
}

export interface ResolvedSession {
  user: SessionUser;
  csrfToken: string;
}

/** The user behind a token, or null if the token is unknown or expired. */
export async function resolveSession(db: Db, token: string, now: Date): Promise<ResolvedSession | null> {
  const [row] = await db
    .select({
      id: users.id,
      role: users.role,
      name: users.name,
      phone: users.phone,
      partnerId: users.partnerId,
      csrfToken: sessions.csrfToken,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, hashToken(token)), gt(sessions.expiresAt, now)))
    .limit(1);
  if (!row) return null;
  const { csrfToken, ...user } = row;
  return { user, csrfToken };
}

export async function endSession(db: Db, token: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, hashToken(token)));
}
