import { For, Show, type JSX } from 'solid-js';
import { formatDate, formatDateTime, formatNumber, formatPoints } from '../../../i18n';
import type { Activities } from '../api';
import { t } from '../messages';
import { safetyWords } from './words';

const points = (amount: string) => t('unit.points', { amount: formatPoints(amount) });

function Kind<T>(props: { title: string; items: T[]; children: (item: T) => JSX.Element }) {
  return (
    <div class="insight-activity">
      <h3>{props.title}</h3>
      <Show when={props.items.length > 0} fallback={<p class="insight-muted">{t('driver.activity.none')}</p>}>
        <ul class="insight-list">
          <For each={props.items}>{(item) => <li class="insight-list__item">{props.children(item)}</li>}</For>
        </ul>
      </Show>
    </div>
  );
}

function Status(props: { status: Activities['volunteering'][number]['status'] | Activities['gridReports'][number]['status'] | Activities['redemptions'][number]['status'] }) {
  const bad = () => ['rejected', 'cancelled', 'expired', 'duplicate'].includes(props.status);
  return (
    <span class="status" classList={{ 'status--bad': bad() }}>
      {t(`insight.status.${props.status}`)}
    </span>
  );
}

/** The latest of each kind of thing the driver did or had done. */
export function ActivitiesSection(props: { activities: Activities }) {
  const a = () => props.activities;
  return (
    <section class="panel insight-section" aria-labelledby="driver-activity-title">
      <h2 id="driver-activity-title">{t('driver.activity.title')}</h2>
      <div class="insight-activities">
        <Kind title={t('driver.activity.volunteering')} items={a().volunteering}>
          {(v) => (
            <>
              <span class="insight-list__main">{v.event}</span>
              <span class="insight-muted">
                {formatDate(v.activityDate)} · {t('driver.activity.hours', { hours: formatNumber(v.hours) })}
              </span>
              <Status status={v.status} />
            </>
          )}
        </Kind>
        <Kind title={t('driver.activity.gridReports')} items={a().gridReports}>
          {(r) => (
            <>
              <span class="insight-list__main">{t(`insight.grid.${r.category}`)}</span>
              <span class="insight-muted">{t('driver.activity.submittedOn', { date: formatDateTime(r.createdAt) })}</span>
              <Status status={r.status} />
            </>
          )}
        </Kind>
        <Kind title={t('driver.activity.safetyEvents')} items={a().safetyEvents}>
          {(e) => (
            <>
              <span class="insight-list__main">{safetyWords(e)}</span>
              <span class="insight-muted">{formatDateTime(e.occurredAt)}</span>
              <Show when={e.voided}>
                <span class="status status--muted">{t('driver.activity.voided')}</span>
              </Show>
            </>
          )}
        </Kind>
        <Kind title={t('driver.activity.earnings')} items={a().earnings}>
          {(e) => (
            <>
              <span class="insight-list__main">
                {t(`insight.source.${e.source}`)} · <span class="points">{points(e.points)}</span>
              </span>
              <Show when={e.reason}>{(reason) => <span>{reason()}</span>}</Show>
              <span class="insight-muted">{formatDateTime(e.createdAt)}</span>
            </>
          )}
        </Kind>
        <Kind title={t('driver.activity.redemptions')} items={a().redemptions}>
          {(r) => (
            <>
              <span class="insight-list__main">
                {r.offerTitle} · <span class="points">{points(r.captured ?? r.price)}</span>
              </span>
              <span class="insight-muted">
                {r.partnerName} · {t(`insight.category.${r.category}`)} · {formatDateTime(r.createdAt)}
              </span>
              <Status status={r.status} />
            </>
          )}
        </Kind>
      </div>
    </section>
  );
}
