import { createHash, randomUUID } from 'node:crypto';
import Decimal from 'decimal.js';
import { and, asc, desc, eq, gte, inArray, isNull, lt, sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import { queryOne, type Db } from '../../db/client';
import { isUniqueViolation, sqlState } from '../../db/errors';
import { ledgerTransfers, offers, partners, redemptions, settlements, users, type LimitPeriod, type RedemptionStatus } from '../../db/schema/index';
import { audit } from '../audit/audit';
import type { Clock } from '../clock';
import { AppError } from '../errors';
import type { SessionUser } from '../http/env';
import { findAccount, PROGRAMME_ACCOUNTS } from '../ledger/accounts';
import { createLedger, outcomeError, type LedgerOutcome } from '../ledger/ledger';
import { countCommitted } from '../ledger/committed';
import { DEFAULT_POLICY } from '../rating/policy';
import { newVoucherCode, parseVoucherCode } from './voucher';
import { retryConflicts } from '../../db/transaction';
import { GroupCommit } from '../../db/group-commit';

export const VOUCHER_DAYS = 30;
const DAY = 86_400_000;

export type RedemptionRow = typeof redemptions.$inferSelect;

const hashOf = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('base64url');

function offerClosedReason(offer: { status: string; partnerStatus: string; validFrom: Date | null; validTo: Date | null }, now: Date): string {
  if (offer.partnerStatus !== 'active') return 'the partner is not taking vouchers at the moment';
  if (offer.status !== 'active') return `the offer is ${offer.status.replace('_', ' ')}`;
  if (offer.validFrom && offer.validFrom > now) return `the offer opens on ${offer.validFrom.toISOString().slice(0, 10)}`;
  return `the offer ended on ${offer.validTo!.toISOString().slice(0, 10)}`;
}

/** What a voucher shows besides the redemption itself. */
export interface VoucherDetails {
  offerTitle: string;
  faceValue: string;
  partnerName: string;
  partnerAddress: string | null;
}

export interface Redeemed {
  redemption: RedemptionRow;
  details: VoucherDetails;
  replayed: boolean;
}

/** `market_redeem`'s answer: a redemption (new or replayed), or why not. */
type RedeemAnswer =
  | (VoucherDetails & { replayed: boolean; redemption: Record<keyof RedemptionRow, string | null>; refused?: undefined })
  | {
      refused: 'no_wallet' | 'idempotency_conflict' | 'offer_not_found' | 'offer_not_active' | 'grade_too_low' | 'limit_reached' | 'out_of_stock' | 'insufficient_funds';
      status?: string;
      partnerStatus?: string;
      validFrom?: string | null;
      validTo?: string | null;
      grade?: string;
      minGrade?: string;
      perDriverLimit?: number;
      limitPeriod?: LimitPeriod;
      price?: string;
    };

const when = (v: string | null) => (v === null ? null : new Date(v));

function redemptionOf(r: Record<keyof RedemptionRow, string | null>): RedemptionRow {
  return {
    id: r.id!,
    offerId: r.offerId!,
    driverId: r.driverId!,
    partnerId: r.partnerId!,
    holdId: r.holdId!,
    code: r.code!,
    price: new Decimal(r.price!),
    captured: r.captured === null ? null : new Decimal(r.captured),
    status: r.status as RedemptionStatus,
    requestKey: r.requestKey!,
    requestHash: r.requestHash!,
    expiresAt: new Date(r.expiresAt!),
    createdAt: new Date(r.createdAt!),
    resolvedAt: when(r.resolvedAt),
    resolvedBy: r.resolvedBy,
    settlementId: r.settlementId,
  };
}

function refusal(answer: Extract<RedeemAnswer, { refused: string }>, offerId: string, now: Date): AppError {
  switch (answer.refused) {
    case 'no_wallet':
      return new AppError('not_found', 'you have no points wallet');
    case 'idempotency_conflict':
      return new AppError('idempotency_conflict', 'this Idempotency-Key was used to redeem a different offer');
    case 'offer_not_found':
      return new AppError('offer_not_found', `no offer ${offerId}`);
    case 'offer_not_active':
      return new AppError(
        'offer_not_active',
        offerClosedReason({ status: answer.status!, partnerStatus: answer.partnerStatus!, validFrom: when(answer.validFrom ?? null), validTo: when(answer.validTo ?? null) }, now),
      );
    case 'grade_too_low':
      return new AppError('grade_too_low', `this offer needs grade ${answer.minGrade} or better; your grade is ${answer.grade}`);
    case 'limit_reached': {
      const per = answer.limitPeriod === 'ever' ? 'in total' : `per ${answer.limitPeriod}`;
      return new AppError('limit_reached', `you can redeem this offer ${answer.perDriverLimit} time(s) ${per}`);
    }
    case 'out_of_stock':
      return new AppError('out_of_stock', 'all vouchers for this offer are taken');
    case 'insufficient_funds':
      return new AppError('insufficient_funds', `this voucher costs ${new Decimal(answer.price!).toFixed(2)} points; you have fewer available`);
  }
}

/** Benefits before the committee stores a rating policy, for the database's pricing. */
const DEFAULT_BENEFITS_JSON = JSON.stringify(DEFAULT_POLICY.benefits);

/** What `market_redeem` is asked: one driver, one offer, one key; the id and code to use if it issues. */
interface RedeemRequest {
  driverId: string;
  offerId: string;
  id: string;
  code: string;
  requestKey: string;
  requestHash: string;
  now: string;
  expiresAt: string;
}

/** The same request with a fresh id and voucher code, for another attempt. */
const redrawn = (r: RedeemRequest): RedeemRequest => ({ ...r, id: randomUUID(), code: newVoucherCode() });

/**
 * One request in its own transaction: `market_redeem` is one statement, so one round trip. A
 * deadlock (with another process's batch, say) wrote nothing and runs it again.
 */
async function redeemAlone(db: Db, first: RedeemRequest): Promise<RedeemAnswer> {
  let request = first;
  for (let attempt = 0; ; attempt++) {
    try {
      const row = await retryConflicts(db, () =>
        queryOne<{ r: RedeemAnswer }>(
          db,
          sql`select market_redeem(${JSON.stringify(request)}::jsonb, ${request.now}::timestamptz, ${DEFAULT_BENEFITS_JSON}::jsonb) as r`,
        ),
      );
      return row!.r;
    } catch (error) {
      // The last of the stock went to another redeem between our read and our take.
      if (sqlState(error) === 'MR409') return { refused: 'out_of_stock' };
      // Two first calls with one key at once: the loser sees the winner's voucher on the retry.
      // A voucher code collision (about 1 in 10^13 per pair) just draws another code.
      if ((isUniqueViolation(error, 'request_key') || isUniqueViolation(error, 'code')) && attempt < 3) {
        request = redrawn(request);
        continue;
      }
      throw error;
    }
  }
}

const MAX_REDEEM_BATCH = 64;

/** How redeems have gone through the batchers of this process: for tests and operations. */
export const redeemBatching = { batches: 0, batchedRedeems: 0, batchesRunAlone: 0 };

/**
 * Group commit for redeems. Under load, redeems running side by side mostly wait: on their
 * offer's row, which each holds from taking stock until its commit, and on the WAL flush of that
 * commit. So redeems that arrive while a batch is being written wait for it, then go together:
 * one round trip and one commit for up to MAX_REDEEM_BATCH of them (`market_redeem_many`, in
 * arrival order, each with its own answer and refusal). When nothing is in flight a redeem goes
 * at once, alone, so a quiet shop adds no delay. If a batch fails as a whole (a deadlock, a
 * voucher code collision), nothing of it was written and its redeems run one by one instead,
 * each with its own retries.
 */
function redeemBatcher(db: Db): GroupCommit<RedeemRequest, RedeemAnswer> {
  return new GroupCommit<RedeemRequest, RedeemAnswer>(
    {
      async many(requests) {
        const row = await queryOne<{ r: RedeemAnswer[] }>(
          db,
          sql`select market_redeem_many(${JSON.stringify(requests)}::jsonb, ${DEFAULT_BENEFITS_JSON}::jsonb) as r`,
        );
        redeemBatching.batches++;
        redeemBatching.batchedRedeems += requests.length;
        return row!.r;
      },
      one: (request) => redeemAlone(db, request),
      failed: () => void redeemBatching.batchesRunAlone++,
    },
    { maxBatch: MAX_REDEEM_BATCH, maxWaitMs: 0 },
  );
}

const batchers = new WeakMap<Db, GroupCommit<RedeemRequest, RedeemAnswer>>();

/** A caller's transaction: its redeem runs in it, alone, and the caller retries the whole. */
const inCallersTransaction = (db: Db) => db instanceof PgTransaction;

/**
 * Spends points on an offer in one transaction (`market_redeem`, migrations 0007 and 0012): the driver's
 * wallet row is locked first (so a driver's own redeems serialise and the per-driver limit
 * holds), the offer, grade, limit, stock and points are checked, the ledger places the hold,
 * one is taken from stock with a guarded UPDATE and the voucher is stored. A refusal changes
 * nothing. The same Idempotency-Key returns the first voucher. Outside a caller's transaction,
 * concurrent redeems share their commits (RedeemBatcher) unless `alone` is asked for; a batch
 * takes its stock at its end, for all its redeems at once.
 */
export async function redeem(
  db: Db,
  clock: Clock,
  driver: SessionUser,
  offerId: string,
  idempotencyKey: string,
  options: { alone?: boolean } = {},
): Promise<Redeemed> {
  const now = clock.now();
  const request: RedeemRequest = {
    driverId: driver.id,
    offerId,
    id: randomUUID(),
    code: newVoucherCode(),
    requestKey: `${driver.id}:${idempotencyKey}`,
    requestHash: hashOf({ offerId }),
    now: now.toISOString(),
    expiresAt: new Date(now.getTime() + VOUCHER_DAYS * DAY).toISOString(),
  };
  let answer: RedeemAnswer;
  if (options.alone || inCallersTransaction(db)) answer = await redeemAlone(db, request);
  else {
    let batcher = batchers.get(db);
    if (!batcher) batchers.set(db, (batcher = redeemBatcher(db)));
    answer = await batcher.submit(request);
  }
  if (answer.refused) throw refusal(answer, offerId, now);
  if (!answer.replayed) countCommitted(db, [{ op: 'hold', code: 'redeem' }], [{ ok: true, replayed: false } as LedgerOutcome]);
  const { offerTitle, faceValue, partnerName, partnerAddress } = answer;
  return { redemption: redemptionOf(answer.redemption), details: { offerTitle, faceValue, partnerName, partnerAddress }, replayed: answer.replayed };
}

/**
 * Voids a held redemption's ledger hold and returns its voucher to stock. If the ledger's own
 * expiry job voided the hold first, that is the same outcome and is accepted.
 */
async function release(tx: Db, clock: Clock, r: RedemptionRow, status: RedemptionStatus, actorId: string | null, reason: string) {
  const now = clock.now();
  const outcome = await createLedger(tx, clock).run({
    op: 'void',
    key: `release:${r.id}`,
    holdId: r.holdId,
    code: status === 'expired' ? 'hold_expired' : 'void',
    reason,
    actorId,
    refType: 'redemption',
    refId: r.id,
  });
  if (!outcome.ok) {
    const [resolution] = await tx.select({ type: ledgerTransfers.type }).from(ledgerTransfers).where(eq(ledgerTransfers.pendingId, r.holdId));
    if (outcome.code !== 'hold_already_resolved' || resolution?.type !== 'void_pending') throw outcomeError(outcome);
  }
  await tx.update(offers).set({ stockLeft: sql`${offers.stockLeft} + 1` }).where(eq(offers.id, r.offerId));
  const [after] = await tx
    .update(redemptions)
    .set({ status, resolvedAt: now, resolvedBy: actorId })
    .where(eq(redemptions.id, r.id))
    .returning();
  return after!;
}

function notOpen(r: RedemptionRow, now: Date): AppError | null {
  switch (r.status) {
    case 'confirmed':
      return new AppError('voucher_used', `voucher ${r.code} was used on ${r.resolvedAt?.toISOString().slice(0, 10)}`);
    case 'cancelled':
      return new AppError('voucher_cancelled', `voucher ${r.code} was cancelled`);
    case 'rejected':
      return new AppError('voucher_rejected', `voucher ${r.code} was rejected`);
    case 'expired':
      return new AppError('voucher_expired', `voucher ${r.code} expired on ${r.expiresAt.toISOString().slice(0, 10)}`);
    default:
      return r.expiresAt <= now ? new AppError('voucher_expired', `voucher ${r.code} expired on ${r.expiresAt.toISOString().slice(0, 10)}`) : null;
  }
}

async function lockRedemption(tx: Db, where: ReturnType<typeof eq>) {
  const [r] = await tx.select().from(redemptions).where(where).for('update');
  return r;
}

/** The driver takes back an unused voucher: points released, stock restored. */
export async function cancelRedemption(db: Db, clock: Clock, driver: SessionUser, id: string) {
  return db.transaction(async (tx) => {
    const r = await lockRedemption(tx, eq(redemptions.id, id));
    if (!r || r.driverId !== driver.id) throw new AppError('redemption_not_found', `you have no redemption ${id}`);
    if (r.status !== 'held') throw new AppError('redemption_not_open', `this redemption is already ${r.status}`);
    return release(tx, clock, r, 'cancelled', driver.id, 'cancelled by the driver');
  });
}

export interface HonourView {
  redemption: RedemptionRow;
  offerTitle: string;
  faceValue: string;
  driverName: string;
  plateNumber: string | null;
}

async function honourView(db: Db, r: RedemptionRow): Promise<HonourView> {
  const [row] = await db
    .select({ offerTitle: offers.title, faceValue: offers.faceValue, driverName: users.name, plateNumber: users.plateNumber })
    .from(offers)
    .innerJoin(users, eq(users.id, r.driverId))
    .where(eq(offers.id, r.offerId));
  return { redemption: r, ...row! };
}

function codeOrTypo(input: string): string {
  const parsed = parseVoucherCode(input);
  if (!parsed.ok) throw new AppError('voucher_typo', parsed.detail, { fields: [{ path: 'code', message: parsed.detail }] });
  return parsed.code;
}

function checkPartner(staff: SessionUser, r: RedemptionRow | undefined, code: string): asserts r is RedemptionRow {
  if (!r) throw new AppError('voucher_not_found', `no voucher ${code}; check the code with the driver`);
  if (r.partnerId !== staff.partnerId) throw new AppError('voucher_wrong_partner', 'this voucher is for another partner; the driver should use it there');
}

/** What the desk shows before the final confirm: which offer, for whom. Changes nothing. */
export async function lookupVoucher(db: Db, clock: Clock, staff: SessionUser, input: string): Promise<HonourView> {
  const code = codeOrTypo(input);
  const [r] = await db.select().from(redemptions).where(eq(redemptions.code, code));
  checkPartner(staff, r, code);
  const problem = notOpen(r, clock.now());
  if (problem) throw problem;
  return honourView(db, r);
}

/** The partner honours a voucher: the hold is posted (all, or a smaller amount). */
export async function confirmVoucher(db: Db, clock: Clock, staff: SessionUser, input: string, amount?: Decimal): Promise<HonourView> {
  const code = codeOrTypo(input);
  const confirmed = await db.transaction(async (tx) => {
    const r = await lockRedemption(tx, eq(redemptions.code, code));
    checkPartner(staff, r, code);
    const problem = notOpen(r, clock.now());
    if (problem) throw problem;
    if (amount && amount.greaterThan(r.price)) {
      throw new AppError('invalid_amount', `the voucher is for ${r.price.toFixed(2)} points; you cannot capture more`, {
        fields: [{ path: 'amount', message: `at most ${r.price.toFixed(2)}` }],
      });
    }
    const outcome = await createLedger(tx, clock).run({
      op: 'post',
      key: `confirm:${r.id}`,
      holdId: r.holdId,
      amount: amount ?? null,
      code: 'redeem',
      actorId: staff.id,
      refType: 'redemption',
      refId: r.id,
    });
    if (!outcome.ok) {
      if (outcome.code === 'hold_expired' || outcome.code === 'hold_already_resolved') {
        throw new AppError('voucher_expired', `voucher ${r.code} is no longer valid`);
      }
      throw outcomeError(outcome);
    }
    const [after] = await tx
      .update(redemptions)
      .set({ status: 'confirmed', captured: outcome.amount, resolvedAt: clock.now(), resolvedBy: staff.id })
      .where(eq(redemptions.id, r.id))
      .returning();
    return after!;
  });
  return honourView(db, confirmed);
}

/** The partner refuses a voucher (e.g. the service cannot be done): points go back to the driver. */
export async function rejectVoucher(db: Db, clock: Clock, staff: SessionUser, id: string, reason: string) {
  return db.transaction(async (tx) => {
    const r = await lockRedemption(tx, eq(redemptions.id, id));
    if (!r || r.partnerId !== staff.partnerId) throw new AppError('redemption_not_found', `no redemption ${id} at your partner`);
    const problem = notOpen(r, clock.now());
    if (problem) throw problem;
    return release(tx, clock, r, 'rejected', staff.id, reason);
  });
}

/**
 * Expires held vouchers past their date: hold voided, stock restored. Each voucher is claimed
 * and released in its own short transaction, so the sweep never holds one offer's row while it
 * waits for another driver's wallet (which a redeem of that offer may hold: a deadlock). SKIP
 * LOCKED lets several server processes sweep at once; a voucher being confirmed or cancelled
 * right now is skipped and left to that call.
 */
export async function expireRedemptions(db: Db, clock: Clock, max = 200): Promise<number> {
  let expired = 0;
  while (expired < max) {
    const one = await db.transaction(async (tx) => {
      const [r] = await tx
        .select()
        .from(redemptions)
        .where(and(eq(redemptions.status, 'held'), lt(redemptions.expiresAt, sql`${clock.now().toISOString()}::timestamptz + interval '1 millisecond'`)))
        .orderBy(asc(redemptions.expiresAt))
        .limit(1)
        .for('update', { skipLocked: true });
      if (!r) return false;
      await release(tx, clock, r, 'expired', null, 'voucher expired');
      return true;
    });
    if (!one) break;
    expired++;
  }
  return expired;
}

export async function myRedemptions(db: Db, driverId: string, limit = 100) {
  return db
    .select({ r: redemptions, offerTitle: offers.title, faceValue: offers.faceValue, partnerName: partners.name, partnerAddress: partners.address })
    .from(redemptions)
    .innerJoin(offers, eq(offers.id, redemptions.offerId))
    .innerJoin(partners, eq(partners.id, redemptions.partnerId))
    .where(eq(redemptions.driverId, driverId))
    .orderBy(desc(redemptions.createdAt))
    .limit(limit);
}

export async function redemptionDetails(db: Db, id: string) {
  const [row] = await db
    .select({ r: redemptions, offerTitle: offers.title, faceValue: offers.faceValue, partnerName: partners.name, partnerAddress: partners.address })
    .from(redemptions)
    .innerJoin(offers, eq(offers.id, redemptions.offerId))
    .innerJoin(partners, eq(partners.id, redemptions.partnerId))
    .where(eq(redemptions.id, id));
  return row;
}

/** A partner's confirmed redemptions in [from, to), for the desk's statement. */
export async function partnerStatement(db: Db, partnerId: string, from: Date, to: Date) {
  const rows = await db
    .select({
      id: redemptions.id,
      resolvedAt: redemptions.resolvedAt,
      code: redemptions.code,
      captured: redemptions.captured,
      settlementId: redemptions.settlementId,
      offerTitle: offers.title,
      driverName: users.name,
      plateNumber: users.plateNumber,
    })
    .from(redemptions)
    .innerJoin(offers, eq(offers.id, redemptions.offerId))
    .innerJoin(users, eq(users.id, redemptions.driverId))
    .where(and(eq(redemptions.partnerId, partnerId), eq(redemptions.status, 'confirmed'), gte(redemptions.resolvedAt, from), lt(redemptions.resolvedAt, to)))
    .orderBy(asc(redemptions.resolvedAt));
  const total = rows.reduce((sum, r) => sum.plus(r.captured ?? 0), new Decimal(0));
  return { rows, total };
}

/**
 * Moves a period's confirmed, not yet settled points from the partner's settlement account to
 * `settled`, marks those redemptions, and audits it. One settlement per partner and period.
 */
export async function settle(db: Db, clock: Clock, actor: SessionUser, partnerId: string, from: Date, to: Date, idempotencyKey: string) {
  const requestKey = `${actor.id}:${idempotencyKey}`;
  const replay = async () => {
    const [prior] = await db.select().from(settlements).where(eq(settlements.requestKey, requestKey));
    if (!prior) return null;
    // the hash is not stored; the request's identity is its partner and period
    if (prior.partnerId !== partnerId || prior.periodFrom.getTime() !== from.getTime() || prior.periodTo.getTime() !== to.getTime()) {
      throw new AppError('idempotency_conflict', 'this Idempotency-Key was used for a different settlement');
    }
    return { settlement: prior, replayed: true };
  };
  const earlier = await replay();
  if (earlier) return earlier;
  const [partner] = await db.select({ id: partners.id }).from(partners).where(eq(partners.id, partnerId));
  if (!partner) throw new AppError('not_found', `no partner ${partnerId}`);
  // Vouchers confirmed later in an open period would miss this settlement, and the same period
  // cannot be settled twice: a period is settled once it is over.
  if (to > clock.now()) {
    throw new AppError('invalid_period', `the period runs until ${to.toISOString()}: settle it once it has ended`, { fields: [{ path: 'to', message: 'must not be later than now' }] });
  }
  try {
    return await db.transaction(async (tx) => {
      const now = clock.now();
      const due = await tx
        .select({ id: redemptions.id, captured: redemptions.captured })
        .from(redemptions)
        .where(
          and(
            eq(redemptions.partnerId, partnerId),
            eq(redemptions.status, 'confirmed'),
            isNull(redemptions.settlementId),
            gte(redemptions.resolvedAt, from),
            lt(redemptions.resolvedAt, to),
          ),
        )
        .for('update');
      const amount = due.reduce((sum, r) => sum.plus(r.captured ?? 0), new Decimal(0));
      const id = randomUUID();
      let transferId: string | null = null;
      // decimal.js counts zero as positive: an empty period settles to zero without a transfer
      if (amount.greaterThan(0)) {
        const account = await findAccount(tx, { kind: 'partner_settlement', ownerId: partnerId });
        const outcome = await createLedger(tx, clock).run({
          op: 'transfer',
          key: `settle:${id}`,
          debit: account!,
          credit: PROGRAMME_ACCOUNTS.settled,
          amount,
          code: 'settle',
          reason: `settlement ${from.toISOString().slice(0, 10)} – ${to.toISOString().slice(0, 10)}`,
          actorId: actor.id,
          refType: 'settlement',
          refId: id,
        });
        if (!outcome.ok) throw outcomeError(outcome);
        transferId = outcome.transferId;
        await tx.update(redemptions).set({ settlementId: id }).where(inArray(redemptions.id, due.map((r) => r.id)));
      }
      const [created] = await tx
        .insert(settlements)
        .values({ id, partnerId, periodFrom: from, periodTo: to, amount, redemptions: due.length, transferId, requestKey, createdBy: actor.id, createdAt: now })
        .returning();
      await audit(tx, { actorId: actor.id, action: 'partner.settle', targetType: 'partner', targetId: partnerId, after: created, at: now });
      return { settlement: created!, replayed: false };
    });
  } catch (error) {
    if (isUniqueViolation(error, 'request_key')) {
      const first = await replay();
      if (first) return first;
    }
    if (isUniqueViolation(error, 'partner_period')) throw new AppError('conflict', 'this partner already has a settlement for exactly this period');
    throw error;
  }
}
