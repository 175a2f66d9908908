import Decimal from 'decimal.js';
import type { Grade } from '../../db/schema/index';
import { RATED_GRADES, type GradeRule, type RatingPolicy } from './policy';

/** What the rating counts for one driver over the window (see inputsSql in engine.ts). */
export interface RatingInputs {
  minorViolations: number;
  majorViolations: number;
  /** Minor at-fault accidents. */
  atFaultAccidents: number;
  seriousAccidents: number;
  /** Approved volunteering hours, before the cap. */
  volunteerHours: Decimal;
  /** Verified grid reports, before the cap. */
  verifiedReports: number;
  /** The latest violation ever (voided ones aside), or when the driver joined. */
  streakSince: Date;
  /** Whole days from `streakSince` to the rating moment (0 if in the future). */
  streakDays: number;
}

export interface Scored {
  grade: Grade;
  score: Decimal;
  safetyPoints: Decimal;
  volunteeringPoints: Decimal;
  reportingPoints: Decimal;
}

const half = (v: Decimal) => v.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);

/** The three factors' points, each rounded half-up to the cent, and their sum. */
export function factorPoints(policy: RatingPolicy, i: RatingInputs) {
  const { safety, volunteering, reporting } = policy;
  const deducted = new Decimal(safety.deductions.minorViolation)
    .times(i.minorViolations)
    .plus(new Decimal(safety.deductions.majorViolation).times(i.majorViolations))
    .plus(new Decimal(safety.deductions.atFaultAccident).times(i.atFaultAccidents))
    .plus(new Decimal(safety.deductions.seriousAccident).times(i.seriousAccidents));
  const safetyPoints = half(Decimal.max(0, new Decimal(safety.weight).minus(deducted)));
  const volunteeringPoints = half(Decimal.min(i.volunteerHours, volunteering.maxHours).times(volunteering.pointsPerHour));
  const reportingPoints = half(new Decimal(Math.min(i.verifiedReports, reporting.maxReports)).times(reporting.pointsPerReport));
  return { safetyPoints, volunteeringPoints, reportingPoints, score: safetyPoints.plus(volunteeringPoints).plus(reportingPoints) };
}

export type GateName = Exclude<keyof GradeRule, 'minScore'>;

/** The gates of one grade rule that the inputs fail (the score is checked separately). */
export function failedGates(rule: GradeRule, i: RatingInputs): GateName[] {
  const failed: GateName[] = [];
  if (rule.maxMinorViolations !== undefined && i.minorViolations > rule.maxMinorViolations) failed.push('maxMinorViolations');
  if (rule.maxMajorViolations !== undefined && i.majorViolations > rule.maxMajorViolations) failed.push('maxMajorViolations');
  if (rule.maxAtFaultAccidents !== undefined && i.atFaultAccidents + i.seriousAccidents > rule.maxAtFaultAccidents) failed.push('maxAtFaultAccidents');
  if (rule.maxSeriousAccidents !== undefined && i.seriousAccidents > rule.maxSeriousAccidents) failed.push('maxSeriousAccidents');
  if (rule.minStreakDays !== undefined && i.streakDays < rule.minStreakDays) failed.push('minStreakDays');
  return failed;
}

export function meetsRule(rule: GradeRule, i: RatingInputs, score: Decimal): boolean {
  return score.gte(rule.minScore) && failedGates(rule, i).length === 0;
}

/**
 * A driver's score and grade under a policy. The same arithmetic runs as SQL for everyone at
 * once (gradedSql in engine.ts); a property test keeps the two identical.
 */
export function scoreOf(policy: RatingPolicy, i: RatingInputs): Scored {
  const points = factorPoints(policy, i);
  let grade: Grade = 'B';
  for (const g of RATED_GRADES) {
    if (!meetsRule(policy.grades[g], i, points.score)) break;
    grade = g;
  }
  return { grade, ...points };
}
