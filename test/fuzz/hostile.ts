import fc from 'fast-check';

/**
 * Inputs that have broken other programs: control characters, text PostgreSQL cannot store,
 * bidirectional overrides, injection fragments, spreadsheet formulas, very long text, numbers
 * JavaScript or PostgreSQL cannot hold, and values of the wrong type.
 */

/** A JSON fragment written verbatim: numbers JSON.stringify cannot produce (1e309, -0, 30 digits). */
export class RawJson {
  constructor(readonly text: string) {}
}

export function toJson(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${JSON.stringify(k)}:${toJson(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const LONG = 'x'.repeat(10_001);
const LONG_CJK = '字'.repeat(10_001);

export const HOSTILE_STRINGS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\ud83d',
  '\u202eevil\u202c',
  'abc\u202egnp.exe',
  '\u200b\u200d\ufeff',
  '\u2028\u2029',
  'e\u0301\u0301\u0301\u0301',
  '🚚💩👨‍👩‍👧',
  "' OR '1'='1",
  "'; drop table users; --",
  '1; select pg_sleep(10)',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "=cmd|' /C calc'!A0",
  '=HYPERLINK("http://x","y")',
  '+SUM(1,1)',
  '-2+3',
  '@SUM(1)',
  '\t=1',
  '../../../../etc/passwd',
  '%00',
  '%ZZ',
  '${7*7}',
  '{{7*7}}',
  '\r\nX-Injected: 1',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-Infinity',
  'true',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  LONG,
  LONG_CJK,
  '💩'.repeat(5_000),
];

/** Decimal strings at and past every edge: the wire format of points. */
export const HOSTILE_DECIMALS: readonly string[] = [
  '0',
  '0.00',
  '-0',
  '-0.00',
  '0.001',
  '-0.001',
  '1.005',
  '-1',
  '-25.00',
  '1e309',
  '1e2',
  '1E+2',
  '-1e-400',
  '0x1A',
  ' 12.50',
  '12.50 ',
  '12,50',
  '١٢٣',
  '１２',
  '+5',
  '.5',
  '5.',
  '-',
  '.',
  'NaN',
  'Infinity',
  '999999999999999999.99',
  '9999999999999999999',
  '-999999999999999999.99',
  '123456789012345678901234567890',
  '00000000000000000001',
  '1'.repeat(400),
];

/** JSON numbers (verbatim) that break float parsing or integer columns. */
export const HOSTILE_NUMBERS: readonly RawJson[] = [
  '0',
  '-0',
  '-1',
  '1.5',
  '1e309',
  '-1e309',
  '1e-400',
  '2147483648',
  '-2147483649',
  '9007199254740993',
  '9223372036854775808',
  '123456789012345678901234567890',
  '1E2',
  '0.1e1',
].map((t) => new RawJson(t));

export const WRONG_TYPES: readonly unknown[] = [null, true, false, [], {}, [1, 'a'], { $gt: '' }, [[[[[]]]]], 0, 'text'];

export const BAD_UUIDS: readonly string[] = [
  'not-a-uuid',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '------------------------------------',
  '000000000000000000000000000000000000',
  '{3f2504e0-4f89-11d3-9a0c-0305e82c3301}',
  '3F2504E0-4F89-11D3-9A0C-0305E82C3301',
  '3f2504e04f8911d39a0c0305e82c3301',
  '3f2504e0-4f89-11d3-9a0c-0305e82c330',
  '3f2504e0-4f89-11d3-9a0c-0305e82c3301\n',
  '1',
  '-1',
  '1e309',
];

/** Dates and times at and past the calendar's and PostgreSQL's edges. */
export const HOSTILE_DATES: readonly string[] = [
  '2026-02-30',
  '2026-13-01',
  '2026-00-10',
  '0000-01-01',
  '9999-12-31',
  '2026-06-01T25:00:00Z',
  '2026-06-01T08:00:00+25:00',
  '2026-06-01 08:00',
  '2026',
  '6/1/2026',
  'Tue Jun 01 2026',
  '+275760-09-13T00:00:00.000Z',
  '-271821-04-20T00:00:00.000Z',
  '-000001-01-01T00:00:00.000Z',
  '1970-01-01T00:00:00Z',
  '2100-01-01T00:00:00Z',
  'yesterday',
];

export const hostileString = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom(...BAD_UUIDS, ...HOSTILE_DATES, ...HOSTILE_DECIMALS) },
);

/** Any value a JSON field should not hold: hostile text, numbers, decimals, wrong types. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_DECIMALS) },
  { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_NUMBERS) },
  { weight: 2, arbitrary: fc.constantFrom(...WRONG_TYPES) },
  { weight: 1, arbitrary: fc.double().map((d) => (Number.isFinite(d) ? d : new RawJson(String(d)))) },
);

/** Percent-encodes text; a lone surrogate, which no URL can carry, becomes U+FFFD first. */
export function urlEncode(s: string): string {
  return encodeURIComponent(s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));
}

/** Text for a URL path segment or query value, already percent-encoded (or deliberately not). */
export const hostileUrlText = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...HOSTILE_STRINGS, ...BAD_UUIDS, ...HOSTILE_DATES, ...HOSTILE_DECIMALS).map(urlEncode) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }).map(urlEncode) },
  { weight: 1, arbitrary: fc.constantFrom('%ZZ', '%', '%00', '%E0%A4%A', '%C0%AF', '..%2F..%2F', '%2e%2e', 'a%2Fb', '%u0041', '%ED%A0%80') },
);

const CURSOR_IDS = [...BAD_UUIDS, '9999999999999999999', '0', '1'];
const cursorId = fc.oneof(fc.uuid(), fc.constantFrom(...CURSOR_IDS));
const cursorAt = fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.constantFrom(...HOSTILE_DATES));

/** Page cursors: junk, foreign shapes, and our own shapes holding values at the edges. */
export const badCursor = fc
  .oneof(
    fc.constantFrom('!!!', 'e30', 'W10', 'bnVsbA', 'x'.repeat(501), '%ZZ', ''),
    fc.string({ unit: 'binary', maxLength: 60 }).map((s) => Buffer.from(s).toString('base64url')),
    fc.record({ at: cursorAt, id: cursorId }).map((c) => Buffer.from(JSON.stringify(c)).toString('base64url')),
    fc.record({ name: hostileString, id: cursorId }).map((c) => Buffer.from(JSON.stringify(c)).toString('base64url')),
    fc
      .record({ at: cursorAt, transferId: cursorId, leg: fc.oneof(fc.integer(), fc.constantFrom(1e300, -1e300, 2 ** 53)), seq: fc.option(fc.oneof(fc.integer(), fc.constant(2 ** 53 - 1)), { nil: undefined }) })
      .map((c) => Buffer.from(JSON.stringify(c)).toString('base64url')),
  )
  .map(urlEncode);

/** Header values can only carry Latin-1 without line breaks: anything else never reaches a server. */
export function asHeaderValue(s: string): string {
  return s.replace(/[^\t\x20-\x7e\x80-\xff]/g, '?').slice(0, 8_000);
}
