import { revalidate } from '@solidjs/router';
import { errorWords } from '../../api/error-words';
import { formatPoints } from '../../i18n';
import { t } from '../messages';
import { getReport, transitionReport, type Report, type ReportDetail } from './api';
import { fetchFresh } from './fresh';
import { createItemWork, isConflict } from './item-work';
import { shortId, stepInput, stepsFor, transitionFor, type ReportStep } from './report-workflow';

/**
 * Taking reports through their workflow, for the queue and for a single report's page: steps
 * that need a word (department, reason, which report it repeats) open a form first; the others go
 * at once. `settle` gets the report as it stands after the step.
 */
export function createReportSteps(options: { settle: (report: ReportDetail) => void; announce: (text: string) => void }) {
  const work = createItemWork<ReportStep>();

  async function take(report: Report, step: ReportStep, value?: string) {
    const detail = await transitionReport(report.id, transitionFor(step, value));
    void revalidate(getReport.keyFor(report.id));
    options.announce(doneWords(detail));
    work.closeForm();
    options.settle(detail);
  }

  function begin(report: Report, step: ReportStep) {
    if (!stepsFor[report.status].includes(step) || work.isBusy(report.id)) return;
    if (stepInput[step]) return work.openForm(report.id, step);
    work.start(report.id);
    take(report, step).then(
      () => work.finish(report.id),
      async (error: unknown) => {
        work.finish(report.id, isConflict(error) ? undefined : error);
        if (!isConflict(error)) return;
        options.announce(errorWords(error).message);
        const fresh = await fetchFresh<ReportDetail>(`/api/grid-reports/${report.id}`);
        if (fresh) options.settle(fresh);
      },
    );
  }

  return {
    work,
    begin,
    /** Sends a step's form; a failure is thrown back to the form, which shows it. */
    submit: (report: Report, step: ReportStep, value: string) => take(report, step, value),
  };
}

export type ReportSteps = ReturnType<typeof createReportSteps>;

function doneWords(report: ReportDetail): string {
  const id = shortId(report.id);
  if (report.status === 'verified' && report.payment) {
    return t('grid.verifiedPaid', {
      id,
      name: report.driverName,
      points: t('unit.points', { amount: formatPoints(report.payment.points) }),
    });
  }
  return t('grid.moved', { id, status: t(`grid.status.${report.status}`) });
}
