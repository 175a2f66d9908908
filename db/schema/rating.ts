import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, numeric, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './auth';
import { createdAt, id } from './columns';
import { grades } from './market';

/**
 * One version of the committee's rating policy (`RatingPolicy` in api/rating/policy.ts): window,
 * factor weights and deductions, grade thresholds and gates, per-grade benefits. Versions are
 * append-only; the version in force at a moment is the latest with `effective_from` at or before it.
 */
export const ratingPolicyVersions = pgTable(
  'rating_policy_versions',
  {
    id: id(),
    version: integer('version').notNull(),
    effectiveFrom: timestamp('effective_from', { withTimezone: true }).notNull(),
    policy: jsonb('policy').notNull(),
    note: text('note'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('rating_policy_versions_version_uq').on(t.version), index('rating_policy_versions_effective_idx').on(t.effectiveFrom)],
);

/**
 * The columns a rating is made of, shared by the current rating and its history: the inputs
 * counted in the window, the points of each factor, the score and the grade.
 */
const ratingColumns = () => ({
  grade: text('grade', { enum: grades }).notNull(),
  score: numeric('score', { precision: 5, scale: 2 }).notNull(),
  policyVersionId: uuid('policy_version_id')
    .notNull()
    .references(() => ratingPolicyVersions.id),
  safetyPoints: numeric('safety_points', { precision: 5, scale: 2 }).notNull(),
  volunteeringPoints: numeric('volunteering_points', { precision: 5, scale: 2 }).notNull(),
  reportingPoints: numeric('reporting_points', { precision: 5, scale: 2 }).notNull(),
  minorViolations: integer('minor_violations').notNull(),
  majorViolations: integer('major_violations').notNull(),
  atFaultAccidents: integer('at_fault_accidents').notNull(),
  seriousAccidents: integer('serious_accidents').notNull(),
  /** Approved volunteering hours in the window, before the cap. */
  volunteerHours: numeric('volunteer_hours', { precision: 9, scale: 2 }).notNull(),
  /** Verified grid reports in the window, before the cap. */
  verifiedReports: integer('verified_reports').notNull(),
  /** Start of the current violation-free streak: the latest violation, or when the driver joined. */
  streakSince: timestamp('streak_since', { withTimezone: true }).notNull(),
  /** The moment the rating was computed for (the window ends here). */
  ratedAt: timestamp('rated_at', { withTimezone: true }).notNull(),
});

/** Each driver's current rating. Rewritten only when something in it changes. */
export const driverRatings = pgTable(
  'driver_ratings',
  {
    driverId: uuid('driver_id')
      .primaryKey()
      .references(() => users.id),
    ...ratingColumns(),
  },
  (t) => [index('driver_ratings_grade_idx').on(t.grade), check('driver_ratings_score', sql`${t.score} between 0 and 100`)],
);

/**
 * Every change of a driver's grade, score or policy version, with the full breakdown at the time.
 * Append-only. `cause`: `activity` (an activity changed state), `refresh` (read, found stale),
 * `daily` (the daily job), `policy` (a new policy version took effect), `recompute` (by hand).
 */
export const ratingHistory = pgTable(
  'rating_history',
  {
    id: id(),
    driverId: uuid('driver_id')
      .notNull()
      .references(() => users.id),
    ...ratingColumns(),
    previousGrade: text('previous_grade', { enum: grades }),
    previousScore: numeric('previous_score', { precision: 5, scale: 2 }),
    cause: text('cause').notNull(),
    /** Wall-clock write time: orders two changes rated at the same moment (e.g. a refresh, then a new policy). */
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().default(sql`clock_timestamp()`),
  },
  (t) => [index('rating_history_driver_idx').on(t.driverId, t.ratedAt)],
);

/** Full re-grades (the daily job, policy changes): what ran, as of when, under which policy. */
export const ratingRuns = pgTable(
  'rating_runs',
  {
    id: id(),
    asOf: timestamp('as_of', { withTimezone: true }).notNull(),
    /** The programme-local calendar date of `as_of`: the daily job runs once per date. */
    localDate: text('local_date').notNull(),
    policyVersionId: uuid('policy_version_id')
      .notNull()
      .references(() => ratingPolicyVersions.id),
    cause: text('cause').notNull(),
    drivers: integer('drivers').notNull(),
    changed: integer('changed').notNull(),
    gradeChanges: integer('grade_changes').notNull(),
    millis: integer('millis').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('rating_runs_as_of_idx').on(t.asOf)],
);
