import { createHash } from 'node:crypto';
import Decimal from 'decimal.js';
import { sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import { queryRows, type Db } from '../../db/client';
import type { Clock } from '../clock';
import { AppError, isProblemCode } from '../errors';
import { uuid7 } from './uuid7';
import { isRetryable } from '../../db/transaction';
import { countCommitted, countExpiredHolds } from './committed';

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



/**
 * Deadlocks and serialization failures are retried (a few times, with jitter) when we own the
 * transaction; inside a caller's transaction the caller must retry the whole unit.
 */
async function withRetry<T>(db: Db, work: () => Promise<T>): Promise<T> {
  if (db instanceof PgTransaction) return work();
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!isRetryable(error) || attempt >= 8) throw error;
      await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
    }
  }
}

/** One operation, one round trip: the database function does the locking and the checks. */
export async function applyDirect(db: Db, op: LedgerOp, now: Date): Promise<LedgerOutcome> {
  const json = JSON.stringify(encode(op));
  const outcome = await withRetry(db, async () => {
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
  const outcomes = await withRetry(db, async () => {
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
  const outcomes = await withRetry(db, async () => {
    const rows = await queryRows<{ r: RawOutcome }>(
      db,
      sql`select r from ledger_issue_many(${json}::jsonb, ${now.toISOString()}::timestamptz) as r`,
    );
    return rows.map((row) => decode(row.r));
  });
  countCommitted(db, ops.map((op) => ({ op: 'transfer' as const, code: op.code ?? 'transfer' })), outcomes);
  return outcomes;
}

interface Pending {
  op: LedgerOp;
  resolve: (outcome: LedgerOutcome) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for the ledger: one writer per process. While a batch is in the database, new
 * calls queue; the next batch takes them all (up to `maxBatch`) in one transaction. An idle
 * ledger flushes after `maxWaitMs`, so a lone call waits at most that long.
 */
export class MicroBatcher {
  #queue: Pending[] = [];
  #flushing = false;
  #timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly options: { maxBatch: number; maxWaitMs: number } = { maxBatch: 500, maxWaitMs: 1 },
  ) {}

  submit(op: LedgerOp): Promise<LedgerOutcome> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ op, resolve, reject });
      if (this.#flushing) return;
      if (this.#queue.length >= this.options.maxBatch) this.#flushSoon(0);
      else this.#flushSoon(this.options.maxWaitMs);
    });
  }

  #flushSoon(delay: number) {
    if (this.#timer) {
      if (delay > 0) return;
      clearTimeout(this.#timer);
    }
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#flush();
    }, delay);
  }

  async #flush(): Promise<void> {
    if (this.#flushing) return;
    this.#flushing = true;
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue.splice(0, this.options.maxBatch);
        await this.#run(batch);
      }
    } finally {
      this.#flushing = false;
    }
  }

  async #run(batch: Pending[]): Promise<void> {
    const now = this.clock.now();
    try {
      const outcomes = batch.length === 1 ? [await applyDirect(this.db, batch[0]!.op, now)] : await applyBatch(this.db, batch.map((p) => p.op), now);
      batch.forEach((p, i) => p.resolve(outcomes[i]!));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      // One bad operation must not fail its neighbours: run them one by one.
      for (const p of batch) {
        try {
          p.resolve(await applyDirect(this.db, p.op, now));
        } catch (e) {
          p.reject(e);
        }
      }
    }
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
      const [row] = await withRetry(db, () =>
        queryRows<{ n: number }>(db, sql`select ledger_expire_holds(${clock.now().toISOString()}::timestamptz, ${max}::int) as n`),
      );
      const expired = Number(row?.n ?? 0);
      countExpiredHolds(db, expired);
      return expired;
    },
  };
}

export type Ledger = ReturnType<typeof createLedger>;
