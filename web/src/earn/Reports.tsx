import { A, createAsync } from '@solidjs/router';
import { For, Show } from 'solid-js';
import { formatDate, formatDateTime } from '../i18n';
import { usePageTitle } from '../lib/page-title';
import { type GridReport, getMyReports } from './api';
import { categoryLabels, reportStatus, toneClass } from './labels';
import { Loaded } from '../components/Loaded';
import { ShowMore } from '../components/ShowMore';
import { t } from './messages';
import { createPager } from '../lib/pager';
import './earn.css';

/** The driver's road reports, newest first, with where each stands. */
export default function Reports() {
  usePageTitle('earn.reports.title');
  const first = createAsync(() => getMyReports());
  const pager = createPager(first, (page) => page.items, (cursor) => getMyReports(cursor));

  return (
    <section>
      <h1>{t('earn.reports.title')}</h1>
      <p class="actions">
        <A href="/earn/reports/new" class="button button--primary">
          {t('earn.hub.reportProblem')}
        </A>
      </p>
      <Loaded keys={getMyReports.key}>
        <Show when={pager.items().length > 0} fallback={<p class="empty">{t('earn.reports.empty')}</p>}>
          <ul class="cards earn-list">
            <For each={pager.items()}>{(report) => <ReportCard report={report} />}</For>
          </ul>
          <ShowMore pager={pager} />
        </Show>
      </Loaded>
      <p class="aside">
        <A href="/earn">{t('earn.backToEarn')}</A>
      </p>
    </section>
  );
}

function ReportCard(props: { report: GridReport }) {
  const status = () => reportStatus[props.report.status];
  return (
    <li class="card">
      <div class="card__head">
        <h2 class="card__title">
          <A href={`/earn/reports/${props.report.id}`}>
            {t('earn.reports.cardTitle', {
              category: t(categoryLabels[props.report.category]),
              date: formatDate(props.report.createdAt),
            })}
          </A>
        </h2>
        <span class={toneClass[status().tone]}>{t(status().label)}</span>
      </div>
      <Show when={props.report.note}>{(note) => <p class="earn-note">{note()}</p>}</Show>
      <p>{t('earn.reports.updated', { at: formatDateTime(props.report.updatedAt) })}</p>
    </li>
  );
}
