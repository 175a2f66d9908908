import type { DbHandle } from '../../db/client';
import { createApp } from '../../api/app';
import { FakeClock } from '../../api/clock';
import { testConfig, type Config } from '../../api/config';
import { createUser } from '../../api/auth/auth.service';
import type { Role } from '../../api/auth/auth.schemas';

/** An app over a fresh database with a fake clock, and helpers to call it like a client would. */
export function testApp(handle: DbHandle, overrides: Partial<Config> = {}) {
  const clock = new FakeClock('2026-06-01T08:00:00.000Z');
  const config = testConfig(overrides);
  const app = createApp({ db: handle.db, config, clock });

  let phoneSeq = 0;
  const uniquePhone = () => `139${String(Date.now() % 1e5).padStart(5, '0')}${String(++phoneSeq).padStart(3, '0')}`;

  async function call(method: string, path: string, init: { body?: unknown; token?: string; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { ...(init.headers ?? {}) };
    if (init.body !== undefined) headers['content-type'] ??= 'application/json';
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    const res = await app.request(path, {
      method,
      headers,
      body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
    });
    const text = await res.text();
    let json: any = undefined;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, json, text };
  }

  /** Creates a user of any role directly and signs them in; returns the bearer token. */
  async function signedIn(role: Role, extra: { partnerId?: string } = {}) {
    const phone = uniquePhone();
    const password = 'a-long-test-password';
    const user = await createUser(handle.db, {
      role,
      phone,
      name: `${role} ${phone}`,
      password,
      plateNumber: role === 'driver' ? '粤B·T0001' : null,
      partnerId: extra.partnerId ?? null,
    });
    const res = await call('POST', '/api/auth/login', { body: { phone, password } });
    if (res.status !== 200) throw new Error(`login failed: ${res.status} ${res.text}`);
    return { id: user.id, phone, password, token: res.json.token as string };
  }

  return { app, clock, config, db: handle.db, call, signedIn, uniquePhone };
}

export type TestApp = ReturnType<typeof testApp>;
