import { and, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { auditLog, ledgerAccounts } from '../../db/schema/index';
import { describeEachBackend } from '../support/backends';
import { testApp, type TestApp } from '../support/app';

const PASSWORD = 'correct-horse-battery';

/** The value of a cookie set by a response, with its attribute string. */
function setCookie(res: { headers: Headers }, name: string) {
  const line = res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
  if (!line) return undefined;
  const [pair, ...attrs] = line.split(';').map((s) => s.trim());
  return { value: pair!.slice(name.length + 1), attrs };
}

async function registerDriver(t: TestApp) {
  const phone = t.uniquePhone();
  const res = await t.call('POST', '/api/auth/register', {
    body: { phone, name: '王师傅', plateNumber: '粤B·12345', password: PASSWORD },
  });
  return { phone, res };
}

async function createPartner(t: TestApp, committeeToken: string) {
  return t.call('POST', '/api/partners', {
    token: committeeToken,
    body: { name: '顺达汽修 Shunda Garage', kind: 'garage', region: 'Baoan' },
  });
}

describeEachBackend('auth: the happy paths', (db) => {
  it('register creates a driver and answers 201 with the user id and role', async () => {
    const t = testApp(db());
    const { res } = await registerDriver(t);
    expect(res.status, res.text).toBe(201);
    expect(res.json).toEqual({ user: { id: expect.stringMatching(/^[0-9a-f-]{36}$/), role: 'driver' } });
  });

  it('a registered driver has a driver_wallet ledger account owned by them', async () => {
    const t = testApp(db());
    const { res } = await registerDriver(t);
    const id = res.json.user.id as string;
    const wallets = await t.db
      .select({ kind: ledgerAccounts.kind, ownerId: ledgerAccounts.ownerId, bounded: ledgerAccounts.bounded })
      .from(ledgerAccounts)
      .where(eq(ledgerAccounts.ownerId, id));
    expect(wallets).toEqual([{ kind: 'driver_wallet', ownerId: id, bounded: true }]);
  });

  it('login answers 200 with token, expiry and user, and sets the session and CSRF cookies', async () => {
    const t = testApp(db());
    const { phone, res: reg } = await registerDriver(t);
    const res = await t.call('POST', '/api/auth/login', { body: { phone, password: PASSWORD } });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({
      token: expect.any(String),
      expiresAt: new Date(t.clock.now().getTime() + t.config.session.ttlHours * 3_600_000).toISOString(),
      user: { id: reg.json.user.id, role: 'driver', name: '王师傅' },
    });

    const session = setCookie(res, 'mp_session');
    expect(session?.value).toBe(res.json.token);
    expect(session?.attrs).toContain('HttpOnly');
    expect(session?.attrs).toContain('SameSite=Lax');
    expect(session?.attrs).toContain('Path=/');

    const csrf = setCookie(res, 'mp_csrf');
    expect(csrf?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(csrf?.value).not.toBe(res.json.token);
    expect(csrf?.attrs).not.toContain('HttpOnly'); // the web app must be able to read it
  });

  it('GET /api/me with a bearer token returns the full profile', async () => {
    const t = testApp(db());
    const { phone, res: reg } = await registerDriver(t);
    const login = await t.call('POST', '/api/auth/login', { body: { phone, password: PASSWORD } });
    const me = await t.call('GET', '/api/me', { token: login.json.token });
    expect(me.status, me.text).toBe(200);
    expect(me.json).toEqual({
      id: reg.json.user.id,
      role: 'driver',
      name: '王师傅',
      phone,
      plateNumber: '粤B·12345',
      partnerId: null,
    });
  });

  it('GET /api/me with the session cookie returns the same profile as with the bearer token', async () => {
    const t = testApp(db());
    const { phone } = await registerDriver(t);
    const login = await t.call('POST', '/api/auth/login', { body: { phone, password: PASSWORD } });
    const cookie = setCookie(login, 'mp_session')!.value;
    const viaCookie = await t.call('GET', '/api/me', { headers: { cookie: `mp_session=${cookie}` } });
    const viaBearer = await t.call('GET', '/api/me', { token: login.json.token });
    expect(viaCookie.status, viaCookie.text).toBe(200);
    expect(viaCookie.json).toEqual(viaBearer.json);
    expect(viaCookie.json.phone).toBe(phone);
  });

  it('logout answers 204, clears the cookies, and the token no longer signs in', async () => {
    const t = testApp(db());
    const { token } = await t.signedIn('driver');
    expect((await t.call('GET', '/api/me', { token })).status).toBe(200);

    const out = await t.call('POST', '/api/auth/logout', { token });
    expect(out.status, out.text).toBe(204);
    expect(out.text).toBe('');
    expect(setCookie(out, 'mp_session')?.value).toBe('');
    expect(setCookie(out, 'mp_csrf')?.value).toBe('');

    const me = await t.call('GET', '/api/me', { token });
    expect(me.status).toBe(401);
    expect(me.json.code).toBe('unauthenticated');
  });

  it('logout ends only its own session: another login of the same user stays signed in', async () => {
    const t = testApp(db());
    const user = await t.signedIn('driver');
    const second = await t.call('POST', '/api/auth/login', { body: { phone: user.phone, password: user.password } });
    await t.call('POST', '/api/auth/logout', { token: user.token });
    expect((await t.call('GET', '/api/me', { token: user.token })).status).toBe(401);
    expect((await t.call('GET', '/api/me', { token: second.json.token })).status).toBe(200);
  });

  it('committee creates a partner with a settlement account, and it is listed and audited', async () => {
    const t = testApp(db());
    const committee = await t.signedIn('committee');
    const res = await createPartner(t, committee.token);
    expect(res.status, res.text).toBe(201);
    expect(res.json).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: '顺达汽修 Shunda Garage',
      kind: 'garage',
      region: 'Baoan',
      address: null,
      contact: null,
      status: 'active',
      settlementAccountId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });

    const [account] = await t.db.select().from(ledgerAccounts).where(eq(ledgerAccounts.id, res.json.settlementAccountId));
    expect(account).toMatchObject({ kind: 'partner_settlement', ownerId: res.json.id });

    const list = await t.call('GET', '/api/partners', { token: committee.token });
    expect(list.status).toBe(200);
    expect(list.json.items).toEqual([res.json]);

    const entries = await t.db.select().from(auditLog).where(eq(auditLog.targetId, res.json.id));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actorId: committee.id,
      action: 'partner.create',
      targetType: 'partner',
      targetId: res.json.id,
      createdAt: t.clock.now(),
    });
    expect(entries[0]!.after).toMatchObject({ id: res.json.id, name: '顺达汽修 Shunda Garage', kind: 'garage' });
  });

  it('committee adds partner staff, who can sign in and see their partner in /api/me, and it is audited', async () => {
    const t = testApp(db());
    const committee = await t.signedIn('committee');
    const partner = await createPartner(t, committee.token);
    const phone = t.uniquePhone();

    const res = await t.call('POST', `/api/partners/${partner.json.id}/staff`, {
      token: committee.token,
      body: { phone, name: 'Desk Li', password: PASSWORD },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toEqual({ user: { id: expect.stringMatching(/^[0-9a-f-]{36}$/), role: 'partner_staff' } });

    const login = await t.call('POST', '/api/auth/login', { body: { phone, password: PASSWORD } });
    expect(login.status, login.text).toBe(200);
    expect(login.json.user).toEqual({ id: res.json.user.id, role: 'partner_staff', name: 'Desk Li' });

    const me = await t.call('GET', '/api/me', { token: login.json.token });
    expect(me.json).toEqual({
      id: res.json.user.id,
      role: 'partner_staff',
      name: 'Desk Li',
      phone,
      plateNumber: null,
      partnerId: partner.json.id,
    });

    // staff have no wallet: only drivers do
    const accounts = await t.db.select().from(ledgerAccounts).where(eq(ledgerAccounts.ownerId, res.json.user.id));
    expect(accounts).toEqual([]);

    const entries = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'partner.staff.create'), eq(auditLog.targetId, res.json.user.id)));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorId: committee.id, targetType: 'user' });
    expect(entries[0]!.after).toEqual({ partnerId: partner.json.id, phone, name: 'Desk Li' });
  });

  it('committee adds another committee member, who can sign in, and it is audited without the password', async () => {
    const t = testApp(db());
    const committee = await t.signedIn('committee');
    const phone = t.uniquePhone();
    const res = await t.call('POST', '/api/committee/members', {
      token: committee.token,
      body: { phone, name: 'Chair Zhao', password: PASSWORD },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toEqual({ user: { id: expect.stringMatching(/^[0-9a-f-]{36}$/), role: 'committee' } });

    const login = await t.call('POST', '/api/auth/login', { body: { phone, password: PASSWORD } });
    expect(login.json.user).toEqual({ id: res.json.user.id, role: 'committee', name: 'Chair Zhao' });

    const entries = await t.db.select().from(auditLog).where(eq(auditLog.targetId, res.json.user.id));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actorId: committee.id,
      action: 'committee.member.create',
      targetType: 'user',
      before: null,
      after: { phone, name: 'Chair Zhao', role: 'committee' },
    });
    expect(JSON.stringify(entries[0]!.after)).not.toContain(PASSWORD);
  });
});
