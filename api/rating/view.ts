import Decimal from 'decimal.js';
import { and, desc, eq, gte, inArray, isNull, lte } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { ratingHistory, ratingPolicyVersions, safetyEvents, type Grade, type SafetySeverity } from '../../db/schema/index';
import type { Clock } from '../clock';
import { AppError } from '../errors';
import { regradeDriver, windowStart } from './engine';
import { breakdownOf, nextGrade, type CountedEvent, type StoredRating } from './explain';
import { parsePolicy } from './policy';

const DAY_MS = 86_400_000;
const HISTORY_LIMIT = 50;

/** The non-voided violations and accidents that count in the window now, oldest first. */
async function countedEvents(db: Db, driverId: string, from: Date, asOf: Date): Promise<CountedEvent[]> {
  const rows = await db
    .select({ severity: safetyEvents.severity, occurredAt: safetyEvents.occurredAt })
    .from(safetyEvents)
    .where(
      and(
        eq(safetyEvents.driverId, driverId),
        inArray(safetyEvents.kind, ['violation', 'accident']),
        isNull(safetyEvents.voidedAt),
        gte(safetyEvents.occurredAt, from),
        lte(safetyEvents.occurredAt, asOf),
      ),
    )
    .orderBy(safetyEvents.occurredAt);
  return rows.filter((r): r is { severity: SafetySeverity; occurredAt: Date } => r.severity !== null);
}

type HistoryRow = typeof ratingHistory.$inferSelect;

function storedOf(r: HistoryRow): StoredRating {
  return {
    grade: r.grade,
    score: new Decimal(r.score),
    safetyPoints: new Decimal(r.safetyPoints),
    volunteeringPoints: new Decimal(r.volunteeringPoints),
    reportingPoints: new Decimal(r.reportingPoints),
    minorViolations: r.minorViolations,
    majorViolations: r.majorViolations,
    atFaultAccidents: r.atFaultAccidents,
    seriousAccidents: r.seriousAccidents,
    volunteerHours: new Decimal(r.volunteerHours),
    verifiedReports: r.verifiedReports,
    streakSince: r.streakSince,
    streakDays: Math.max(0, Math.floor((r.ratedAt.getTime() - r.streakSince.getTime()) / DAY_MS)),
    ratedAt: r.ratedAt,
  };
}

/** A driver's rating changes, newest first, each with its breakdown under its own policy version. */
export async function ratingHistoryOf(db: Db, driverId: string, limit = HISTORY_LIMIT) {
  const rows = await db
    .select({ h: ratingHistory, version: ratingPolicyVersions.version, policy: ratingPolicyVersions.policy })
    .from(ratingHistory)
    .innerJoin(ratingPolicyVersions, eq(ratingPolicyVersions.id, ratingHistory.policyVersionId))
    .where(eq(ratingHistory.driverId, driverId))
    .orderBy(desc(ratingHistory.ratedAt), desc(ratingHistory.recordedAt))
    .limit(limit);
  return rows.map(({ h, version, policy }) => ({
    at: h.ratedAt.toISOString(),
    grade: h.grade as Grade,
    previousGrade: h.previousGrade as Grade | null,
    score: new Decimal(h.score).toFixed(2),
    previousScore: h.previousScore === null ? null : new Decimal(h.previousScore).toFixed(2),
    policyVersion: version,
    cause: h.cause,
    breakdown: breakdownOf(storedOf(h), parsePolicy(h.policyVersionId, policy)),
  }));
}

/**
 * Everything `GET /me/rating` shows: the driver is re-graded first (cheap, and a write only if
 * something changed — an event left the window, a streak reached a gate), so what they read is
 * what the market and earning use. 404 when `driverId` is not a driver.
 */
export async function ratingView(db: Db, clock: Clock, driverId: string) {
  const now = await regradeDriver(db, clock, driverId, 'refresh');
  if (!now) throw new AppError('not_found', `no driver ${driverId}`);
  const { version, inputs, scored, asOf } = now;
  const [events, history] = await Promise.all([countedEvents(db, driverId, windowStart(version.policy, asOf), asOf), ratingHistoryOf(db, driverId)]);
  const benefits = version.policy.benefits[scored.grade];
  return {
    driverId,
    grade: scored.grade,
    score: scored.score.toFixed(2),
    asOf: asOf.toISOString(),
    policyVersion: version.version,
    benefits: { earningMultiplier: benefits.earningMultiplier, priceDiscount: benefits.priceDiscount },
    breakdown: breakdownOf({ ...inputs, ...scored, ratedAt: asOf }, version.policy),
    next: nextGrade(version.policy, scored.grade, inputs, scored.score, events),
    history,
  };
}

export type RatingView = Awaited<ReturnType<typeof ratingView>>;
