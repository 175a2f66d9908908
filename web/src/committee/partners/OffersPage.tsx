import { createAsync, useSearchParams } from '@solidjs/router';
import { For, Show, createSignal } from 'solid-js';
import { ShowMore } from '../../components/ShowMore';
import { createPager } from '../../lib/pager';
import { usePageTitle } from '../../lib/page-title';
import { type OfferStatus, getOffers } from './api';
import { CreateOfferForm } from './CreateOfferForm';
import { offerStatusWords } from './labels';
import { Loaded } from '../../components/Loaded';
import { offerStatusFrom, offerStatusList } from './offer-status';
import { t } from './messages';
import { OfferCard } from './OfferCard';
import './admin.css';

/** Every offer by status, the approval queue first; approve, pause, resume, retire, or add one. */
export default function OffersPage() {
  usePageTitle('partnersAdmin.offers.title');
  const [params, setParams] = useSearchParams();
  const status = () => offerStatusFrom(params.status);
  const [news, setNews] = createSignal<string>();

  return (
    <section class="admin">
      <h1>{t('partnersAdmin.offers.title')}</h1>
      <div class="field admin-filter">
        <label for="offers-status">{t('partnersAdmin.offers.filter')}</label>
        <select
          id="offers-status"
          onChange={(event) => {
            setNews(undefined);
            setParams({ status: event.currentTarget.value });
          }}
        >
          <For each={offerStatusList}>
            {(option) => (
              <option value={option} selected={option === status()}>
                {offerStatusWords(option)}
              </option>
            )}
          </For>
        </select>
      </div>
      <div role="status">
        <Show when={news()}>{(text) => <p class="notice">{text()}</p>}</Show>
      </div>
      <Loaded keys={getOffers.key}>
        <OfferPageList status={status()} onChanged={setNews} />
      </Loaded>
      <CreateOfferForm onCreated={setNews} />
    </section>
  );
}

/**
 * The offers of one status, "Show more" adding pages below. The later pages belong to the first:
 * when an approval or a change refreshes it, they go with it, rather than asking again after an
 * offer that may have left this status (a cursor the API no longer knows).
 */
function OfferPageList(props: { status: OfferStatus; onChanged: (news: string) => void }) {
  const first = createAsync(() => getOffers({ status: props.status }));
  const pager = createPager(first, (page) => page.items, (cursor) => getOffers({ status: props.status, cursor }));
  return (
    <Show when={first()}>
      <Show when={pager.items().length > 0} fallback={<p class="empty">{t('partnersAdmin.offers.empty', { status: offerStatusWords(props.status) })}</p>}>
        <ul class="admin-list" aria-label={offerStatusWords(props.status)}>
          <For each={pager.items()}>
            {(offer) => (
              <li>
                <OfferCard offer={offer} onChanged={props.onChanged} />
              </li>
            )}
          </For>
        </ul>
      </Show>
      <ShowMore pager={pager} />
    </Show>
  );
}
