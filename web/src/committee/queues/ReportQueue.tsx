import { t } from '../messages';
import { getReports, type Report, type ReportFilter } from './api';
import { ReportCard, reportCardId } from './ReportCard';
import { createReportSteps } from './report-steps';
import { stepKey, type ReportStep } from './report-workflow';
import { WorkQueue, createWorkQueue } from './WorkQueue';

/** The grid reports of the filter, each taken through its workflow. */
export function ReportQueue(props: { filter: ReportFilter }) {
  const state = createWorkQueue({
    filter: () => props.filter,
    load: getReports,
    shows: (report: Report) => {
      const { status, category } = props.filter;
      return (status === 'all' || status === report.status) && (category === '' || category === report.category);
    },
    cardId: reportCardId,
    emptyId: 'reports-empty',
  });
  const steps = createReportSteps({ announce: state.announce, settle: state.settle });

  const take = (step: ReportStep) => (report: Report) => {
    state.selection.select(report.id, false);
    steps.begin(report, step);
  };

  return (
    <WorkQueue
      state={state}
      label={t('grid.listLabel')}
      emptyText={props.filter.status === 'submitted' ? t('grid.emptyQueue') : t('state.empty')}
      keys={Object.fromEntries((Object.keys(stepKey) as ReportStep[]).map((step) => [stepKey[step], take(step)]))}
    >
      {(report) => (
        <ReportCard
          report={report}
          selected={state.selection.selectedId() === report.id}
          steps={steps}
          onSelect={() => state.selection.select(report.id, false)}
          onCancelStep={() => {
            steps.work.closeForm();
            state.selection.focusSelected();
          }}
        />
      )}
    </WorkQueue>
  );
}
