import Decimal from 'decimal.js';
import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { driverRatings, earnings, gridReports, offers, partners, redemptions, safetyEvents, users, volunteerClaims } from '../../db/schema/index';
import { AppError } from '../errors';
import { walletOf } from '../ledger/accounts';
import { balance, lifetimeEarned } from '../ledger/reads';

/** How many of each kind of activity the profile shows. */
export const RECENT = 10;

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const pts = (d: Decimal | null) => (d ? d.toFixed(2) : null);

/** The driver's row, or a 404 when `driverId` is nobody or not a driver. */
export async function requireDriver(db: Db, driverId: string) {
  const [driver] = await db
    .select({ id: users.id, name: users.name, phone: users.phone, plateNumber: users.plateNumber, createdAt: users.createdAt })
    .from(users)
    .where(and(eq(users.id, driverId), eq(users.role, 'driver')));
  if (!driver) throw new AppError('not_found', `there is no driver ${driverId}`);
  return driver;
}

async function walletView(db: Db, driverId: string) {
  const accountId = await walletOf(db, driverId);
  if (!accountId) return null;
  const [b, earned] = await Promise.all([balance(db, accountId), lifetimeEarned(db, accountId)]);
  return { accountId, available: b.available.toFixed(2), held: b.held.toFixed(2), posted: b.posted.toFixed(2), lifetimeEarned: earned.toFixed(2) };
}

async function recentActivities(db: Db, driverId: string) {
  const [volunteering, reports, safety, earned, redeemed] = await Promise.all([
    db
      .select()
      .from(volunteerClaims)
      .where(eq(volunteerClaims.driverId, driverId))
      .orderBy(desc(volunteerClaims.createdAt), desc(volunteerClaims.id))
      .limit(RECENT),
    db
      .select({ id: gridReports.id, category: gridReports.category, status: gridReports.status, createdAt: gridReports.createdAt, verifiedAt: gridReports.verifiedAt })
      .from(gridReports)
      .where(eq(gridReports.driverId, driverId))
      .orderBy(desc(gridReports.createdAt), desc(gridReports.id))
      .limit(RECENT),
    db
      .select()
      .from(safetyEvents)
      .where(eq(safetyEvents.driverId, driverId))
      .orderBy(desc(safetyEvents.occurredAt), desc(safetyEvents.id))
      .limit(RECENT),
    db
      .select()
      .from(earnings)
      .where(eq(earnings.driverId, driverId))
      .orderBy(desc(earnings.createdAt), desc(earnings.id))
      .limit(RECENT),
    db
      .select({ r: redemptions, offerTitle: offers.title, category: offers.category, partnerName: partners.name })
      .from(redemptions)
      .innerJoin(offers, eq(offers.id, redemptions.offerId))
      .innerJoin(partners, eq(partners.id, redemptions.partnerId))
      .where(eq(redemptions.driverId, driverId))
      .orderBy(desc(redemptions.createdAt), desc(redemptions.id))
      .limit(RECENT),
  ]);
  return {
    volunteering: volunteering.map((v) => ({
      id: v.id,
      event: v.event,
      activityDate: v.activityDate,
      hours: new Decimal(v.hours).toFixed(2),
      status: v.status,
      createdAt: v.createdAt.toISOString(),
    })),
    gridReports: reports.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), verifiedAt: iso(r.verifiedAt) })),
    safetyEvents: safety.map((s) => ({ id: s.id, kind: s.kind, severity: s.severity, occurredAt: s.occurredAt.toISOString(), voided: s.voidedAt !== null })),
    earnings: earned.map((e) => ({
      id: e.id,
      source: e.source,
      points: e.points.toFixed(2),
      reason: e.reason,
      activityAt: e.activityAt.toISOString(),
      createdAt: e.createdAt.toISOString(),
    })),
    redemptions: redeemed.map(({ r, offerTitle, category, partnerName }) => ({
      id: r.id,
      offerTitle,
      category,
      partnerName,
      price: r.price.toFixed(2),
      captured: pts(r.captured),
      status: r.status,
      createdAt: r.createdAt.toISOString(),
      resolvedAt: iso(r.resolvedAt),
    })),
  };
}

/** Everything the console shows about one driver at a glance. 404 when `driverId` is not a driver. */
export async function driverProfile(db: Db, driverId: string) {
  const driver = await requireDriver(db, driverId);
  const [wallet, [rating], activities] = await Promise.all([
    walletView(db, driverId),
    db
      .select({ grade: driverRatings.grade, score: driverRatings.score, ratedAt: driverRatings.ratedAt })
      .from(driverRatings)
      .where(eq(driverRatings.driverId, driverId)),
    recentActivities(db, driverId),
  ]);
  return {
    id: driver.id,
    name: driver.name,
    phone: driver.phone,
    plateNumber: driver.plateNumber,
    joinedAt: driver.createdAt.toISOString(),
    wallet,
    rating: rating ? { grade: rating.grade, score: new Decimal(rating.score).toFixed(2), ratedAt: rating.ratedAt.toISOString() } : null,
    activities,
  };
}
