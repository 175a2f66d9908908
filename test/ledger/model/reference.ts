/**
 * A pure reference model of the points ledger, for the model-based property test
 * (test/ledger/ledger-model.test.ts). No database, no I/O: it predicts, for each operation, the
 * reply the ledger must give (ok + amount, or the failure code; `replayed` for a retried key) and
 * the balances every account must show afterwards.
 *
 * Amounts are decimal.js values in a clone with far more precision than numeric(20,2) needs, so
 * the model's own arithmetic can never round. They never pass through a JS number.
 */
import Decimal from 'decimal.js';

export const D = Decimal.clone({ precision: 64, rounding: Decimal.ROUND_DOWN });
export type Dec = InstanceType<typeof D>;

const ZERO = new D(0);
const CENT = new D('0.01');

export type FailureCode =
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
  | 'idempotency_conflict';

export type TransferType = 'posted' | 'pending' | 'post_pending' | 'void_pending';

/** An operation as the model sees it: amounts as decimal strings, times as epoch milliseconds. */
export type ModelOp =
  | { op: 'transfer'; key: string; code: string; reason?: string; debit: string; credit: string; amount: string }
  | {
      op: 'hold';
      key: string;
      code: string;
      reason?: string;
      debit: string;
      credit: string;
      amount: string;
      expiresAt: number | null;
    }
  | { op: 'post'; key: string; reason?: string; holdId: string; amount: string | null }
  | { op: 'void'; key: string; reason?: string; holdId: string }
  | { op: 'reverse'; key: string; reason?: string; transferId: string };

export type Outcome =
  | {
      ok: true;
      type: TransferType;
      /** Two decimal places, as the ledger returns it. */
      amount: string;
      transferId: string;
      holdId?: string;
      reverses?: string;
      createdAt: number;
    }
  | { ok: false; code: FailureCode };

export type Reply = Outcome & { replayed: boolean };

export interface AccountState {
  id: string;
  label: string;
  bounded: boolean;
  posted: Dec;
  /** Outgoing open holds. */
  held: Dec;
  /** Incoming open holds. */
  incoming: Dec;
}

export interface Leg {
  account: string;
  amount: Dec;
}

export interface TransferState {
  id: string;
  label: string;
  type: TransferType;
  amount: Dec;
  /** The posted (non-pending) legs: what a reversal mirrors. */
  legs: Leg[];
  reversed: boolean;
  /** Set on reversals: the transfer they reverse. */
  reverses?: string;
}

export interface HoldState {
  id: string;
  label: string;
  debit: string;
  credit: string;
  amount: Dec;
  expiresAt: number | null;
  state: 'open' | 'posted' | 'voided' | 'expired';
}

/** At most two decimal places, strictly positive. */
function validAmount(a: Dec): boolean {
  return a.gt(0) && a.decimalPlaces() <= 2;
}

export function parseAmount(raw: string): Dec {
  return new D(raw);
}

