import { A, createAsync, useParams } from '@solidjs/router';
import { Show, createSignal } from 'solid-js';
import { usePageTitle } from '../../lib/page-title';
import { Loaded } from '../../components/Loaded';
import { t } from '../messages';
import { getReport, type ReportDetail } from './api';
import { useQueueKeys } from './queue-keys';
import { ReportCard, reportCardId } from './ReportCard';
import { createReportSteps } from './report-steps';
import { shortId, stepKey, type ReportStep } from './report-workflow';
import '../committee.css';

/** /console/reports/:id: one grid report with its whole history, and its next steps. */
export default function ReportPage() {
  usePageTitle('grid.detailTitle');
  const params = useParams<{ id: string }>();
  return (
    <section class="queue-page">
      <p>
        <A href="/console/reports">{t('grid.backToQueue')}</A>
      </p>
      <h1>{t('grid.detailHeading', { id: shortId(params.id) })}</h1>
      <Loaded keys={getReport.keyFor(params.id)}>
        <OneReport id={params.id} />
      </Loaded>
    </section>
  );
}

function OneReport(props: { id: string }) {
  const loaded = createAsync(() => getReport(props.id));
  const [latest, setLatest] = createSignal<ReportDetail>();
  const report = () => (latest()?.id === props.id ? latest() : loaded());
  const [announcement, setAnnouncement] = createSignal('');
  let region: HTMLUListElement | undefined;
  const steps = createReportSteps({
    announce: setAnnouncement,
    settle: (detail) => {
      setLatest(detail);
      document.getElementById(reportCardId(detail.id))?.focus();
    },
  });

  useQueueKeys({
    region: () => region,
    actions: Object.fromEntries(
      (Object.keys(stepKey) as ReportStep[]).map((step) => [
        stepKey[step],
        () => {
          const current = report();
          if (current) steps.begin(current, step);
        },
      ]),
    ),
  });

  return (
    <Show when={report()}>
      {(report) => (
        <>
          <p class="queue-announce" role="status">
            {announcement()}
          </p>
          <ul class="queue" ref={region}>
            <ReportCard
              report={report()}
              detail={report()}
              selected
              steps={steps}
              onSelect={() => undefined}
              onCancelStep={() => {
                steps.work.closeForm();
                document.getElementById(reportCardId(report().id))?.focus();
              }}
            />
          </ul>
        </>
      )}
    </Show>
  );
}
