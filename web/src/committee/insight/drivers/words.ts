import { type EntryKind, entryWordsWith } from '../../../lib/statement-entry';
import type { Activities, Rating } from '../api';
import { t } from '../messages';

type Step = NonNullable<Rating['next']>['steps'][number];
type SafetyEvent = Activities['safetyEvents'][number];

/** What a statement line is, in words, from its ledger code (the reason says the particulars). */
export const entryWords = entryWordsWith((kind) => t(entryKeys[kind]));

const entryKeys = {
  'earn.volunteering': 'insight.source.volunteering',
  'earn.grid_report': 'insight.source.grid_report',
  'earn.safety_streak': 'insight.source.safety_streak',
  'earn.safety_challenge': 'insight.source.safety_challenge',
  'earn.award': 'insight.source.award',
  earn: 'insight.entry.earn',
  adjust: 'insight.entry.adjust',
  reversal: 'insight.entry.reversal',
  expire: 'insight.entry.expire',
  hold: 'insight.entry.hold',
  holdUsed: 'insight.entry.holdUsed',
  spent: 'insight.entry.spent',
  released: 'insight.entry.released',
  holdExpired: 'insight.entry.holdExpired',
} as const satisfies Record<EntryKind, string>;

export function safetyWords(event: SafetyEvent): string {
  if (event.kind === 'inspection_passed') return t('insight.safety.inspection_passed');
  if (event.kind === 'violation') return t(event.severity === 'major' ? 'insight.safety.violation.major' : 'insight.safety.violation.minor');
  return t(event.severity === 'serious' ? 'insight.safety.accident.serious' : 'insight.safety.accident.at_fault_minor');
}

/** One thing the next grade needs, from the API's structured step (its own sentence is English only). */
export function stepWords(step: Step, formatDay: (day: string) => string): string {
  let what: string;
  if (step.kind === 'score') {
    if (step.moreHours === undefined && step.moreReports === undefined) return t('driver.next.outOfReach');
    what = (step.moreHours ?? 0) + (step.moreReports ?? 0) > 0
      ? t('driver.next.activity', { hours: step.moreHours ?? 0, reports: step.moreReports ?? 0 })
      : t('driver.next.gate.score');
  } else {
    what = t(`driver.next.gate.${step.kind}`);
  }
  return step.on ? t('driver.next.waitUntil', { what, date: formatDay(step.on) }) : what;
}
