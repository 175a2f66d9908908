import { A, createAsync } from '@solidjs/router';
import { Match, Show, Switch, createSignal } from 'solid-js';
import { formatDate, formatDateTime, formatNumber } from '../../i18n';
import { Loaded } from '../Loaded';
import { t } from '../messages';
import { getClaim, getReport, photoUrl, type Appeal } from './api';
import { shortId } from './report-workflow';

/** What the appeal is about, in full: the claim or the report as it stands, loaded when opened. */
export function AppealSubject(props: { appeal: Appeal }) {
  const [open, setOpen] = createSignal(false);
  return (
    <details class="report-history" onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>{t(`appeals.subjectDetails.${props.appeal.subjectType}`)}</summary>
      <Show when={open()}>
        <Switch>
          <Match when={props.appeal.subjectType === 'volunteer_claim'}>
            <Loaded keys={getClaim.keyFor(props.appeal.subjectId)}>
              <ClaimSubject id={props.appeal.subjectId} />
            </Loaded>
          </Match>
          <Match when={props.appeal.subjectType === 'grid_report'}>
            <Loaded keys={getReport.keyFor(props.appeal.subjectId)}>
              <ReportSubject id={props.appeal.subjectId} />
            </Loaded>
          </Match>
          <Match when={props.appeal.subjectType === 'safety_event'}>
            <p>{t('appeals.safetyEventDetail', { id: shortId(props.appeal.subjectId) })}</p>
          </Match>
        </Switch>
      </Show>
    </details>
  );
}

function ClaimSubject(props: { id: string }) {
  const claim = createAsync(() => getClaim(props.id));
  return (
    <Show when={claim()}>
      {(claim) => (
        <div class="queue-card__body">
          <Show when={claim().photoId}>
            {(photoId) => (
              <a class="queue-card__photo" href={photoUrl(photoId())} target="_blank" rel="noopener">
                <img src={photoUrl(photoId())} alt={t('claims.photoAlt', { event: claim().event })} loading="lazy" />
              </a>
            )}
          </Show>
          <dl class="facts facts--compact">
            <div>
              <dt>{t('claims.event')}</dt>
              <dd>{claim().event}</dd>
            </div>
            <div>
              <dt>{t('claims.date')}</dt>
              <dd>{formatDate(claim().date)}</dd>
            </div>
            <div>
              <dt>{t('claims.hours')}</dt>
              <dd>{t('claims.hoursValue', { hours: formatNumber(claim().hours) })}</dd>
            </div>
            <div>
              <dt>{t('claims.organiser')}</dt>
              <dd>{claim().organiser ?? t('claims.noOrganiser')}</dd>
            </div>
            <div>
              <dt>{t('appeals.subjectStatus')}</dt>
              <dd>{t(`claims.status.${claim().status}`)}</dd>
            </div>
            <Show when={claim().reason}>
              {(reason) => (
                <div>
                  <dt>{t('claims.reason')}</dt>
                  <dd>{reason()}</dd>
                </div>
              )}
            </Show>
          </dl>
        </div>
      )}
    </Show>
  );
}

function ReportSubject(props: { id: string }) {
  const report = createAsync(() => getReport(props.id));
  return (
    <Show when={report()}>
      {(report) => (
        <div class="queue-card__body">
          <a class="queue-card__photo" href={report().photoUrl} target="_blank" rel="noopener">
            <img src={report().photoUrl} alt={t('grid.photoAlt', { category: t(`grid.category.${report().category}`) })} loading="lazy" />
          </a>
          <dl class="facts facts--compact">
            <div>
              <dt>{t('grid.report')}</dt>
              <dd>
                <A href={`/console/reports/${report().id}`}>{t('grid.reportId', { id: shortId(report().id) })}</A>
              </dd>
            </div>
            <div>
              <dt>{t('grid.filter.category')}</dt>
              <dd>{t(`grid.category.${report().category}`)}</dd>
            </div>
            <div>
              <dt>{t('grid.filedAt')}</dt>
              <dd>{formatDateTime(report().createdAt)}</dd>
            </div>
            <div>
              <dt>{t('grid.note')}</dt>
              <dd>{report().note || t('grid.noNote')}</dd>
            </div>
            <div>
              <dt>{t('appeals.subjectStatus')}</dt>
              <dd>{t(`grid.status.${report().status}`)}</dd>
            </div>
            <Show when={[...report().history].reverse().find((event) => event.note)?.note}>
              {(note) => (
                <div>
                  <dt>{t('grid.lastNote')}</dt>
                  <dd>{note()}</dd>
                </div>
              )}
            </Show>
          </dl>
        </div>
      )}
    </Show>
  );
}
