// Shared helpers for the ledger's concurrency and immutability tests (not a test file itself).
//
// The concurrency suites run on real PostgreSQL only. `describeEachBackend` hands each test a
// fresh database behind a small pool; `extraConnections` opens more pools / raw postgres.js
// clients on that same database, so that several DbHandles (and several ledgers) race against
// one another on different server connections. They are closed after each test, before the
// harness drops the database.

import { createHash, randomUUID } from 'node:crypto';
import Decimal from 'decimal.js';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterEach, expect } from 'vitest';
import { createDb, queryOne, queryRows, type Db, type DbHandle } from '../../db/client';
import { openAccount, PROGRAMME_ACCOUNTS } from '../../api/ledger/accounts';
import type { Ledger, LedgerFailure, LedgerOutcome, LedgerSuccess } from '../../api/ledger/ledger';
import { trialBalance, verify } from '../../api/ledger/reads';
import { pgUrl } from '../support/backends';

export const D = (v: string | number) => new Decimal(v);
export const ISSUANCE = PROGRAMME_ACCOUNTS.issuance;
export const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** The URL of the database `handle` is connected to (same server as the harness's `pgUrl`). */
export async function databaseUrlOf(handle: DbHandle): Promise<string> {
  if (!pgUrl) throw new Error('no PostgreSQL server for this run');
  const row = await queryOne<{ name: string }>(handle.db, sql`select current_database() as name`);
  const url = new URL(pgUrl);
  url.pathname = `/${row!.name}`;
  return url.toString();
}

/**
 * Connections to the test's database that hand back, into `plans`, the executed plan of every
 * statement they run, the ones inside functions and triggers included (auto_explain). Register
 * once per suite; what a test opens is closed after it.
 */
export function planLogging(current: () => DbHandle) {
  let raw: postgres.Sql | undefined;
  afterEach(async () => {
    await raw?.end();
    raw = undefined;
  });
  return {
    async open(plans: string[]): Promise<postgres.Sql> {
      raw = postgres(await databaseUrlOf(current()), { max: 1, onnotice: (n) => plans.push(String(n.message)) });
      await raw.unsafe(`load 'auto_explain'`);
      await raw.unsafe(`set auto_explain.log_min_duration = 0`);
      await raw.unsafe(`set auto_explain.log_nested_statements = on`);
      await raw.unsafe(`set auto_explain.log_analyze = on`);
      await raw.unsafe(`set client_min_messages = log`);
      return raw;
    },
  };
}

/**
 * More connections to the current test's database. Register once per suite (it adds an
 * afterEach that closes whatever the test opened).
 */
export function extraConnections(current: () => DbHandle) {
  const closers: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    await Promise.allSettled(closers.splice(0).map((close) => close()));
  });
  return {
    /** A DbHandle with its own postgres.js pool of `max` connections (all opened up front). */
    async pool(max: number): Promise<DbHandle> {
      const handle = await createDb({ databaseUrl: await databaseUrlOf(current()), maxConnections: max });
      closers.push(() => handle.close());
      await warm(handle.db, max);
      return handle;
    },
    /** `n` DbHandles of `max` connections each. */
    async pools(n: number, max: number): Promise<DbHandle[]> {
      return Promise.all(range(n).map(() => this.pool(max)));
    },
    /** A raw postgres.js client on the same database. */
    async raw(max = 1): Promise<postgres.Sql> {
      const client = postgres(await databaseUrlOf(current()), { max, onnotice: () => {}, connection: { application_name: 'milepost-test-raw' } });
      closers.push(() => client.end({ timeout: 5 }));
      return client;
    },
  };
}

/** Makes a pool open `n` connections now (postgres.js connects lazily), so a burst is not serialised by connecting. */
export async function warm(db: Db, n: number): Promise<void> {
  await Promise.all(range(n).map(() => db.execute(sql`select pg_sleep(0.05)`)));
}

/** Backends connected to the current database right now (including the one asking). */
export async function connectionsTo(db: Db): Promise<number> {
  const row = await queryOne<{ n: string }>(db, sql`select count(*)::text as n from pg_stat_activity where datname = current_database()`);
  return Number(row!.n);
}

/** Backends of this database waiting on a heavyweight lock (row locks, unique-index waits …). */
export async function lockWaiters(db: Db): Promise<number> {
  const row = await queryOne<{ n: string }>(
    db,
    sql`select count(*)::text as n from pg_stat_activity
         where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()`,
  );
  return Number(row!.n);
}

