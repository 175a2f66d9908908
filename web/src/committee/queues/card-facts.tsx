import { A } from '@solidjs/router';
import { type JSX } from 'solid-js';
import { formatDate, formatDateTime, formatNumber, formatPoints } from '../../i18n';
import { t } from '../messages';
import type { Claim, Report } from './api';
import { shortId } from './report-workflow';

/** One term and its value in a card's facts list. */
export function Fact(props: { term: string; class?: string; children: JSX.Element }) {
  return (
    <div>
      <dt>{props.term}</dt>
      <dd class={props.class}>{props.children}</dd>
    </div>
  );
}

/** What was paid for the item. */
export function PaidFact(props: { term: string; points: string }) {
  return (
    <Fact term={props.term} class="points">
      {t('unit.points', { amount: formatPoints(props.points) })}
    </Fact>
  );
}

/** The evidence photo, opening full size in a new tab. */
export function EvidencePhoto(props: { src: string; alt: string }) {
  return (
    <a class="queue-card__photo" href={props.src} target="_blank" rel="noopener">
      <img src={props.src} alt={props.alt} loading="lazy" />
    </a>
  );
}

export const reportPhotoAlt = (report: Report) =>
  t('grid.photoAlt', { category: t(`grid.category.${report.category}`) });

/** What a volunteering claim was for: the event, its date, the hours and who organised it. */
export function ClaimEventFacts(props: { claim: Claim }) {
  return (
    <>
      <Fact term={t('claims.event')}>{props.claim.event}</Fact>
      <Fact term={t('claims.date')}>{formatDate(props.claim.date)}</Fact>
      <Fact term={t('claims.hours')}>{t('claims.hoursValue', { hours: formatNumber(props.claim.hours) })}</Fact>
      <Fact term={t('claims.organiser')}>{props.claim.organiser ?? t('claims.noOrganiser')}</Fact>
    </>
  );
}

/** A grid report's link to its own page. */
export function ReportLinkFact(props: { report: Report }) {
  return (
    <Fact term={t('grid.report')}>
      <A href={`/console/reports/${props.report.id}`}>{t('grid.reportId', { id: shortId(props.report.id) })}</A>
    </Fact>
  );
}

export function FiledAtFact(props: { report: Report }) {
  return <Fact term={t('grid.filedAt')}>{formatDateTime(props.report.createdAt)}</Fact>;
}

export function NoteFact(props: { report: Report }) {
  return <Fact term={t('grid.note')}>{props.report.note || t('grid.noNote')}</Fact>;
}
