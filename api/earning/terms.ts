import { z } from '@hono/zod-openapi';
import Decimal from 'decimal.js';
import { gridCategories, grades, type Grade, type GridCategory, type RuleActivity } from '../../db/schema/index';
import { benefitsOf, type BenefitTable } from '../rating/benefits';

const PointString = z
  .string()
  .regex(/^\d{1,9}(\.\d{1,2})?$/, 'a non-negative decimal string with at most 2 decimals, e.g. "10" or "2.50"');
const MultiplierString = z.string().regex(/^\d{1,2}(\.\d{1,3})?$/, 'a decimal string such as "1.2"');

/**
 * What a rule version pays. Units are what the activity counts: hours for volunteering, reports
 * for grid reports, milestones for the safety rules. Caps are in units per driver per calendar
 * day / week (Monday) / month, in the programme's time zone.
 */
export const RuleTerms = z
  .object({
    points: PointString.openapi({ description: 'Points per unit', example: '10' }),
    unit: z.enum(['hour', 'report', 'milestone']).openapi({ description: 'What one unit is' }),
    pointsByCategory: z
      .partialRecord(z.enum(gridCategories), PointString)
      .optional()
      .openapi({ description: 'Grid reports: points per report for these categories instead of `points`', example: { road_collapse: '10' } }),
    categories: z
      .array(z.enum(gridCategories))
      .min(1)
      .optional()
      .openapi({ description: 'Grid reports: only these categories pay (all when omitted)' }),
    minHours: PointString.optional().openapi({ description: 'Volunteering: claims shorter than this pay nothing', example: '1' }),
    everyDays: z
      .number()
      .int()
      .min(1)
      .max(3650)
      .optional()
      .openapi({ description: 'Safety rules: days without a violation per milestone (streak: every N days; challenge: once at N days)' }),
    caps: z
      .object({ day: PointString.optional(), week: PointString.optional(), month: PointString.optional() })
      .strict()
      .optional()
      .openapi({ description: 'At most this many units per driver per period', example: { month: '40' } }),
    multipliers: z
      .partialRecord(z.enum(grades), MultiplierString)
      .optional()
      .openapi({ description: 'Earning multiplier by grade; grades not named use the rating policy (AAA ×1.2, AA ×1.1)' }),
  })
  .strict()
  .openapi('RuleTerms');
export type RuleTerms = z.infer<typeof RuleTerms>;

const UNIT_OF: Record<RuleActivity, RuleTerms['unit']> = {
  volunteering: 'hour',
  grid_report: 'report',
  safety_streak: 'milestone',
  safety_challenge: 'milestone',
};

/** Terms that make sense for the activity, or the reasons they do not (for a 422). */
export function termsProblems(activity: RuleActivity, terms: RuleTerms): string[] {
  const problems: string[] = [];
  if (terms.unit !== UNIT_OF[activity]) problems.push(`unit: ${activity} counts in ${UNIT_OF[activity]}s`);
  const isSafety = activity === 'safety_streak' || activity === 'safety_challenge';
  if (isSafety && !terms.everyDays) problems.push('everyDays: a safety rule says how many days make a milestone');
  if (!isSafety && terms.everyDays) problems.push('everyDays: only safety rules count days');
  if (activity !== 'grid_report' && (terms.pointsByCategory || terms.categories)) {
    problems.push('categories: only grid report rules look at categories');
  }
  if (activity !== 'volunteering' && terms.minHours) problems.push('minHours: only volunteering counts hours');
  for (const [period, cap] of Object.entries(terms.caps ?? {})) {
    if (cap !== undefined && new Decimal(cap).lte(0)) problems.push(`caps.${period}: a cap must be above zero (leave it out for no cap)`);
  }
  return problems;
}

/** Points one unit of this activity is worth under the terms (0 when the terms exclude it). */
export function pointsPerUnit(terms: RuleTerms, category?: GridCategory | null): Decimal {
  if (category && terms.categories && !terms.categories.includes(category)) return new Decimal(0);
  const byCategory = category ? terms.pointsByCategory?.[category] : undefined;
  return new Decimal(byCategory ?? terms.points);
}

export function multiplierFor(terms: RuleTerms, grade: Grade | null, benefits?: BenefitTable): Decimal {
  const own = grade ? terms.multipliers?.[grade] : undefined;
  return own ? new Decimal(own) : benefitsOf(grade, benefits).earningMultiplier;
}

export type CapPeriod = 'day' | 'week' | 'month';
export const capPeriods: CapPeriod[] = ['day', 'week', 'month'];

/**
 * Units that still count after the caps, given the units already paid in each capped period
 * that contains the activity. Never negative; a cap exactly reached pays nothing more.
 */
export function unitsWithinCaps(terms: RuleTerms, requested: Decimal, used: Partial<Record<CapPeriod, Decimal>>): Decimal {
  let units = requested;
  for (const period of capPeriods) {
    const cap = terms.caps?.[period];
    if (cap === undefined) continue;
    const room = Decimal.max(0, new Decimal(cap).minus(used[period] ?? 0));
    units = Decimal.min(units, room);
  }
  return units;
}

export interface Payment {
  units: Decimal;
  basePoints: Decimal;
  multiplier: Decimal;
  points: Decimal;
}

/** The arithmetic of one payment: units × points per unit × grade multiplier, half-up to the cent. */
export function paymentFor(
  terms: RuleTerms,
  input: {
    requested: Decimal;
    used: Partial<Record<CapPeriod, Decimal>>;
    grade: Grade | null;
    category?: GridCategory | null;
    /** The rating policy's benefits to use (the policy in force when omitted). */
    benefits?: BenefitTable;
  },
): Payment {
  const below = terms.minHours !== undefined && input.requested.lt(terms.minHours);
  // An activity the rule does not pay for uses up none of the driver's allowance.
  const excluded = Boolean(input.category && terms.categories && !terms.categories.includes(input.category));
  const units = below || excluded ? new Decimal(0) : unitsWithinCaps(terms, input.requested, input.used);
  const basePoints = units.times(pointsPerUnit(terms, input.category)).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  const multiplier = multiplierFor(terms, input.grade, input.benefits);
  return { units, basePoints, multiplier, points: basePoints.times(multiplier).toDecimalPlaces(2, Decimal.ROUND_HALF_UP) };
}
