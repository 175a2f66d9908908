// Shared helpers for the rating suites (not a test file itself): drivers and their activity
// written straight into the tables the rating reads, the way the earning modules leave them.

import { randomUUID } from 'node:crypto';
import Decimal from 'decimal.js';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { driverRatings, gridReports, photos, ratingHistory, safetyEvents, users, volunteerClaims, type ReportStatus } from '../../db/schema/index';

export const DAY = 86_400_000;
export const daysBefore = (at: Date, days: number) => new Date(at.getTime() - days * DAY);

let seq = 0;
const uniquePhone = () => `136${String(Date.now() % 1e5).padStart(5, '0')}${String(++seq % 1000).padStart(3, '0')}`;

/** A driver row (no wallet: the rating needs none), joined at `joinedAt`. */
export async function addDriver(db: Db, joinedAt: Date, name = 'Test driver'): Promise<string> {
  const [row] = await db
    .insert(users)
    .values({ role: 'driver', phone: uniquePhone(), name, plateNumber: '粤B·R0001', passwordHash: 'x', createdAt: joinedAt })
    .returning({ id: users.id });
  return row!.id;
}

export type Severity = 'minor' | 'major' | 'at_fault_minor' | 'serious';

export async function addSafety(db: Db, driverId: string, severity: Severity | 'inspection_passed', occurredAt: Date, options: { voidedAt?: Date } = {}) {
  const kind = severity === 'inspection_passed' ? 'inspection_passed' : severity === 'minor' || severity === 'major' ? 'violation' : 'accident';
  await db.insert(safetyEvents).values({
    externalId: `t-${randomUUID()}`,
    driverId,
    kind,
    severity: severity === 'inspection_passed' ? null : severity,
    occurredAt,
    voidedAt: options.voidedAt ?? null,
  });
}

/** A volunteering claim on a programme-local date (`YYYY-MM-DD`). */
export async function addHours(db: Db, driverId: string, hours: string, activityDate: string, status: 'submitted' | 'approved' | 'rejected' = 'approved') {
  await db.insert(volunteerClaims).values({ driverId, event: 'Convoy', activityDate, hours, status });
}

const photoOf = new WeakMap<Db, Map<string, string>>();

async function photoFor(db: Db, driverId: string): Promise<string> {
  let byDriver = photoOf.get(db);
  if (!byDriver) photoOf.set(db, (byDriver = new Map()));
  let id = byDriver.get(driverId);
  if (!id) {
    const [row] = await db
      .insert(photos)
      .values({ ownerId: driverId, mime: 'image/jpeg', bytes: 3, sha256: 'x', content: Buffer.from([1, 2, 3]) })
      .returning({ id: photos.id });
    id = row!.id;
    byDriver.set(driverId, id);
  }
  return id;
}

/** A grid report in `status`, verified at `verifiedAt` (null: never verified). */
export async function addReport(db: Db, driverId: string, status: ReportStatus, verifiedAt: Date | null) {
  await db.insert(gridReports).values({
    driverId,
    photoId: await photoFor(db, driverId),
    lat: '22.5',
    lng: '113.9',
    category: 'pothole',
    status,
    verifiedAt,
  });
}

export async function addReports(db: Db, driverId: string, n: number, verifiedAt: Date) {
  for (let i = 0; i < n; i++) await addReport(db, driverId, 'verified', verifiedAt);
}

export async function storedRating(db: Db, driverId: string) {
  const [row] = await db.select().from(driverRatings).where(eq(driverRatings.driverId, driverId));
  return row ?? null;
}

export async function historyRows(db: Db, driverId: string) {
  return db.select().from(ratingHistory).where(eq(ratingHistory.driverId, driverId)).orderBy(ratingHistory.ratedAt, ratingHistory.recordedAt);
}

/** Every stored rating, comparable across runs (no timestamps of the run itself). */
export async function allRatings(db: Db) {
  const rows = await db.select().from(driverRatings).orderBy(driverRatings.driverId);
  return rows.map(({ ratedAt: _ratedAt, ...r }) => ({
    ...r,
    score: new Decimal(r.score).toFixed(2),
    safetyPoints: new Decimal(r.safetyPoints).toFixed(2),
    volunteeringPoints: new Decimal(r.volunteeringPoints).toFixed(2),
    reportingPoints: new Decimal(r.reportingPoints).toFixed(2),
    volunteerHours: new Decimal(r.volunteerHours).toFixed(2),
    streakSince: r.streakSince.toISOString(),
  }));
}

export async function countRows(db: Db, table: 'rating_history' | 'notifications' | 'driver_ratings' | 'rating_runs'): Promise<number> {
  const result = (await db.execute(sql.raw(`select count(*)::int as n from ${table}`))) as unknown as { n: number }[] | { rows: { n: number }[] };
  const rows = Array.isArray(result) ? result : result.rows;
  return Number(rows[0]!.n);
}
