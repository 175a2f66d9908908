import { A, createAsync, useSearchParams } from '@solidjs/router';
import { createEffect, createSignal, For, on, onCleanup, Show } from 'solid-js';
import { formatPoints } from '../../../i18n';
import { usePageTitle } from '../../../lib/page-title';
import { getDrivers } from '../api';
import { t } from '../messages';
import { createPager } from '../../../lib/pager';
import { Loaded } from '../../../components/Loaded';
import { ShowMore } from '../../../components/ShowMore';
import '../insight.css';

const DEBOUNCE_MS = 300;

/** Find a driver by part of the name, phone or plate; the search is in the address, to share or go back to. */
export default function DriverSearch() {
  usePageTitle('drivers.title');
  const [params, setParams] = useSearchParams();
  const q = () => (typeof params.q === 'string' ? params.q.trim() : '');
  const [text, setText] = createSignal(q());
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(timer));
  // Back and forward change the address: the box follows.
  createEffect(on(q, (value) => text().trim() !== value && setText(value), { defer: true }));

  const search = (value: string) => {
    clearTimeout(timer);
    setParams({ q: value.trim() || undefined }, { replace: true });
  };
  const typed = (value: string) => {
    setText(value);
    clearTimeout(timer);
    timer = setTimeout(() => search(value), DEBOUNCE_MS);
  };

  const first = createAsync(() => getDrivers(q()));
  const pager = createPager(first, (page) => page.items, (cursor) => getDrivers(q(), cursor));

  return (
    <div class="insight">
      <h1>{t('drivers.title')}</h1>
      <p class="lede">{t('drivers.intro')}</p>
      <form
        role="search"
        class="insight-search"
        onSubmit={(event) => {
          event.preventDefault();
          search(text());
        }}
      >
        <div class="field">
          <label for="drivers-q">{t('drivers.search.label')}</label>
          <p class="field__hint" id="drivers-q-hint">
            {t('drivers.search.hint')}
          </p>
          <input
            id="drivers-q"
            name="q"
            type="search"
            value={text()}
            onInput={(event) => typed(event.currentTarget.value)}
            autocomplete="off"
            spellcheck={false}
            maxLength={100}
            aria-describedby="drivers-q-hint"
          />
        </div>
      </form>
      <Loaded keys={getDrivers.key}>
        <Show when={first()}>
          <p class="visually-hidden" role="status">
            {pager.items().length > 0 ? t('drivers.count', { count: pager.items().length }) : q() ? t('drivers.none', { q: q() }) : t('drivers.noneAtAll')}
          </p>
          <Show
            when={pager.items().length > 0}
            fallback={<p class="empty">{q() ? t('drivers.none', { q: q() }) : t('drivers.noneAtAll')}</p>}
          >
            <div class="table-wrap">
              <table class="table">
                <caption class="insight-caption">{q() ? t('drivers.caption.matching', { q: q() }) : t('drivers.caption.all')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('drivers.col.name')}</th>
                    <th scope="col">{t('drivers.col.phone')}</th>
                    <th scope="col">{t('drivers.col.plate')}</th>
                    <th scope="col">{t('drivers.col.grade')}</th>
                    <th scope="col" class="num">{t('drivers.col.available')}</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={pager.items()}>
                    {(driver) => (
                      <tr>
                        <th scope="row">
                          <A href={`/console/drivers/${driver.id}`}>{driver.name}</A>
                        </th>
                        <td>{driver.phone}</td>
                        <td>{driver.plateNumber ?? ''}</td>
                        <td>{driver.grade ?? t('drivers.ungraded')}</td>
                        <td class="num points">
                          {driver.available === null ? t('drivers.noWallet') : t('unit.points', { amount: formatPoints(driver.available) })}
                        </td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </div>
            <ShowMore pager={pager} />
          </Show>
        </Show>
      </Loaded>
    </div>
  );
}
