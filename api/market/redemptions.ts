import { createHash, randomUUID } from 'node:crypto';
import Decimal from 'decimal.js';
import { and, asc, desc, eq, gte, inArray, isNull, lt, sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client';
import { isUniqueViolation } from '../../db/errors';
import { ledgerAccounts, ledgerTransfers, offers, partners, redemptions, settlements, users, type LimitPeriod, type RedemptionStatus } from '../../db/schema/index';
import { audit } from '../audit/audit';
import type { Clock } from '../clock';
import { AppError } from '../errors';
import type { SessionUser } from '../http/env';
import { findAccount, PROGRAMME_ACCOUNTS } from '../ledger/accounts';
import { createLedger, outcomeError } from '../ledger/ledger';
import { currentGrade, meetsGrade, priceFor } from '../rating/benefits';
import { findOffer, isOpen } from './offers';
import { newVoucherCode, parseVoucherCode } from './voucher';
import { isRetryable } from '../../db/transaction';

export const VOUCHER_DAYS = 30;
const DAY = 86_400_000;

/** Per-driver limits count over a rolling window ending now. */
const PERIOD_MS: Record<LimitPeriod, number | null> = { day: DAY, week: 7 * DAY, month: 30 * DAY, year: 365 * DAY, ever: null };

export type RedemptionRow = typeof redemptions.$inferSelect;


const hashOf = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('base64url');

async function lockWallet(db: Db, driverId: string): Promise<string> {
  const [wallet] = await db
    .select({ id: ledgerAccounts.id })
    .from(ledgerAccounts)
    .where(and(eq(ledgerAccounts.kind, 'driver_wallet'), eq(ledgerAccounts.ownerId, driverId)))
    .for('no key update');
  if (!wallet) throw new AppError('not_found', 'you have no points wallet');
  return wallet.id;
}

function offerClosedReason(offer: { status: string; partnerStatus: string; validFrom: Date | null; validTo: Date | null }, now: Date): string {
  if (offer.partnerStatus !== 'active') return 'the partner is not taking vouchers at the moment';
  if (offer.status !== 'active') return `the offer is ${offer.status.replace('_', ' ')}`;
  if (offer.validFrom && offer.validFrom > now) return `the offer opens on ${offer.validFrom.toISOString().slice(0, 10)}`;
  return `the offer ended on ${offer.validTo!.toISOString().slice(0, 10)}`;
}

export interface Redeemed {
  redemption: RedemptionRow;
  replayed: boolean;
}

/**
 * Spends points on an offer, all in one transaction: the driver's wallet row is locked first
 * (so a driver's own redeems serialise and the per-driver limit holds), then the offer's stock is
 * decremented with a guarded UPDATE, then the ledger places the hold. Any refusal rolls back all
 * of it. The same Idempotency-Key returns the first voucher.
 */
export async function redeem(db: Db, clock: Clock, driver: SessionUser, offerId: string, idempotencyKey: string): Promise<Redeemed> {
  const requestKey = `${driver.id}:${idempotencyKey}`;
  const requestHash = hashOf({ offerId });
  const replay = async (on: Db = db): Promise<Redeemed | null> => {
    const [prior] = await on.select().from(redemptions).where(eq(redemptions.requestKey, requestKey));
    if (!prior) return null;
    if (prior.requestHash !== requestHash) throw new AppError('idempotency_conflict', 'this Idempotency-Key was used to redeem a different offer');
    return { redemption: prior, replayed: true };
  };
  const grade = await currentGrade(db, driver.id);
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.transaction(async (tx) => {
        const now = clock.now();
        const wallet = await lockWallet(tx, driver.id);
        // A retry finds its voucher here, including one that raced the first call: the wallet
        // lock orders a driver's redeems, so the first one has committed by now.
        const first = await replay(tx);
        if (first) return first;
        const offer = await findOffer(tx, offerId);
        if (!offer) throw new AppError('offer_not_found', `no offer ${offerId}`);
        if (!isOpen(offer, now)) throw new AppError('offer_not_active', offerClosedReason(offer, now));
        if (!meetsGrade(grade, offer.minGrade)) {
          throw new AppError('grade_too_low', `this offer needs grade ${offer.minGrade} or better; your grade is ${grade ?? 'not yet rated'}`);
        }
        const window = PERIOD_MS[offer.limitPeriod];
        const [used] = await tx
          .select({ n: sql<number>`count(*)::int` })
          .from(redemptions)
          .where(
            and(
              eq(redemptions.driverId, driver.id),
              eq(redemptions.offerId, offerId),
              inArray(redemptions.status, ['held', 'confirmed']),
              window === null ? sql`true` : gte(redemptions.createdAt, new Date(now.getTime() - window)),
            ),
          );
        if ((used?.n ?? 0) >= offer.perDriverLimit) {
          const per = offer.limitPeriod === 'ever' ? 'in total' : `per ${offer.limitPeriod}`;
          throw new AppError('limit_reached', `you can redeem this offer ${offer.perDriverLimit} time(s) ${per}`);
        }
        const [taken] = await tx
          .update(offers)
          .set({ stockLeft: sql`${offers.stockLeft} - 1` })
          .where(and(eq(offers.id, offerId), eq(offers.status, 'active'), sql`${offers.stockLeft} > 0`))
          .returning({ id: offers.id });
        if (!taken) throw new AppError('out_of_stock', 'all vouchers for this offer are taken');

        const settlement = await findAccount(tx, { kind: 'partner_settlement', ownerId: offer.partnerId });
        if (!settlement) throw new Error(`partner ${offer.partnerId} has no settlement account`);
        const id = randomUUID();
        const price = priceFor(offer.price, grade);
        const expiresAt = new Date(now.getTime() + VOUCHER_DAYS * DAY);
        const hold = await createLedger(tx, clock).run({
          op: 'hold',
          key: `redeem:${id}`,
          debit: wallet,
          credit: settlement,
          amount: price,
          expiresAt,
          code: 'redeem',
          reason: offer.title,
          actorId: driver.id,
          refType: 'redemption',
          refId: id,
        });
        if (!hold.ok) {
          if (hold.code === 'insufficient_funds') {
            throw new AppError('insufficient_funds', `this voucher costs ${price.toFixed(2)} points; you have fewer available`);
          }
          throw outcomeError(hold);
        }
        const [created] = await tx
          .insert(redemptions)
          .values({
            id,
            offerId,
            driverId: driver.id,
            partnerId: offer.partnerId,
            holdId: hold.transferId,
            code: newVoucherCode(),
            price,
            status: 'held',
            requestKey,
            requestHash,
            expiresAt,
            createdAt: now,
          })
          .returning();
        return { redemption: created!, replayed: false };
      });
    } catch (error) {
      if (isUniqueViolation(error, 'request_key')) {
        const first = await replay();
        if (first) return first;
      }
      // A voucher code collision (about 1 in 10^13 per pair) just draws another code.
      if (isUniqueViolation(error, 'code') && attempt < 3) continue;
      // Nothing was written; a deadlock with, say, an expiry sweep just runs the redeem again.
      if (isRetryable(error) && !(db instanceof PgTransaction) && attempt < 8) {
        await new Promise((r) => setTimeout(r, Math.random() * 5 * (attempt + 1)));
        continue;
      }
      throw error;
    }
  }
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
