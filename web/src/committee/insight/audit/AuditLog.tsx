import { A, createAsync, useSearchParams } from '@solidjs/router';
import { For, Show } from 'solid-js';
import { formatDateTime } from '../../../i18n';
import { usePageTitle } from '../../../lib/page-title';
import { type AuditEntry, type AuditFilters, getAuditLog } from '../api';
import { t } from '../messages';
import { createPager } from '../../../lib/pager';
import { Loaded } from '../../../components/Loaded';
import { ShowMore } from '../../../components/ShowMore';
import { AuditFilterForm } from './AuditFilterForm';
import { filterNames, filtersOf } from './filters';
import '../insight.css';

/** Every committee action, newest first, filtered by what is in the address. */
export default function AuditLog() {
  usePageTitle('audit.title');
  const [params, setParams] = useSearchParams();
  const filters = () => filtersOf(params);
  const filtered = () => Object.keys(filters()).length > 0;
  const first = createAsync(() => getAuditLog(filters()));
  const pager = createPager(first, (page) => page.items, (cursor) => getAuditLog(filters(), cursor));
  const apply = (next: AuditFilters) => setParams(Object.fromEntries(filterNames.map((name) => [name, next[name]])));

  return (
    <div class="insight">
      <h1>{t('audit.title')}</h1>
      <p class="lede">{t('audit.intro')}</p>
      <AuditFilterForm filters={filters()} onApply={apply} />
      <Loaded keys={getAuditLog.key}>
        <Show when={first()}>
          <Show when={pager.items().length > 0} fallback={<p class="empty">{filtered() ? t('audit.none') : t('audit.empty')}</p>}>
            <div class="table-wrap">
              <table class="table insight-audit">
                <caption class="visually-hidden">{t('audit.caption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('audit.col.when')}</th>
                    <th scope="col">{t('audit.col.who')}</th>
                    <th scope="col">{t('audit.col.action')}</th>
                    <th scope="col">{t('audit.col.target')}</th>
                    <th scope="col">{t('audit.col.changes')}</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={pager.items()}>{(entry) => <Row entry={entry} />}</For>
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

const json = (value: unknown) => JSON.stringify(value, null, 2);

function Row(props: { entry: AuditEntry }) {
  const e = () => props.entry;
  return (
    <tr>
      <td>{formatDateTime(e().at)}</td>
      <td>
        <Show when={e().actor} fallback={t('audit.system')}>
          {(actor) => (
            <A href={`/console/audit?actorId=${encodeURIComponent(actor().id)}`}>
              {actor().name}
              <span class="visually-hidden"> ({t('audit.onlyTheirs')})</span>
            </A>
          )}
        </Show>
      </td>
      <td>
        <code>{e().action}</code>
      </td>
      <td>
        <span>{e().targetType}</span>
        <Show when={e().targetId}>
          {(id) => (
            <>
              {' '}
              <Show when={e().targetType === 'driver'} fallback={<code class="insight-id">{id()}</code>}>
                <A href={`/console/drivers/${encodeURIComponent(id())}`} class="insight-id">
                  {id()}
                  <span class="visually-hidden"> ({t('audit.openDriver')})</span>
                </A>
              </Show>
            </>
          )}
        </Show>
      </td>
      <td>
        <Show when={e().before !== null || e().after !== null} fallback={<span class="insight-muted">{t('audit.nothingRecorded')}</span>}>
          <details class="insight-changes">
            <summary>{t('audit.showChanges')}</summary>
            <Show when={e().before !== null}>
              <p class="insight-changes__title">{t('audit.before')}</p>
              <pre>{json(e().before)}</pre>
            </Show>
            <Show when={e().after !== null}>
              <p class="insight-changes__title">{t('audit.after')}</p>
              <pre>{json(e().after)}</pre>
            </Show>
          </details>
        </Show>
      </td>
    </tr>
  );
}
