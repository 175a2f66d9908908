import { createHash } from 'node:crypto';
import Decimal from 'decimal.js';
import { sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import { queryRows, type Db } from '../../db/client';
import type { Clock } from '../clock';
import { AppError, isProblemCode } from '../errors';
import { uuid7 } from './uuid7';
import { retryConflicts } from '../../db/transaction';
import { countCommitted, countExpiredHolds } from './committed';
import { GroupCommit } from '../../db/group-commit';

/** Who did it and why; carried on every transfer. */
export interface TransferMeta {
  /** Idempotency key: a retry with the same key and request gets the first answer. */
  key: string;
  code?: string;
  reason?: string | null;
  actorId?: string | null;
  refType?: string | null;
  refId?: string | null;
}

export type LedgerOp =
  | (TransferMeta & { op: 'transfer'; debit: string; credit: string; amount: Decimal })
  | (TransferMeta & { op: 'hold'; debit: string; credit: string; amount: Decimal; expiresAt?: Date | null })
  | (TransferMeta & { op: 'post'; holdId: string; amount?: Decimal | null })
  | (TransferMeta & { op: 'void'; holdId: string })
  | (TransferMeta & { op: 'reverse'; transferId: string });

export type LedgerFailureCode =
  | 'insufficient_funds'
  | 'invalid_amount'
  | 'same_account'
  | 'invalid_expiry'
  | 'account_not_found'
  | 'hold_not_found'
  | 'hold_already_resolved'
  | 'hold_expired'
  | 'transfer_not_found'
  | 'not_reversible'
  | 'already_reversed'
  | 'idempotency_conflict'
  | 'not_supported';

export interface LedgerSuccess {
  ok: true;
  transferId: string;
  type: 'posted' | 'pending' | 'post_pending' | 'void_pending';
  amount: Decimal;
  createdAt: Date;
  holdId?: string;
  reverses?: string;
  /** True when this is the stored answer to an earlier call with the same key. */
  replayed: boolean;
}

export interface LedgerFailure {
  ok: false;
  code: LedgerFailureCode;
  detail: string;
  replayed: boolean;
}

export type LedgerOutcome = LedgerSuccess | LedgerFailure;

/** The wire form the database functions take: amounts as plain decimal strings. */
function encode(op: LedgerOp): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(op)) {
    if (v === undefined || v === null) continue;
    out[k] = v instanceof Decimal ? v.toFixed() : v instanceof Date ? v.toISOString() : v;
  }
  const { key: _key, ...request } = out;
  out.hash = createHash('sha256').update(JSON.stringify(request, Object.keys(request).sort())).digest('base64url');
  return out;
}

interface RawOutcome {
  ok: boolean;
  code?: string;
  detail?: string;
  transferId?: string;
  type?: LedgerSuccess['type'];
  amount?: string;
  createdAt?: string;
  holdId?: string;
  reverses?: string;
  replayed?: boolean;
}

function decode(raw: RawOutcome): LedgerOutcome {
  if (!raw.ok) {
    return { ok: false, code: raw.code as LedgerFailureCode, detail: raw.detail ?? '', replayed: raw.replayed === true };
  }
  return {
    ok: true,
    transferId: raw.transferId!,
    type: raw.type!,
    amount: new Decimal(raw.amount!),
    createdAt: new Date(raw.createdAt!),
    ...(raw.holdId ? { holdId: raw.holdId } : {}),
    ...(raw.reverses ? { reverses: raw.reverses } : {}),
    replayed: raw.replayed === true,
  };
}



/** One operation, one round trip: the database function does the locking and the checks. */
export async function applyDirect(db: Db, op: LedgerOp, now: Date): Promise<LedgerOutcome> {
  const json = JSON.stringify(encode(op));
  const outcome = await retryConflicts(db, async () => {
    const [row] = await queryRows<{ r: RawOutcome }>(db, sql`select ledger_apply(${json}::jsonb, ${now.toISOString()}::timestamptz) as r`);
    return decode(row!.r);
  });
  countCommitted(db, [op], [outcome]);
  return outcome;
}

/** Many operations in one transaction; each keeps its own outcome. */
export async function applyBatch(db: Db, ops: LedgerOp[], now: Date): Promise<LedgerOutcome[]> {
  if (ops.length === 0) return [];
  const json = JSON.stringify(ops.map(encode));
  const outcomes = await retryConflicts(db, async () => {
    const rows = await queryRows<{ r: RawOutcome }>(
      db,
      sql`select r from ledger_apply_batch(${json}::jsonb, ${now.toISOString()}::timestamptz) as r`,
    );
    return rows.map((row) => decode(row.r));
  });
  countCommitted(db, ops, outcomes);
  return outcomes;
}

