import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { hashToken } from '../../api/auth/tokens';
import { endSession, followEndedSessions, resolveSession, SESSION_CACHE_MS } from '../../api/auth/sessions';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { createDb, queryRows, type Db, type DbHandle } from '../../db/client';
import * as schema from '../../db/schema/index';
import { describeEachBackend, freshPostgres, pgUrl } from '../support/backends';
import { testApp } from '../support/app';
import { expectProblem } from '../support/problems';

/**
 * Sessions are kept in memory so a signed-in request does not pay a round trip for its session.
 * What must still hold: signing out here ends the session at once, an expired session never signs
 * in, and a session whose row is removed some other way stops working within SESSION_CACHE_MS.
 */
describeEachBackend('auth: the session cache', (db) => {
  afterEach(() => vi.useRealTimers());

  it('a session read once answers from memory, even after its row is gone, for at most SESSION_CACHE_MS', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const t = testApp(db());
    const driver = await t.signedIn('driver');
    expect((await t.call('GET', '/api/me', { token: driver.token })).status).toBe(200);

    // Its row deleted by hand (no sign-out, so no notification): this process does not know yet.
    await removeRowOf(t.db, driver.token);
    expect((await t.call('GET', '/api/me', { token: driver.token })).status).toBe(200);

    vi.advanceTimersByTime(SESSION_CACHE_MS);
    expectProblem(await t.call('GET', '/api/me', { token: driver.token }), 401, 'unauthenticated');
  });

  it('signing out in this process ends the session at once, although it was cached', async () => {
    const t = testApp(db());
    const driver = await t.signedIn('driver');
    expect((await t.call('GET', '/api/me', { token: driver.token })).status).toBe(200);
    expect((await t.call('POST', '/api/auth/logout', { token: driver.token })).status).toBe(204);
    expectProblem(await t.call('GET', '/api/me', { token: driver.token }), 401, 'unauthenticated');
  });

  it('a cached session past its expiry does not sign in', async () => {
    const t = testApp(db());
    const driver = await t.signedIn('driver');
    const [row] = await queryRows<{ expires_at: Date | string }>(t.db, sql`select expires_at from sessions where token_hash = ${hashToken(driver.token)}`);
    const expiresAt = new Date(row!.expires_at);
    expect(await resolveSession(t.db, driver.token, new Date(expiresAt.getTime() - 1000))).not.toBeNull();
    expect(await resolveSession(t.db, driver.token, expiresAt)).toBeNull();
  });

  it('an unknown token is not remembered: a session created for it later is found', async () => {
    const t = testApp(db());
    const driver = await t.signedIn('driver');
    const stranger = 'not-a-session-token-but-shaped-like-one-000000000';
    expect(await resolveSession(t.db, stranger, new Date())).toBeNull();
    await t.db.execute(
      sql`insert into sessions (token_hash, user_id, csrf_token, created_at, expires_at)
          values (${hashToken(stranger)}, ${driver.id}, 'csrf', now(), now() + interval '1 hour')`,
    );
    expect((await resolveSession(t.db, stranger, new Date()))?.user.id).toBe(driver.id);
  });
});

/**
 * Server processes each keep their own cache. A sign-out in one must end the session in all of
 * them at once, not after SESSION_CACHE_MS: each process follows sign-outs (LISTEN), and empties
 * its cache when its listening connection comes back, since what was sent meanwhile is lost.
 * Two handles on one PostgreSQL database are two processes here.
 */
