import type { Activities, Rating, StatementLine } from '../api';
import { t } from '../messages';

type Step = NonNullable<Rating['next']>['steps'][number];
type SafetyEvent = Activities['safetyEvents'][number];

const earnSources = ['volunteering', 'grid_report', 'safety_streak', 'safety_challenge', 'award'] as const;
type EarnSource = (typeof earnSources)[number];
const isEarnSource = (value: string): value is EarnSource => (earnSources as readonly string[]).includes(value);

/** What a statement line is, in words, from its ledger code (the reason says the particulars). */
export function entryWords(line: StatementLine): string {
  if (line.code.startsWith('earn.')) {
    const source = line.code.slice('earn.'.length);
    return isEarnSource(source) ? t(`insight.source.${source}`) : t('insight.entry.earn');
  }
  switch (line.code) {
    case 'award':
      return t('insight.source.award');
    case 'adjust':
      return t('insight.entry.adjust');
    case 'reversal':
      return t('insight.entry.reversal');
    case 'expire':
      return t('insight.entry.expire');
    case 'redeem':
      if (line.type === 'pending') return t('insight.entry.hold');
      return line.pending ? t('insight.entry.holdUsed') : t('insight.entry.spent');
    case 'void':
      return t('insight.entry.released');
    case 'hold_expired':
      return t('insight.entry.holdExpired');
    default:
      return line.code;
  }
}

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
