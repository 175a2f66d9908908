import { A, createAsync, useSearchParams } from '@solidjs/router';
import { For, Show } from 'solid-js';
import { formatDate, formatNumber } from '../i18n';
import { usePageTitle } from '../lib/page-title';
import { type Appeal, type Claim, getMyAppeals, getMyClaims } from './api';
import { AppealAction } from './AppealAction';
import { latestAppeals } from './appeal-links';
import { claimStatus, toneClass } from './labels';
import { Loaded } from '../components/Loaded';
import { ShowMore } from '../components/ShowMore';
import { t } from './messages';
import { createPager } from '../lib/pager';
import { StatusTimeline } from './StatusTimeline';
import { claimSteps } from './timelines';
import './earn.css';

/** The driver's volunteering claims, newest first, each with where it stands. */
export default function Claims() {
  usePageTitle('earn.claims.title');
  const [params] = useSearchParams();
  const first = createAsync(() => getMyClaims());
  // Only to say "appeal under review" on a rejected claim; without it the Appeal link still
  // works and the appeal form says if one is open.
  const appeals = createAsync(() => getMyAppeals().catch(() => undefined));
  const appealOf = (claim: Claim) => latestAppeals(appeals()?.items).get(`volunteer_claim:${claim.id}`);
  const pager = createPager(first, (page) => page.items, (cursor) => getMyClaims(cursor));

  return (
    <section>
      <h1>{t('earn.claims.title')}</h1>
      <Show when={params.sent}>
        <p class="notice" role="status">
          {t('earn.claims.sent')}
        </p>
      </Show>
      <p class="actions">
        <A href="/earn/volunteering/new" class="button button--primary">
          {t('earn.hub.claimHours')}
        </A>
      </p>
      <Loaded keys={[getMyClaims.key, getMyAppeals.key]}>
        <Show when={pager.items().length > 0} fallback={<p class="empty">{t('earn.claims.empty')}</p>}>
          <ul class="cards earn-list">
            <For each={pager.items()}>{(claim) => <ClaimCard claim={claim} appeal={appealOf(claim)} />}</For>
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

function ClaimCard(props: { claim: Claim; appeal: Appeal | undefined }) {
  const status = () => claimStatus[props.claim.status];
  return (
    <li class="card">
      <div class="card__head">
        <h2 class="card__title">{props.claim.event}</h2>
        <span class={toneClass[status().tone]}>{t(status().label)}</span>
      </div>
      <p>
        {t('earn.claims.when', { date: formatDate(props.claim.date), hours: formatNumber(props.claim.hours) })}
        <Show when={props.claim.organiser}>{(organiser) => <> · {organiser()}</>}</Show>
      </p>
      <StatusTimeline label={t('earn.claims.progress', { event: props.claim.event })} steps={claimSteps(props.claim)} />
      <Show when={props.claim.status === 'rejected'}>
        <AppealAction kind="volunteer_claim" id={props.claim.id} name={props.claim.event} appeal={props.appeal} />
      </Show>
    </li>
  );
}