describe.skipIf(!pgUrl)('auth: sessions across server processes [postgres]', () => {
  let here: DbHandle & { url: string };
  let there: DbHandle;
  beforeEach(async () => {
    here = await freshPostgres(pgUrl!);
    there = await createDb({ databaseUrl: here.url, maxConnections: 2 });
  });
  afterEach(async () => {
    await there?.close();
    await here?.close();
  });

  /** Asks `t` for /api/me until it answers something other than 200, for up to 3 s (SESSION_CACHE_MS is 60 s). */
  async function statusOnceChanged(t: ReturnType<typeof testApp>, token: string): Promise<number> {
    const until = performance.now() + 3000;
    for (;;) {
      const { status } = await t.call('GET', '/api/me', { token });
      if (status !== 200 || performance.now() > until) return status;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** A session cached in `there`, then signed out through `here`; `there` follows sign-outs or not. */
  async function signedOutElsewhere(thereFollows: boolean) {
    await followEndedSessions(here);
    if (thereFollows) await followEndedSessions(there);
    const a = testApp(here);
    const b = testApp(there);
    const driver = await a.signedIn('driver');
    expect((await b.call('GET', '/api/me', { token: driver.token })).status).toBe(200);
    expect((await a.call('POST', '/api/auth/logout', { token: driver.token })).status).toBe(204);
    return { there: b, token: driver.token };
  }

  it('signing out in one process ends the session in another at once, although that one had it cached', async () => {
    const { there: b, token } = await signedOutElsewhere(true);
    expect(await statusOnceChanged(b, token)).toBe(401);
    expectProblem(await b.call('GET', '/api/me', { token }), 401, 'unauthenticated');
  });

  it('a process that does not follow sign-outs keeps answering from its cache (what the test above relies on)', async () => {
    const { there: b, token } = await signedOutElsewhere(false);
    expect(await statusOnceChanged(b, token)).toBe(200);
  });

  it('a process whose listening connection was lost forgets every cached session when it listens again', async () => {
    await followEndedSessions(there);
    const a = testApp(here);
    const b = testApp(there);
    const driver = await a.signedIn('driver');
    expect((await b.call('GET', '/api/me', { token: driver.token })).status).toBe(200);
    // Ended with no notification (as if sent while the listener was away), then the listener drops.
    await removeRowOf(here.db, driver.token);
    expect(await terminateListeners(here)).toBe(1);
    expect(await statusOnceChanged(b, driver.token)).toBe(401);
  });

  it('a session read that begins while this process signs it out answers its own request but is not kept', async () => {
    const a = testApp(here);
    const driver = await a.signedIn('driver');
    // The sign-out's deletion waits on this lock until the read has its answer: the read finds the row.
    const locker = postgres(here.url, { max: 1, onnotice: () => {} });
    let ending: Promise<void> | undefined;
    try {
      await locker.begin(async (tx) => {
        await tx`select 1 from sessions where token_hash = ${hashToken(driver.token)} for update`;
        ending = endSession(here.db, driver.token);
        const reading = resolveSession(here.db, driver.token, a.clock.now());
        expect((await reading)?.user.id).toBe(driver.id);
      });
      await ending;
    } finally {
      await locker.end();
    }
    expect(await resolveSession(here.db, driver.token, a.clock.now())).toBeNull();
  });

  it('a session read in another process as it was signed out is not kept there, though its answer comes after the notification', async () => {
    const a = testApp(here);
    const driver = await a.signedIn('driver');
    // Process B: its session reads go through a client that can hold an answer back after the
    // database gave it; its sign-out notifications are seen as they arrive.
    const raw = postgres(here.url, { max: 2, onnotice: () => {} });
    let holdBack: Promise<void> | null = null;
    const slow = new Proxy(raw, {
      get(target, prop, receiver) {
        if (prop !== 'unsafe') return Reflect.get(target, prop, receiver);
        return (query: string, params: unknown[], options: object) => {
          const pending = target.unsafe(query, params as never[], options);
          const held = holdBack;
          if (!held || !query.includes('"sessions"')) return pending;
          return { values: async () => [await pending.values(), await held][0] };
        };
      },
    });
    const bDb = drizzlePostgres({ client: slow, schema }) as unknown as Db;
    let notified!: () => void;
    const heard = new Promise<void>((resolve) => (notified = resolve));
    const b: DbHandle = {
      ...there,
      db: bDb,
      listen: (channel, onMessage, onListen) =>
        there.listen(channel, (payload) => (onMessage(payload), payload.startsWith('probe:') || notified()), onListen),
    };
    const unfollow = await followEndedSessions(b);
    try {
      let release!: () => void;
      holdBack = new Promise<void>((resolve) => (release = resolve));
      const reading = resolveSession(bDb, driver.token, a.clock.now());
      await new Promise((resolve) => setTimeout(resolve, 100));
      holdBack = null;
      expect((await a.call('POST', '/api/auth/logout', { token: driver.token })).status).toBe(204);
      await heard;
      release();
      // B's read found the row before the sign-out, and answers its own request with it...
      expect((await reading)?.user.id).toBe(driver.id);
      // ...but B does not keep it.
      expect(await resolveSession(bDb, driver.token, a.clock.now())).toBeNull();
    } finally {
      unfollow();
      await raw.end();
    }
  });

  it('a process that cannot listen as it starts serves anyway, and listens at its next check', async () => {
    let attempts = 0;
    const awayAtFirst: DbHandle = {
      ...there,
      listen: (channel, onMessage, onListen) =>
        ++attempts === 1 ? Promise.reject(new Error('connect ECONNREFUSED (the database is away)')) : there.listen(channel, onMessage, onListen),
    };
    const unfollow = await followEndedSessions(awayAtFirst, { checkEveryMs: 200 });
    try {
      for (let i = 0; i < 40 && attempts < 2; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(attempts).toBe(2);
      const a = testApp(here);
      const b = testApp(there);
      const driver = await a.signedIn('driver');
      expect((await b.call('GET', '/api/me', { token: driver.token })).status).toBe(200);
      expect((await a.call('POST', '/api/auth/logout', { token: driver.token })).status).toBe(204);
      expect(await statusOnceChanged(b, driver.token)).toBe(401);
    } finally {
      unfollow();
    }
  });

  it('a process whose listener went deaf finds out from its own probe, empties its cache and listens again', async () => {
    // A listener can stop hearing without a word: a LISTEN that fails when its connection comes
    // back stays failed in postgres.js, which retries nothing more.
    let generation = 0;
    let deaf = 0;
    const deafening: DbHandle = {
      ...there,
      listen: (channel, onMessage, onListen) => {
        const mine = ++generation;
        return there.listen(channel, (payload) => void (mine !== deaf && onMessage(payload)), onListen);
      },
    };
    const unfollow = await followEndedSessions(deafening, { checkEveryMs: 200 });
    try {
      const a = testApp(here);
      const b = testApp(there);
      const driver = await a.signedIn('driver');
      expect((await b.call('GET', '/api/me', { token: driver.token })).status).toBe(200);
      deaf = generation;
      expect((await a.call('POST', '/api/auth/logout', { token: driver.token })).status).toBe(204);
      expect(await statusOnceChanged(b, driver.token)).toBe(401);
      expect(generation, 'it listened again').toBeGreaterThan(deaf);
    } finally {
      unfollow();
    }
  });
});

/** Ends every listening connection on the test's database; returns how many. */
async function terminateListeners(handle: DbHandle): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    handle.db,
    sql`select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
         where datname = current_database() and query ilike 'listen %' and pid <> pg_backend_pid()`,
  );
  return row!.n;
}

/** Deletes a session's row by hand: no sign-out, so no notification. */
const removeRowOf = (db: Db, token: string) => db.execute(sql`delete from sessions where token_hash = ${hashToken(token)}`);
