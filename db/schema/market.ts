import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './auth';
import { createdAt, points } from './columns';
import { partners } from './partners';

export const offerCategories = ['repair', 'training', 'inspection', 'other'] as const;
export type OfferCategory = (typeof offerCategories)[number];
export const offerStatuses = ['draft', 'pending_approval', 'active', 'paused', 'retired'] as const;
export type OfferStatus = (typeof offerStatuses)[number];
export const grades = ['AAA', 'AA', 'A', 'B'] as const;
export type Grade = (typeof grades)[number];
export const limitPeriods = ['day', 'week', 'month', 'year', 'ever'] as const;
export type LimitPeriod = (typeof limitPeriods)[number];

/** A partner's discount, priced in points. `stock_left` is decremented atomically on redeem. */
export const offers = pgTable(
  'offers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnerId: uuid('partner_id')
      .notNull()
      .references(() => partners.id),
    category: text('category', { enum: offerCategories }).notNull(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    faceValue: text('face_value').notNull(),
    price: points('price').notNull(),
    stockTotal: integer('stock_total').notNull(),
    stockLeft: integer('stock_left').notNull(),
    perDriverLimit: integer('per_driver_limit').notNull(),
    limitPeriod: text('limit_period', { enum: limitPeriods }).notNull().default('month'),
    validFrom: timestamp('valid_from', { withTimezone: true }),
    validTo: timestamp('valid_to', { withTimezone: true }),
    minGrade: text('min_grade', { enum: grades }),
    status: text('status', { enum: offerStatuses }).notNull().default('pending_approval'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('offers_catalog_idx').on(t.status, t.category, t.price),
    index('offers_partner_idx').on(t.partnerId, t.status),
    check('offers_price_positive', sql`${t.price} > 0`),
    check('offers_stock_range', sql`${t.stockLeft} >= 0 and ${t.stockLeft} <= ${t.stockTotal}`),
    check('offers_limit_positive', sql`${t.perDriverLimit} >= 1`),
    check('offers_window', sql`${t.validFrom} is null or ${t.validTo} is null or ${t.validFrom} < ${t.validTo}`),
  ],
);

export const redemptionStatuses = ['held', 'confirmed', 'cancelled', 'rejected', 'expired'] as const;
export type RedemptionStatus = (typeof redemptionStatuses)[number];

/** A driver spending points on an offer: a ledger hold plus a voucher code. */
export const redemptions = pgTable(
  'redemptions',
  {
    id: uuid('id').primaryKey(),
    offerId: uuid('offer_id')
      .notNull()
      .references(() => offers.id),
    driverId: uuid('driver_id')
      .notNull()
      .references(() => users.id),
    partnerId: uuid('partner_id')
      .notNull()
      .references(() => partners.id),
    holdId: uuid('hold_id').notNull().unique(),
    code: text('code').notNull().unique(),
    price: points('price').notNull(),
    captured: points('captured'),
    status: text('status', { enum: redemptionStatuses }).notNull().default('held'),
    /** `driverId:Idempotency-Key`: a retried redeem returns the first voucher. */
    requestKey: text('request_key').notNull().unique(),
    requestHash: text('request_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolvedBy: uuid('resolved_by').references(() => users.id),
    settlementId: uuid('settlement_id'),
  },
  (t) => [
    index('redemptions_driver_idx').on(t.driverId, t.createdAt),
    index('redemptions_driver_offer_idx').on(t.driverId, t.offerId, t.createdAt),
    index('redemptions_partner_idx').on(t.partnerId, t.status, t.resolvedAt),
    index('redemptions_expiry_idx').on(t.expiresAt).where(sql`${t.status} = 'held'`),
    check('redemptions_captured', sql`${t.captured} is null or (${t.captured} > 0 and ${t.captured} <= ${t.price})`),
  ],
);

/** Confirmed points moved from a partner's settlement account to `settled` for a period. */
export const settlements = pgTable(
  'settlements',
  {
    id: uuid('id').primaryKey(),
    partnerId: uuid('partner_id')
      .notNull()
      .references(() => partners.id),
    periodFrom: timestamp('period_from', { withTimezone: true }).notNull(),
    periodTo: timestamp('period_to', { withTimezone: true }).notNull(),
    amount: points('amount').notNull(),
    redemptions: integer('redemptions').notNull(),
    transferId: uuid('transfer_id'),
    requestKey: text('request_key').notNull().unique(),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('settlements_partner_period_uq').on(t.partnerId, t.periodFrom, t.periodTo)],
);
