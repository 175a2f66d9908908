import fc from 'fast-check';
import { urlEncode, asHeaderValue, badCursor, hostileString, hostileUrlText, hostileValue, RawJson, toJson, WRONG_TYPES } from './hostile';
import type { Operation, Parameter, Schema } from './openapi';
import { idKindForPath, knownId, valueFor, type Context } from './schema-arbitrary';

/** One generated request, before a role is given to it. */
export interface FuzzRequest {
  /** What was done to it, for the report: "valid", "poisoned body field amount", "bad JSON" ... */
  label: string;
  url: string;
  headers: Record<string, string>;
  body: Body;
  /** Send the role's session as a cookie without the CSRF header. */
  cookieWithoutCsrf?: boolean;
}

export type Body =
  | { kind: 'none' }
  | { kind: 'text'; text: string; contentType?: string }
  | { kind: 'bytes'; bytes: Uint8Array; contentType?: string }
  | { kind: 'form'; fields: Array<[string, string | FileField]> };

export interface FileField {
  bytes: Uint8Array;
  name: string;
  type: string;
}

/** The limits the fuzzer must cross: the JSON limit and each upload route's. */
export interface Limits {
  bodyLimitFor(method: string, path: string): number;
}

const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const FILES: FileField[] = [
  { bytes: PNG_1X1, name: 'photo.png', type: 'image/png' },
  { bytes: PNG_1X1, name: '../../x.php', type: 'application/x-php' },
  { bytes: Buffer.concat([PNG_1X1, Buffer.from('<?php system($_GET[1]); ?>')]), name: 'p.png', type: 'image/png' },
  { bytes: PNG_1X1.subarray(0, 30), name: 'cut.png', type: 'image/png' },
  { bytes: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), name: 'cut.jpg', type: 'image/jpeg' },
  { bytes: Buffer.from('RIFF\u0000\u0000\u0000\u0000WEBPVP8 '), name: 'w.webp', type: 'image/webp' },
  { bytes: Buffer.from('<svg onload="alert(1)"/>'), name: 'x.svg', type: 'image/svg+xml' },
  { bytes: Buffer.alloc(0), name: 'empty.png', type: 'image/png' },
  { bytes: Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xff, 0xfe]), name: 'bad-utf8.csv', type: 'text/csv' },
];

function csvText(rows: string[][]): string {
  const cell = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  return rows.map((r) => r.map(cell).join(',')).join('\n') + '\n';
}

function attendanceCsv(ctx: Context): fc.Arbitrary<string> {
  const row = fc.tuple(
    fc.oneof(fc.constantFrom(...(ctx.pools.phones.length ? ctx.pools.phones : ['13900000001'])), hostileString),
    fc.oneof(fc.constantFrom('Exam day convoy', 'Flood relief'), hostileString),
    fc.oneof(fc.constantFrom('2026-05-16', '2026-05-30'), hostileString),
    fc.oneof(fc.constantFrom('1', '3.5', '24'), hostileString),
    fc.oneof(fc.constantFrom('Baoan Transport Association'), hostileString),
  );
  return fc
    .tuple(fc.constantFrom<string[]>(['phone', 'event', 'date', 'hours', 'organiser'], ['a', 'b'], []), fc.array(row, { maxLength: 6 }))
    .map(([header, rows]) => csvText([header, ...rows]));
}

const fileField = (ctx: Context, csv: boolean) =>
  csv
    ? fc.oneof(attendanceCsv(ctx).map((t): FileField => ({ bytes: Buffer.from(t), name: 'a.csv', type: 'text/csv' })), fc.constantFrom(...FILES))
    : fc.constantFrom(...FILES);

/** Builds the body of one media type from a value of its schema. */
function encodeBody(type: string, value: unknown, schema: Schema, ctx: Context, file: FileField | undefined): Body {
  if (type === 'application/json') return { kind: 'text', text: toJson(value), contentType: 'application/json' };
  if (type === 'text/csv') return { kind: 'text', text: typeof value === 'string' ? value : String(value), contentType: 'text/csv' };
  const props = ctx.resolve(schema).properties ?? {};
  const fields: Array<[string, string | FileField]> = [];
  for (const [k, v] of Object.entries((value ?? {}) as Record<string, unknown>)) {
    if (v === undefined) continue;
    if (ctx.resolve(props[k]).format === 'binary') {
      if (file) fields.push([k, file]);
    } else fields.push([k, typeof v === 'string' ? v : v instanceof RawJson ? v.text : JSON.stringify(v)]);
  }
  return { kind: 'form', fields };
}

