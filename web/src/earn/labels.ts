import type { MessageKey } from '../i18n';
import type { Appeal, ClaimStatus, GridCategory, ReportStatus, SafetyEvent, SubjectType } from './api';

/** How a status badge looks: ordinary, bad news, or finished and quiet. */
export type Tone = 'ok' | 'bad' | 'muted';

export const toneClass: Record<Tone, string> = {
  ok: 'status',
  bad: 'status status--bad',
  muted: 'status status--muted',
};

// Records over the server's enums: a new category or status on the server fails the type-check
// here until it has words.

/** Every category the server takes, in the order the form offers them. */
export const categoryLabels: Record<GridCategory, MessageKey> = {
  pothole: 'earn.category.pothole',
  broken_manhole_cover: 'earn.category.broken_manhole_cover',
  road_collapse: 'earn.category.road_collapse',
  obstacle: 'earn.category.obstacle',
  sanitation: 'earn.category.sanitation',
  signal_fault: 'earn.category.signal_fault',
  other: 'earn.category.other',
};

export const gridCategories = Object.keys(categoryLabels) as GridCategory[];

export const claimStatus: Record<ClaimStatus, { label: MessageKey; tone: Tone }> = {
  submitted: { label: 'earn.claimStatus.submitted', tone: 'ok' },
  approved: { label: 'earn.claimStatus.approved', tone: 'ok' },
  rejected: { label: 'earn.claimStatus.rejected', tone: 'bad' },
};

export const reportStatus: Record<ReportStatus, { label: MessageKey; tone: Tone }> = {
  submitted: { label: 'earn.reportStatus.submitted', tone: 'ok' },
  verified: { label: 'earn.reportStatus.verified', tone: 'ok' },
  forwarded: { label: 'earn.reportStatus.forwarded', tone: 'ok' },
  resolved: { label: 'earn.reportStatus.resolved', tone: 'ok' },
  closed: { label: 'earn.reportStatus.closed', tone: 'muted' },
  rejected: { label: 'earn.reportStatus.rejected', tone: 'bad' },
  duplicate: { label: 'earn.reportStatus.duplicate', tone: 'bad' },
};

export const appealStatus: Record<Appeal['status'], { label: MessageKey; tone: Tone }> = {
  open: { label: 'earn.appealStatus.open', tone: 'ok' },
  upheld: { label: 'earn.appealStatus.upheld', tone: 'ok' },
  dismissed: { label: 'earn.appealStatus.dismissed', tone: 'bad' },
};

export const subjectLabels: Record<SubjectType, MessageKey> = {
  volunteer_claim: 'earn.subject.volunteer_claim',
  grid_report: 'earn.subject.grid_report',
  safety_event: 'earn.subject.safety_event',
};

export const safetyKindLabels: Record<SafetyEvent['kind'], MessageKey> = {
  violation: 'earn.safetyKind.violation',
  accident: 'earn.safetyKind.accident',
  inspection_passed: 'earn.safetyKind.inspection_passed',
};

export const severityLabels: Record<NonNullable<SafetyEvent['severity']>, MessageKey> = {
  minor: 'earn.severity.minor',
  major: 'earn.severity.major',
  at_fault_minor: 'earn.severity.at_fault_minor',
  serious: 'earn.severity.serious',
};

const roleLabels: Record<string, MessageKey> = {
  driver: 'role.driver',
  partner_staff: 'role.partner_staff',
  committee: 'role.committee',
  integration: 'role.integration',
};

/** A role from the API in words; an unknown one as it came. */
export function roleLabel(role: string): MessageKey | null {
  return roleLabels[role] ?? null;
}

/** A subject type as it goes in `/earn/appeals/new?kind=…`, or null if it is not one. */
export function subjectTypeOf(value: unknown): SubjectType | null {
  return typeof value === 'string' && Object.hasOwn(subjectLabels, value) ? (value as SubjectType) : null;
}
