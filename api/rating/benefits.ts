import Decimal from 'decimal.js';
import { sql } from 'drizzle-orm';
import { queryOne, type Db } from '../../db/client';
import type { Grade } from '../../db/schema/index';
import { DEFAULT_POLICY, GRADE_ORDER, RatingPolicy } from './policy';

export interface GradeBenefits {
  /** Multiplier on earned points. */
  earningMultiplier: Decimal;
  /** Fraction taken off points prices. */
  priceDiscount: Decimal;
}

export type BenefitTable = Record<Grade, GradeBenefits>;

function tableOf(benefits: RatingPolicy['benefits']): BenefitTable {
  return Object.fromEntries(
    GRADE_ORDER.map((g) => [g, { earningMultiplier: new Decimal(benefits[g].earningMultiplier), priceDiscount: new Decimal(benefits[g].priceDiscount) }]),
  ) as BenefitTable;
}

/** DESIGN.md §5: AAA ×1.2 and 10 % off, AA ×1.1 and 5 % off. */
export const DEFAULT_BENEFITS: BenefitTable = tableOf(DEFAULT_POLICY.benefits);

/**
 * The benefits of the rating policy version in force, as last read by `currentGrade(s)`. Every
 * caller reads the grade (async) before it prices or pays (sync), so the table is at most one
 * query old. Pass a table explicitly (`gradeAndBenefits`) to rule out even that.
 */
let inForce: BenefitTable = DEFAULT_BENEFITS;
/** Parsed tables by policy version id; a version never changes. */
const tables = new Map<string, BenefitTable>();

export function benefitsOf(grade: Grade | null, table: BenefitTable = inForce): GradeBenefits {
  return table[grade ?? 'B'];
}

/** Whether a driver of `grade` meets an offer's minimum; `null` (no grade at all) meets none. */
export function meetsGrade(grade: Grade | null, minimum: Grade | null): boolean {
  if (!minimum) return true;
  if (!grade) return false;
  return GRADE_ORDER.indexOf(grade) >= GRADE_ORDER.indexOf(minimum);
}

/** A points price after the grade's discount, rounded half-up to the cent. */
export function priceFor(price: Decimal, grade: Grade | null, table: BenefitTable = inForce): Decimal {
  return price.times(new Decimal(1).minus(benefitsOf(grade, table).priceDiscount)).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

type PolicyJson = { id: string; benefits: unknown } | string | null;

/**
 * The policy version in force by the database's clock, as `{id, benefits}` JSON: a scalar
 * subquery to select beside whatever else a query reads, then give to `benefitTableOf`.
 */
export const POLICY_IN_FORCE = sql`(select json_build_object('id', id, 'benefits', policy->'benefits')
                                      from rating_policy_versions where effective_from <= now()
                                     order by effective_from desc, version desc limit 1)`;

/** The benefit table of a `POLICY_IN_FORCE` value (the defaults when no version is stored yet). */
export function benefitTableOf(value: PolicyJson): BenefitTable {
  const policy = value ? json(value) : null;
  let table = DEFAULT_BENEFITS;
  if (policy) {
    table = tables.get(policy.id) ?? tableOf(RatingPolicy.shape.benefits.parse(policy.benefits));
    tables.set(policy.id, table);
  }
  inForce = table;
  return table;
}

interface GradesRow extends Record<string, unknown> {
  policy: PolicyJson;
  grades: Array<{ driverId: string; grade: Grade }> | string;
}

const json = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);

/**
 * The stored grades of many drivers at once, and the benefits of the policy version in force
 * (by the database's clock) in one query. A driver the engine has not graded yet counts as B
 * everywhere (B is what a new driver's record gives under the default policy); the activity
 * hooks, `GET /me/rating` and the daily job grade them.
 */
export async function gradesAndBenefits(db: Db, driverIds: readonly string[]): Promise<{ grades: Map<string, Grade>; table: BenefitTable }> {
  const row = await queryOne<GradesRow>(
    db,
    sql`select ${POLICY_IN_FORCE} as policy,
               coalesce((select json_agg(json_build_object('driverId', driver_id, 'grade', grade))
                           from driver_ratings
                          where driver_id in (select (jsonb_array_elements_text(${JSON.stringify(driverIds)}::jsonb))::uuid)), '[]'::json) as grades`,
  );
  const table = benefitTableOf(row?.policy ?? null);
  const stored = new Map(json(row?.grades ?? []).map((g) => [g.driverId, g.grade] as const));
  return { grades: new Map(driverIds.map((id) => [id, stored.get(id) ?? 'B'])), table };
}

/** A driver's grade and its benefits under the policy in force. */
export async function gradeAndBenefits(db: Db, driverId: string): Promise<{ grade: Grade; benefits: GradeBenefits; table: BenefitTable }> {
  const { grades, table } = await gradesAndBenefits(db, [driverId]);
  const grade = grades.get(driverId) ?? 'B';
  return { grade, benefits: table[grade], table };
}

/** A driver's current grade: the stored rating, or B for a driver not graded yet. */
export async function currentGrade(db: Db, driverId: string): Promise<Grade> {
  return (await gradeAndBenefits(db, driverId)).grade;
}

/** Current grades of many drivers at once (bulk earning); same meaning as `currentGrade`. */
export async function currentGrades(db: Db, driverIds: readonly string[]): Promise<Map<string, Grade | null>> {
  return (await gradesAndBenefits(db, driverIds)).grades;
}