/** A credit from an unbounded programme account (issuance) to a bounded one (a wallet). */
export type IssueOp = TransferMeta & { debit: string; credit: string; amount: Decimal };

/**
 * Many issuance credits in one statement, set-based (no per-operation loop in the database):
 * the bulk path for earning. Same idempotency and refusals as `transfer`; each op keeps its own
 * outcome. Runs in the caller's transaction when given one.
 */
export async function issueMany(db: Db, ops: IssueOp[], now: Date): Promise<LedgerOutcome[]> {
  if (ops.length === 0) return [];
  const mintedAt = now.getTime();
  // The id is minted here but is not part of the request: a retry under the same key still matches.
  const json = JSON.stringify(ops.map((op) => ({ ...encode({ op: 'transfer', code: 'transfer', ...op }), transferId: uuid7(mintedAt) })));
  const outcomes = await retryConflicts(db, async () => {
    const rows = await queryRows<{ r: RawOutcome }>(
      db,
      sql`select r from ledger_issue_many(${json}::jsonb, ${now.toISOString()}::timestamptz) as r`,
    );
    return rows.map((row) => decode(row.r));
  });
  countCommitted(db, ops.map((op) => ({ op: 'transfer' as const, code: op.code ?? 'transfer' })), outcomes);
  return outcomes;
}

/**
 * Group commit for the ledger: one writer per process. While a batch is in the database, new
 * calls queue; the next batch takes them all (up to `maxBatch`) in one transaction. An idle
 * ledger flushes after `maxWaitMs`, so a lone call waits at most that long.
 */
export class MicroBatcher extends GroupCommit<LedgerOp, LedgerOutcome> {
  constructor(db: Db, clock: Clock, options: { maxBatch: number; maxWaitMs: number } = { maxBatch: 500, maxWaitMs: 1 }) {
    super({ many: (ops) => applyBatch(db, ops, clock.now()), one: (op) => applyDirect(db, op, clock.now()) }, options);
  }
}

/** A failed outcome as the problem a client sees. */
export function outcomeError(outcome: LedgerFailure): AppError {
  return new AppError(isProblemCode(outcome.code) ? outcome.code : 'unprocessable', outcome.detail);
}

export function unwrap(outcome: LedgerOutcome): LedgerSuccess {
  if (!outcome.ok) throw outcomeError(outcome);
  return outcome;
}

type Without<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;
type OpInput<K extends LedgerOp['op']> = Without<Extract<LedgerOp, { op: K }>, 'op'>;

export interface LedgerOptions {
  /** Use the micro-batcher for calls outside a transaction (default: yes). */
  batching?: boolean;
}

/**
 * The ledger's write side. Inside a caller's transaction every call runs there directly (so it
 * commits or rolls back with the caller's other writes); otherwise calls go through the group
 * commit. Callers choose nothing.
 *
 * `run` returns the outcome (failures included, as stored under the key); the named methods
 * throw an `AppError` for a failure.
 */
export function createLedger(db: Db, clock: Clock, options: LedgerOptions = {}) {
  const inTransaction = db instanceof PgTransaction;
  const batcher = !inTransaction && options.batching !== false ? new MicroBatcher(db, clock) : null;
  const run = (op: LedgerOp): Promise<LedgerOutcome> =>
    batcher ? batcher.submit(op) : applyDirect(db, op, clock.now());
  return {
    run,
    transfer: async (input: OpInput<'transfer'>) => unwrap(await run({ op: 'transfer', code: 'transfer', ...input })),
    hold: async (input: OpInput<'hold'>) => unwrap(await run({ op: 'hold', code: 'hold', ...input })),
    post: async (input: OpInput<'post'>) => unwrap(await run({ op: 'post', ...input })),
    void: async (input: OpInput<'void'>) => unwrap(await run({ op: 'void', ...input })),
    reverse: async (input: OpInput<'reverse'>) => unwrap(await run({ op: 'reverse', ...input })),
    /** Voids holds past their expiry; safe to run from several processes at once. */
    expireHolds: async (max = 1000): Promise<number> => {
      const [row] = await retryConflicts(db, () =>
        queryRows<{ n: number }>(db, sql`select ledger_expire_holds(${clock.now().toISOString()}::timestamptz, ${max}::int) as n`),
      );
      const expired = Number(row?.n ?? 0);
      countExpiredHolds(db, expired);
      return expired;
    },
  };
}

export type Ledger = ReturnType<typeof createLedger>;
