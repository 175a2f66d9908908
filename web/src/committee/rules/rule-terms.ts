import type { ProblemFieldError } from '../../api/client';
import { t } from '../messages';
import { gridCategories } from '../queues/filters';
import { grades } from '../rating/api';
import type { RuleActivity, RuleTerms } from './api';
import { wholeNumber, type DraftForm } from '../editor/draft-form';

/** What one unit of each activity is; the API refuses terms in another unit. */
export const unitOf: Record<RuleActivity, RuleTerms['unit']> = {
  volunteering: 'hour',
  grid_report: 'report',
  safety_streak: 'milestone',
  safety_challenge: 'milestone',
};

export const capPeriods = ['day', 'week', 'month'] as const;

export const isSafety = (activity: RuleActivity) => activity === 'safety_streak' || activity === 'safety_challenge';

/** The form's values for terms (blank where the terms say nothing). */
export function termsValues(terms?: RuleTerms): Record<string, string> {
  const values: Record<string, string> = {
    'terms.points': terms?.points ?? '',
    'terms.minHours': terms?.minHours ?? '',
    'terms.everyDays': terms?.everyDays === undefined ? '' : String(terms.everyDays),
  };
  for (const period of capPeriods) values[`terms.caps.${period}`] = terms?.caps?.[period] ?? '';
  for (const grade of grades) values[`terms.multipliers.${grade}`] = terms?.multipliers?.[grade] ?? '';
  for (const category of gridCategories) {
    values[`terms.pointsByCategory.${category}`] = terms?.pointsByCategory?.[category] ?? '';
    values[`terms.categories.${category}`] = !terms?.categories || terms.categories.includes(category) ? 'yes' : '';
  }
  return values;
}

/**
 * The terms the form describes for the activity, as the API takes them: amounts as the strings
 * typed, blanks left out, and only the fields that make sense for the activity. Whole numbers
 * that are not add a problem to `problems`.
 */
export function termsOf(activity: RuleActivity, form: DraftForm, problems: ProblemFieldError[]): RuleTerms {
  const text = (path: string) => form.value(path).trim();
  const terms: RuleTerms = { points: text('terms.points'), unit: unitOf[activity] };

  const caps: NonNullable<RuleTerms['caps']> = {};
  for (const period of capPeriods) {
    const cap = text(`terms.caps.${period}`);
    if (cap) caps[period] = cap;
  }
  if (Object.keys(caps).length > 0) terms.caps = caps;

  const multipliers: NonNullable<RuleTerms['multipliers']> = {};
  for (const grade of grades) {
    const multiplier = text(`terms.multipliers.${grade}`);
    if (multiplier) multipliers[grade] = multiplier;
  }
  if (Object.keys(multipliers).length > 0) terms.multipliers = multipliers;

  if (activity === 'volunteering' && text('terms.minHours')) terms.minHours = text('terms.minHours');
  if (isSafety(activity)) terms.everyDays = wholeNumber(form, 'terms.everyDays', problems, t('rules.form.everyDaysWhole'));
  if (activity === 'grid_report') {
    const byCategory: NonNullable<RuleTerms['pointsByCategory']> = {};
    for (const category of gridCategories) {
      const points = text(`terms.pointsByCategory.${category}`);
      if (points) byCategory[category] = points;
    }
    if (Object.keys(byCategory).length > 0) terms.pointsByCategory = byCategory;
    const paying = gridCategories.filter((category) => form.value(`terms.categories.${category}`) !== '');
    if (paying.length < gridCategories.length) terms.categories = paying;
  }
  return terms;
}