/** The identity of a request under its key: every field but the key, amounts normalised. */
export function fingerprint(op: ModelOp): string {
  const entries = Object.entries(op)
    .filter(([k, v]) => k !== 'key' && v !== undefined && v !== null)
    .map(([k, v]) => [k, k === 'amount' ? new D(v as string).toFixed() : v] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(entries);
}

export class LedgerModel {
  readonly accounts = new Map<string, AccountState>();
  readonly transfers = new Map<string, TransferState>();
  readonly holds = new Map<string, HoldState>();
  readonly idempotency = new Map<string, { fingerprint: string; outcome: Outcome }>();
  /** Model time, epoch ms; the test moves it together with the FakeClock. */
  now: number;

  constructor(now: number) {
    this.now = now;
  }

  addAccount(id: string, label: string, bounded: boolean, start?: { posted: Dec; held: Dec; incoming: Dec }): void {
    this.accounts.set(id, {
      id,
      label,
      bounded,
      posted: start?.posted ?? ZERO,
      held: start?.held ?? ZERO,
      incoming: start?.incoming ?? ZERO,
    });
  }

  available(id: string): Dec {
    const a = this.accounts.get(id)!;
    return a.posted.minus(a.held);
  }

  wallets(): AccountState[] {
    return [...this.accounts.values()].filter((a) => a.bounded);
  }

  openHolds(): HoldState[] {
    return [...this.holds.values()].filter((h) => h.state === 'open');
  }

  /**
   * Applies one operation and returns the reply the ledger must give. `newId` names the transfer
   * the operation creates if it succeeds (the ledger picks ids; the model only needs a name).
   */
  apply(op: ModelOp, newId: string, label: string): Reply {
    const fp = fingerprint(op);
    const prior = this.idempotency.get(op.key);
    if (prior) {
      if (prior.fingerprint !== fp) return { ok: false, code: 'idempotency_conflict', replayed: false };
      return { ...prior.outcome, replayed: true };
    }
    const outcome = this.#execute(op, newId, label);
    this.idempotency.set(op.key, { fingerprint: fp, outcome });
    return { ...outcome, replayed: false };
  }

  #fail(code: FailureCode): Outcome {
    return { ok: false, code };
  }

  #execute(op: ModelOp, newId: string, label: string): Outcome {
    switch (op.op) {
      case 'transfer':
      case 'hold':
        return this.#move(op, newId, label);
      case 'post':
      case 'void':
        return this.#resolve(op, newId, label);
      case 'reverse':
        return this.#reverse(op, newId, label);
    }
  }

  #move(op: Extract<ModelOp, { op: 'transfer' | 'hold' }>, newId: string, label: string): Outcome {
    const amount = parseAmount(op.amount);
    if (!validAmount(amount)) return this.#fail('invalid_amount');
    if (op.debit === op.credit) return this.#fail('same_account');
    const isHold = op.op === 'hold';
    if (isHold && op.expiresAt !== null && op.expiresAt <= this.now) return this.#fail('invalid_expiry');
    const debit = this.accounts.get(op.debit);
    if (!debit) return this.#fail('account_not_found');
    const credit = this.accounts.get(op.credit);
    if (!credit) return this.#fail('account_not_found');
    if (debit.bounded && this.available(debit.id).lt(amount)) return this.#fail('insufficient_funds');

    if (isHold) {
      debit.held = debit.held.plus(amount);
      credit.incoming = credit.incoming.plus(amount);
      this.holds.set(newId, {
        id: newId,
        label,
        debit: debit.id,
        credit: credit.id,
        amount,
        expiresAt: op.expiresAt,
        state: 'open',
      });
      this.transfers.set(newId, { id: newId, label, type: 'pending', amount, legs: [], reversed: false });
    } else {
      debit.posted = debit.posted.minus(amount);
      credit.posted = credit.posted.plus(amount);
      this.transfers.set(newId, {
        id: newId,
        label,
        type: 'posted',
        amount,
        legs: [
          { account: debit.id, amount: amount.neg() },
          { account: credit.id, amount },
        ],
        reversed: false,
      });
    }
    return { ok: true, type: isHold ? 'pending' : 'posted', amount: amount.toFixed(2), transferId: newId, createdAt: this.now };
  }

  #resolve(op: Extract<ModelOp, { op: 'post' | 'void' }>, newId: string, label: string): Outcome {
    const hold = this.holds.get(op.holdId);
    if (!hold) return this.#fail('hold_not_found');
    if (hold.state !== 'open') return this.#fail('hold_already_resolved');
    const isPost = op.op === 'post';
    let capture = hold.amount;
    if (isPost) {
      if (op.amount !== null) capture = parseAmount(op.amount);
      if (!validAmount(capture) || capture.gt(hold.amount)) return this.#fail('invalid_amount');
      if (hold.expiresAt !== null && hold.expiresAt <= this.now) return this.#fail('hold_expired');
    }
    this.#release(hold, isPost ? 'posted' : 'voided');
    const debit = this.accounts.get(hold.debit)!;
    const credit = this.accounts.get(hold.credit)!;
    if (isPost) {
      debit.posted = debit.posted.minus(capture);
      credit.posted = credit.posted.plus(capture);
    }
    this.transfers.set(newId, {
      id: newId,
      label,
      type: isPost ? 'post_pending' : 'void_pending',
      amount: isPost ? capture : hold.amount,
      legs: isPost
        ? [
            { account: debit.id, amount: capture.neg() },
            { account: credit.id, amount: capture },
          ]
        : [],
      reversed: false,
    });
    return {
      ok: true,
      type: isPost ? 'post_pending' : 'void_pending',
      amount: (isPost ? capture : hold.amount).toFixed(2),
      transferId: newId,
      holdId: hold.id,
      createdAt: this.now,
    };
  }

  #release(hold: HoldState, state: HoldState['state']): void {
    const debit = this.accounts.get(hold.debit)!;
    const credit = this.accounts.get(hold.credit)!;
    debit.held = debit.held.minus(hold.amount);
    credit.incoming = credit.incoming.minus(hold.amount);
    hold.state = state;
  }

  #reverse(op: Extract<ModelOp, { op: 'reverse' }>, newId: string, label: string): Outcome {
    const t = this.transfers.get(op.transferId);
    if (!t) return this.#fail('transfer_not_found');
    if (t.type !== 'posted' && t.type !== 'post_pending') return this.#fail('not_reversible');
    if (t.reversed) return this.#fail('already_reversed');
    for (const leg of t.legs) {
      const a = this.accounts.get(leg.account)!;
      if (leg.amount.gt(0) && a.bounded && this.available(a.id).lt(leg.amount)) return this.#fail('insufficient_funds');
    }
    for (const leg of t.legs) {
      const a = this.accounts.get(leg.account)!;
      a.posted = a.posted.minus(leg.amount);
    }
    t.reversed = true;
    this.transfers.set(newId, {
      id: newId,
      label,
      type: 'posted',
      amount: t.amount,
      legs: t.legs.map((l) => ({ account: l.account, amount: l.amount.neg() })),
      reversed: false,
      reverses: t.id,
    });
    return { ok: true, type: 'posted', amount: t.amount.toFixed(2), transferId: newId, reverses: t.id, createdAt: this.now };
  }

  /** The expiry job: every open hold whose expiry has come (expiresAt ≤ now) is voided. */
  expireHolds(): HoldState[] {
    const due = this.openHolds().filter((h) => h.expiresAt !== null && h.expiresAt <= this.now);
    for (const h of due) this.#release(h, 'expired');
    return due;
  }

  /** How much is moved by `op` if it succeeds, for keeping amounts inside numeric(20,2). */
  volumeOf(op: ModelOp): Dec {
    switch (op.op) {
      case 'transfer':
      case 'hold': {
        const a = new D(op.amount);
        return a.isFinite() ? a.abs() : ZERO;
      }
      case 'post':
      case 'void':
        return this.holds.get(op.holdId)?.amount ?? ZERO;
      case 'reverse':
        return this.transfers.get(op.transferId)?.amount ?? ZERO;
    }
  }

  /** The largest magnitude any counter could reach after `extra` more is moved. */
  headroomNeeded(extra: Dec): Dec {
    let max = ZERO;
    for (const a of this.accounts.values()) {
      const m = a.posted.abs().plus(a.held).plus(a.incoming);
      if (m.gt(max)) max = m;
    }
    return max.plus(extra);
  }
}

export { CENT, ZERO };
