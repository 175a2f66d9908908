import { describe, expect, it } from 'vitest';
import { backends, describeEachBackend } from '../support/backends';
import { testApp, type TestApp } from '../support/app';
import { expectProblem } from '../support/problems';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;

interface Operation {
  responses?: Record<string, { content?: Record<string, unknown> }>;
}
type PathItem = Partial<Record<(typeof METHODS)[number], Operation>>;

/** `METHOD /path` for every route the app serves under /api/, in OpenAPI's `{param}` form. */
function servedApiRoutes(t: TestApp): string[] {
  const routes = new Set<string>();
  for (const r of t.app.routes) {
    if (r.method === 'ALL' || !r.path.startsWith('/api/')) continue;
    if (r.path === '/api/openapi.json' || r.path === '/api/docs' || r.path.startsWith('/api/docs/')) continue;
    routes.add(`${r.method.toUpperCase()} ${r.path.replaceAll(/:([A-Za-z0-9_]+)/g, '{$1}')}`);
  }
  return [...routes].sort();
}

function documentedOperations(doc: { paths: Record<string, PathItem> }): Array<{ key: string; op: Operation }> {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((m) => ({ key: `${m.toUpperCase()} ${path}`, op: item[m]! })),
  );
}

/** The served document; a failure to build it shows the generator's complaint. */
async function documentOf(t: TestApp) {
  const res = await t.call('GET', '/api/openapi.json');
  expect(res.status, res.text.slice(0, 500)).toBe(200);
  return res.json as { openapi: string; paths: Record<string, PathItem> } & Record<string, any>;
}

describeEachBackend('http: OpenAPI document and docs', (db) => {
  it('/api/openapi.json is an OpenAPI 3.1 document', async () => {
    const t = testApp(db());
    const res = await t.call('GET', '/api/openapi.json');
    expect(res.status, res.text.slice(0, 500)).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.json.openapi).toMatch(/^3\.1\.\d+$/);
    expect(res.json.info).toMatchObject({ title: 'Milepost API', version: expect.any(String) });
    expect(Object.keys(res.json.components.securitySchemes).sort()).toEqual(['bearerAuth', 'cookieAuth']);
    expect(res.json.components.schemas.Problem).toBeDefined();
  });

  it('every route the app serves under /api/ is documented with its method, and nothing else is', async () => {
    const t = testApp(db());
    const served = servedApiRoutes(t);
    // the foundation's own routes, so this cannot pass by finding nothing
    expect(served).toEqual(
      expect.arrayContaining([
        'POST /api/auth/register',
        'POST /api/auth/login',
        'POST /api/auth/logout',
        'GET /api/me',
        'POST /api/committee/members',
        'GET /api/partners',
        'POST /api/partners',
        'POST /api/partners/{id}/staff',
      ]),
    );
    const doc = await documentOf(t);
    const documented = documentedOperations(doc).map((o) => o.key).sort();
    expect(documented).toEqual(served);
  });

  it('every documented operation lists at least one 4xx problem+json response', async () => {
    const t = testApp(db());
    const doc = await documentOf(t);
    const operations = documentedOperations(doc);
    expect(operations.length).toBeGreaterThanOrEqual(8);
    const without = operations
      .filter(({ op }) =>
        !Object.entries(op.responses ?? {}).some(
          ([status, r]) => /^4\d\d$/.test(status) && r.content?.['application/problem+json'] !== undefined,
        ),
      )
      .map((o) => o.key);
    expect(without).toEqual([]);
  });

  it('every documented path parameter is declared on its operation', async () => {
    const t = testApp(db());
    const doc = await documentOf(t);
    for (const [path, item] of Object.entries(doc.paths as Record<string, PathItem>)) {
      const names = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      for (const m of METHODS) {
        const op = item[m] as (Operation & { parameters?: Array<{ name: string; in: string }> }) | undefined;
        if (!op) continue;
        const declared = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
        expect(declared.sort(), `${m.toUpperCase()} ${path}`).toEqual(names.sort());
      }
    }
  });

  it('/api/docs is an HTML page that loads only local assets', async () => {
    const t = testApp(db());
    const res = await t.call('GET', '/api/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const refs = [...res.text.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(refs).toEqual(['/api/docs/swagger-ui.css', '/api/docs/swagger-ui-bundle.js', '/api/docs/init.js']);
    expect(res.text).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
    for (const ref of refs) {
      const asset = await t.call('GET', ref);
      expect(asset.status, ref).toBe(200);
      expect(asset.text.length, ref).toBeGreaterThan(0);
    }
  });

  it('/api/docs/swagger-ui-bundle.js is served as JavaScript from the installed package', async () => {
    const t = testApp(db());
    const res = await t.call('GET', '/api/docs/swagger-ui-bundle.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(res.text.length).toBeGreaterThan(100_000);
    expect(res.text).toContain('SwaggerUIBundle');
    const init = await t.call('GET', '/api/docs/init.js');
    expect(init.text).toContain("url: '/api/openapi.json'");
  });

  it('/api/docs serves no file but its own assets', async () => {
    const t = testApp(db());
    for (const path of ['/api/docs/package.json', '/api/docs/..%2F..%2Fpackage.json', '/api/docs/index.html']) {
      expectProblem(await t.call('GET', path), 404, 'route_not_found');
    }
  });

  it('/healthz is 200 with status ok when the database answers', async () => {
    const t = testApp(db());
    const res = await t.call('GET', '/healthz');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: 'ok', database: 'ok' });
  });
});

/** Closing the database is this test's own business: it gets its own handle, not the shared per-test one. */
for (const backend of backends()) {
  describe(`http: /healthz with the database closed [${backend.backend}]`, () => {
    it('/healthz is 503 once the database is closed', async () => {
      const handle = await backend.open();
      const t = testApp(handle);
      expect((await t.call('GET', '/healthz')).status).toBe(200);
      await handle.close();
      const res = await t.call('GET', '/healthz');
      expect(res.status).toBe(503);
      expect(res.json).toEqual({ status: 'unavailable', database: 'unreachable' });
    });
  });
}
