import { createAsync } from '@solidjs/router';
import { For, Show } from 'solid-js';
import { formatDate, formatDateTime, formatNumber } from '../../../i18n';
import { getDriverRating, type Rating } from '../api';
import { t } from '../messages';
import { Loaded } from '../../../components/Loaded';
import { stepWords } from './words';

type Breakdown = Rating['breakdown'];

/** The driver's grade, what makes up the score, what the next grade needs, and every change. */
export function RatingSection(props: { driverId: string }) {
  const rating = createAsync(() => getDriverRating(props.driverId));
  return (
    <section class="panel insight-section" aria-labelledby="driver-rating-title">
      <h2 id="driver-rating-title">{t('driver.rating.title')}</h2>
      <Loaded keys={getDriverRating.key}>
        <Show when={rating()}>
          {(r) => (
            <>
              <p class="insight-grade">
                <span class="insight-grade__badge">{t('driver.rating.grade', { grade: r().grade })}</span>
                <span>{t('driver.rating.score', { score: formatNumber(r().score) })}</span>
              </p>
              <p class="insight-muted">{t('driver.rating.asOf', { date: formatDateTime(r().asOf), version: r().policyVersion })}</p>
              <h3>{t('driver.rating.breakdown')}</h3>
              <BreakdownTable breakdown={r().breakdown} />
              <NextGrade rating={r()} />
              <History history={r().history} />
            </>
          )}
        </Show>
      </Loaded>
    </section>
  );
}

function BreakdownTable(props: { breakdown: Breakdown }) {
  const b = () => props.breakdown;
  const ofMax = (points: string, max: string) => t('driver.rating.ofMax', { points: formatNumber(points), max: formatNumber(max) });
  return (
    <div class="table-wrap">
      <table class="table">
        <caption class="insight-caption">
          {t('driver.rating.window', { from: formatDate(b().window.from), to: formatDate(b().window.to) })}
        </caption>
        <thead>
          <tr>
            <th scope="col">{t('driver.rating.factor')}</th>
            <th scope="col" class="num">{t('driver.rating.points')}</th>
            <th scope="col">{t('driver.rating.detail')}</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">{t('driver.rating.safety')}</th>
            <td class="num">{ofMax(b().safety.points, b().safety.max)}</td>
            <td>
              <ul class="insight-plain">
                <Show
                  when={b().safety.deductions.some((d) => d.count > 0)}
                  fallback={<li>{t('driver.rating.noDeductions')}</li>}
                >
                  <For each={b().safety.deductions.filter((d) => d.count > 0)}>
                    {(d) => (
                      <li>
                        {t('driver.rating.deduction', { event: t(`driver.rating.event.${d.event}`), count: d.count, points: formatNumber(d.points) })}
                      </li>
                    )}
                  </For>
                </Show>
                <li>{t('driver.rating.streak', { days: formatNumber(b().streak.days) })}</li>
              </ul>
            </td>
          </tr>
          <tr>
            <th scope="row">{t('driver.rating.volunteering')}</th>
            <td class="num">{ofMax(b().volunteering.points, b().volunteering.max)}</td>
            <td>{t('driver.rating.hours', { hours: formatNumber(b().volunteering.hours), counted: formatNumber(b().volunteering.countedHours) })}</td>
          </tr>
          <tr>
            <th scope="row">{t('driver.rating.reporting')}</th>
            <td class="num">{ofMax(b().reporting.points, b().reporting.max)}</td>
            <td>{t('driver.rating.reports', { verified: b().reporting.verifiedReports, counted: b().reporting.countedReports })}</td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}

function NextGrade(props: { rating: Rating }) {
  return (
    <>
      <h3>{t('driver.rating.next')}</h3>
      <Show when={props.rating.next} fallback={<p>{t('driver.rating.top')}</p>}>
        {(next) => (
          <Show
            when={next().steps.length > 0}
            fallback={<p>{t('driver.next.met', { grade: next().grade })}</p>}
          >
            <p>{t('driver.next.title', { grade: next().grade, score: formatNumber(next().minScore) })}</p>
            <ul>
              <For each={next().steps}>{(step) => <li>{stepWords(step, formatDate)}</li>}</For>
            </ul>
          </Show>
        )}
      </Show>
    </>
  );
}

function History(props: { history: Rating['history'] }) {
  return (
    <>
      <h3>{t('driver.rating.history')}</h3>
      <Show when={props.history.length > 0} fallback={<p class="empty">{t('driver.rating.historyEmpty')}</p>}>
        <div class="table-wrap">
          <table class="table">
            <caption class="visually-hidden">{t('driver.rating.history')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('driver.rating.when')}</th>
                <th scope="col">{t('driver.rating.change')}</th>
                <th scope="col" class="num">{t('driver.rating.safety')}</th>
                <th scope="col" class="num">{t('driver.rating.volunteering')}</th>
                <th scope="col" class="num">{t('driver.rating.reporting')}</th>
                <th scope="col">{t('driver.rating.why')}</th>
              </tr>
            </thead>
            <tbody>
              <For each={props.history}>
                {(h) => (
                  <tr>
                    <td>{formatDateTime(h.at)}</td>
                    <td>
                      {t('driver.rating.moved', {
                        from: h.previousGrade ? `${h.previousGrade} ${formatNumber(h.previousScore ?? '0')}` : '–',
                        to: `${h.grade} ${formatNumber(h.score)}`,
                      })}
                    </td>
                    <td class="num">{formatNumber(h.breakdown.safety.points)}</td>
                    <td class="num">{formatNumber(h.breakdown.volunteering.points)}</td>
                    <td class="num">{formatNumber(h.breakdown.reporting.points)}</td>
                    <td>{causeWords(h.cause)}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
      </Show>
    </>
  );
}

const causes = ['activity', 'refresh', 'daily', 'policy', 'recompute'] as const;
function causeWords(cause: string): string {
  const known = causes.find((c) => c === cause);
  return known ? t(`driver.rating.cause.${known}`) : cause;
}
