import { createAsync } from '@solidjs/router';
import { For, Show } from 'solid-js';
import { formatDateTime, formatNumber, formatPoints } from '../i18n';
import { type Period, getStatement } from './api';
import { t } from './messages';

/** The statement's lines with their total; wide tables scroll sideways on a phone. */
export function StatementTable(props: { period: Period }) {
  const statement = createAsync(() => getStatement(props.period));
  return (
    <Show when={statement()}>
      {(s) => (
        <Show when={s().count > 0} fallback={<p class="empty">{t('desk.statement.empty')}</p>}>
          <p class="desk-summary">{t('desk.summary', { count: formatNumber(s().count), points: formatPoints(s().total) })}</p>
          <div class="table-wrap" tabindex="0" role="region" aria-labelledby="desk-statement-caption">
            <table class="table">
              <caption id="desk-statement-caption" class="visually-hidden">
                {t('desk.statement.caption')}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t('desk.statement.confirmedAt')}</th>
                  <th scope="col">{t('desk.statement.code')}</th>
                  <th scope="col">{t('desk.statement.offer')}</th>
                  <th scope="col">{t('desk.statement.driver')}</th>
                  <th scope="col">{t('desk.statement.plate')}</th>
                  <th scope="col" class="num">
                    {t('desk.statement.points')}
                  </th>
                  <th scope="col">{t('desk.statement.settled')}</th>
                </tr>
              </thead>
              <tbody>
                <For each={s().lines}>
                  {(line) => (
                    <tr>
                      <td>
                        <time dateTime={line.confirmedAt}>{formatDateTime(line.confirmedAt)}</time>
                      </td>
                      <td class="desk-code">{line.code}</td>
                      <td>{line.offerTitle}</td>
                      <td>{line.driverName}</td>
                      <td>{line.plateNumber ?? ''}</td>
                      <td class="num">{formatPoints(line.points)}</td>
                      <td>{line.settled ? t('desk.statement.settledYes') : t('desk.statement.settledNo')}</td>
                    </tr>
                  )}
                </For>
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row" colspan="5">
                    {t('desk.statement.total')}
                  </th>
                  <td class="num">{formatPoints(s().total)}</td>
                  <td />
                </tr>
              </tfoot>
            </table>
          </div>
        </Show>
      )}
    </Show>
  );
}
