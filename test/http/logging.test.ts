// Request logs: one JSON line per request with its request id (also sent back as x-request-id),
// route pattern, status and who made it — and never a password, token, cookie or CSRF secret,
// whether the request carried them in the body, a header or a cookie.

import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { createApp } from '../../api/app';
import { createUser } from '../../api/auth/auth.service';
import { FakeClock } from '../../api/clock';
import { testConfig } from '../../api/config';
import { startJobs } from '../../api/jobs';
import { createLogger, processLogger, useProcessLogger, type LogLevel } from '../../api/ops/log';
import { freshPglite } from '../support/backends';

function capture(level: LogLevel = 'info') {
  const out: string[] = [];
  const logger = createLogger({ level, destination: { write: (line: string) => void out.push(line) } });
  return {
    logger,
    text: () => out.join(''),
    lines: () => out.map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('operations: request logs', () => {
  let handle: DbHandle;
  beforeEach(async () => {
    handle = await freshPglite();
  });
  afterEach(async () => {
    await handle.close();
  });

  function appWith(log: ReturnType<typeof capture>) {
    return createApp({ db: handle.db, config: testConfig(), clock: new FakeClock('2026-06-01T08:00:00.000Z'), logger: log.logger });
  }

  async function driver() {
    const phone = `139${String(Date.now() % 1e8).padStart(8, '0')}`;
    const password = `pw-${randomUUID()}`;
    const user = await createUser(handle.db, { role: 'driver', phone, name: `driver ${phone}`, password, plateNumber: '粤B·T0001', partnerId: null });
    return { id: user.id, phone, password };
  }

  const cookieValue = (res: Response, name: string) => res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`))!.split(';')[0]!.slice(name.length + 1);

  it('logs a login, a bearer call and a cookie call by request id and route, without the password, token, cookie or CSRF token', async () => {
    const log = capture();
    const app = appWith(log);
    const me = await driver();
    const wrongPassword = `wrong-${randomUUID()}`;

    const refused = await app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone: me.phone, password: wrongPassword }),
    });
    expect(refused.status).toBe(401);
    const login = await app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'client-chosen-id-1' },
      body: JSON.stringify({ phone: me.phone, password: me.password }),
    });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };
    const session = cookieValue(login, 'mp_session');
    const csrf = cookieValue(login, 'mp_csrf');
    const bearer = await app.request('/api/me', { headers: { authorization: `Bearer ${token}` } });
    expect(bearer.status).toBe(200);
    const byCookie = await app.request('/api/auth/logout', { method: 'POST', headers: { cookie: `mp_session=${session}; mp_csrf=${csrf}`, 'x-csrf-token': csrf } });
    expect(byCookie.status).toBeLessThan(300);

    expect(login.headers.get('x-request-id')).toBe('client-chosen-id-1');
    const lines = log.lines();
    const lineFor = (res: Response) => {
      const id = res.headers.get('x-request-id');
      expect(id).toMatch(/^[\w=-]+$/);
      const found = lines.filter((l) => l.requestId === id);
      expect(found).toHaveLength(1);
      return found[0]!;
    };
    expect(lineFor(refused)).toMatchObject({ level: 'info', msg: 'request', method: 'POST', route: '/api/auth/login', path: '/api/auth/login', status: 401 });
    expect(lineFor(refused)).not.toHaveProperty('userId');
    expect(lineFor(login)).toMatchObject({ requestId: 'client-chosen-id-1', route: '/api/auth/login', status: 200, time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    expect(lineFor(login).ms).toEqual(expect.any(Number));
    expect(lineFor(bearer)).toMatchObject({ method: 'GET', route: '/api/me', status: 200, userId: me.id, role: 'driver' });
    expect(lineFor(byCookie)).toMatchObject({ method: 'POST', route: '/api/auth/logout', userId: me.id, role: 'driver' });
    expect(lines).toHaveLength(4);

    const text = log.text();
    for (const secret of [me.password, wrongPassword, token, session, csrf]) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/bearer|authorization|cookie|password/i);
    expect(text).not.toContain(me.phone);
  });

  it('logs an unhandled error at error level under the request id the client is told, and the request line says 500', async () => {
    const log = capture();
    const app = appWith(log);
    app.get('/api/test-only/boom', () => {
      throw new Error('the disk caught fire');
    });
    const res = await app.request('/api/test-only/boom');
    expect(res.status).toBe(500);
    const id = res.headers.get('x-request-id')!;
    expect(((await res.json()) as { detail: string }).detail).toContain(id);
    const lines = log.lines().filter((l) => l.requestId === id);
    expect(lines).toEqual([
      expect.objectContaining({ level: 'error', msg: 'unhandled error', error: 'Error: the disk caught fire' }),
      expect.objectContaining({ level: 'info', msg: 'request', route: '/api/test-only/boom', status: 500 }),
    ]);
  });

  it('writes levels as words, so "level":"warn" lines can be counted, and drops lines below the level', async () => {
    const quiet = capture('warn');
    const app = appWith(quiet);
    expect((await app.request('/healthz')).status).toBe(200);
    expect(quiet.text()).toBe('');

    const jobs = capture();
    const previous = processLogger();
    useProcessLogger(jobs.logger);
    try {
      const stop = startJobs([{ name: 'test.breaks', everyMs: 3_600_000, run: () => Promise.reject(new Error('no luck')) }]);
      await expect.poll(() => jobs.lines().length).toBe(1);
      stop();
    } finally {
      useProcessLogger(previous);
    }
    expect(jobs.text()).toMatch(/^\{"level":"warn","time":"[^"]+","pid":\d+,"job":"test\.breaks","error":"Error: no luck","msg":"job failed"\}\n$/);
  });

  it('censors secret-named fields should a call site ever log them (the second guard)', () => {
    const log = capture();
    log.logger.warn({ password: 'hunter2-xyz', token: 'tok-xyz', nested: { authorization: 'Bearer abc-xyz', cookie: 'mp_session=s-xyz', csrfToken: 'c-xyz' }, kept: 'visible' }, 'careless');
    const text = log.text();
    expect(text).not.toMatch(/xyz/);
    expect(log.lines()[0]).toMatchObject({ password: '[redacted]', nested: { authorization: '[redacted]', cookie: '[redacted]' }, kept: 'visible' });
  });

  it('keeps apps that were given no logger (tests, benchmarks) to warnings and errors', () => {
    expect(processLogger().isLevelEnabled('info')).toBe(false);
    expect(processLogger().isLevelEnabled('warn')).toBe(true);
  });
});
