import { A, createAsync, useSearchParams } from '@solidjs/router';
import { For, Show } from 'solid-js';
import { usePageTitle } from '../lib/page-title';
import { type Appeal, getMyAppeals } from './api';
import { appealStatus, subjectLabels, toneClass } from './labels';
import { Loaded } from '../components/Loaded';
import { ShowMore } from '../components/ShowMore';
import { t } from './messages';
import { createPager } from '../lib/pager';
import { StatusTimeline } from './StatusTimeline';
import { appealSteps } from './timelines';
import './earn.css';

/** Where to see the thing appealed, when the driver has a page for it. */
function subjectHref(appeal: Appeal): string {
  if (appeal.subjectType === 'grid_report') return `/earn/reports/${appeal.subjectId}`;
  if (appeal.subjectType === 'volunteer_claim') return '/earn/volunteering';
  return '/earn';
}

/** The driver's appeals, newest first: what about, why, and the committee's decision. */
export default function Appeals() {
  usePageTitle('earn.appeals.title');
  const [params] = useSearchParams();
  const first = createAsync(() => getMyAppeals());
  const pager = createPager(first, (page) => page.items, (cursor) => getMyAppeals(cursor));

  return (
    <section>
      <h1>{t('earn.appeals.title')}</h1>
      <Show when={params.sent}>
        <p class="notice" role="status">
          {t('earn.appeals.sent')}
        </p>
      </Show>
      <p class="lede">{t('earn.appeals.intro')}</p>
      <Loaded keys={getMyAppeals.key}>
        <Show when={pager.items().length > 0} fallback={<p class="empty">{t('earn.appeals.empty')}</p>}>
          <ul class="cards earn-list">
            <For each={pager.items()}>{(appeal) => <AppealCard appeal={appeal} />}</For>
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

function AppealCard(props: { appeal: Appeal }) {
  const status = () => appealStatus[props.appeal.status];
  const subject = () => t(subjectLabels[props.appeal.subjectType]);
  return (
    <li class="card">
      <div class="card__head">
        <h2 class="card__title">{t('earn.appeals.cardTitle', { subject: subject() })}</h2>
        <span class={toneClass[status().tone]}>{t(status().label)}</span>
      </div>
      <p>
        <A href={subjectHref(props.appeal)}>{props.appeal.subject.summary || subject()}</A>
      </p>
      <p class="earn-note">{t('earn.appeals.yourReason', { reason: props.appeal.reason })}</p>
      <StatusTimeline label={t('earn.appeals.progress', { subject: subject() })} steps={appealSteps(props.appeal)} />
    </li>
  );
}
