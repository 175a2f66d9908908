import { z } from '@hono/zod-openapi';
import Decimal from 'decimal.js';
import { desc, eq, lte } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { ratingPolicyVersions, type Grade } from '../../db/schema/index';
import type { FieldError } from '../errors';

/** Score amounts: 0–100 with at most two decimals, as strings ("12.5"), never JS floats. */
const ScoreAmount = z.string().regex(/^\d{1,3}(\.\d{1,2})?$/, 'a decimal string from 0 to 100 with at most 2 decimals, e.g. "15"');
/** Points per hour or report: at most three decimals. */
const Rate = z.string().regex(/^\d{1,3}(\.\d{1,3})?$/, 'a decimal string with at most 3 decimals, e.g. "1.5"');
const Count = z.number().int().min(0).max(1000);

export const GradeRule = z
  .object({
    minScore: ScoreAmount.openapi({ description: 'Lowest score for the grade', example: '85' }),
    maxMinorViolations: Count.optional().openapi({ description: 'Gate: at most this many minor violations in the window' }),
    maxMajorViolations: Count.optional().openapi({ description: 'Gate: at most this many major violations in the window', example: 0 }),
    maxAtFaultAccidents: Count.optional().openapi({
      description: 'Gate: at most this many at-fault accidents (minor or serious) in the window',
      example: 0,
    }),
    maxSeriousAccidents: Count.optional().openapi({ description: 'Gate: at most this many serious accidents in the window' }),
    minStreakDays: z
      .number()
      .int()
      .min(1)
      .max(3650)
      .optional()
      .openapi({ description: 'Gate: the current violation-free streak is at least this many days', example: 100 }),
  })
  .strict()
  .openapi('RatingGradeRule');
export type GradeRule = z.infer<typeof GradeRule>;

export const GradeBenefit = z
  .object({
    earningMultiplier: z
      .string()
      .regex(/^\d(\.\d{1,3})?$/, 'a decimal string from 0 to 9.999, e.g. "1.2"')
      .openapi({ description: 'Multiplier on points earned (reward rules may name their own)', example: '1.2' }),
    priceDiscount: z
      .string()
      .regex(/^0(\.\d{1,4})?$/, 'a fraction below 1 with at most 4 decimals, e.g. "0.10" for 10 %')
      .openapi({ description: 'Fraction taken off points prices', example: '0.10' }),
  })
  .strict()
  .openapi('RatingGradeBenefit');

/**
 * How a driver's activity over a rolling window becomes a 0–100 score and a grade. A grade needs
 * its own minimum score and gates and those of every grade below it; below A is B.
 */
export const RatingPolicy = z
  .object({
    windowDays: z
      .number()
      .int()
      .min(30)
      .max(1095)
      .openapi({ description: 'Rolling window: activity from this many days back counts (365 = 12 months)', example: 365 }),
    safety: z
      .object({
        weight: ScoreAmount.openapi({ description: 'Points for a clean record', example: '50' }),
        deductions: z
          .object({
            minorViolation: ScoreAmount.openapi({ example: '5' }),
            majorViolation: ScoreAmount.openapi({ example: '15' }),
            atFaultAccident: ScoreAmount.openapi({ description: 'A minor at-fault accident', example: '20' }),
            seriousAccident: ScoreAmount.openapi({ example: '50' }),
          })
          .strict()
          .openapi({ description: 'Taken off the safety points per event in the window (floor 0)' }),
      })
      .strict(),
    volunteering: z
      .object({
        weight: ScoreAmount.openapi({ example: '30' }),
        pointsPerHour: Rate.openapi({ description: 'Per approved hour in the window', example: '1.5' }),
        maxHours: z
          .string()
          .regex(/^\d{1,4}(\.\d{1,2})?$/, 'a decimal string, e.g. "20"')
          .openapi({ description: 'Hours beyond this add nothing', example: '20' }),
      })
      .strict(),
    reporting: z
      .object({
        weight: ScoreAmount.openapi({ example: '20' }),
        pointsPerReport: Rate.openapi({ description: 'Per verified grid report in the window', example: '2' }),
        maxReports: z.number().int().min(1).max(10_000).openapi({ description: 'Reports beyond this add nothing', example: 10 }),
      })
      .strict(),
    grades: z.object({ AAA: GradeRule, AA: GradeRule, A: GradeRule }).strict(),
    benefits: z.object({ AAA: GradeBenefit, AA: GradeBenefit, A: GradeBenefit, B: GradeBenefit }).strict(),
  })
  .strict()
  .openapi('RatingPolicy');
export type RatingPolicy = z.infer<typeof RatingPolicy>;

/** DESIGN.md §5; seeded as version 1 by migration 0004_rating.sql (a test keeps the two equal). */
export const DEFAULT_POLICY: RatingPolicy = {
  windowDays: 365,
  safety: { weight: '50', deductions: { minorViolation: '5', majorViolation: '15', atFaultAccident: '20', seriousAccident: '50' } },
  volunteering: { weight: '30', pointsPerHour: '1.5', maxHours: '20' },
  reporting: { weight: '20', pointsPerReport: '2', maxReports: 10 },
  grades: {
    AAA: { minScore: '85', maxMajorViolations: 0, maxAtFaultAccidents: 0, minStreakDays: 100 },
    AA: { minScore: '70', maxSeriousAccidents: 0 },
    A: { minScore: '55' },
  },
  benefits: {
    AAA: { earningMultiplier: '1.2', priceDiscount: '0.10' },
    AA: { earningMultiplier: '1.1', priceDiscount: '0.05' },
    A: { earningMultiplier: '1', priceDiscount: '0' },
    B: { earningMultiplier: '1', priceDiscount: '0' },
  },
};

