import { createAsync } from '@solidjs/router';
import { For, Show } from 'solid-js';
import { formatDate, formatDateTime, formatPoints } from '../i18n';
import { usePageTitle } from '../lib/page-title';
import { programmeToday } from '../lib/programme-day';
import { type Period, type PartnerStatement, getStatement } from './api';
import { todaysPeriod } from './periods';
import { Loaded } from '../components/Loaded';
import { t } from './messages';
import './desk.css';

/** Vouchers confirmed at this desk today (the programme's day, China Standard Time). */
export default function TodayPage() {
  usePageTitle('desk.today.title');
  const today = programmeToday();
  const period = todaysPeriod();
  return (
    <section class="desk">
      <h1>{t('desk.today.title')}</h1>
      <p class="lede">{formatDate(today)}</p>
      <Loaded keys={getStatement.key}>
        <TodayList period={period} />
      </Loaded>
    </section>
  );
}

function TodayList(props: { period: Period }) {
  const statement = createAsync(() => getStatement(props.period));
  return (
    <Show when={statement()}>
      {(s) => (
        <Show when={s().count > 0} fallback={<p class="empty">{t('desk.today.empty')}</p>}>
          <TodaySummary statement={s()} />
          <ul class="desk-list">
            <For each={s().lines}>
              {(line) => (
                <li class="desk-list__item">
                  <div class="desk-list__main">
                    <p class="desk-list__title">{line.offerTitle}</p>
                    <p class="desk-list__meta">
                      {line.driverName}
                      <Show when={line.plateNumber}>{(plate) => <> · {plate()}</>}</Show>
                    </p>
                    <p class="desk-list__meta">
                      <time dateTime={line.confirmedAt}>{formatDateTime(line.confirmedAt)}</time> ·{' '}
                      <span class="desk-code">{line.code}</span>
                    </p>
                  </div>
                  <p class="points desk-list__points">{t('unit.points', { amount: formatPoints(line.points) })}</p>
                </li>
              )}
            </For>
          </ul>
        </Show>
      )}
    </Show>
  );
}

function TodaySummary(props: { statement: PartnerStatement }) {
  return (
    <p class="desk-summary">
      {t('desk.summary', { count: props.statement.count, points: formatPoints(props.statement.total) })}
    </p>
  );
}
