import type { ProblemFieldError } from '../../api/client';
import { t } from '../messages';
import { grades, type RatingPolicy } from './api';
import { wholeNumber, type DraftForm } from '../editor/draft-form';

export const ratedGrades = ['AAA', 'AA', 'A'] as const satisfies readonly (keyof RatingPolicy['grades'])[];
export const deductions = ['minorViolation', 'majorViolation', 'atFaultAccident', 'seriousAccident'] as const satisfies readonly (keyof RatingPolicy['safety']['deductions'])[];
export const gates = [
  'maxMinorViolations',
  'maxMajorViolations',
  'maxAtFaultAccidents',
  'maxSeriousAccidents',
  'minStreakDays',
] as const satisfies readonly (keyof RatingPolicy['grades']['AAA'])[];

/** The form's values for a policy, by the API's field paths. */
export function policyValues(policy: RatingPolicy): Record<string, string> {
  const values: Record<string, string> = {
    windowDays: String(policy.windowDays),
    'safety.weight': policy.safety.weight,
    'volunteering.weight': policy.volunteering.weight,
    'volunteering.pointsPerHour': policy.volunteering.pointsPerHour,
    'volunteering.maxHours': policy.volunteering.maxHours,
    'reporting.weight': policy.reporting.weight,
    'reporting.pointsPerReport': policy.reporting.pointsPerReport,
    'reporting.maxReports': String(policy.reporting.maxReports),
  };
  for (const kind of deductions) values[`safety.deductions.${kind}`] = policy.safety.deductions[kind];
  for (const grade of ratedGrades) {
    values[`grades.${grade}.minScore`] = policy.grades[grade].minScore;
    for (const gate of gates) {
      const limit = policy.grades[grade][gate];
      values[`grades.${grade}.${gate}`] = limit === undefined ? '' : String(limit);
    }
  }
  for (const grade of grades) {
    values[`benefits.${grade}.earningMultiplier`] = policy.benefits[grade].earningMultiplier;
    values[`benefits.${grade}.priceDiscount`] = policy.benefits[grade].priceDiscount;
  }
  return values;
}

/** The policy the form describes: amounts as typed, counts as whole numbers, blank gates left out. */
export function policyOf(form: DraftForm, problems: ProblemFieldError[]): RatingPolicy {
  const text = (path: string) => form.value(path).trim();
  const whole = (path: string, optional = false) => wholeNumber(form, path, problems, t('policy.form.whole'), optional);

  const grade = (g: (typeof ratedGrades)[number]) => {
    const rule: RatingPolicy['grades']['AAA'] = { minScore: text(`grades.${g}.minScore`) };
    for (const gate of gates) {
      const limit = whole(`grades.${g}.${gate}`, true);
      if (limit !== undefined) rule[gate] = limit;
    }
    return rule;
  };
  const benefit = (g: (typeof grades)[number]) => ({
    earningMultiplier: text(`benefits.${g}.earningMultiplier`),
    priceDiscount: text(`benefits.${g}.priceDiscount`),
  });

  return {
    windowDays: whole('windowDays') ?? 0,
    safety: {
      weight: text('safety.weight'),
      deductions: {
        minorViolation: text('safety.deductions.minorViolation'),
        majorViolation: text('safety.deductions.majorViolation'),
        atFaultAccident: text('safety.deductions.atFaultAccident'),
        seriousAccident: text('safety.deductions.seriousAccident'),
      },
    },
    volunteering: {
      weight: text('volunteering.weight'),
      pointsPerHour: text('volunteering.pointsPerHour'),
      maxHours: text('volunteering.maxHours'),
    },
    reporting: {
      weight: text('reporting.weight'),
      pointsPerReport: text('reporting.pointsPerReport'),
      maxReports: whole('reporting.maxReports') ?? 0,
    },
    grades: { AAA: grade('AAA'), AA: grade('AA'), A: grade('A') },
    benefits: { AAA: benefit('AAA'), AA: benefit('AA'), A: benefit('A'), B: benefit('B') },
  };
}