/** Graded grades from the bottom up (B is what is left). */
export const RATED_GRADES = ['A', 'AA', 'AAA'] as const;
/** Every grade from the bottom up. */
export const GRADE_ORDER: Grade[] = ['B', 'A', 'AA', 'AAA'];

const d = (v: string | number) => new Decimal(v);

/**
 * What makes a policy inconsistent, field by field (empty when it is fine): weights that do
 * not add up to 100, a factor whose rate × cap is not its weight, thresholds out of order,
 * benefits that shrink as the grade rises.
 */
export function policyProblems(policy: RatingPolicy): FieldError[] {
  const problems: FieldError[] = [];
  const { safety, volunteering, reporting, grades, benefits } = policy;
  const total = d(safety.weight).plus(volunteering.weight).plus(reporting.weight);
  if (!total.eq(100)) {
    problems.push({
      path: 'weights',
      message: `safety ${safety.weight} + volunteering ${volunteering.weight} + reporting ${reporting.weight} = ${total.toString()}; the weights must add up to 100`,
    });
  }
  const volunteerMax = d(volunteering.pointsPerHour).times(volunteering.maxHours);
  if (!volunteerMax.eq(volunteering.weight)) {
    problems.push({
      path: 'volunteering',
      message: `${volunteering.pointsPerHour} points × ${volunteering.maxHours} hours = ${volunteerMax.toString()}, but the weight is ${volunteering.weight}; full marks must equal the weight`,
    });
  }
  const reportingMax = d(reporting.pointsPerReport).times(reporting.maxReports);
  if (!reportingMax.eq(reporting.weight)) {
    problems.push({
      path: 'reporting',
      message: `${reporting.pointsPerReport} points × ${reporting.maxReports} reports = ${reportingMax.toString()}, but the weight is ${reporting.weight}; full marks must equal the weight`,
    });
  }
  if (d(grades.AAA.minScore).gt(100)) problems.push({ path: 'grades.AAA.minScore', message: 'a score is at most 100' });
  if (!d(grades.A.minScore).gt(0)) problems.push({ path: 'grades.A.minScore', message: 'grade A must need a score above 0, or nobody would be B' });
  if (!d(grades.AA.minScore).gt(grades.A.minScore)) {
    problems.push({ path: 'grades.AA.minScore', message: `AA (${grades.AA.minScore}) must need more than A (${grades.A.minScore})` });
  }
  if (!d(grades.AAA.minScore).gt(grades.AA.minScore)) {
    problems.push({ path: 'grades.AAA.minScore', message: `AAA (${grades.AAA.minScore}) must need more than AA (${grades.AA.minScore})` });
  }
  for (let i = 1; i < GRADE_ORDER.length; i++) {
    const lower = GRADE_ORDER[i - 1]!;
    const upper = GRADE_ORDER[i]!;
    for (const field of ['earningMultiplier', 'priceDiscount'] as const) {
      if (d(benefits[upper][field]).lt(benefits[lower][field])) {
        problems.push({
          path: `benefits.${upper}.${field}`,
          message: `${upper} (${benefits[upper][field]}) may not get less than ${lower} (${benefits[lower][field]})`,
        });
      }
    }
  }
  return problems;
}

export interface PolicyVersion {
  id: string;
  version: number;
  effectiveFrom: Date;
  policy: RatingPolicy;
  note: string | null;
  createdBy: string | null;
  createdAt: Date;
}

type VersionRow = typeof ratingPolicyVersions.$inferSelect;

/** Versions never change once written, so a parsed one is kept by id for the process's life. */
const parsed = new Map<string, RatingPolicy>();

export function parsePolicy(id: string, raw: unknown): RatingPolicy {
  let policy = parsed.get(id);
  if (!policy) {
    policy = RatingPolicy.parse(typeof raw === 'string' ? JSON.parse(raw) : raw);
    parsed.set(id, policy);
  }
  return policy;
}

export function toVersion(row: VersionRow): PolicyVersion {
  return { ...row, policy: parsePolicy(row.id, row.policy) };
}

/** The version in force at `at`: the latest effective at or before it. Migration 0004 seeds version 1. */
export async function policyInForce(db: Db, at: Date): Promise<PolicyVersion> {
  const [row] = await db
    .select()
    .from(ratingPolicyVersions)
    .where(lte(ratingPolicyVersions.effectiveFrom, at))
    .orderBy(desc(ratingPolicyVersions.effectiveFrom), desc(ratingPolicyVersions.version))
    .limit(1);
  if (!row) throw new Error(`no rating policy is in force at ${at.toISOString()} (migration 0004 seeds version 1)`);
  return toVersion(row);
}

export async function policyVersions(db: Db): Promise<PolicyVersion[]> {
  const rows = await db.select().from(ratingPolicyVersions).orderBy(desc(ratingPolicyVersions.version));
  return rows.map(toVersion);
}

export async function policyVersion(db: Db, version: number): Promise<PolicyVersion | null> {
  const [row] = await db.select().from(ratingPolicyVersions).where(eq(ratingPolicyVersions.version, version));
  return row ? toVersion(row) : null;
}
