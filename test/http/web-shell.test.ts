import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { FakeClock } from '../../api/clock';
import { testConfig } from '../../api/config';
import { createDb, type DbHandle } from '../../db/client';

/** How the server hands out the built web app: the shell for client routes, cached gzipped assets. */
describe('web app shell and assets', () => {
  let webRoot: string;
  let handle: DbHandle;
  let app: ReturnType<typeof createApp>;
  const script = `console.log(${JSON.stringify('milepost '.repeat(400))});`;

  beforeAll(async () => {
    webRoot = mkdtempSync(join(tmpdir(), 'milepost-web-'));
    mkdirSync(join(webRoot, 'assets'));
    writeFileSync(join(webRoot, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(join(webRoot, 'assets', 'index-abc123.js'), script);
    handle = await createDb({ dataDir: null });
    app = createApp({ db: handle.db, config: testConfig(), clock: new FakeClock('2026-06-01T00:00:00Z'), webRoot });
  });

  afterAll(async () => {
    await handle.close();
    rmSync(webRoot, { recursive: true, force: true });
  });

  it('serves hashed assets gzipped to a browser that accepts it, cacheable for good', async () => {
    const res = await app.request('/assets/index-abc123.js', { headers: { 'accept-encoding': 'gzip' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.length).toBeLessThan(script.length / 4);
    expect(gunzipSync(body).toString('utf8')).toBe(script);
  });

  it('answers a deep link into the app with the shell, not a 404', async () => {
    const res = await app.request('/vouchers/0190a0f2-0000-7000-8000-000000000000');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<div id="root">');
    expect(res.headers.get('cache-control')).toBe('no-cache');
  });

  it('has browsers revalidate the shell at the root, where it names the current assets', async () => {
    const res = await app.request('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-cache');
  });

  it('keeps unknown API paths as problems', async () => {
    const res = await app.request('/api/no-such-thing');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });
});