/** Polls until at least `n` backends wait on a lock; fails after `timeoutMs`. */
export async function waitForLockWaiters(db: Db, n: number, timeoutMs = 10_000): Promise<number> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const waiting = await lockWaiters(db);
    if (waiting >= n) return waiting;
    if (Date.now() > until) throw new Error(`only ${waiting} of ${n} backends reached the lock within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * A gate: a transaction on its own connection holds `accountId`'s row lock (the lock every
 * movement of that wallet takes), so calls pile up behind it and are all in flight at once
 * when it opens.
 */
export async function closeGate(raw: postgres.Sql, accountId: string) {
  const conn = await raw.reserve();
  await conn`begin`;
  await conn`select 1 from ledger_accounts where id = ${accountId} for no key update`;
  return {
    async open() {
      await conn`commit`;
      conn.release();
    },
  };
}

export async function openWallet(db: Db): Promise<string> {
  return openAccount(db, { kind: 'driver_wallet', ownerId: randomUUID() });
}

export async function openPartner(db: Db): Promise<string> {
  return openAccount(db, { kind: 'partner_settlement', ownerId: randomUUID() });
}

/** Earns `times` × `each` into `wallet` from issuance, one transfer each. */
export async function fund(ledger: Ledger, wallet: string, each: string, times = 1): Promise<void> {
  for (let i = 0; i < times; i++) {
    await ledger.transfer({ key: `fund:${wallet}:${i}:${randomUUID()}`, debit: ISSUANCE, credit: wallet, amount: D(each), code: 'earn' });
  }
}

/** Awaits every call; any rejection (a deadlock, a serialization failure, anything) fails the test. */
export async function allOutcomes<T>(calls: Array<Promise<T>>): Promise<T[]> {
  const settled = await Promise.allSettled(calls);
  const errors = settled.flatMap((s) => (s.status === 'rejected' ? [describeError(s.reason)] : []));
  expect(errors, 'no error may reach a caller').toEqual([]);
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}

/** SQLSTATE of an error (drizzle wraps the driver's error in `cause`). */
export function sqlState(error: unknown): string | undefined {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

/** The innermost message (the server's own words, not drizzle's "Failed query: …"). */
export function innerMessage(error: unknown): string {
  let message = String((error as Error)?.message ?? error);
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    if ((e as Error).message) message = (e as Error).message;
  }
  return message;
}

export function describeError(error: unknown): string {
  return `${sqlState(error) ?? '-----'} ${innerMessage(error)}`;
}

/** Runs `work`, expecting it to fail; returns the SQLSTATE and the server's message. */
export async function failure(work: () => Promise<unknown>): Promise<{ code: string | undefined; message: string }> {
  try {
    await work();
  } catch (error) {
    return { code: sqlState(error), message: innerMessage(error) };
  }
  throw new Error('expected the database to refuse this, but it succeeded');
}

export const oks = (outcomes: LedgerOutcome[]) => outcomes.filter((o): o is LedgerSuccess => o.ok);
export const fails = (outcomes: LedgerOutcome[]) => outcomes.filter((o): o is LedgerFailure => !o.ok);

/** Outcome codes tallied: `{ ok: 10, insufficient_funds: 54 }`. */
export function tally(outcomes: LedgerOutcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) {
    const k = o.ok ? 'ok' : o.code;
    counts[k] = (counts[k] ?? 0) + 1;
  }
  return counts;
}

export async function count(db: Db, query: ReturnType<typeof sql>): Promise<number> {
  const row = await queryOne<{ n: string }>(db, sql`select count(*)::text as n from (${query}) q`);
  return Number(row!.n);
}

/** Transfers that resolve hold `holdId` (post or void). */
export async function resolutionsOf(db: Db, holdId: string) {
  return queryRows<{ id: string; type: string; code: string; amount: string }>(
    db,
    sql`select id::text, type, code, amount::text from ledger_transfers where pending_id = ${holdId}`,
  );
}

/** verify() green and the trial balance at zero. */
export async function expectSound(db: Db, now: Date): Promise<void> {
  const v = await verify(db, now);
  expect(v.checks.filter((c) => !c.ok), 'verify() checks that failed').toEqual([]);
  expect(v.ok).toBe(true);
  const tb = await trialBalance(db);
  expect(tb.total.toFixed(2)).toBe('0.00');
  expect(tb.balanced).toBe(true);
}

/**
 * The JSON `ledger_apply` takes, for tests that call the SQL function directly (no TypeScript
 * retry wrapped around it). The hash only has to be stable per request.
 */
export function rawOp(op: { key: string } & Record<string, unknown>): string {
  const { key: _key, ...request } = op;
  const hash = createHash('sha256').update(JSON.stringify(request, Object.keys(request).sort())).digest('base64url');
  return JSON.stringify({ ...op, hash });
}

/** A small seeded generator of numbers in [0, 1), so a failing run can be replayed. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** Fisher–Yates on a copy, with a seeded generator so a failing order can be replayed. */
export function shuffled<T>(items: T[], seed: number): T[] {
  const out = items.slice();
  const next = seededRandom(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
