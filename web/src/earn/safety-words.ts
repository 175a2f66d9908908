import { formatDate } from '../i18n';
import type { SafetyEvent } from './api';
import { safetyKindLabels, severityLabels } from './labels';
import { t } from './messages';

/** "Violation (minor), 3 May 2026". */
export function safetyEventTitle(event: SafetyEvent): string {
  const kind = t(safetyKindLabels[event.kind]);
  const what = event.severity ? t('earn.safety.kindWithSeverity', { kind, severity: t(severityLabels[event.severity]) }) : kind;
  return t('earn.safety.eventOn', { what, date: formatDate(event.occurredAt) });
}

/** Violations and accidents that still count may be appealed; a passed inspection never needs it. */
export function canAppealSafetyEvent(event: SafetyEvent): boolean {
  return event.kind !== 'inspection_passed' && event.voidedAt === null;
}
