// Hostile callers: password guessing in parallel, security headers on every kind of response,
// cookie flags, and spreadsheet formulas smuggled into CSV exports. The sequential brute-force
// throttle, session expiry and logout are proven in test/auth/auth.error.test.ts and
// auth.security.test.ts; upload type and size checks in test/earning/photos.test.ts,
// grid-reports.error.test.ts and volunteering-import.test.ts.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { FakeClock } from '../../api/clock';
import { testConfig } from '../../api/config';
import { spreadsheetSafe } from '../../api/http/csv';
import { describeEachBackend, freshPglite } from '../support/backends';
import { testApp } from '../support/app';
import { expectProblem } from '../support/problems';
import { marketScene, parseCsv } from '../market/market-support';

describeEachBackend('abuse: password guessing', (db) => {
  it('thirty guesses at once for one phone get no more password checks than the limit allows', async () => {
    const t = testApp(db());
    const user = await t.signedIn('driver');
    const max = t.config.login.maxFailuresPerPhone;
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => t.call('POST', '/api/auth/login', { body: { phone: user.phone, password: `wrong-guess-${i}` } })),
    );
    const checked = answers.filter((a) => a.status === 401).length;
    const throttled = answers.filter((a) => a.status === 429);
    expect(checked).toBeLessThanOrEqual(max);
    expect(checked + throttled.length).toBe(30);
    for (const a of throttled) {
      expectProblem(a, 429, 'rate_limited');
      expect(Number(a.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expectProblem(await t.call('POST', '/api/auth/login', { body: { phone: user.phone, password: user.password } }), 429, 'rate_limited');
  });

  it('thirty guesses at once from one address across phones are capped by the per-address limit', async () => {
    const t = testApp(db(), { login: { maxFailuresPerPhone: 100, maxFailuresPerIp: 4, windowMinutes: 15 } });
    const answers = await Promise.all(
      Array.from({ length: 30 }, () => t.call('POST', '/api/auth/login', { body: { phone: t.uniquePhone(), password: 'wrong-guess-x' } })),
    );
    expect(answers.filter((a) => a.status === 401).length).toBeLessThanOrEqual(4);
    expect(answers.filter((a) => a.status === 429).length).toBeGreaterThanOrEqual(26);
  });
});

describe('abuse: security headers on every kind of response', () => {
  const webRoot = mkdtempSync(join(tmpdir(), 'milepost-shell-'));
  writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>Milepost</title><div id="root"></div>');
  afterAll(() => rmSync(webRoot, { recursive: true, force: true }));

  async function appWithShell() {
    const handle = await freshPglite();
    const app = createApp({ db: handle.db, config: testConfig(), clock: new FakeClock('2026-06-01T08:00:00.000Z'), webRoot });
    return { app, close: () => handle.close() };
  }

  function expectHardened(headers: Headers, what: string) {
    const csp = headers.get('content-security-policy') ?? '';
    const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
    expect(directives.get('default-src'), `${what}: ${csp}`).toEqual(["'self'"]);
    expect(directives.get('script-src'), what).toEqual(["'self'"]);
    expect(directives.get('style-src'), what).toEqual(["'self'"]);
    expect(directives.get('object-src'), what).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors'), what).toEqual(["'none'"]);
    expect(csp, what).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(headers.get('x-content-type-options'), what).toBe('nosniff');
    expect(headers.get('x-frame-options'), what).toBe('DENY');
    expect(headers.get('referrer-policy'), what).toBe('no-referrer');
    expect(headers.get('strict-transport-security'), what).toMatch(/^max-age=\d{7,}; includeSubDomains$/);
    expect(headers.get('cross-origin-resource-policy'), what).toBe('same-origin');
    expect(headers.get('x-powered-by'), what).toBeNull();
  }

  it('the HTML shell, a client route, JSON, a problem, the OpenAPI document and the API reference all carry them', async () => {
    const { app, close } = await appWithShell();
    try {
      const answers: [string, Response, number][] = [
        ['the shell', await app.request('/'), 200],
        ['a client-side route', await app.request('/shop'), 200],
        ['health JSON', await app.request('/healthz'), 200],
        ['an unauthenticated problem', await app.request('/api/me'), 401],
        ['an unknown API route', await app.request('/api/nope'), 404],
        ['a malformed body', await app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' }), 400],
        ['the OpenAPI document', await app.request('/api/openapi.json'), 200],
        ['the API reference', await app.request('/api/docs'), 200],
      ];
      for (const [what, res, status] of answers) {
        expect(res.status, what).toBe(status);
        expectHardened(res.headers, what);
      }
      expect(answers[0]![1].headers.get('content-type')).toMatch(/^text\/html/);
    } finally {
      await close();
    }
  });
});

describeEachBackend('abuse: session cookies', (db) => {
  it('with COOKIE_SECURE the session cookie is HttpOnly, Secure and SameSite; the CSRF cookie Secure and Strict', async () => {
    const t = testApp(db(), { session: { ttlHours: 24, cookieSecure: true } });
    const user = await t.signedIn('driver');
    const res = await t.call('POST', '/api/auth/login', { body: { phone: user.phone, password: user.password } });
    expect(res.status, res.text).toBe(200);
    const attrs = (name: string) =>
      res.headers
        .getSetCookie()
        .find((line) => line.startsWith(`${name}=`))!
        .split(';')
        .slice(1)
        .map((a) => a.trim());
    expect(attrs('mp_session')).toEqual(expect.arrayContaining(['HttpOnly', 'Secure', 'SameSite=Lax', 'Max-Age=86400']));
    expect(attrs('mp_csrf')).toEqual(expect.arrayContaining(['Secure', 'SameSite=Strict']));
    expect(attrs('mp_csrf')).not.toContain('HttpOnly');
  });
});

describe('abuse: spreadsheetSafe', () => {
  it.each(['=HYPERLINK("http://evil.example","x")', '+1+cmd|calc', '-2+3', '@SUM(A1:A9)', '\t=1+1', '\r=1+1', '=', '-', '-1e3', '+ 5'])(
    '%j starts with a quote',
    (cell) => expect(spreadsheetSafe(cell)).toBe(`'${cell}`),
  );

  it.each(['-20.00', '+20.00', '12.50', '0', '-7', '王师傅', '粤B·12345', 'a=b', '', "'=already"])('%j is left as it is', (cell) =>
    expect(spreadsheetSafe(cell)).toBe(cell),
  );
});

describeEachBackend('abuse: formulas in the partner statement CSV', (db) => {
  it('a hostile offer title, driver name and plate come out as text; points stay numbers', async () => {
    const m = await marketScene(db());
    const garage = await m.addPartner();
    const driver = await m.addDriver('500.00', { name: '-2+3+cmd|"/C calc"!A0', plateNumber: '\t=1+1' });
    const offer = await m.activeOffer(garage.staff.token, { title: '=HYPERLINK("http://evil.example/x","Brake service")', price: '100.00' });
    const voucher = await m.voucher(driver.token, offer.id);
    expect((await m.confirm(garage.staff.token, voucher.code, '20.00')).status).toBe(200);

    const res = await m.call('GET', '/api/partner/statement?format=csv', { token: garage.staff.token });
    expect(res.status, res.text).toBe(200);
    const [header, line, total] = parseCsv(res.text);
    expect(header).toEqual(['confirmed_at', 'voucher', 'offer', 'driver', 'plate', 'points', 'settled']);
    expect(line!.slice(2)).toEqual([`'=HYPERLINK("http://evil.example/x","Brake service")`, `'-2+3+cmd|"/C calc"!A0`, "'\t=1+1", '20.00', 'no']);
    expect(total!.slice(4, 6)).toEqual(['total', '20.00']);
    for (const cell of parseCsv(res.text).flat()) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });
});
