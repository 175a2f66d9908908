import fc from 'fast-check';
import type { Schema } from './openapi';

/**
 * Values that satisfy a JSON Schema (as @hono/zod-openapi writes them from zod 4): types,
 * enums, formats, lengths, bounds and patterns. Ids, phones and voucher codes are drawn partly
 * from the database, so that valid requests reach the handlers and not only the validators.
 */

export interface Pools {
  /** Real ids by kind (offers, drivers, ...) and `all` for every id in the database. */
  ids: Record<string, string[]>;
  phones: string[];
  voucherCodes: string[];
  /** Passwords that sign someone in, so that some generated logins succeed. */
  passwords: string[];
}

export interface Context {
  resolve: (schema: Schema | undefined) => Schema;
  pools: Pools;
}

/** Which pool a field named like this draws ids from. */
const ID_KINDS: Record<string, string> = {
  driverId: 'drivers',
  offerId: 'offers',
  partnerId: 'partners',
  accountId: 'accounts',
  transferId: 'transfers',
  redemptionId: 'redemptions',
  earningId: 'earnings',
  claimId: 'claims',
  actorId: 'users',
  userId: 'users',
};

/** The pool a path like /api/offers/{id} draws its id from. */
export function idKindForPath(path: string): string {
  const kinds: Array<[RegExp, string]> = [
    [/\/offers\/\{/, 'offers'],
    [/\/redemptions\/\{/, 'redemptions'],
    [/\/partners\/\{/, 'partners'],
    [/\/accounts\/\{/, 'accounts'],
    [/\/transfers\/\{/, 'transfers'],
    [/\/reward-rules\/\{/, 'rewardRules'],
    [/\/notifications\/\{/, 'notifications'],
    [/\/appeals\/\{/, 'appeals'],
    [/\/imports\/\{/, 'imports'],
    [/\/volunteering\/\{/, 'claims'],
    [/\/grid-reports\/\{/, 'gridReports'],
    [/\/photos\/\{/, 'photos'],
    [/\/drivers\/\{/, 'drivers'],
  ];
  return kinds.find(([re]) => re.test(path))?.[1] ?? 'all';
}

export function knownId(pools: Pools, kind: string): fc.Arbitrary<string> {
  const pool = pools.ids[kind]?.length ? pools.ids[kind]! : pools.ids.all ?? [];
  return pool.length ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...pool) }, { weight: 1, arbitrary: fc.uuid() }) : fc.uuid();
}

const DAY = 86_400_000;
const NOW = Date.parse('2026-06-01T08:00:00.000Z');

/** Times around the test clock's now: the past year and the next two months, in a few spellings. */
const dateTime = fc.integer({ min: NOW - 400 * DAY, max: NOW + 60 * DAY }).chain((ms) =>
  fc.constantFrom(new Date(ms).toISOString(), new Date(ms).toISOString().replace('Z', '+00:00'), new Date(ms + 8 * 3_600_000).toISOString().replace('Z', '+08:00')),
);
const date = fc.integer({ min: NOW - 400 * DAY, max: NOW + 30 * DAY }).map((ms) => new Date(ms).toISOString().slice(0, 10));

function stringFor(name: string, s: Schema, ctx: Context): fc.Arbitrary<string> {
  if (s.format === 'uuid') return knownId(ctx.pools, ID_KINDS[name] ?? 'all');
  if (s.format === 'date-time') return dateTime;
  if (s.format === 'date' || name === 'date' || name === 'from' || name === 'to') return date;
  if (name === 'phone' && ctx.pools.phones.length) {
    return fc.oneof(fc.constantFrom(...ctx.pools.phones), fc.stringMatching(/^1[3-9]\d{9}$/));
  }
  if (name === 'password' && ctx.pools.passwords.length) {
    return fc.oneof(fc.constantFrom(...ctx.pools.passwords), fc.string({ minLength: s.minLength ?? 0, maxLength: 40 }));
  }
  if (name === 'code' && ctx.pools.voucherCodes.length) return fc.constantFrom(...ctx.pools.voucherCodes);
  const min = s.minLength ?? 0;
  const max = Math.min(s.maxLength ?? min + 30, min + 30);
  const candidates: fc.Arbitrary<string>[] = [];
  if (s.pattern) {
    try {
      candidates.push(fc.stringMatching(new RegExp(s.pattern)).filter((x) => x.length >= min && x.length <= (s.maxLength ?? Infinity)));
    } catch {
      // a pattern fast-check cannot generate from: lengths alone
    }
  }
  if (!s.pattern) candidates.push(fc.string({ minLength: min, maxLength: max }));
  if (typeof s.example === 'string') candidates.push(fc.constant(s.example));
  return fc.oneof(...candidates);
}

/** A value of the schema; `name` is the property or parameter it is for. */
export function valueFor(schema: Schema | undefined, ctx: Context, name = '', depth = 0): fc.Arbitrary<unknown> {
  const s = ctx.resolve(schema);
  if (depth > 8) return fc.constant(null);
  if (s.enum?.length) return fc.constantFrom(...s.enum);
  const variants = s.anyOf ?? s.oneOf;
  if (variants?.length) return fc.oneof(...variants.map((v) => valueFor(v, ctx, name, depth + 1)));
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : s.properties ? ['object'] : ['string'];
  return fc.oneof(
    ...types.map((type): fc.Arbitrary<unknown> => {
      switch (type) {
        case 'null':
          return fc.constant(null);
        case 'boolean':
          return fc.boolean();
        case 'integer':
          return fc.integer({ min: s.minimum ?? -1_000, max: s.maximum ?? 1_000_000 });
        case 'number':
          return fc.double({ min: s.minimum ?? -1e6, max: s.maximum ?? 1e6, noNaN: true });
        case 'array':
          return fc.array(valueFor(s.items, ctx, name, depth + 1), {
            minLength: s.minItems ?? 0,
            maxLength: Math.min(s.maxItems ?? 4, (s.minItems ?? 0) + 4),
          });
        case 'object':
          return objectFor(s, ctx, depth);
        default:
          return stringFor(name, s, ctx);
      }
    }),
  );
}

function objectFor(s: Schema, ctx: Context, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const props = s.properties ?? {};
  const required = new Set(s.required ?? []);
  const model = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, valueFor(v, ctx, k, depth + 1)]));
  return fc.record(model, { requiredKeys: Object.keys(props).filter((k) => required.has(k)) });
}
