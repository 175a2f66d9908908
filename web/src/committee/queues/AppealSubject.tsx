import { createAsync } from '@solidjs/router';
import { Match, Show, Switch, createSignal } from 'solid-js';
import { Loaded } from '../../components/Loaded';
import { t } from '../messages';
import { getClaim, getReport, photoUrl, type Appeal } from './api';
import { ClaimEventFacts, EvidencePhoto, Fact, FiledAtFact, NoteFact, ReportLinkFact, reportPhotoAlt } from './card-facts';
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
            {(photoId) => <EvidencePhoto src={photoUrl(photoId())} alt={t('claims.photoAlt', { event: claim().event })} />}
          </Show>
          <dl class="facts facts--compact">
            <ClaimEventFacts claim={claim()} />
            <Fact term={t('appeals.subjectStatus')}>{t(`claims.status.${claim().status}`)}</Fact>
            <Show when={claim().reason}>{(reason) => <Fact term={t('claims.reason')}>{reason()}</Fact>}</Show>
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
          <EvidencePhoto src={report().photoUrl} alt={reportPhotoAlt(report())} />
          <dl class="facts facts--compact">
            <ReportLinkFact report={report()} />
            <Fact term={t('grid.filter.category')}>{t(`grid.category.${report().category}`)}</Fact>
            <FiledAtFact report={report()} />
            <NoteFact report={report()} />
            <Fact term={t('appeals.subjectStatus')}>{t(`grid.status.${report().status}`)}</Fact>
            <Show when={[...report().history].reverse().find((event) => event.note)?.note}>
              {(note) => <Fact term={t('grid.lastNote')}>{note()}</Fact>}
            </Show>
          </dl>
        </div>
      )}
    </Show>
  );
}
