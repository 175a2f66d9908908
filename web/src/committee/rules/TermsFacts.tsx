import { For, Show } from 'solid-js';
import { formatNumber, formatPoints } from '../../i18n';
import { t } from '../messages';
import { gridCategories } from '../queues/filters';
import { grades } from '../rating/api';
import type { RuleActivity, RuleTerms } from './api';
import { capPeriods } from './rule-terms';

/** Points per unit in words: "10 pts per hour". */
export function paysWords(terms: RuleTerms): string {
  return t('rules.terms.pays', {
    points: t('unit.points', { amount: formatPoints(terms.points) }),
    unit: t(`rules.unit.${terms.unit}`),
  });
}

export function capsWords(terms: RuleTerms): string {
  const caps = capPeriods.flatMap((period) => {
    const cap = terms.caps?.[period];
    return cap ? [t(`rules.terms.cap.${period}`, { amount: formatNumber(cap), units: t(`rules.units.${terms.unit}`) })] : [];
  });
  return caps.length > 0 ? caps.join(t('rules.terms.separator')) : t('rules.terms.noCap');
}

export function multipliersWords(terms: RuleTerms): string {
  const own = grades.flatMap((grade) => {
    const multiplier = terms.multipliers?.[grade];
    return multiplier ? [`${grade} ×${multiplier}`] : [];
  });
  return own.length > 0 ? own.join(t('rules.terms.separator')) : t('rules.terms.policyMultipliers');
}

/** A version's terms, in words, as facts. */
export function TermsFacts(props: { activity: RuleActivity; terms: RuleTerms }) {
  const byCategory = () =>
    gridCategories.flatMap((category) => {
      const points = props.terms.pointsByCategory?.[category];
      return points ? [{ category, points }] : [];
    });
  return (
    <>
      <div>
        <dt>{t('rules.terms.points')}</dt>
        <dd>{paysWords(props.terms)}</dd>
      </div>
      <Show when={byCategory().length > 0}>
        <div>
          <dt>{t('rules.terms.byCategory')}</dt>
          <dd>
            <For each={byCategory()}>
              {(line, index) => (
                <>
                  {index() > 0 ? t('rules.terms.separator') : ''}
                  {t(`grid.category.${line.category}`)}: {t('unit.points', { amount: formatPoints(line.points) })}
                </>
              )}
            </For>
          </dd>
        </div>
      </Show>
      <Show when={props.terms.categories}>
        {(categories) => (
          <div>
            <dt>{t('rules.terms.onlyCategories')}</dt>
            <dd>{categories().map((category) => t(`grid.category.${category}`)).join(t('rules.terms.separator'))}</dd>
          </div>
        )}
      </Show>
      <Show when={props.terms.minHours}>
        {(hours) => (
          <div>
            <dt>{t('rules.terms.minHours')}</dt>
            <dd>{t('claims.hoursValue', { hours: formatNumber(hours()) })}</dd>
          </div>
        )}
      </Show>
      <Show when={props.terms.everyDays}>
        {(days) => (
          <div>
            <dt>{t('rules.terms.milestone')}</dt>
            <dd>
              {props.activity === 'safety_challenge'
                ? t('rules.terms.challengeDays', { days: days() })
                : t('rules.terms.streakDays', { days: days() })}
            </dd>
          </div>
        )}
      </Show>
      <div>
        <dt>{t('rules.terms.caps')}</dt>
        <dd>{capsWords(props.terms)}</dd>
      </div>
      <div>
        <dt>{t('rules.terms.multipliers')}</dt>
        <dd>{multipliersWords(props.terms)}</dd>
      </div>
    </>
  );
}
