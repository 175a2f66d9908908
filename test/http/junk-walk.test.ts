import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { createSession } from '../../api/auth/sessions';
import { describeEachBackend } from '../support/backends';
import { testApp, type TestApp } from '../support/app';

/**
 * Walks every operation in the OpenAPI document and throws junk at it. Whatever comes back must
 * be a 2xx or a complete problem+json 4xx: never a 5xx, never a bare error.
 */

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

type Schema = {
  $ref?: string;
  type?: string | string[];
  example?: unknown;
  enum?: unknown[];
  format?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
};

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  schema?: Schema;
}

interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  bodyProperties: string[];
  /** A body built from the document's examples, so that one poisoned field is all that is wrong. */
  exampleBody: Record<string, unknown> | undefined;
}

interface Probe {
  what: string;
  body?: string;
  contentType?: string;
  query?: string;
  headers?: Record<string, string>;
}

const LONG = 'x'.repeat(10_000);
const HUGE_NUMBERS = ['1e309', '-1e309', '123456789012345678901234567890', '-0', '1e-400'];

function resolve(doc: any, schema: Schema | undefined, depth = 0): Schema | undefined {
  if (!schema || depth > 10) return schema;
  if (schema.$ref) return resolve(doc, schema.$ref.replace('#/', '').split('/').reduce((o: any, k) => o?.[k], doc), depth + 1);
  return schema;
}

/** The top-level property names of a JSON body schema, following $ref and allOf. */
function propertiesOf(doc: any, schema: Schema | undefined): string[] {
  const s = resolve(doc, schema);
  if (!s) return [];
  const own = Object.keys(s.properties ?? {});
  const merged = [...(s.allOf ?? []), ...(s.anyOf ?? []), ...(s.oneOf ?? [])].flatMap((x) => propertiesOf(doc, x));
  return [...new Set([...own, ...merged])];
}

/** A plausible value for a schema: its example, else its first enum value, else one of its type. */
function exampleFor(doc: any, schema: Schema | undefined, depth = 0): unknown {
  const s = resolve(doc, schema);
  if (!s || depth > 5) return undefined;
  if (s.example !== undefined) return s.example;
  if (s.enum?.length) return s.enum[0];
  const variant = s.allOf?.[0] ?? s.anyOf?.[0] ?? s.oneOf?.[0];
  if (variant) return exampleFor(doc, variant, depth + 1);
  const type = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
  switch (type) {
    case 'object':
      return Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, exampleFor(doc, v, depth + 1)]));
    case 'array':
      return [exampleFor(doc, s.items, depth + 1)];
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return true;
    case 'string':
      return s.format === 'uuid' ? randomUUID() : s.format === 'date-time' ? '2026-06-02T08:00:00.000Z' : 'example';
    default:
      return undefined;
  }
}

function operations(doc: any): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries<any>(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const parameters: Parameter[] = [...(item.parameters ?? []), ...(op.parameters ?? [])];
      const bodySchema = op.requestBody?.content?.['application/json']?.schema;
      const example = bodySchema ? exampleFor(doc, bodySchema) : undefined;
      ops.push({
        method: method.toUpperCase(),
        path,
        parameters,
        bodyProperties: propertiesOf(doc, bodySchema),
        exampleBody: example && typeof example === 'object' && !Array.isArray(example) ? (example as Record<string, unknown>) : undefined,
      });
    }
  }
  return ops;
}

/** Concrete URLs for an operation: each path parameter as a random UUID, then as 'not-a-uuid'. */
function urls(op: Operation): Array<{ url: string; wellFormed: boolean }> {
  if (!op.path.includes('{')) return [{ url: op.path, wellFormed: true }];
  return [
    { url: op.path.replaceAll(/\{[^}]+\}/g, randomUUID()), wellFormed: true },
    { url: op.path.replaceAll(/\{[^}]+\}/g, 'not-a-uuid'), wellFormed: false },
  ];
}

