import { expect, it } from 'vitest';
import { describeEachBackend } from '../support/backends';
import { testApp, type TestApp } from '../support/app';
import { expectProblem } from '../support/problems';

const login = (t: TestApp, phone: string, password: string) =>
  t.call('POST', '/api/auth/login', { body: { phone, password } });

describeEachBackend('auth: errors', (db) => {
  it('a wrong password is 401 invalid_credentials', async () => {
    const t = testApp(db());
    const user = await t.signedIn('driver');
    const res = await login(t, user.phone, 'not-the-right-password');
    const problem = expectProblem(res, 401, 'invalid_credentials');
    expect(problem.instance).toBe('/api/auth/login');
    expect(res.json.token).toBeUndefined();
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it('an unknown phone is 401 with exactly the body a wrong password gets', async () => {
    const t = testApp(db());
    const user = await t.signedIn('driver');
    const wrongPassword = await login(t, user.phone, 'not-the-right-password');
    const unknownPhone = await login(t, t.uniquePhone(), 'not-the-right-password');
    expectProblem(unknownPhone, 401, 'invalid_credentials');
    expect(unknownPhone.json).toEqual(wrongPassword.json);
  });

  it('registering a phone that is taken is 409 phone_taken, and the first account is untouched', async () => {
    const t = testApp(db());
    const user = await t.signedIn('driver');
    const res = await t.call('POST', '/api/auth/register', {
      body: { phone: user.phone, name: 'Imposter', plateNumber: '粤B·99999', password: 'another-long-password' },
    });
    expectProblem(res, 409, 'phone_taken');
    expect((await login(t, user.phone, user.password)).status).toBe(200);
    expect((await login(t, user.phone, 'another-long-password')).status).toBe(401);
  });

  it('a 9-character password is refused with a field error on password', async () => {
    const t = testApp(db());
    const res = await t.call('POST', '/api/auth/register', {
      body: { phone: t.uniquePhone(), name: 'Short', plateNumber: '粤B·12345', password: '123456789' },
    });
    const problem = expectProblem(res, 400, 'validation_failed');
    expect(problem.errors).toEqual([{ path: 'password', message: 'a password has at least 10 characters' }]);
  });

  it('a 10-character password is accepted (the boundary)', async () => {
    const t = testApp(db());
    const res = await t.call('POST', '/api/auth/register', {
      body: { phone: t.uniquePhone(), name: 'Exact', plateNumber: '粤B·12345', password: '1234567890' },
    });
    expect(res.status, res.text).toBe(201);
  });

  it('after the allowed failures a phone is locked: even the right password gets 429 with Retry-After', async () => {
    const t = testApp(db());
    const user = await t.signedIn('driver');
    const max = t.config.login.maxFailuresPerPhone;
    expect(max).toBe(5);

    for (let i = 0; i < max; i++) {
      expectProblem(await login(t, user.phone, `wrong-password-${i}`), 401, 'invalid_credentials');
    }
    const locked = await login(t, user.phone, user.password);
    expectProblem(locked, 429, 'rate_limited');
    const windowSeconds = t.config.login.windowMinutes * 60;
    expect(locked.headers.get('retry-after')).toBe(String(windowSeconds));
    expect(locked.json.token).toBeUndefined();

    // the lock counts down with the clock
    t.clock.advance(60_000);
    const later = await login(t, user.phone, user.password);
    expectProblem(later, 429, 'rate_limited');
    expect(later.headers.get('retry-after')).toBe(String(windowSeconds - 60));
  });

  it('one failure fewer than the limit does not lock, and a success resets the count', async () => {
    const t = testApp(db());
    const user = await t.signedIn('driver');
    const max = t.config.login.maxFailuresPerPhone;
    for (let i = 0; i < max - 1; i++) await login(t, user.phone, 'wrong-password-x');
    expect((await login(t, user.phone, user.password)).status).toBe(200);
    // the count started again: another max-1 failures still leave the right password working
    for (let i = 0; i < max - 1; i++) await login(t, user.phone, 'wrong-password-x');
    expect((await login(t, user.phone, user.password)).status).toBe(200);
  });

  it('a locked phone signs in again once the window has passed', async () => {
    const t = testApp(db());
    const user = await t.signedIn('driver');
    for (let i = 0; i < t.config.login.maxFailuresPerPhone; i++) await login(t, user.phone, 'wrong-password-x');
    expect((await login(t, user.phone, user.password)).status).toBe(429);

    t.clock.advance(t.config.login.windowMinutes * 60_000 - 1_000);
    expect((await login(t, user.phone, user.password)).status).toBe(429);

    t.clock.advance(2_000);
    const res = await login(t, user.phone, user.password);
    expect(res.status, res.text).toBe(200);
    expect((await t.call('GET', '/api/me', { token: res.json.token })).status).toBe(200);
  });

  it('locking one phone does not lock another', async () => {
    const t = testApp(db());
    const victim = await t.signedIn('driver');
    const other = await t.signedIn('driver');
    for (let i = 0; i < t.config.login.maxFailuresPerPhone; i++) await login(t, victim.phone, 'wrong-password-x');
    expect((await login(t, victim.phone, victim.password)).status).toBe(429);
    expect((await login(t, other.phone, other.password)).status).toBe(200);
  });

  it('too many failures from one address lock that address for every phone', async () => {
    const t = testApp(db(), { login: { maxFailuresPerPhone: 100, maxFailuresPerIp: 3, windowMinutes: 15 } });
    const user = await t.signedIn('driver');
    for (let i = 0; i < 3; i++) await login(t, t.uniquePhone(), 'wrong-password-x');
    const res = await login(t, user.phone, user.password);
    expectProblem(res, 429, 'rate_limited');
    expect(Number(res.headers.get('retry-after'))).toBe(15 * 60);
  });

  it('a session stops working once its ttl has passed', async () => {
    const t = testApp(db());
    const { token } = await t.signedIn('driver');
    const ttlMs = t.config.session.ttlHours * 3_600_000;

    t.clock.advance(ttlMs - 1_000);
    expect((await t.call('GET', '/api/me', { token })).status).toBe(200);

    t.clock.advance(2_000);
    const res = await t.call('GET', '/api/me', { token });
    expectProblem(res, 401, 'unauthenticated');
  });

  it('an unknown or malformed bearer token is 401 on /api/me', async () => {
    const t = testApp(db());
    expectProblem(await t.call('GET', '/api/me', { token: 'A'.repeat(43) }), 401, 'unauthenticated');
    expectProblem(await t.call('GET', '/api/me', { headers: { authorization: 'Bearer' } }), 401, 'unauthenticated');
    expectProblem(await t.call('GET', '/api/me', { headers: { authorization: 'Basic dXNlcjpwYXNz' } }), 401, 'unauthenticated');
    expectProblem(await t.call('GET', '/api/me'), 401, 'unauthenticated');
  });
});
