import { formatDate } from '../i18n';
import type { NextGrade } from './api';
import { formatScore } from './format';
import { t } from './messages';

type Step = NextGrade['steps'][number];

export interface NextGradeWords {
  headline: string;
  steps: string[];
}

/**
 * What the next grade needs, in the person's language, built from the API's structured steps
 * (counts, dates, scores); the API's own sentences are English only.
 */
export function nextGradeWords(next: NextGrade, score: string): NextGradeWords {
  if (next.steps.length === 0) return { headline: t('shop.next.met', { grade: next.grade }), steps: [] };
  return {
    headline: t('shop.next.headline', { grade: next.grade }),
    steps: next.steps.map((step) => stepWords(step, next.minScore, score)),
  };
}

function activityWords(step: Step): string {
  const parts: string[] = [];
  const reports = step.moreReports ?? 0;
  const hours = step.moreHours ?? 0;
  if (reports > 0) parts.push(t(reports === 1 ? 'shop.next.report' : 'shop.next.reports', { count: reports }));
  if (hours > 0) parts.push(t(hours === 1 ? 'shop.next.hour' : 'shop.next.hours', { count: hours }));
  return parts.join(t('shop.next.and'));
}

function stepWords(step: Step, minScore: string, score: string): string {
  const need = formatScore(minScore);
  const have = formatScore(score);
  const on = step.on ? formatDate(step.on) : undefined;
  switch (step.kind) {
    case 'score': {
      if (step.moreHours === undefined && step.moreReports === undefined) return t('shop.next.outOfReach', { need });
      const activity = activityWords(step);
      if (on) {
        return activity
          ? t('shop.next.activityThenWait', { activity, date: on, need, have })
          : t('shop.next.wait', { date: on, need, have });
      }
      return t('shop.next.activity', { activity, need, have });
    }
    case 'minStreakDays':
      return on ? t('shop.next.streak', { date: on }) : t('shop.next.streakNoDate');
    default:
      return on ? t(`shop.next.gate.${step.kind}`, { date: on }) : t(`shop.next.gateNoDate.${step.kind}`);
  }
}
