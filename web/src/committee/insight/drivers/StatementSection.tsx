import { createAsync } from '@solidjs/router';
import { For, Show } from 'solid-js';
import { formatDateTime, formatPoints } from '../../../i18n';
import { getDriverStatement } from '../api';
import { t } from '../messages';
import { createPager } from '../../../lib/pager';
import { Loaded } from '../../../components/Loaded';
import { ShowMore } from '../../../components/ShowMore';
import { entryWords } from './words';

const signed = (amount: string) => (amount.startsWith('-') ? formatPoints(amount) : `+${formatPoints(amount)}`);

/** The driver's statement as they see it: newest first, the balance after each line. */
export function StatementSection(props: { driverId: string }) {
  const first = createAsync(() => getDriverStatement(props.driverId));
  const pager = createPager(first, (page) => page.lines, (cursor) => getDriverStatement(props.driverId, cursor));
  return (
    <section class="panel insight-section" aria-labelledby="driver-statement-title">
      <h2 id="driver-statement-title">{t('driver.statement.title')}</h2>
      <Loaded keys={getDriverStatement.key}>
        <Show when={first()}>
          <Show when={pager.items().length > 0} fallback={<p class="empty">{t('driver.statement.empty')}</p>}>
            <div class="table-wrap">
              <table class="table">
                <caption class="visually-hidden">{t('driver.statement.caption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('driver.statement.when')}</th>
                    <th scope="col">{t('driver.statement.entry')}</th>
                    <th scope="col" class="num">{t('driver.statement.amount')}</th>
                    <th scope="col" class="num">{t('driver.statement.balance')}</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={pager.items()}>
                    {(line) => (
                      <tr classList={{ 'insight-row--held': line.pending }}>
                        <td>{formatDateTime(line.createdAt)}</td>
                        <td>
                          <span class="insight-list__main">{entryWords(line)}</span>
                          <Show when={line.reason}>{(reason) => <span class="insight-muted"> · {reason()}</span>}</Show>
                        </td>
                        <td class="num points">{signed(line.amount)}</td>
                        <td class="num points">
                          {line.balanceAfter === null ? t('driver.statement.heldOnly') : formatPoints(line.balanceAfter)}
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
    </section>
  );
}
