import { createAsync, useSearchParams } from '@solidjs/router';
import { For, Show, Suspense, createSignal } from 'solid-js';
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

/** One page of offers; "Show more" adds the next page below it. */
function OfferPageList(props: { status: OfferStatus; cursor?: string; onChanged: (news: string) => void }) {
  const page = createAsync(() => getOffers({ status: props.status, cursor: props.cursor }));
  const [more, setMore] = createSignal(false);
  return (
    <Show when={page()}>
      {(p) => (
        <>
          <Show when={p().items.length > 0 || props.cursor} fallback={<p class="empty">{t('partnersAdmin.offers.empty', { status: offerStatusWords(props.status) })}</p>}>
            <ul class="admin-list" aria-label={offerStatusWords(props.status)}>
              <For each={p().items}>
                {(offer) => (
                  <li>
                    <OfferCard offer={offer} onChanged={props.onChanged} />
                  </li>
                )}
              </For>
            </ul>
          </Show>
          <Show when={p().nextCursor}>
            {(cursor) => (
              <Show
                when={more()}
                fallback={
                  <button type="button" class="button" onClick={() => setMore(true)}>
                    {t('state.loadMore')}
                  </button>
                }
              >
                <Suspense fallback={<p class="loading">{t('state.loadingMore')}</p>}>
                  <OfferPageList status={props.status} cursor={cursor()} onChanged={props.onChanged} />
                </Suspense>
              </Show>
            )}
          </Show>
        </>
      )}
    </Show>
  );
}
