import { A, createAsync, useParams, useSearchParams } from '@solidjs/router';
import { Show } from 'solid-js';
import { formatDateTime, formatNumber, formatPoints } from '../i18n';
import { usePageTitle } from '../lib/page-title';
import { type GridReportDetail, getMyAppeals, getReport } from './api';
import { AppealAction } from './AppealAction';
import { latestAppeals } from './appeal-links';
import { categoryLabels, reportStatus, toneClass } from './labels';
import { Loaded } from '../components/Loaded';
import { t } from './messages';
import { StatusTimeline } from './StatusTimeline';
import { reportSteps } from './timelines';
import './earn.css';

/** One report: its photo, where it is, what the committee did with it and when. */
export default function ReportDetailPage() {
  usePageTitle('earn.reportDetail.title');
  const params = useParams<{ id: string }>();
  const [search] = useSearchParams();
  const report = createAsync(() => getReport(params.id));

  return (
    <section>
      <h1>{t('earn.reportDetail.title')}</h1>
      <Show when={search.sent}>
        <p class="notice" role="status">
          {t('earn.reportDetail.sent')}
        </p>
      </Show>
      <Loaded keys={getReport.key}>
        <Show when={report()}>{(r) => <ReportBody report={r()} />}</Show>
      </Loaded>
      <p class="aside">
        <A href="/earn/reports">{t('earn.reports.title')}</A>
      </p>
    </section>
  );
}

function ReportBody(props: { report: GridReportDetail }) {
  const status = () => reportStatus[props.report.status];
  const category = () => t(categoryLabels[props.report.category]);
  const appealable = () => props.report.status === 'rejected' || props.report.status === 'duplicate';
  const appeals = createAsync(() => (appealable() ? getMyAppeals().catch(() => undefined) : Promise.resolve(undefined)));
  const appeal = () => latestAppeals(appeals()?.items).get(`grid_report:${props.report.id}`);
  const coordinates = () => `${props.report.lat.toFixed(6)}, ${props.report.lng.toFixed(6)}`;
  const mapHref = () =>
    `https://www.openstreetmap.org/?mlat=${props.report.lat}&mlon=${props.report.lng}#map=18/${props.report.lat}/${props.report.lng}`;

  return (
    <>
      <div class="panel">
        <div class="card__head">
          <h2 class="card__title">{category()}</h2>
          <span class={toneClass[status().tone]}>{t(status().label)}</span>
        </div>
        <img class="earn-report__photo" src={props.report.photoUrl} alt={t('earn.reportDetail.photoAlt', { category: category() })} />
        <dl class="facts">
          <div>
            <dt>{t('earn.reportDetail.filed')}</dt>
            <dd>{formatDateTime(props.report.createdAt)}</dd>
          </div>
          <div>
            <dt>{t('earn.reportDetail.location')}</dt>
            <dd>
              {coordinates()}{' '}
              <a href={mapHref()} rel="noopener noreferrer" target="_blank">
                {t('earn.reportDetail.openMap')}
              </a>
            </dd>
          </div>
          <Show when={props.report.note}>
            {(note) => (
              <div>
                <dt>{t('earn.report.note')}</dt>
                <dd>{note()}</dd>
              </div>
            )}
          </Show>
          <Show when={props.report.department}>
            {(department) => (
              <div>
                <dt>{t('earn.reportDetail.department')}</dt>
                <dd>{department()}</dd>
              </div>
            )}
          </Show>
          <Show when={props.report.payment}>
            {(payment) => (
              <div>
                <dt>{t('earn.reportDetail.paid')}</dt>
                <dd class="points">{t('unit.points', { amount: formatPoints(payment().points) })}</dd>
              </div>
            )}
          </Show>
        </dl>
        <Show when={props.report.status === 'duplicate' && props.report.duplicateHint}>
          {(hint) => (
            <p class="earn-note">
              {t('earn.reportDetail.duplicateOf', {
                meters: formatNumber(Math.round(hint().distanceMeters)),
                date: formatDateTime(hint().createdAt),
              })}
            </p>
          )}
        </Show>
      </div>
      <section class="panel">
        <h2>{t('earn.reportDetail.progress')}</h2>
        <StatusTimeline label={t('earn.reportDetail.progress')} steps={reportSteps(props.report)} />
        <Show when={appealable()}>
          <AppealAction kind="grid_report" id={props.report.id} name={category()} appeal={appeal()} />
        </Show>
      </section>
    </>
  );
}
