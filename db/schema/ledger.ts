import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  index,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { points } from './columns';

export const accountKinds = [
  'driver_wallet',
  'issuance',
  'partner_settlement',
  'settled',
  'expired',
] as const;
export type AccountKind = (typeof accountKinds)[number];

/**
 * A ledger account. Bounded accounts (driver wallets) keep posted/pending counters on the row and
 * may never go below zero counting holds. Unbounded programme accounts (issuance, settlement …)
 * keep no counters at all: their balances are derived from postings, so they are never a hot row.
 */
export const ledgerAccounts = pgTable(
  'ledger_accounts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind', { enum: accountKinds }).notNull(),
    ownerId: uuid('owner_id'),
    bounded: boolean('bounded').notNull(),
    posted: points('posted').notNull().default(sql`0`),
    debitsPending: points('debits_pending').notNull().default(sql`0`),
    creditsPending: points('credits_pending').notNull().default(sql`0`),
    /** Lines written to this account so far (bounded accounts): the next line's `seq`. */
    entries: bigint('entries', { mode: 'number' }).notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('ledger_accounts_owner_uq').on(t.kind, t.ownerId),
    uniqueIndex('ledger_accounts_singleton_uq').on(t.kind).where(sql`${t.ownerId} is null`),
    check('ledger_accounts_no_overdraft', sql`not ${t.bounded} or ${t.posted} - ${t.debitsPending} >= 0`),
    check('ledger_accounts_pending_nonneg', sql`${t.debitsPending} >= 0 and ${t.creditsPending} >= 0`),
    check(
      'ledger_accounts_unbounded_no_counters',
      sql`${t.bounded} or (${t.posted} = 0 and ${t.debitsPending} = 0 and ${t.creditsPending} = 0)`,
    ),
  ],
);

export const transferTypes = ['posted', 'pending', 'post_pending', 'void_pending'] as const;
export type TransferType = (typeof transferTypes)[number];

/**
 * One balanced double-entry transaction. Append-only (triggers refuse UPDATE/DELETE).
 * A `pending` transfer is a hold; it is resolved at most once by a `post_pending` or
 * `void_pending` transfer pointing at it (unique `pending_id`). A reversal points at the
 * transfer it corrects (unique `reverses_id`).
 */
export const ledgerTransfers = pgTable(
  'ledger_transfers',
  {
    id: uuid('id').primaryKey(),
    type: text('type', { enum: transferTypes }).notNull(),
    code: text('code').notNull(),
    amount: points('amount').notNull(),
    reason: text('reason'),
    actorId: uuid('actor_id'),
    refType: text('ref_type'),
    refId: text('ref_id'),
    pendingId: uuid('pending_id').references((): AnyPgColumn => ledgerTransfers.id),
    reversesId: uuid('reverses_id').references((): AnyPgColumn => ledgerTransfers.id),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('ledger_transfers_pending_uq').on(t.pendingId),
    uniqueIndex('ledger_transfers_reverses_uq').on(t.reversesId),
    index('ledger_transfers_created_idx').on(t.createdAt, t.id),
    index('ledger_transfers_ref_idx').on(t.refType, t.refId),
    check('ledger_transfers_amount_positive', sql`${t.amount} > 0`),
    check(
      'ledger_transfers_resolution_shape',
      sql`(${t.type} in ('post_pending', 'void_pending')) = (${t.pendingId} is not null)`,
    ),
    check('ledger_transfers_expiry_only_on_holds', sql`${t.type} = 'pending' or ${t.expiresAt} is null`),
  ],
);

/**
 * The legs of a transfer: signed amounts (credit positive). Within a transfer, the posted legs
 * sum to zero and the pending legs sum to zero — checked by a statement trigger on insert.
 */
export const ledgerPostings = pgTable(
  'ledger_postings',
  {
    // No foreign keys here on purpose: an FK check takes a KEY SHARE lock on the parent row for
    // every leg, which makes the issuance account a (light) hot row. The statement trigger
    // checks, set-based, that every new leg's transfer and account exist; transfers are
    // append-only and accounts cannot be deleted, so a leg cannot be orphaned later.
    transferId: uuid('transfer_id').notNull(),
    leg: smallint('leg').notNull(),
    accountId: uuid('account_id').notNull(),
    amount: points('amount').notNull(),
    pending: boolean('pending').notNull(),
    /** Posted balance of a bounded account after this leg (null for unbounded accounts). */
    balanceAfter: points('balance_after'),
    /**
     * Position of this line in a bounded account's history, assigned under the account's row
     * lock: statements sort by it, so they follow commit order even across connections.
     */
    seq: bigint('seq', { mode: 'number' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.transferId, t.leg] }),
    index('ledger_postings_account_idx').on(t.accountId, t.createdAt, t.transferId, t.leg),
    uniqueIndex('ledger_postings_account_seq_uq').on(t.accountId, t.seq),
    check('ledger_postings_nonzero', sql`${t.amount} <> 0`),
  ],
);

/** Holds not yet posted or voided: a small working set for the expiry job and lazy expiry. */
export const ledgerOpenHolds = pgTable(
  'ledger_open_holds',
  {
    holdId: uuid('hold_id')
      .primaryKey()
      .references(() => ledgerTransfers.id),
    debitAccountId: uuid('debit_account_id').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
  },
  (t) => [
    index('ledger_open_holds_expiry_idx').on(t.expiresAt),
    index('ledger_open_holds_account_idx').on(t.debitAccountId, t.expiresAt),
  ],
);

/**
 * Idempotency keys, written in the same transaction as the effects. Failures are remembered
 * too: a key that failed for lack of funds keeps failing after the wallet is funded.
 */
export const ledgerIdempotency = pgTable('ledger_idempotency', {
  key: text('key').primaryKey(),
  requestHash: text('request_hash').notNull(),
  result: jsonb('result'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});
