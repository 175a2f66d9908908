import { formatNumber, formatPoints, type MessageKey } from '../i18n';
import type { EarningRate } from './api';
import { categoryLabels } from './labels';
import { t } from './messages';

type Terms = EarningRate['terms'];

const titles: Record<EarningRate['activity'], MessageKey> = {
  volunteering: 'earn.rates.volunteering',
  grid_report: 'earn.rates.gridReport',
  safety_streak: 'earn.rates.safetyStreak',
  safety_challenge: 'earn.rates.safetyChallenge',
};

const periods = { day: 'earn.rates.perDay', week: 'earn.rates.perWeek', month: 'earn.rates.perMonth' } as const;

function capLines(terms: Terms, unit: MessageKey): string[] {
  return (Object.keys(periods) as (keyof typeof periods)[]).flatMap((period) => {
    const cap = terms.caps?.[period];
    return cap ? [t('earn.rates.cap', { n: formatNumber(cap), unit: t(unit), period: t(periods[period]) })] : [];
  });
}

/** One reward rule in plain words: a title and a few short lines. */
export function rateWords(rate: EarningRate): { title: string; lines: string[] } {
  const terms = rate.terms;
  const points = formatPoints(terms.points);
  const days = terms.everyDays ?? 0;
  const title = t(titles[rate.activity], { days });
  switch (rate.activity) {
    case 'volunteering':
      return {
        title,
        lines: [
          t('earn.rates.volunteeringPays', { points }),
          ...(terms.minHours ? [t('earn.rates.minHours', { hours: formatNumber(terms.minHours) })] : []),
          ...capLines(terms, 'earn.rates.unitHours'),
        ],
      };
    case 'grid_report': {
      const byCategory = Object.entries(terms.pointsByCategory ?? {}).map(([category, amount]) =>
        t('earn.rates.categoryPays', {
          category: t(categoryLabels[category as keyof typeof categoryLabels]),
          points: formatPoints(amount),
        }),
      );
      const only = terms.categories?.map((c) => t(categoryLabels[c])).join(', ');
      return {
        title,
        lines: [
          t('earn.rates.gridReportPays', { points }),
          ...byCategory,
          ...(only ? [t('earn.rates.onlyCategories', { categories: only })] : []),
          ...capLines(terms, 'earn.rates.unitReports'),
        ],
      };
    }
    case 'safety_streak':
      return { title, lines: [t('earn.rates.streakPays', { points, days })] };
    case 'safety_challenge':
      return { title, lines: [t('earn.rates.challengePays', { points, days })] };
  }
}
