import { sql } from 'drizzle-orm';
import { afterEach, expect, it, vi } from 'vitest';
import { hashToken } from '../../api/auth/tokens';
import { resolveSession, SESSION_CACHE_MS } from '../../api/auth/sessions';
import { queryRows } from '../../db/client';
import { describeEachBackend } from '../support/backends';
import { testApp } from '../support/app';
import { expectProblem } from '../support/problems';

/**
 * Sessions are kept in memory for a few seconds so a signed-in request does not pay a round trip
 * for its session. What must still hold: signing out here ends the session at once, an expired
 * session never signs in, and a session removed elsewhere stops working within SESSION_CACHE_MS.
 */
describeEachBackend('auth: the session cache', (db) => {
  afterEach(() => vi.useRealTimers());

  const removeRow = (t: ReturnType<typeof testApp>, token: string) =>
    t.db.execute(sql`delete from sessions where token_hash = ${hashToken(token)}`);

  it('a session read once answers from memory, even after its row is gone, for at most SESSION_CACHE_MS', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const t = testApp(db());
    const driver = await t.signedIn('driver');
    expect((await t.call('GET', '/api/me', { token: driver.token })).status).toBe(200);

    // Ended by another process: this one does not know yet.
    await removeRow(t, driver.token);
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
