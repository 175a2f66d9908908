import { createAsync, useIsRouting, useSearchParams } from '@solidjs/router';
import { ErrorBoundary, For, Show, Suspense, createMemo } from 'solid-js';
import { errorWords } from '../api/error-words';
import { usePageTitle } from '../lib/page-title';
import { getCatalog, getRegions } from './api';
import { catalogFilters, categories, sorts } from './catalog-filters';
import { categoryWords } from './labels';
import { t } from './messages';
import { OfferCard } from './OfferCard';
import { createPager } from '../lib/pager';
import { Loaded } from '../components/Loaded';
import { ShowMore } from '../components/ShowMore';
import './driver.css';

/** The shop: offers by category, words, region and price, with your own price on each. */
export default function Catalog() {
  usePageTitle('shop.catalog.title');
  const [params, setParams] = useSearchParams();
  const filters = createMemo(() => catalogFilters(params));
  const page = createAsync(() => getCatalog(filters()));
  const pager = createPager(page, (p) => p.items, (cursor) => getCatalog({ ...filters(), cursor }));
  const routing = useIsRouting();
  // Filters live in the page's address, so back, forward and a shared link all retrace them.
  const setFilter = setParams;
  const filtered = () => Object.values(filters()).some((value) => value !== undefined);

  return (
    <div class="shop-catalog">
      <h1>{t('shop.catalog.title')}</h1>
      <SearchForm value={filters().q ?? ''} onSearch={(q) => setFilter({ q: q || undefined })} />
      <div class="shop-tabs" role="group" aria-label={t('shop.catalog.category')}>
        <button
          type="button"
          class="shop-tab"
          aria-pressed={filters().category === undefined}
          onClick={() => setFilter({ category: undefined })}
        >
          {t('shop.category.all')}
        </button>
        <For each={categories}>
          {(category) => (
            <button
              type="button"
              class="shop-tab"
              aria-pressed={filters().category === category}
              onClick={() => setFilter({ category })}
            >
              {categoryWords(category)}
            </button>
          )}
        </For>
      </div>
      <div class="shop-filters">
        <label class="shop-check">
          <input
            type="checkbox"
            checked={filters().affordable === 'true'}
            onChange={(event) => setFilter({ affordable: event.currentTarget.checked ? 'true' : undefined })}
          />
          {t('shop.catalog.affordable')}
        </label>
        <RegionFilter value={filters().region} onChange={(region) => setFilter({ region })} />
        <div class="field shop-filters__field">
          <label for="catalog-sort">{t('shop.catalog.sort')}</label>
          <select
            id="catalog-sort"
            onChange={(event) => {
              const sort = sorts.find((s) => s === event.currentTarget.value);
              setFilter({ sort: sort === 'newest' ? undefined : sort });
            }}
          >
            <For each={sorts}>
              {(sort) => (
                <option value={sort} selected={(filters().sort ?? 'newest') === sort}>
                  {t(`shop.sort.${sort}`)}
                </option>
              )}
            </For>
          </select>
        </div>
      </div>
      <div aria-busy={routing()} class="shop-results">
        <Loaded keys={[getCatalog.key]}>
          <Show when={page()}>
            <Show
              when={pager.items().length > 0}
              fallback={
                <div class="empty">
                  <p>{filtered() ? t('shop.catalog.noMatch') : t('shop.catalog.empty')}</p>
                  <Show when={filtered()}>
                    <button type="button" class="button" onClick={() => setParams(clearAll)}>
                      {t('shop.catalog.clear')}
                    </button>
                  </Show>
                </div>
              }
            >
              <ul class="cards shop-offers">
                <For each={pager.items()}>{(offer) => <OfferCard offer={offer} />}</For>
              </ul>
              <ShowMore pager={pager} />
            </Show>
          </Show>
        </Loaded>
      </div>
    </div>
  );
}

const clearAll = { category: undefined, q: undefined, region: undefined, affordable: undefined, sort: undefined };

function SearchForm(props: { value: string; onSearch: (q: string) => void }) {
  let input: HTMLInputElement | undefined;
  return (
    <form
      role="search"
      class="shop-search"
      onSubmit={(event) => {
        event.preventDefault();
        props.onSearch(input?.value.trim() ?? '');
      }}
    >
      <div class="field shop-search__field">
        <label for="catalog-q">{t('shop.catalog.search')}</label>
        <input id="catalog-q" name="q" type="search" ref={input} value={props.value} maxLength={100} enterkeyhint="search" />
      </div>
      <button type="submit" class="button button--primary">
        {t('shop.catalog.searchButton')}
      </button>
    </form>
  );
}

/** Regions with open offers; the catalog works without them, so a failure here is only a note. */
function RegionFilter(props: { value: string | undefined; onChange: (region: string | undefined) => void }) {
  const regions = createAsync(() => getRegions());
  return (
    <ErrorBoundary
      fallback={(error) => (
        <RegionSelect value={props.value} onChange={props.onChange} known={[]} note={errorWords(error).message} />
      )}
    >
      <Suspense fallback={<RegionSelect value={props.value} onChange={props.onChange} known={[]} />}>
        <RegionSelect value={props.value} onChange={props.onChange} known={regions()?.items ?? []} />
      </Suspense>
    </ErrorBoundary>
  );
}

function RegionSelect(props: {
  value: string | undefined;
  onChange: (region: string | undefined) => void;
  known: string[];
  note?: string;
}) {
  // The region in the address stays choosable even if it is not (or no longer) in the list.
  const options = () => (props.value && !props.known.includes(props.value) ? [props.value, ...props.known] : props.known);
  return (
    <div class="field shop-filters__field">
      <label for="catalog-region">{t('shop.catalog.region')}</label>
      <Show when={props.note}>
        {(note) => (
          <p class="field__hint" id="catalog-region-note">
            {note()}
          </p>
        )}
      </Show>
      <select
        id="catalog-region"
        aria-describedby={props.note ? 'catalog-region-note' : undefined}
        onChange={(event) => props.onChange(event.currentTarget.value || undefined)}
      >
        <option value="" selected={!props.value}>
          {t('shop.catalog.allRegions')}
        </option>
        <For each={options()}>
          {(region) => (
            <option value={region} selected={region === props.value}>
              {region}
            </option>
          )}
        </For>
      </select>
    </div>
  );
}
