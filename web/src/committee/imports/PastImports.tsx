import { A, createAsync } from '@solidjs/router';
import { For, Show } from 'solid-js';
import { formatDateTime, formatNumber } from '../../i18n';
import { t } from '../messages';
import { getImports } from './api';

/** Earlier imports, newest first, each openable for its result and error report. */
export function PastImports() {
  const imports = createAsync(() => getImports());
  return (
    <Show when={imports()}>
      {(page) => (
        <Show when={page().items.length > 0} fallback={<p class="empty">{t('imports.noPast')}</p>}>
          <div class="table-wrap">
            <table class="table">
              <caption class="visually-hidden">{t('imports.pastTitle')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('imports.file')}</th>
                  <th scope="col">{t('imports.uploaded')}</th>
                  <th scope="col">{t('queue.filter.status')}</th>
                  <th scope="col" class="num">{t('imports.rows')}</th>
                  <th scope="col" class="num">{t('imports.applied')}</th>
                  <th scope="col" class="num">{t('imports.skipped')}</th>
                  <th scope="col" class="num">{t('imports.errorCount')}</th>
                </tr>
              </thead>
              <tbody>
                <For each={page().items}>
                  {(run) => (
                    <tr>
                      <td>
                        <A href={`/console/imports?import=${run.id}`}>{run.fileName}</A>
                      </td>
                      <td>{formatDateTime(run.createdAt)}</td>
                      <td>{t(`imports.status.${run.status}`)}</td>
                      <td class="num">{run.totalRows === null ? '–' : formatNumber(run.totalRows)}</td>
                      <td class="num">{formatNumber(run.applied)}</td>
                      <td class="num">{formatNumber(run.skipped)}</td>
                      <td class="num">{formatNumber(run.errorCount)}</td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
        </Show>
      )}
    </Show>
  );
}
