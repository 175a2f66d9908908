import { A, createAsync } from '@solidjs/router';
import { For, Show } from 'solid-js';
import { formatDate, formatNumber, formatPoints } from '../i18n';
import { usePageTitle } from '../lib/page-title';
import { type Appeal, type MySafety, type SafetyEvent, getEarningRates, getMyAppeals, getMySafety } from './api';
import { AppealAction } from './AppealAction';
import { latestAppeals } from './appeal-links';
import { Loaded } from '../components/Loaded';
import { t } from './messages';
import { rateWords } from './rate-words';
import { canAppealSafetyEvent, safetyEventTitle } from './safety-words';
import './earn.css';

type AppealOf = (event: SafetyEvent) => Appeal | undefined;

/** Where a driver earns: the two things to do now, the safe-driving streak, what pays, and their records. */
export default function EarnHub() {
  usePageTitle('earn.hub.title');
  const safety = createAsync(() => getMySafety());
  const rates = createAsync(() => getEarningRates());
  // Only to say "appeal under review" on a record; without it the Appeal link still works.
  const appeals = createAsync(() => getMyAppeals().catch(() => undefined));
  const appealOf: AppealOf = (event) => latestAppeals(appeals()?.items).get(`safety_event:${event.id}`);

  return (
    <section class="earn-hub">
      <h1>{t('earn.hub.title')}</h1>
      <p class="lede">{t('earn.hub.intro')}</p>
      <div class="actions">
        <A href="/earn/volunteering/new" class="button button--primary">
          {t('earn.hub.claimHours')}
        </A>
        <A href="/earn/reports/new" class="button button--primary">
          {t('earn.hub.reportProblem')}
        </A>
      </div>

      <section class="panel" aria-labelledby="earn-streak-title">
        <h2 id="earn-streak-title">{t('earn.hub.streakTitle')}</h2>
        <Loaded keys={getMySafety.key}>
          <Show when={safety()}>{(s) => <Streak safety={s()} appealOf={appealOf} />}</Show>
        </Loaded>
      </section>

      <section class="panel" aria-labelledby="earn-rates-title">
        <h2 id="earn-rates-title">{t('earn.hub.ratesTitle')}</h2>
        <Loaded keys={getEarningRates.key}>
          <Show when={rates()}>
            {(r) => (
              <Show when={r().items.length > 0} fallback={<p class="empty">{t('earn.rates.none')}</p>}>
                <ul class="earn-rates">
                  <For each={r().items.map(rateWords)}>
                    {(rate) => (
                      <li>
                        <h3>{rate.title}</h3>
                        <For each={rate.lines}>{(line) => <p>{line}</p>}</For>
                      </li>
                    )}
                  </For>
                </ul>
                <p class="earn-note">{t('earn.rates.gradeBonus')}</p>
              </Show>
            )}
          </Show>
        </Loaded>
      </section>

      <nav class="panel" aria-labelledby="earn-mine-title">
        <h2 id="earn-mine-title">{t('earn.hub.mineTitle')}</h2>
        <ul class="earn-links">
          <li>
            <A href="/earn/volunteering">{t('earn.claims.title')}</A>
          </li>
          <li>
            <A href="/earn/reports">{t('earn.reports.title')}</A>
          </li>
          <li>
            <A href="/earn/appeals">{t('earn.appeals.title')}</A>
          </li>
        </ul>
      </nav>
    </section>
  );
}

function Streak(props: { safety: MySafety; appealOf: AppealOf }) {
  return (
    <>
      <p class="earn-streak">
        <span class="earn-streak__days">{formatNumber(props.safety.streak.days)}</span>{' '}
        {props.safety.streak.days === 1 ? t('earn.streak.oneDay') : t('earn.streak.days')}
      </p>
      <p>{t('earn.streak.since', { date: formatDate(props.safety.streak.startedAt) })}</p>
      <Show when={props.safety.next} fallback={<p>{t('earn.streak.noMilestone')}</p>}>
        {(next) => (
          <p>
            {t(next().inDays === 1 ? 'earn.streak.nextTomorrow' : 'earn.streak.next', {
              days: formatNumber(next().streakDays),
              inDays: formatNumber(next().inDays),
              date: formatDate(next().at),
            })}{' '}
            <Show when={next().points} fallback={t('earn.streak.paused')}>
              {(points) => <strong class="points">{t('unit.points', { amount: formatPoints(points()) })}</strong>}
            </Show>
          </p>
        )}
      </Show>
      <Show when={props.safety.challenge.completedAt && props.safety.challenge.days ? props.safety.challenge : undefined}>
        {(challenge) => (
          <p class="notice">
            {t('earn.streak.challengeDone', {
              days: formatNumber(challenge().days ?? 0),
              date: formatDate(challenge().completedAt ?? ''),
            })}
          </p>
        )}
      </Show>
      <h3>{t('earn.safety.recentTitle')}</h3>
      <Show when={props.safety.recentEvents.length > 0} fallback={<p class="empty">{t('earn.safety.none')}</p>}>
        <ul class="earn-events">
          <For each={props.safety.recentEvents}>{(event) => <SafetyRecord event={event} appeal={props.appealOf(event)} />}</For>
        </ul>
      </Show>
    </>
  );
}

function SafetyRecord(props: { event: SafetyEvent; appeal: Appeal | undefined }) {
  const title = () => safetyEventTitle(props.event);
  return (
    <li>
      <p class="earn-events__title">{title()}</p>
      <Show when={props.event.note}>{(note) => <p class="earn-note">{note()}</p>}</Show>
      <Show when={props.event.voidedAt}>
        {(at) => <p class="status status--muted">{t('earn.safety.voided', { date: formatDate(at()) })}</p>}
      </Show>
      <Show when={canAppealSafetyEvent(props.event)}>
        <AppealAction kind="safety_event" id={props.event.id} name={title()} appeal={props.appeal} />
      </Show>
    </li>
  );
}
