import { afterCommit } from '../../db/after-commit';
import type { Db } from '../../db/client';
import type { LedgerOp, LedgerOutcome } from './ledger';

export interface CommittedCount {
  /** The ledger operation: transfer, hold, post, void, reverse, or expire (the hold sweep). */
  op: string;
  /** The transfer code the caller gave (earn.safety, redeem, settle …), else the operation. */
  code: string;
  count: number;
}

/** Transfers this process has committed to the ledger since it started, by operation and code. */
const counts = new Map<string, CommittedCount>();

function add(op: string, code: string, n: number) {
  const key = `${op}\u0000${code}`;
  const entry = counts.get(key);
  if (entry) entry.count += n;
  else counts.set(key, { op, code, count: n });
}

/** Counts the new transfers among `outcomes` (not refusals, not replays) once `db` commits them. */
export function countCommitted(db: Db, ops: readonly Pick<LedgerOp, 'op' | 'code'>[], outcomes: readonly LedgerOutcome[]): void {
  const applied = ops.filter((_, i) => outcomes[i]?.ok && !outcomes[i]!.replayed);
  if (applied.length === 0) return;
  afterCommit(db, () => {
    for (const op of applied) add(op.op, op.code ?? op.op, 1);
  });
}

/** Holds the sweep voided: the database writes them, so they are counted here in one go. */
export function countExpiredHolds(db: Db, n: number): void {
  if (n > 0) afterCommit(db, () => add('expire', 'hold_expired', n));
}

export function committedTransfers(): CommittedCount[] {
  return [...counts.values()].map((c) => ({ ...c }));
}
