import { For } from 'solid-js';
import { formatNumber } from '../../i18n';
import { t } from '../messages';
import type { Grade, RatingPolicy } from './api';
import { GradeTable } from './GradeTable';
import { deductions, gates } from './policy-draft';

/** A rating policy in words: how the score is made, what each grade needs and gets. */
export function PolicySummary(props: { policy: RatingPolicy }) {
  const p = () => props.policy;
  const needs = (grade: Grade): string => {
    if (grade === 'B') return t('policy.summary.rest');
    const rule = p().grades[grade];
    const gateWords = gates.flatMap((gate) => {
      const limit = rule[gate];
      if (limit === undefined) return [];
      return [limit === 0 && gate !== 'minStreakDays' ? t(`policy.gateNone.${gate}`) : t(`policy.gateWords.${gate}`, { n: limit })];
    });
    return [t('policy.summary.minScore', { score: formatNumber(rule.minScore) }), ...gateWords].join(t('rules.terms.separator'));
  };

  return (
    <div class="policy-summary">
      <dl class="facts facts--compact">
        <div>
          <dt>{t('policy.form.windowDays')}</dt>
          <dd>{t('policy.summary.days', { days: p().windowDays })}</dd>
        </div>
        <div>
          <dt>{t('policy.form.safetyLegend')}</dt>
          <dd>
            {t('policy.summary.safety', { weight: formatNumber(p().safety.weight) })}{' '}
            <For each={deductions}>
              {(kind, index) => (
                <>
                  {index() > 0 ? t('rules.terms.separator') : ''}
                  {t(`policy.form.deduction.${kind}`)} −{formatNumber(p().safety.deductions[kind])}
                </>
              )}
            </For>
          </dd>
        </div>
        <div>
          <dt>{t('policy.form.volunteeringLegend')}</dt>
          <dd>
            {t('policy.summary.volunteering', {
              weight: formatNumber(p().volunteering.weight),
              rate: formatNumber(p().volunteering.pointsPerHour),
              max: formatNumber(p().volunteering.maxHours),
            })}
          </dd>
        </div>
        <div>
          <dt>{t('policy.form.reportingLegend')}</dt>
          <dd>
            {t('policy.summary.reporting', {
              weight: formatNumber(p().reporting.weight),
              rate: formatNumber(p().reporting.pointsPerReport),
              max: p().reporting.maxReports,
            })}
          </dd>
        </div>
      </dl>
      <GradeTable
        caption={t('policy.summary.gradesCaption')}
        heads={
          <>
            <th scope="col">{t('policy.summary.needs')}</th>
            <th scope="col" class="num">{t('policy.summary.multiplier')}</th>
            <th scope="col" class="num">{t('policy.summary.discount')}</th>
          </>
        }
        cells={(grade) => (
          <>
            <td>{needs(grade)}</td>
            <td class="num">×{p().benefits[grade].earningMultiplier}</td>
            <td class="num">{t('policy.summary.percent', { percent: percent(p().benefits[grade].priceDiscount) })}</td>
          </>
        )}
      />
    </div>
  );
}

/** "0.05" → "5", "0.125" → "12.5": a fraction as a percentage, by moving the decimal point. */
export function percent(fraction: string): string {
  const [whole = '0', decimals = ''] = fraction.split('.');
  const digits = (whole + decimals.padEnd(2, '0')).replace(/^0+(?=\d)/, '');
  const cut = digits.length - Math.max(0, decimals.length - 2);
  const shifted = `${digits.slice(0, cut)}.${digits.slice(cut)}`.replace(/\.?0*$/, '');
  return shifted === '' ? '0' : shifted;
}