function pathWith(op: Operation, values: Record<string, string>): string {
  return op.path.replaceAll(/\{([^}]+)\}/g, (_, name: string) => values[name] ?? 'missing');
}

function queryString(pairs: Array<[string, string]>): string {
  return pairs.length ? `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${v}`).join('&')}` : '';
}

interface Parts {
  path: Record<string, string>;
  query: Array<[string, string]>;
  headers: Record<string, string>;
  mediaType: string | undefined;
  value: unknown;
  file: FileField | undefined;
}

/** Every request for `op`: valid ones from its schemas, and each kind of damage to them. */
export function requestArbitrary(op: Operation, ctx: Context, limits: Limits): fc.Arbitrary<FuzzRequest> {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const headerParams = op.parameters.filter((p) => p.in === 'header');
  const mediaTypes = Object.keys(op.bodies);
  const hasBody = op.method !== 'GET';

  const pathValue = (p: Parameter) =>
    ctx.resolve(p.schema).format === 'uuid' ? knownId(ctx.pools, idKindForPath(op.path)) : valueFor(p.schema, ctx, p.name).map((v) => urlEncode(String(v)));
  const queryValue = (p: Parameter) =>
    p.name === 'cursor' ? badCursor : valueFor(p.schema, ctx, p.name).map((v) => urlEncode(String(v)));
  const headerValue = (p: Parameter) =>
    p.name === 'idempotency-key' ? fc.stringMatching(/^[A-Za-z0-9:_-]{8,64}$/) : valueFor(p.schema, ctx, p.name).map((v) => asHeaderValue(String(v)));

  const withoutBody = fc.record({
    path: fc.record(Object.fromEntries(pathParams.map((p) => [p.name, pathValue(p)]))) as fc.Arbitrary<Record<string, string>>,
    query: fc
      .tuple(...queryParams.map((p) => (p.required ? queryValue(p) : fc.option(queryValue(p), { freq: 2, nil: undefined })).map((v) => [p.name, v] as const)))
      .map((pairs) => pairs.filter((x): x is readonly [string, string] => x[1] !== undefined).map(([k, v]): [string, string] => [k, v])),
    headers: fc
      .tuple(...headerParams.map((p) => (p.required ? headerValue(p) : fc.option(headerValue(p), { freq: 4, nil: undefined })).map((v) => [p.name, v] as const)))
      .map((pairs) => Object.fromEntries(pairs.filter(([, v]) => v !== undefined)) as Record<string, string>),
  });
  const validParts: fc.Arbitrary<Parts> = mediaTypes.length
    ? fc.tuple(withoutBody, fc.constantFrom(...mediaTypes)).chain(([parts, mediaType]) =>
        fc
          .tuple(mediaType === 'text/csv' ? attendanceCsv(ctx) : valueFor(op.bodies[mediaType], ctx), fileField(ctx, op.path.endsWith('/import')))
          .map(([value, file]): Parts => ({ ...parts, mediaType, value, file })),
      )
    : withoutBody.map((parts): Parts => ({ ...parts, mediaType: undefined, value: undefined, file: undefined }));

  const build = (label: string, parts: Parts, body?: Body, extra: Partial<FuzzRequest> = {}): FuzzRequest => ({
    label,
    url: pathWith(op, parts.path) + queryString(parts.query),
    headers: parts.headers,
    body:
      body ??
      (parts.mediaType ? encodeBody(parts.mediaType, parts.value, op.bodies[parts.mediaType]!, ctx, parts.file) : { kind: 'none' }),
    ...extra,
  });

  const kinds: Array<{ weight: number; arbitrary: fc.Arbitrary<FuzzRequest> }> = [
    { weight: 25, arbitrary: validParts.map((p) => build('valid', p)) },
  ];

  const objectBody = (p: Parts) => (p.value && typeof p.value === 'object' && !Array.isArray(p.value) ? (p.value as Record<string, unknown>) : undefined);
  const bodyProps = (type: string) => Object.keys(ctx.resolve(op.bodies[type]).properties ?? {});
  if (mediaTypes.some((t) => bodyProps(t).length)) {
    // One field made wrong in an otherwise valid body: these get past the shape to the handlers.
    kinds.push({
      weight: 25,
      arbitrary: fc.tuple(validParts, fc.nat(), hostileValue, fc.nat()).map(([p, i, bad, j]) => {
        const names = p.mediaType ? bodyProps(p.mediaType) : [];
        const body = objectBody(p);
        if (!body || !names.length) return build('valid', p);
        const field = names[i % names.length]!;
        const current = body[field];
        // reach one level into arrays of objects (a batch's items)
        if (Array.isArray(current) && current.length && current[0] && typeof current[0] === 'object') {
          const item = current[j % current.length] as Record<string, unknown>;
          const inner = Object.keys(item);
          const key = inner[j % Math.max(inner.length, 1)] ?? 'x';
          const items = current.map((it, k) => (k === j % current.length ? { ...(it as object), [key]: bad } : it));
          return build(`poisoned body field ${field}[].${key}`, { ...p, value: { ...body, [field]: items } });
        }
        return build(`poisoned body field ${field}`, { ...p, value: { ...body, [field]: bad } });
      }),
    });
    kinds.push({
      weight: 6,
      arbitrary: fc.tuple(validParts, fc.nat(), fc.boolean()).map(([p, i, all]) => {
        const body = objectBody(p);
        if (!body) return build('valid', p);
        const keys = Object.keys(body);
        if (all || !keys.length) return build('missing every field', { ...p, value: {} });
        const dropped = keys[i % keys.length]!;
        const { [dropped]: _, ...rest } = body;
        return build(`missing field ${dropped}`, { ...p, value: rest });
      }),
    });
    kinds.push({
      weight: 4,
      arbitrary: fc.tuple(validParts, fc.dictionary(fc.constantFrom('extra', 'role', 'id', 'balance', 'status', '__proto__', 'constructor', 'createdBy', 'driverId'), hostileValue, { minKeys: 1, maxKeys: 3 })).map(([p, extra]) => {
        const body = objectBody(p) ?? {};
        return build(`extra fields ${Object.keys(extra).join(',')}`, { ...p, value: { ...body, ...extra } });
      }),
    });
  }
  if (hasBody) {
    kinds.push({
      weight: 5,
      arbitrary: fc.tuple(validParts, fc.oneof(hostileValue, fc.constantFrom(...WRONG_TYPES))).map(([p, bad]) =>
        build('wrong body type', p, { kind: 'text', text: toJson(bad), contentType: 'application/json' }),
      ),
    });
    kinds.push({
      weight: 6,
      arbitrary: fc
        .tuple(
          validParts,
          fc.constantFrom(
            (t: string) => t.slice(0, Math.max(1, Math.floor(t.length / 2))),
            (t: string) => `${t}}`,
            (t: string) => `${t} trailing`,
            (t: string) => `\ufeff${t}`,
            (t: string) => t.replaceAll('"', "'"),
            (t: string) => `/* c */${t}`,
            () => '{"a":NaN}',
            () => '{"a":1,}',
            () => '{"a":1,"a":2}',
            () => '{"a":"\\ud800"}',
            () => '{"__proto__":{"role":"committee"}}',
            () => `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`,
            () => `${'['.repeat(20_000)}${']'.repeat(20_000)}`,
            () => '',
            () => 'null',
          ),
        )
        .map(([p, damage]) => {
          const text = toJson(objectBody(p) ?? {});
          return build('bad JSON', p, { kind: 'text', text: damage(text), contentType: 'application/json' });
        }),
    });
    kinds.push({
      weight: 1,
      arbitrary: validParts.map((p) => build('invalid UTF-8', p, { kind: 'bytes', bytes: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0xff, 0x22, 0x7d]), contentType: 'application/json' })),
    });
    kinds.push({
      weight: 6,
      arbitrary: fc
        .tuple(
          validParts,
          fc.constantFrom(
            'text/plain',
            'application/x-www-form-urlencoded',
            'multipart/form-data',
            'multipart/form-data; boundary=x',
            'application/xml',
            'application/json; charset=utf-16',
            'application/problem+json',
            'text/csv',
            'image/png',
            '',
            '*/*',
            'application/json, text/plain',
          ),
        )
        .map(([p, contentType]) => {
          const text = p.mediaType === 'text/csv' && typeof p.value === 'string' ? p.value : toJson(objectBody(p) ?? p.value ?? {});
          return build(`content type "${contentType}"`, p, { kind: 'text', text, contentType });
        }),
    });
    kinds.push({ weight: 2, arbitrary: validParts.map((p) => build('empty body', p, { kind: 'text', text: '', contentType: p.mediaType ?? 'application/json' })) });
    kinds.push({ weight: 2, arbitrary: validParts.map((p) => build('no body', p, { kind: 'none' })) });
    kinds.push({
      weight: 1,
      arbitrary: fc.tuple(validParts, fc.constantFrom(1, 64 * 1024)).map(([p, over]) => {
        const size = limits.bodyLimitFor(op.method, op.path) + over;
        const contentType = p.mediaType ?? 'application/json';
        return build(`body over the limit by ${over} bytes`, p, { kind: 'bytes', bytes: hugeBody(size, contentType), contentType });
      }),
    });
  }
  if (pathParams.length) {
    kinds.push({
      weight: 8,
      arbitrary: fc.tuple(validParts, fc.constantFrom(...pathParams), hostileUrlText).map(([p, param, bad]) =>
        build(`bad path param ${param.name}`, { ...p, path: { ...p.path, [param.name]: bad || '%20' } }),
      ),
    });
  }
  if (queryParams.length) {
    kinds.push({
      weight: 10,
      arbitrary: fc
        .tuple(validParts, fc.constantFrom(...queryParams), fc.oneof(hostileUrlText, badCursor))
        .map(([p, param, bad]) => build(`bad query param ${param.name}`, { ...p, query: [...p.query.filter(([k]) => k !== param.name), [param.name, bad]] })),
    });
    kinds.push({
      weight: 2,
      arbitrary: fc.tuple(validParts, fc.constantFrom(...queryParams)).map(([p, param]) =>
        build(`repeated query param ${param.name}`, { ...p, query: [...p.query, [param.name, 'a'], [param.name, '1']] }),
      ),
    });
  }
  kinds.push({
    weight: 2,
    arbitrary: fc.tuple(validParts, fc.constantFrom('x', 'limit', 'cursor', 'role', '__proto__', 'a[b]'), hostileUrlText).map(([p, k, v]) => build(`unknown query param ${k}`, { ...p, query: [...p.query, [k, v]] })),
  });
  if (headerParams.length) {
    kinds.push({
      weight: 6,
      arbitrary: fc.tuple(validParts, fc.constantFrom(...headerParams), fc.oneof(hostileString, fc.constantFrom('', 'short', 'k'.repeat(201), 'k'.repeat(7_000)))).map(([p, h, bad]) =>
        build(`bad header ${h.name}`, { ...p, headers: { ...p.headers, [h.name]: asHeaderValue(bad) } }),
      ),
    });
  }
  kinds.push({
    weight: 3,
    arbitrary: fc
      .tuple(validParts, fc.constantFrom('Bearer junk', 'Bearer ', 'Basic YTpi', 'Bearer a b', `Bearer ${'x'.repeat(5_000)}`, 'bearer\u00a0x', 'Bearer %00'))
      .map(([p, auth]) => build('bad authorization', p, undefined, { headers: { ...p.headers, authorization: auth } })),
  });
  if (hasBody) {
    kinds.push({ weight: 2, arbitrary: validParts.map((p) => build('session cookie without CSRF token', p, undefined, { cookieWithoutCsrf: true })) });
  }
  return fc.oneof(...kinds);
}

const hugeBodies = new Map<string, Uint8Array>();

/** A body of `size` bytes that starts like the content type; made once per size and type. */
function hugeBody(size: number, contentType: string): Uint8Array {
  const key = `${size}:${contentType}`;
  let body = hugeBodies.get(key);
  if (!body) {
    body = Buffer.alloc(size, 'a');
    const head = contentType.includes('json') ? '{"a":"' : contentType.includes('multipart') ? '--x\r\n' : '';
    body.set(Buffer.from(head), 0);
    hugeBodies.set(key, body);
  }
  return body;
}
