import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { describe, expect, it, vi } from 'vitest';
import { renderError } from '../../api/http/errors';
import { backends, describeEachBackend } from '../support/backends';
import { testApp } from '../support/app';
import { expectNoLeak, expectProblem } from '../support/problems';
import { createLogger, processLogger, useProcessLogger } from '../../api/ops/log';

/** A spy on the lines the process logger writes at error level, until `restore()`. */
function spyOnErrorLog() {
  const previous = processLogger();
  const written = vi.fn();
  useProcessLogger(createLogger({ level: 'error', destination: { write: written } }));
  return Object.assign(written, { restore: () => useProcessLogger(previous) });
}

/** A POST on a fresh connection, with exactly the headers given (node:http adds no content-length to a chunked body). */
function postOverSocket(port: number, path: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: 'POST', agent: false, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
    });
    req.on('error', reject);
    // Two writes, so a chunked body really arrives in chunks.
    req.write(body.slice(0, 1000));
    req.end(body.slice(1000));
  });
}

const validRegistration = (phone: string) => ({
  phone,
  name: 'Driver Chen',
  plateNumber: '粤B·12345',
  password: 'correct-horse-battery',
});

describeEachBackend('http: every error is problem+json', (db) => {
  it('malformed JSON is 400 malformed_request', async () => {
    const t = testApp(db());
    for (const body of ['{"phone": ', '{phone: 1}', "{'a': 1}", '{"a":1}}', 'nul']) {
      const res = await t.call('POST', '/api/auth/register', { body });
      expectProblem(res, 400, 'malformed_request');
      expect(res.json.instance).toBe('/api/auth/register');
      expectNoLeak(res.text);
    }
  });

  it('an empty object is 400 validation_failed with a field error for each missing field', async () => {
    const t = testApp(db());
    const res = await t.call('POST', '/api/auth/register', { body: {} });
    const problem = expectProblem(res, 400, 'validation_failed');
    expect(problem.errors!.map((e) => e.path).sort()).toEqual(['name', 'password', 'phone', 'plateNumber']);
    for (const e of problem.errors!) expect(e.message).toEqual(expect.any(String));
    for (const path of ['name', 'password', 'phone', 'plateNumber']) expect(problem.detail).toContain(path);
  });

  it('one missing field gives exactly one field error, naming it', async () => {
    const t = testApp(db());
    const { plateNumber: _omit, ...body } = validRegistration(t.uniquePhone());
    const problem = expectProblem(await t.call('POST', '/api/auth/register', { body }), 400, 'validation_failed');
    expect(problem.errors).toEqual([{ path: 'plateNumber', message: expect.any(String) }]);
  });

  it('wrong types are 400 validation_failed with a field error per wrong field', async () => {
    const t = testApp(db());
    const res = await t.call('POST', '/api/auth/register', {
      body: { phone: 13800000000, name: ['Chen'], plateNumber: null, password: { value: 'correct-horse-battery' } },
    });
    const problem = expectProblem(res, 400, 'validation_failed');
    expect(problem.errors!.map((e) => e.path).sort()).toEqual(['name', 'password', 'phone', 'plateNumber']);
  });

  it('a body that is not an object is 400 validation_failed on the body itself', async () => {
    const t = testApp(db());
    for (const body of ['[]', '"string"', 'null', '42', 'true']) {
      const problem = expectProblem(await t.call('POST', '/api/auth/login', { body }), 400, 'validation_failed');
      expect(problem.errors).toEqual([{ path: '(body)', message: expect.any(String) }]);
    }
  });

  it('a login with an invalid phone format is 400 on phone, not a 401', async () => {
    const t = testApp(db());
    const res = await t.call('POST', '/api/auth/login', { body: { phone: 'call-me', password: 'whatever-it-is' } });
    const problem = expectProblem(res, 400, 'validation_failed');
    expect(problem.errors).toEqual([{ path: 'phone', message: 'a phone number is 6–20 digits, optionally starting with +' }]);
  });

  it('a text/plain body on a JSON route is 415 unsupported_media_type and creates nothing', async () => {
    const t = testApp(db());
    const phone = t.uniquePhone();
    const res = await t.call('POST', '/api/auth/register', {
      body: JSON.stringify(validRegistration(phone)),
      headers: { 'content-type': 'text/plain' },
    });
    expectProblem(res, 415, 'unsupported_media_type');
    const login = await t.call('POST', '/api/auth/login', { body: { phone, password: 'correct-horse-battery' } });
    expect(login.status).toBe(401);
  });

  it('a body over maxBodyBytes is 413 payload_too_large, with or without a content-length', async () => {
    const t = testApp(db(), { maxBodyBytes: 2048 });
    const big = JSON.stringify({ ...validRegistration(t.uniquePhone()), name: 'x'.repeat(3000) });
    expectProblem(await t.call('POST', '/api/auth/register', { body: big }), 413, 'payload_too_large');
    const declared = await t.call('POST', '/api/auth/register', {
      body: big,
      headers: { 'content-length': String(Buffer.byteLength(big)) },
    });
    expectProblem(declared, 413, 'payload_too_large');
  });

  it('over a real socket, the limit holds for a declared length and for a chunked body, and a body under it is read', async () => {
    const t = testApp(db(), { maxBodyBytes: 2048 });
    const server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const big = JSON.stringify({ ...validRegistration(t.uniquePhone()), name: 'x'.repeat(3000) });
      const declared = await postOverSocket(port, '/api/auth/register', big, { 'content-length': String(Buffer.byteLength(big)) });
      expect(declared.status).toBe(413);
      expect(JSON.parse(declared.body)).toMatchObject({ code: 'payload_too_large' });
      const chunked = await postOverSocket(port, '/api/auth/register', big, { 'transfer-encoding': 'chunked' });
      expect(chunked.status).toBe(413);
      expect(JSON.parse(chunked.body)).toMatchObject({ code: 'payload_too_large' });
      const small = JSON.stringify(validRegistration(t.uniquePhone()));
      const ok = await postOverSocket(port, '/api/auth/register', small, { 'content-length': String(Buffer.byteLength(small)) });
      expect(ok.status).toBe(201);
      expect(JSON.parse(ok.body)).toMatchObject({ user: { role: 'driver' } });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('a body just under maxBodyBytes is read normally', async () => {
    const t = testApp(db(), { maxBodyBytes: 2048 });
    const body = { ...validRegistration(t.uniquePhone()), padding: 'x'.repeat(1500) };
    expect(JSON.stringify(body).length).toBeLessThan(2048);
    const res = await t.call('POST', '/api/auth/register', { body });
    expect(res.status, res.text).toBe(201);
  });

  it('an unknown route is 404 route_not_found, under /api and outside it', async () => {
    const t = testApp(db());
    for (const [method, path] of [
      ['GET', '/api/nope'],
      ['POST', '/api/auth/nope'],
      ['GET', '/nope'],
      ['DELETE', '/api/me'],
      ['PUT', '/api/partners'],
    ] as const) {
      const problem = expectProblem(await t.call(method, path), 404, 'route_not_found');
      expect(problem.detail).toBe(`${method} ${path} is not a route`);
      expect(problem.instance).toBe(path);
    }
  });

  it('a path parameter that is not a UUID is 400 on id', async () => {
    const t = testApp(db());
    const committee = await t.signedIn('committee');
    const res = await t.call('POST', '/api/partners/not-a-uuid/staff', {
      token: committee.token,
      body: { phone: t.uniquePhone(), name: 'Desk', password: 'correct-horse-battery' },
    });
    const problem = expectProblem(res, 400, 'validation_failed');
    expect(problem.errors).toEqual([{ path: 'id', message: 'a partner id is a UUID' }]);
  });

  it('a partner that does not exist is 404 not_found', async () => {
    const t = testApp(db());
    const committee = await t.signedIn('committee');
    const id = crypto.randomUUID();
    const res = await t.call('POST', `/api/partners/${id}/staff`, {
      token: committee.token,
      body: { phone: t.uniquePhone(), name: 'Desk', password: 'correct-horse-battery' },
    });
    expectProblem(res, 404, 'not_found');
  });

  it('text the database cannot store (NUL, unpaired surrogate) is 400 on that field, never a 500', async () => {
    const t = testApp(db());
    const committee = await t.signedIn('committee');
    const message = 'text may not contain NUL (\\u0000) characters or unpaired surrogates';
    const logged = spyOnErrorLog();
    try {
      const register = await t.call('POST', '/api/auth/register', {
        body: { ...validRegistration(t.uniquePhone()), name: 'Chen\u0000' },
      });
      expect(expectProblem(register, 400, 'validation_failed').errors).toEqual([{ path: 'name', message }]);
      const partner = await t.call('POST', '/api/partners', {
        token: committee.token,
        body: { name: 'Garage', kind: 'garage', region: 'Bao\u0000an' },
      });
      expect(expectProblem(partner, 400, 'validation_failed').errors).toEqual([{ path: 'region', message }]);
      // a lone surrogate would be mangled in a text column and refused by the audit entry's jsonb
      const member = await t.call('POST', '/api/committee/members', {
        token: committee.token,
        body: { phone: t.uniquePhone(), name: 'Zhao \ud800', password: 'correct-horse-battery' },
      });
      expect(expectProblem(member, 400, 'validation_failed').errors).toEqual([{ path: 'name', message }]);
      expect(logged).not.toHaveBeenCalled();
    } finally {
      logged.restore();
    }
    const list = await t.call('GET', '/api/partners', { token: committee.token });
    expect(list.json.items).toEqual([]);
  });

  it('text with paired surrogates (emoji) is stored and read back intact', async () => {
    const t = testApp(db());
    const phone = t.uniquePhone();
    const res = await t.call('POST', '/api/auth/register', { body: { ...validRegistration(phone), name: 'Chen 🚚' } });
    expect(res.status, res.text).toBe(201);
    const login = await t.call('POST', '/api/auth/login', { body: { phone, password: 'correct-horse-battery' } });
    expect(login.json.user.name).toBe('Chen 🚚');
  });

  it('no error body carries a stack trace or an error class name', async () => {
    const t = testApp(db());
    const driver = await t.signedIn('driver');
    const answers = await Promise.all([
      t.call('POST', '/api/auth/register', { body: '{' }),
      t.call('POST', '/api/auth/register', { body: {} }),
      t.call('POST', '/api/auth/login', { body: { phone: driver.phone, password: 'wrong-password' } }),
      t.call('POST', '/api/partners', { token: driver.token, body: {} }),
      t.call('GET', '/api/me'),
      t.call('GET', '/api/does-not-exist'),
      t.call('POST', '/api/partners/%E0%A4%A/staff', { body: {} }),
    ]);
    for (const res of answers) {
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expectProblem(res, res.status);
      expectNoLeak(res.text);
    }
  });
});

/** Each test closes its own database, so these do not use the per-test handle of describeEachBackend. */
for (const backend of backends()) {
  describe(`http: with the database gone [${backend.backend}]`, () => {
    it('a request that needs the database is 503 unavailable, with no internals and nothing logged as a bug', async () => {
      const handle = await backend.open();
      const t = testApp(handle);
      const { token } = await t.signedIn('driver');
      await handle.close();

      const logged = spyOnErrorLog();
      try {
        const res = await t.call('GET', '/api/me', { token });
        expectProblem(res, 503, 'unavailable');
        expectNoLeak(res.text);
        expect(res.text).not.toContain('select');
        expect(logged).not.toHaveBeenCalled();
      } finally {
        logged.restore();
      }
    });
  });
}

describe('http: renderError maps database failures that are the client\'s fault', () => {
  const failing = (cause: object) => {
    const app = new Hono();
    app.get('/x', () => {
      throw new Error('Failed query: insert into t values ($1)\nparams: secret', { cause });
    });
    app.onError(renderError);
    return app;
  };

  it('a NUL byte (22021) or bad unicode escape (22P05) rejected by the database is 400, not logged', async () => {
    const logged = spyOnErrorLog();
    try {
      for (const code of ['22021', '22P05']) {
        const res = await failing({ code }).request('/x');
        expect(res.status).toBe(400);
        const text = await res.text();
        expect(JSON.parse(text)).toMatchObject({ code: 'validation_failed', status: 400 });
        expect(text).not.toContain('secret');
      }
      expect(logged).not.toHaveBeenCalled();
    } finally {
      logged.restore();
    }
  });

  it('any other database error is a 500 that shows nothing of the query and is logged', async () => {
    const logged = spyOnErrorLog();
    try {
      const res = await failing({ code: '42P01' }).request('/x');
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(JSON.parse(text)).toMatchObject({ code: 'internal', status: 500 });
      expect(text).not.toContain('secret');
      expect(text).not.toContain('insert');
      expect(logged).toHaveBeenCalledTimes(1);
    } finally {
      logged.restore();
    }
  });
});
