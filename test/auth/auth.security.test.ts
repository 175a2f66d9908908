import { eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { hashToken } from '../../api/auth/tokens';
import { queryRows } from '../../db/client';
import { sessions, users } from '../../db/schema/index';
import { describeEachBackend } from '../support/backends';
import { testApp, type TestApp } from '../support/app';
import { expectProblem } from '../support/problems';

const PASSWORD = 'correct-horse-battery';

/** Signs in through the API and returns the cookies the browser would hold. */
async function cookieLogin(t: TestApp, role: 'driver' | 'committee') {
  const user = await t.signedIn(role);
  const res = await t.call('POST', '/api/auth/login', { body: { phone: user.phone, password: user.password } });
  const jar = Object.fromEntries(
    res.headers.getSetCookie().map((line) => {
      const pair = line.split(';')[0]!;
      const at = pair.indexOf('=');
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
  return {
    ...user,
    session: jar.mp_session as string,
    csrf: jar.mp_csrf as string,
    cookie: `mp_session=${jar.mp_session}; mp_csrf=${jar.mp_csrf}`,
  };
}

const newMember = (t: TestApp) => ({ phone: t.uniquePhone(), name: 'New Member', password: PASSWORD });
const newPartner = { name: 'Harbour Inspection', kind: 'inspection_station', region: 'Nanshan' };

describeEachBackend('auth: security', (db) => {
  it('a cookie-authenticated write without x-csrf-token is 403 csrf_failed and changes nothing', async () => {
    const t = testApp(db());
    const committee = await cookieLogin(t, 'committee');
    const body = newMember(t);
    const res = await t.call('POST', '/api/committee/members', { body, headers: { cookie: committee.cookie } });
    expectProblem(res, 403, 'csrf_failed');
    const created = await t.db.select().from(users).where(eq(users.phone, body.phone));
    expect(created).toEqual([]);
  });

  it('a cookie-authenticated write with a wrong x-csrf-token is 403 csrf_failed', async () => {
    const t = testApp(db());
    const committee = await cookieLogin(t, 'committee');
    const other = await cookieLogin(t, 'committee');
    for (const wrong of ['', 'x', other.csrf, committee.session]) {
      const res = await t.call('POST', '/api/committee/members', {
        body: newMember(t),
        headers: { cookie: committee.cookie, 'x-csrf-token': wrong },
      });
      expectProblem(res, 403, 'csrf_failed');
    }
  });

  it('a cookie-authenticated write with the session CSRF token in x-csrf-token succeeds', async () => {
    const t = testApp(db());
    const committee = await cookieLogin(t, 'committee');
    const res = await t.call('POST', '/api/committee/members', {
      body: newMember(t),
      headers: { cookie: committee.cookie, 'x-csrf-token': committee.csrf },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json.user.role).toBe('committee');
  });

  it('a cookie-authenticated read needs no CSRF token', async () => {
    const t = testApp(db());
    const committee = await cookieLogin(t, 'committee');
    const res = await t.call('GET', '/api/partners', { headers: { cookie: `mp_session=${committee.session}` } });
    expect(res.status, res.text).toBe(200);
  });

  it('a bearer-authenticated write needs no CSRF token', async () => {
    const t = testApp(db());
    const committee = await t.signedIn('committee');
    const res = await t.call('POST', '/api/committee/members', { token: committee.token, body: newMember(t) });
    expect(res.status, res.text).toBe(201);
  });

  it('logout by cookie works without x-csrf-token and ends the session', async () => {
    const t = testApp(db());
    const driver = await cookieLogin(t, 'driver');
    const res = await t.call('POST', '/api/auth/logout', { headers: { cookie: driver.cookie } });
    expect(res.status, res.text).toBe(204);
    expectProblem(await t.call('GET', '/api/me', { headers: { cookie: driver.cookie } }), 401, 'unauthenticated');
    expectProblem(await t.call('GET', '/api/me', { token: driver.session }), 401, 'unauthenticated');
  });

  it('logout when not signed in is 204', async () => {
    const t = testApp(db());
    expect((await t.call('POST', '/api/auth/logout')).status).toBe(204);
    expect((await t.call('POST', '/api/auth/logout', { token: 'B'.repeat(43) })).status).toBe(204);
  });

  it('a driver creating a partner is 403 forbidden', async () => {
    const t = testApp(db());
    const driver = await t.signedIn('driver');
    const res = await t.call('POST', '/api/partners', { token: driver.token, body: newPartner });
    const problem = expectProblem(res, 403, 'forbidden');
    expect(problem.detail).toContain('committee');
  });

  it('an anonymous caller creating a partner is 401 unauthenticated', async () => {
    const t = testApp(db());
    expectProblem(await t.call('POST', '/api/partners', { body: newPartner }), 401, 'unauthenticated');
  });

  it('partner staff creating a partner, adding staff or a committee member is 403 forbidden', async () => {
    const t = testApp(db());
    const committee = await t.signedIn('committee');
    const partner = await t.call('POST', '/api/partners', { token: committee.token, body: newPartner });
    const staff = await t.signedIn('partner_staff', { partnerId: partner.json.id });

    expectProblem(await t.call('POST', '/api/partners', { token: staff.token, body: newPartner }), 403, 'forbidden');
    expectProblem(await t.call('GET', '/api/partners', { token: staff.token }), 403, 'forbidden');
    expectProblem(
      await t.call('POST', `/api/partners/${partner.json.id}/staff`, { token: staff.token, body: newMember(t) }),
      403,
      'forbidden',
    );
    expectProblem(
      await t.call('POST', '/api/committee/members', { token: staff.token, body: newMember(t) }),
      403,
      'forbidden',
    );
  });

  it('a driver cannot make themselves or anyone a committee member', async () => {
    const t = testApp(db());
    const driver = await t.signedIn('driver');
    const body = newMember(t);
    expectProblem(await t.call('POST', '/api/committee/members', { token: driver.token, body }), 403, 'forbidden');
    expect(await t.db.select().from(users).where(eq(users.phone, body.phone))).toEqual([]);
  });

  it('the role guard runs before validation: a driver sending junk still gets 403, not field errors', async () => {
    const t = testApp(db());
    const driver = await t.signedIn('driver');
    expectProblem(await t.call('POST', '/api/partners', { token: driver.token, body: { nope: 1 } }), 403, 'forbidden');
    expectProblem(await t.call('POST', '/api/partners', { body: { nope: 1 } }), 401, 'unauthenticated');
  });

  it('behind a trusted proxy, the per-address lock keys on the hop the proxy added, not on spoofable ones', async () => {
    const t = testApp(db(), { trustProxy: true, login: { maxFailuresPerPhone: 100, maxFailuresPerIp: 3, windowMinutes: 15 } });
    const user = await t.signedIn('driver');
    const via = (first: string, proxySaw: string) => ({ 'x-forwarded-for': `${first}, ${proxySaw}` });
    for (let i = 0; i < 3; i++) {
      const res = await t.call('POST', '/api/auth/login', {
        body: { phone: t.uniquePhone(), password: 'wrong-password-x' },
        headers: via(`10.9.9.${i}`, '203.0.113.7'),
      });
      expect(res.status).toBe(401);
    }
    const fromAttacker = await t.call('POST', '/api/auth/login', {
      body: { phone: user.phone, password: user.password },
      headers: via('10.9.9.99', '203.0.113.7'),
    });
    expectProblem(fromAttacker, 429, 'rate_limited');
    const fromElsewhere = await t.call('POST', '/api/auth/login', {
      body: { phone: user.phone, password: user.password },
      headers: via('10.9.9.0', '198.51.100.1'),
    });
    expect(fromElsewhere.status, fromElsewhere.text).toBe(200);
  });

  it('without a trusted proxy, X-Forwarded-For is ignored for the per-address lock', async () => {
    const t = testApp(db(), { login: { maxFailuresPerPhone: 100, maxFailuresPerIp: 3, windowMinutes: 15 } });
    const user = await t.signedIn('driver');
    for (let i = 0; i < 3; i++) {
      await t.call('POST', '/api/auth/login', {
        body: { phone: t.uniquePhone(), password: 'wrong-password-x' },
        headers: { 'x-forwarded-for': `198.51.100.${i}` },
      });
    }
    const res = await t.call('POST', '/api/auth/login', {
      body: { phone: user.phone, password: user.password },
      headers: { 'x-forwarded-for': '198.51.100.200' },
    });
    expectProblem(res, 429, 'rate_limited');
  });

  it('session tokens are 43-char base64url (256 bits) and every login gets a new one', async () => {
    const t = testApp(db());
    const user = await t.signedIn('driver');
    const again = await t.call('POST', '/api/auth/login', { body: { phone: user.phone, password: user.password } });
    for (const token of [user.token, again.json.token]) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    }
    expect(again.json.token).not.toBe(user.token);
  });

  it('the sessions table stores the SHA-256 of the token, never the token', async () => {
    const t = testApp(db());
    const user = await t.signedIn('driver');
    const rows = await t.db.select().from(sessions).where(eq(sessions.userId, user.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).toBe(hashToken(user.token));
    expect(rows[0]!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    const dump = await queryRows<{ row: string }>(t.db, sql`select s::text as row from sessions s`);
    expect(dump).toHaveLength(1);
    expect(dump[0]!.row).not.toContain(user.token);
  });

  it('passwords are stored as argon2id hashes, never in clear', async () => {
    const t = testApp(db());
    const res = await t.call('POST', '/api/auth/register', {
      body: { phone: t.uniquePhone(), name: 'Hash Me', plateNumber: '粤B·12345', password: PASSWORD },
    });
    const [row] = await t.db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, res.json.user.id));
    expect(row!.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row!.passwordHash).not.toContain(PASSWORD);
    const dump = await queryRows<{ row: string }>(t.db, sql`select u::text as row from users u`);
    expect(dump.map((d) => d.row).join('\n')).not.toContain(PASSWORD);
  });

  it('two users with the same password get different hashes (salted)', async () => {
    const t = testApp(db());
    const a = await t.signedIn('driver');
    const b = await t.signedIn('driver');
    expect(a.password).toBe(b.password);
    const rows = await t.db.select({ id: users.id, passwordHash: users.passwordHash }).from(users);
    const hashes = rows.filter((r) => r.id === a.id || r.id === b.id).map((r) => r.passwordHash);
    expect(new Set(hashes).size).toBe(2);
  });

  it('no response to a login or /api/me carries the password hash', async () => {
    const t = testApp(db());
    const user = await t.signedIn('driver');
    const login = await t.call('POST', '/api/auth/login', { body: { phone: user.phone, password: user.password } });
    const me = await t.call('GET', '/api/me', { token: user.token });
    expect(login.text).not.toContain('argon2');
    expect(me.text).not.toContain('argon2');
    expect(me.json).not.toHaveProperty('passwordHash');
  });
});
