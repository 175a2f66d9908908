import Decimal from 'decimal.js';
import type { Db } from '../../db/client';
import type { Grade } from '../../db/schema/index';

export interface GradeBenefits {
  /** Multiplier on earned points. */
  earningMultiplier: Decimal;
  /** Fraction taken off points prices. */
  priceDiscount: Decimal;
}

// DESIGN.md §5 defaults. The rating module (issue 5) will read them from the active policy.
const DEFAULTS: Record<Grade, GradeBenefits> = {
  AAA: { earningMultiplier: new Decimal('1.2'), priceDiscount: new Decimal('0.10') },
  AA: { earningMultiplier: new Decimal('1.1'), priceDiscount: new Decimal('0.05') },
  A: { earningMultiplier: new Decimal(1), priceDiscount: new Decimal(0) },
  B: { earningMultiplier: new Decimal(1), priceDiscount: new Decimal(0) },
};

const ORDER: Grade[] = ['B', 'A', 'AA', 'AAA'];

export function benefitsOf(grade: Grade | null): GradeBenefits {
  return grade ? DEFAULTS[grade] : DEFAULTS.B;
}

/** Whether a driver of `grade` meets an offer's minimum; ungraded drivers meet none. */
export function meetsGrade(grade: Grade | null, minimum: Grade | null): boolean {
  if (!minimum) return true;
  if (!grade) return false;
  return ORDER.indexOf(grade) >= ORDER.indexOf(minimum);
}

/** A points price after the grade's discount, rounded half-up to the cent. */
export function priceFor(price: Decimal, grade: Grade | null): Decimal {
  return price.times(new Decimal(1).minus(benefitsOf(grade).priceDiscount)).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

/**
 * A driver's current grade. Until the rating module grades drivers (issue 5), nobody has one:
 * every driver pays full price and only ungated offers are open to them.
 */
export async function currentGrade(_db: Db, _driverId: string): Promise<Grade | null> {
  return null;
}

/** Current grades of many drivers at once (bulk earning); same meaning as `currentGrade`. */
export async function currentGrades(db: Db, driverIds: readonly string[]): Promise<Map<string, Grade | null>> {
  return new Map(await Promise.all(driverIds.map(async (id) => [id, await currentGrade(db, id)] as const)));
}
