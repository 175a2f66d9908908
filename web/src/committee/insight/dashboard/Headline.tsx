import { formatDate, formatNumber, formatPoints } from '../../../i18n';
import type { Summary } from '../api';
import { t } from '../messages';
import { lastDayOf } from './period';

const points = (amount: string) => t('unit.points', { amount: formatPoints(amount) });

function Figure(props: { label: string; value: string; note?: string }) {
  return (
    <div class="insight-figures__item">
      <dt>{props.label}</dt>
      <dd>
        <span class="insight-figures__value points">{props.value}</span>
        {props.note ? <span class="insight-figures__note">{props.note}</span> : null}
      </dd>
    </div>
  );
}

/** The period's flows and today's stocks, in words and numbers. */
export function Headline(props: { summary: Summary }) {
  const s = () => props.summary;
  return (
    <section class="insight-headline" aria-labelledby="dash-headline-title">
      <h2 id="dash-headline-title">{t('dash.headline.title', { from: formatDate(s().from), to: formatDate(lastDayOf(s())) })}</h2>
      <div class="insight-headline__groups">
        <div>
          <h3 class="insight-headline__group">{t('dash.headline.inPeriod')}</h3>
          <dl class="insight-figures">
            <Figure label={t('dash.issued')} value={points(s().issued)} note={t('dash.issuedHint')} />
            <Figure label={t('dash.redeemed')} value={points(s().redeemed)} note={t('dash.redemptions', { count: formatNumber(s().redemptions) })} />
            <Figure label={t('dash.expired')} value={points(s().expired)} />
          </dl>
        </div>
        <div>
          <h3 class="insight-headline__group">{t('dash.headline.now')}</h3>
          <dl class="insight-figures">
            <Figure label={t('dash.held')} value={points(s().held)} note={t('dash.openHolds', { count: formatNumber(s().openHolds) })} />
            <Figure label={t('dash.outstanding')} value={points(s().outstanding)} note={t('dash.outstandingHint')} />
          </dl>
        </div>
      </div>
    </section>
  );
}
