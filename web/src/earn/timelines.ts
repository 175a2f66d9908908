import { formatPoints } from '../i18n';
import type { Appeal, Claim, GridReportDetail, GridReportEvent, ReportStatus } from './api';
import { appealStatus, claimStatus, reportStatus, roleLabel } from './labels';
import { t } from './messages';
import type { TimelineStep } from './StatusTimeline';

/** The way a report normally goes; rejected and duplicate end it early. */
const reportPath: ReportStatus[] = ['submitted', 'verified', 'forwarded', 'resolved', 'closed'];

/** What the history records, then the steps still to come on the normal path. */
export function reportSteps(report: GridReportDetail): TimelineStep[] {
  const steps: TimelineStep[] = report.history.map((event) => ({
    label: t(reportStatus[event.to].label),
    state: event.to === 'rejected' || event.to === 'duplicate' ? 'bad' : 'done',
    at: event.at,
    details: eventDetails(event, report.driverId),
  }));
  if (steps.length === 0) steps.push({ label: t(reportStatus.submitted.label), state: 'done', at: report.createdAt });
  const reached = reportPath.indexOf(report.status);
  if (reached >= 0) {
    for (const status of reportPath.slice(reached + 1)) steps.push({ label: t(reportStatus[status].label), state: 'next' });
  }
  return steps;
}

function eventDetails(event: GridReportEvent, driverId: string): string[] {
  const lines: string[] = [];
  if (event.actor) {
    const role = roleLabel(event.actor.role);
    lines.push(
      event.actor.id === driverId
        ? t('earn.timeline.byYou')
        : t('earn.timeline.by', { who: role ? t(role) : event.actor.role }),
    );
  }
  if (event.department) lines.push(t('earn.timeline.department', { department: event.department }));
  if (event.note) lines.push(event.note);
  return lines;
}

export function claimSteps(claim: Claim): TimelineStep[] {
  const steps: TimelineStep[] = [{ label: t(claimStatus.submitted.label), state: 'done', at: claim.createdAt }];
  if (claim.status === 'submitted') {
    steps.push({ label: t('earn.timeline.committeeDecision'), state: 'next' });
  } else if (claim.status === 'approved') {
    const paid = claim.payment ? [t('earn.claims.paid', { points: formatPoints(claim.payment.points) })] : [];
    steps.push({ label: t(claimStatus.approved.label), state: 'done', at: claim.decidedAt, details: paid });
  } else {
    const reason = claim.reason ? [t('earn.claims.reason', { reason: claim.reason })] : [];
    steps.push({ label: t(claimStatus.rejected.label), state: 'bad', at: claim.decidedAt, details: reason });
  }
  return steps;
}

export function appealSteps(appeal: Appeal): TimelineStep[] {
  const steps: TimelineStep[] = [{ label: t('earn.appeals.filed'), state: 'done', at: appeal.createdAt }];
  if (appeal.status === 'open') {
    steps.push({ label: t('earn.timeline.committeeDecision'), state: 'next' });
    return steps;
  }
  const details: string[] = [];
  if (appeal.decisionNote) details.push(appeal.decisionNote);
  if (appeal.status === 'upheld' && appeal.payment) {
    details.push(t('earn.appeals.paid', { points: formatPoints(appeal.payment.points) }));
  }
  steps.push({
    label: t(appealStatus[appeal.status].label),
    state: appeal.status === 'upheld' ? 'done' : 'bad',
    at: appeal.decidedAt,
    details,
  });
  return steps;
}