function deeplyNested(depth: number): string {
  return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

/** The junk for one operation: generic shapes, then its own fields filled with wrong things. */
function probes(op: Operation, freshPhone: () => string): Probe[] {
  const generic: Probe[] = [
    { what: 'no body' },
    { what: '{}', body: '{}' },
    { what: '[]', body: '[]' },
    { what: '"string"', body: '"string"' },
    { what: 'null', body: 'null' },
    { what: '{"a":1}', body: '{"a":1}' },
    { what: 'nested 2000 deep', body: deeplyNested(2000) },
    { what: 'array nested 5000 deep', body: '['.repeat(5000) + ']'.repeat(5000) },
    { what: 'truncated JSON', body: '{"a":' },
    { what: 'text/plain JSON', body: '{"a":1}', contentType: 'text/plain' },
    { what: 'form-encoded', body: 'a=1&b=2', contentType: 'application/x-www-form-urlencoded' },
    { what: 'multipart', body: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n', contentType: 'multipart/form-data; boundary=x' },
    { what: 'garbage content type', body: '\u0000\u0001\u0002', contentType: 'application/octet-stream' },
  ];
  const fields = op.bodyProperties;
  const allAs = (raw: string) => `{${fields.map((f) => `${JSON.stringify(f)}:${raw}`).join(',')}}`;
  const specific: Probe[] =
    fields.length === 0
      ? [{ what: 'a 10,000-char field', body: JSON.stringify({ a: LONG }) }]
      : [
          { what: 'every field a 10,000-char string', body: allAs(JSON.stringify(LONG)) },
          { what: 'every field a string with NUL', body: allAs(JSON.stringify('a\u0000b')) },
          { what: 'every field an object', body: allAs('{"$gt":""}') },
          { what: 'every field an array', body: allAs('["x"]') },
          { what: 'every field true', body: allAs('true') },
          { what: 'every field null', body: allAs('null') },
          ...HUGE_NUMBERS.map((n) => ({ what: `every field ${n}`, body: allAs(n) })),
          { what: 'every field "1e309"', body: allAs('"1e309"') },
          { what: 'every field "-1.005"', body: allAs('"-1.005"') },
          { what: 'prototype pollution', body: `{"__proto__":{"role":"committee"},"constructor":{"prototype":{"x":1}}}` },
        ];
  // One field at a time made wrong in an otherwise plausible body: these reach the handlers and
  // the database, where the generic junk above is stopped by validation.
  const POISON: Array<[string, string]> = [
    ['a 10,000-char string', JSON.stringify(LONG)],
    ['a string with NUL', JSON.stringify('a\u0000b')],
    ['an unpaired surrogate', '"a\\ud800b"'],
    ['an emoji', JSON.stringify('🚚')],
    ['empty', '""'],
    ['1e309', '1e309'],
    ['"1e309"', '"1e309"'],
    ['"-0.001"', '"-0.001"'],
    ['null', 'null'],
    ['an object', '{"$gt":""}'],
  ];
  const poisoned: Probe[] = [];
  // every example body gets an unused phone number, so that sign-ups get past "phone taken"
  const example = () => (op.exampleBody && 'phone' in op.exampleBody ? { ...op.exampleBody, phone: freshPhone() } : op.exampleBody);
  if (op.exampleBody) {
    poisoned.push({ what: 'the example body', body: JSON.stringify(example()) });
    for (const field of Object.keys(op.exampleBody)) {
      for (const [what, raw] of POISON) {
        const others = Object.entries(example()!)
          .filter(([k]) => k !== field)
          .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
        poisoned.push({ what: `the example body with ${field} = ${what}`, body: `{${[...others, `${JSON.stringify(field)}:${raw}`].join(',')}}` });
      }
    }
  }
  const query = op.parameters.filter((p) => p.in === 'query');
  const queryProbes: Probe[] =
    query.length === 0
      ? []
      : ['-1', '0', '1e309', 'abc', LONG, 'a%00b', '%ZZ', ''].map((v) => ({
          what: `every query parameter = ${v.slice(0, 12)}`,
          query: query.map((p) => `${encodeURIComponent(p.name)}=${v === '%ZZ' || v === 'a%00b' ? v : encodeURIComponent(v)}`).join('&'),
        }));
  const headers = op.parameters.filter((p) => p.in === 'header');
  const headerProbes: Probe[] = headers.flatMap((h) =>
    ['', 'x', LONG.slice(0, 4_000)].map((v) => ({
      what: `header ${h.name} = ${v.slice(0, 8)}…`,
      headers: { [h.name]: v },
      body: op.method === 'GET' ? undefined : '{}',
    })),
  );
  // GET requests cannot carry a body: they get the query and header junk only.
  const bodies = op.method === 'GET' ? [{ what: 'nothing odd' }] : [...generic, ...specific, ...poisoned];
  return [...bodies, ...queryProbes, ...headerProbes];
}

interface Failure {
  request: string;
  status: number;
  body: string;
}

/**
 * Sends every probe as `user` (or anonymously). Sign-out ends the session it is sent with, so it
 * gets a fresh session of the same user for each probe and the walk stays signed in.
 */
async function walk(t: TestApp, user: { id: string; token: string } | undefined): Promise<{ sent: number; failures: Failure[] }> {
  const tokenFor = async (op: Operation) => {
    if (!user) return undefined;
    if (op.method === 'POST' && op.path === '/api/auth/logout') {
      return (await createSession(t.db, user.id, t.clock.now(), t.config.session.ttlHours)).token;
    }
    return user.token;
  };

  const res = await t.call('GET', '/api/openapi.json');
  expect(res.status, 'the OpenAPI document must be served to be walked').toBe(200);
  const ops = operations(res.json);
  expect(ops.length).toBeGreaterThanOrEqual(8);

  const failures: Failure[] = [];
  let sent = 0;
  for (const op of ops) {
    for (const { url, wellFormed } of urls(op)) {
      // with a malformed id, validation stops at the path: the generic junk is enough there
      const all = probes(op, t.uniquePhone);
      for (const probe of wellFormed ? all : all.filter((p) => !p.what.startsWith('the example body'))) {
        const headers: Record<string, string> = { ...(probe.headers ?? {}) };
        if (probe.body !== undefined) headers['content-type'] = probe.contentType ?? 'application/json';
        const target = probe.query ? `${url}?${probe.query}` : url;
        const answer = await t.call(op.method, target, { body: probe.body, token: await tokenFor(op), headers });
        sent++;
        const request = `${op.method} ${target.slice(0, 80)} with ${probe.what}`;
        const problem = answer.json;
        const ok =
          answer.status < 500 &&
          (answer.status < 300 ||
            (answer.headers.get('content-type')?.startsWith('application/problem+json') &&
              typeof problem?.type === 'string' &&
              typeof problem?.title === 'string' &&
              problem?.status === answer.status &&
              typeof problem?.detail === 'string' &&
              typeof problem?.code === 'string' &&
              !/\.ts:\d+|Error:/.test(answer.text)));
        if (!ok) failures.push({ request, status: answer.status, body: answer.text.slice(0, 300) });
      }
    }
  }
  return { sent, failures };
}

describeEachBackend('http: junk on every documented operation', (db) => {
  it('anonymous junk is never a 5xx and every error is a complete problem+json', async () => {
    const t = testApp(db());
    const { sent, failures } = await walk(t, undefined);
    expect(sent).toBeGreaterThan(300);
    expect(failures).toEqual([]);
  }, 60_000);

  it('junk from a signed-in driver is never a 5xx and every error is a complete problem+json', async () => {
    const t = testApp(db());
    const driver = await t.signedIn('driver');
    const { failures } = await walk(t, driver);
    expect(failures).toEqual([]);
    // the walk must not have broken the session it ran under
    expect((await t.call('GET', '/api/me', { token: driver.token })).status).toBe(200);
  }, 60_000);

  it('junk from a committee member is never a 5xx and every error is a complete problem+json', async () => {
    const t = testApp(db());
    const committee = await t.signedIn('committee');
    const { failures } = await walk(t, committee);
    expect(failures).toEqual([]);
    expect((await t.call('GET', '/api/me', { token: committee.token })).json.role).toBe('committee');
  }, 60_000);
});
