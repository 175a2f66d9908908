import { randomUUID } from 'node:crypto';
import { and, eq, gt, sql } from 'drizzle-orm';
import type { Db, DbHandle } from '../../db/client';
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

/**
 * Sessions this process has read lately, by token hash, so a signed-in request does not pay a
 * round trip to PostgreSQL for its session every time. An entry is kept for `SESSION_CACHE_MS`
 * and never past the session's own expiry. Unknown tokens are not cached: they always ask the
 * database.
 *
 * Signing out ends the session in every server process at once: this process drops its entry,
 * and the sign-out's own statement notifies `SESSION_ENDED_CHANNEL`, on which every process
 * following it (`followEndedSessions`) drops its entry too. A process whose listening connection
 * was lost empties its cache when it is back, since what was sent meanwhile is gone; one that
 * stopped hearing the channel (its listener could not come back) finds out from its own probe,
 * empties its cache and listens again. Only a session ended some other way (its row deleted by
 * hand) waits out `SESSION_CACHE_MS`.
 */
export const SESSION_CACHE_MS = 60_000;
export const SESSION_ENDED_CHANNEL = 'milepost_session_ended';
const SESSION_CACHE_SIZE = 20_000;

interface CachedSession extends ResolvedSession {
  expiresAt: Date;
  /** `performance.now()` when read: the cache's age is wall time, whatever the app clock says. */
  readAt: number;
}

/**
 * A process's sessions. `generation` moves on whenever a session may have ended here or elsewhere,
 * so a read that began before that (and may have found the row just before its deletion) answers
 * its own request but is not kept.
 */
class SessionCache {
  readonly entries = new Map<string, CachedSession>();
  generation = 0;

  forget(tokenHash: string) {
    this.generation++;
    this.entries.delete(tokenHash);
  }

  clear() {
    this.generation++;
    this.entries.clear();
  }
}

const caches = new WeakMap<Db, SessionCache>();

function cacheOf(db: Db): SessionCache {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new SessionCache()));
  return cache;
}

/**
 * The session read, built once per database and prepared: drizzle spends more CPU composing a
 * select with a join than the database spends answering it, and a cache miss is one in twenty
 * catalog reads under load.
 */
const sessionQueries = new WeakMap<Db, ReturnType<typeof prepareSessionQuery>>();

function prepareSessionQuery(db: Db) {
  return db
    .select({
      id: users.id,
      role: users.role,
      name: users.name,
      phone: users.phone,
      partnerId: users.partnerId,
      csrfToken: sessions.csrfToken,
      expiresAt: sessions.expiresAt,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, sql.placeholder('tokenHash')), gt(sessions.expiresAt, sql.placeholder('now'))))
    .limit(1)
    .prepare('session_by_token');
}

function sessionQuery(db: Db) {
  let query = sessionQueries.get(db);
  if (!query) sessionQueries.set(db, (query = prepareSessionQuery(db)));
  return query;
}

/** The user behind a token, or null if the token is unknown or expired. */
export async function resolveSession(db: Db, token: string, now: Date): Promise<ResolvedSession | null> {
  const tokenHash = hashToken(token);
  const cache = cacheOf(db);
  const cached = cache.entries.get(tokenHash);
  if (cached) {
    if (cached.expiresAt > now && performance.now() - cached.readAt < SESSION_CACHE_MS) return { user: cached.user, csrfToken: cached.csrfToken };
    cache.entries.delete(tokenHash);
  }
  const generation = cache.generation;
  // A placeholder skips the column's encoder: the timestamp goes as the text drizzle would send.
  const [row] = await sessionQuery(db).execute({ tokenHash, now: now.toISOString() });
  if (!row) return null;
  const { csrfToken, expiresAt, ...user } = row;
  // Shared by every request on this session until it leaves the cache: nobody may change it.
  Object.freeze(user);
  if (cache.generation === generation) {
    // Oldest first out: a Map iterates in insertion order.
    if (cache.entries.size >= SESSION_CACHE_SIZE) cache.entries.delete(cache.entries.keys().next().value!);
    cache.entries.set(tokenHash, { user, csrfToken, expiresAt, readAt: performance.now() });
  }
  return { user, csrfToken };
}

/** Ends a session here and, when the deletion commits, in every process following sign-outs. */
export async function endSession(db: Db, token: string): Promise<void> {
  const tokenHash = hashToken(token);
  const cache = cacheOf(db);
  cache.forget(tokenHash);
  await db.execute(
    sql`with ended as (delete from ${sessions} where ${sessions.tokenHash} = ${tokenHash})
        select pg_notify(${SESSION_ENDED_CHANNEL}, ${tokenHash})`,
  );
  // A read that began while the row was still there is not kept either.
  cache.forget(tokenHash);
}

/** How often a following process checks that it still hears the channel. */
export const SESSION_FOLLOW_CHECK_MS = 15_000;

/**
 * Keeps this process's session cache in step with sign-outs in every other process, until the
 * returned function is called. Every `checkEveryMs` the process sends itself a probe on the
 * channel; if the last one never came back, the listener is deaf (a LISTEN that failed when its
 * connection came back stays failed in postgres.js), so the cache is emptied and the process
 * listens anew, on a new connection, and tries again at the next check until it can. A process
 * that cannot listen as it starts (the database away) serves anyway and listens at its first
 * check. PGlite has no other process to hear.
 */
export async function followEndedSessions(handle: DbHandle, { checkEveryMs = SESSION_FOLLOW_CHECK_MS } = {}): Promise<() => void> {
  const cache = cacheOf(handle.db);
  const probe = `probe:${randomUUID()}`;
  let heard = true;
  const listen = () =>
    handle.listen(
      SESSION_ENDED_CHANNEL,
      (payload) => (payload === probe ? (heard = true) : cache.forget(payload)),
      () => cache.clear(),
    );
  let listener: { unlisten(): Promise<void> } | null = null;
  try {
    listener = await listen();
  } catch {
    // The database is away as this process starts: serve anyway (its requests get 503s until
    // it is back), and let the first check listen.
    heard = false;
  }
  if (handle.backend === 'pglite') return () => {};
  let checking = false;
  const check = async () => {
    if (checking) return;
    checking = true;
    try {
      if (!heard) {
        cache.clear();
        await listener?.unlisten().catch(() => {});
        listener = null;
        listener = await listen();
      }
      heard = false;
      await handle.db.execute(sql`select pg_notify(${SESSION_ENDED_CHANNEL}, ${probe})`);
    } catch {
      // The database is away: the next check tries again.
    } finally {
      checking = false;
    }
  };
  const timer = setInterval(() => void check(), checkEveryMs);
  timer.unref();
  return () => clearInterval(timer);
}
