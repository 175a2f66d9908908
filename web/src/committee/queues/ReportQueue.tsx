import { createAsync } from '@solidjs/router';
import { For, Show, createSignal } from 'solid-js';
import { t } from '../messages';
import { getReports, type Report, type ReportDetail, type ReportFilter } from './api';
import { createPagedQueue } from './paged-queue';
import { QueueFoot } from './QueueFoot';
import { useQueueKeys } from './queue-keys';
import { ReportCard, reportCardId } from './ReportCard';
import { createReportSteps } from './report-steps';
import { stepKey, type ReportStep } from './report-workflow';
import { createQueueSelection } from './selection';

const emptyId = 'reports-empty';

/** The grid reports of the filter, each taken through its workflow. */
export function ReportQueue(props: { filter: ReportFilter }) {
  const first = createAsync(() => getReports(props.filter));
  const queue = createPagedQueue<Report>({
    first,
    more: (cursor) => getReports(props.filter, cursor),
    resetOn: () => JSON.stringify(props.filter),
  });
  let region: HTMLOListElement | undefined;
  const selection = createQueueSelection({ items: queue.items, elementId: reportCardId, emptyId, region: () => region });
  const [announcement, setAnnouncement] = createSignal('');

  const steps = createReportSteps({
    announce: setAnnouncement,
    settle: (report: ReportDetail) => {
      const { status, category } = props.filter;
      const shown = (status === 'all' || status === report.status) && (category === '' || category === report.category);
      if (shown) queue.replace(report);
      else selection.leave(report.id, () => queue.remove(report.id));
    },
  });

  const take = (step: ReportStep) => () => {
    const report = selection.selected();
    if (!report) return;
    selection.select(report.id, false);
    steps.begin(report, step);
  };

  useQueueKeys({
    region: () => region,
    next: () => {
      if (selection.move(1)) return true;
      if (!queue.hasMore()) return false;
      void queue.loadMore();
    },
    previous: () => selection.move(-1),
    actions: Object.fromEntries((Object.keys(stepKey) as ReportStep[]).map((step) => [stepKey[step], take(step)])),
  });

  return (
    <>
      <p class="queue-announce" role="status">
        {announcement()}
      </p>
      <Show
        when={queue.items().length > 0}
        fallback={
          <p id={emptyId} class="empty" tabindex="-1">
            {props.filter.status === 'submitted' ? t('grid.emptyQueue') : t('state.empty')}
          </p>
        }
      >
        <ol class="queue" ref={region} aria-label={t('grid.listLabel')}>
          <For each={queue.items()}>
            {(report) => (
              <ReportCard
                report={report}
                selected={selection.selectedId() === report.id}
                steps={steps}
                onSelect={() => selection.select(report.id, false)}
                onCancelStep={() => {
                  steps.work.closeForm();
                  selection.focusSelected();
                }}
              />
            )}
          </For>
        </ol>
      </Show>
      <QueueFoot queue={queue} count={queue.items().length} />
    </>
  );
}
