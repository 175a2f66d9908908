import { A, createAsync } from '@solidjs/router';
import { For, Show } from 'solid-js';
import { formatDate, formatPoints } from '../i18n';
import { usePageTitle } from '../lib/page-title';
import { type Rating as RatingView, getRating } from './api';
import { formatPercent, formatScore } from './format';
import { GradeBadge } from './GradeBadge';
import { t } from './messages';
import { nextGradeWords } from './next-grade-words';
import { Loaded } from '../components/Loaded';
import './driver.css';

type Breakdown = RatingView['breakdown'];
type HistoryEntry = RatingView['history'][number];

/** My credit rating: grade and score, what makes it up, what the next grade needs, how it moved. */
export default function Rating() {
  usePageTitle('shop.rating.title');
  const rating = createAsync(() => getRating());
  return (
    <div class="shop-rating">
      <h1>{t('shop.rating.title')}</h1>
      <Loaded keys={[getRating.key]}>
        <Show when={rating()}>{(r) => <RatingDetails rating={r()} />}</Show>
      </Loaded>
    </div>
  );
}

function RatingDetails(props: { rating: RatingView }) {
  const next = () => (props.rating.next ? nextGradeWords(props.rating.next, props.rating.score) : undefined);
  return (
    <>
      <section class="panel shop-rating__summary" aria-labelledby="rating-grade">
        <h2 id="rating-grade" class="visually-hidden">
          {t('shop.grade.label')}
        </h2>
        <p class="shop-grade-line">
          <GradeBadge grade={props.rating.grade} size="large" />
          <span>{t('shop.rating.score', { score: formatScore(props.rating.score) })}</span>
        </p>
        <p class="shop-muted">{t('shop.rating.asOf', { date: formatDate(props.rating.asOf) })}</p>
        <p>
          {t('shop.rating.benefits', {
            discount: formatPercent(props.rating.benefits.priceDiscount),
            multiplier: formatScore(props.rating.benefits.earningMultiplier),
          })}
        </p>
      </section>

      <section class="panel" aria-labelledby="rating-next">
        <h2 id="rating-next">{t('shop.rating.nextTitle')}</h2>
        <Show when={next()} fallback={<p>{t('shop.next.top')}</p>}>
          {(words) => (
            <>
              <p>{words().headline}</p>
              <Show when={words().steps.length > 0}>
                <ul>
                  <For each={words().steps}>{(step) => <li>{step}</li>}</For>
                </ul>
              </Show>
            </>
          )}
        </Show>
        <A href="/earn">{t('shop.home.earnLink')}</A>
      </section>

      <BreakdownPanel breakdown={props.rating.breakdown} />
      <History entries={props.rating.history} />
    </>
  );
}

function BreakdownPanel(props: { breakdown: Breakdown }) {
  const b = () => props.breakdown;
  const deductions = () => b().safety.deductions.filter((d) => d.count > 0);
  return (
    <section class="panel" aria-labelledby="rating-breakdown">
      <h2 id="rating-breakdown">{t('shop.rating.breakdownTitle')}</h2>
      <p class="shop-muted">{t('shop.rating.window', { days: b().window.days })}</p>
      <dl class="facts">
        <div>
          <dt>{t('shop.rating.safety')}</dt>
          <dd>{t('shop.rating.outOf', { points: formatScore(b().safety.points), max: formatScore(b().safety.max) })}</dd>
        </div>
        <div>
          <dt>{t('shop.rating.volunteering')}</dt>
          <dd>
            {t('shop.rating.outOf', { points: formatScore(b().volunteering.points), max: formatScore(b().volunteering.max) })}
          </dd>
        </div>
        <div>
          <dt>{t('shop.rating.reporting')}</dt>
          <dd>{t('shop.rating.outOf', { points: formatScore(b().reporting.points), max: formatScore(b().reporting.max) })}</dd>
        </div>
        <div>
          <dt>{t('shop.rating.streak')}</dt>
          <dd>{t('shop.rating.streakDays', { days: b().streak.days, date: formatDate(b().streak.since) })}</dd>
        </div>
      </dl>
      <ul class="shop-rating__notes">
        <Show when={deductions().length > 0} fallback={<li>{t('shop.rating.noDeductions')}</li>}>
          <For each={deductions()}>
            {(d) => (
              <li>
                {t(`shop.rating.event.${d.event}`, { count: d.count })}: −{formatScore(d.points)}
              </li>
            )}
          </For>
        </Show>
        <li>
          {t('shop.rating.hours', {
            counted: formatPoints(b().volunteering.countedHours),
            hours: formatPoints(b().volunteering.hours),
            max: formatPoints(b().volunteering.maxHours),
          })}
        </li>
        <li>
          {t('shop.rating.reports', {
            counted: b().reporting.countedReports,
            verified: b().reporting.verifiedReports,
            max: b().reporting.maxReports,
          })}
        </li>
      </ul>
    </section>
  );
}

function History(props: { entries: HistoryEntry[] }) {
  return (
    <section class="panel" aria-labelledby="rating-history">
      <h2 id="rating-history">{t('shop.rating.historyTitle')}</h2>
      <Show when={props.entries.length > 0} fallback={<p class="shop-muted">{t('shop.rating.noHistory')}</p>}>
        <ol class="shop-history">
          <For each={props.entries}>
            {(entry) => (
              <li>
                <time datetime={entry.at}>{formatDate(entry.at)}</time>
                <span class="shop-history__change">
                  {entry.previousGrade && entry.previousGrade !== entry.grade
                    ? t('shop.rating.gradeChange', { from: entry.previousGrade, to: entry.grade })
                    : t('shop.rating.gradeSame', { grade: entry.grade })}
                  {' · '}
                  {entry.previousScore
                    ? t('shop.rating.scoreChange', { from: formatScore(entry.previousScore), to: formatScore(entry.score) })
                    : t('shop.rating.scoreFirst', { score: formatScore(entry.score) })}
                </span>
                <span class="shop-muted">{causeWords(entry.cause)}</span>
              </li>
            )}
          </For>
        </ol>
      </Show>
    </section>
  );
}

const causes = ['activity', 'refresh', 'daily', 'policy', 'recompute'] as const;

function causeWords(cause: string): string {
  const known = causes.find((c) => c === cause);
  return known ? t(`shop.rating.cause.${known}`) : cause;
}
