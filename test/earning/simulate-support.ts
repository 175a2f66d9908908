import Decimal from 'decimal.js';
import { sql } from 'drizzle-orm';
import { queryOne, type Db } from '../../db/client';
import { createUser } from '../../api/auth/auth.service';
import type { Clock } from '../../api/clock';
import { earn, localMidnight } from '../../api/earning/earn';
import { gridReports, photos, volunteerClaims, type GridCategory } from '../../db/schema/index';

let seq = 0;

export async function driver(db: Db, name: string) {
  const phone = `1361${String(Date.now() % 1e5).padStart(5, '0')}${String(++seq % 100).padStart(2, '0')}`;
  return createUser(db, { role: 'driver', phone, name, password: 'a-long-test-password', plateNumber: `粤B·${String(seq).padStart(5, '0')}` });
}

/** An approved volunteering claim, paid by earn() as the approval does. */
export async function approvedClaim(db: Db, clock: Clock, driverId: string, date: string, hours: string) {
  return db.transaction(async (tx) => {
    const [claim] = await tx
      .insert(volunteerClaims)
      .values({ driverId, event: 'Exam-day convoy', activityDate: date, hours, status: 'approved', decidedAt: clock.now() })
      .returning();
    const paid = await earn(tx, clock, {
      driverId,
      source: 'volunteering',
      sourceId: claim!.id,
      activityAt: localMidnight(date),
      units: new Decimal(hours),
      reason: 'test claim',
    });
    return { claim: claim!, paid };
  });
}

/** A claim that is not approved: it was never paid and must not count. */
export async function submittedClaim(db: Db, driverId: string, date: string, hours: string) {
  await db.insert(volunteerClaims).values({ driverId, event: 'Pending convoy', activityDate: date, hours });
}

/** A verified grid report filed at `at`, paid by earn() as verification does. */
export async function verifiedReport(db: Db, clock: Clock, driverId: string, at: string, category: GridCategory) {
  return db.transaction(async (tx) => {
    const [photo] = await tx
      .insert(photos)
      .values({ ownerId: driverId, mime: 'image/png', bytes: 4, sha256: 'x'.repeat(64), content: Buffer.from([0x89, 0x50, 0x4e, 0x47]) })
      .returning();
    const [report] = await tx
      .insert(gridReports)
      .values({ driverId, photoId: photo!.id, lat: '22.543100', lng: '114.057900', category, status: 'verified', verifiedAt: clock.now(), createdAt: new Date(at) })
      .returning();
    const paid = await earn(tx, clock, {
      driverId,
      source: 'grid_report',
      sourceId: report!.id,
      activityAt: report!.createdAt,
      units: new Decimal(1),
      category,
      reason: 'test report',
    });
    return { report: report!, paid };
  });
}

/** A safety milestone paid at `at` (the safety module's daily pass does this). */
export async function milestone(db: Db, clock: Clock, driverId: string, source: 'safety_streak' | 'safety_challenge', at: string) {
  return db.transaction((tx) =>
    earn(tx, clock, { driverId, source, sourceId: `${source}:${driverId}:${at}`, activityAt: new Date(at), units: new Decimal(1), reason: 'test milestone' }),
  );
}

/** Row counts of everything a simulation must leave alone. */
export async function rowCounts(db: Db) {
  return queryOne<Record<string, string>>(
    db,
    sql`select (select count(*) from earnings)::text as earnings,
               (select count(*) from ledger_transfers)::text as transfers,
               (select count(*) from ledger_postings)::text as postings,
               (select count(*) from reward_rule_versions)::text as versions,
               (select count(*) from audit_log)::text as audit,
               (select count(*) from volunteer_claims)::text as claims,
               (select count(*) from grid_reports)::text as reports`,
  );
}

/** The programme defaults (migration 0002), as a draft rule set. */
export const DEFAULT_TERMS = {
  volunteering: { points: '10', unit: 'hour', caps: { month: '40' } },
  grid_report: { points: '5', unit: 'report', pointsByCategory: { broken_manhole_cover: '10', road_collapse: '10' }, caps: { month: '30' } },
  safety_streak: { points: '20', unit: 'milestone', everyDays: 30 },
  safety_challenge: { points: '100', unit: 'milestone', everyDays: 100 },
} as const;

export const DOUBLED_TERMS = {
  volunteering: { points: '20', unit: 'hour', caps: { month: '40' } },
  grid_report: { points: '10', unit: 'report', pointsByCategory: { broken_manhole_cover: '20', road_collapse: '20' }, caps: { month: '30' } },
  safety_streak: { points: '40', unit: 'milestone', everyDays: 30 },
  safety_challenge: { points: '200', unit: 'milestone', everyDays: 100 },
} as const;
